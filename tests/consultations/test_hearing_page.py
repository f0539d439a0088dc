"""The public hearing page: what is shown, to whom, and in a constant number of queries (must-hold 7)."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from consultations.models import PublicationRule, Response, ResponseAttachment, ResponsePaginator, SectionComment
from consultations.response_list import response_list_html
from councils.models import PartyKind
from tests.consultations.factories import (
    MINIMAL_PDF,
    HearingFactory,
    HearingPartyFactory,
    ResponseAttachmentFactory,
    ResponseFactory,
)

pytestmark = pytest.mark.django_db


def add_published(hearing, count, start=0):
    Response.objects.bulk_create(
        [
            Response(
                hearing=hearing,
                name=f"Borger {n}",
                email=f"borger{n}@example.org",
                postcode="2500",
                district="valby",
                text=f"Svar nummer {n}",
                consent=True,
                status=Response.Status.PUBLISHED,
                confirmed_at=hearing.opens_at + dt.timedelta(minutes=n),
            )
            for n in range(start, start + count)
        ]
    )


def count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_two_thousand_responses_render_in_constant_queries(client, hearing, django_assert_max_num_queries):
    party = HearingPartyFactory(name="Valby Lokaludvalg", kind=PartyKind.COUNCIL)
    hearing.hearing_lists.add(party.hearing_list)
    hearing.save()
    add_published(hearing, 20)
    for response in Response.objects.all()[:5]:
        ResponseAttachmentFactory(response=response)
    ResponseFactory(hearing=hearing, published=True, party=party, kind=PartyKind.COUNCIL)
    client.get(hearing.url)  # warm caches (site root paths)
    small = count_queries(client, hearing.url)

    add_published(hearing, 2000, start=20)
    with django_assert_max_num_queries(small):
        response = client.get(hearing.url)
    html = response.content.decode()
    assert "2021 offentliggjorte høringssvar" in html
    assert "Side 1 af 102" in html
    assert html.count('class="response"') == 20
    assert count_queries(client, hearing.url + "?svar-side=50") <= small

    last = client.get(hearing.url + "?svar-side=102").content.decode()
    assert "Side 102 af 102" in last
    assert "Svar nummer 2019" in last


def test_public_response_shows_name_district_date_text_never_email_or_withheld(client, hearing):
    shown = ResponseFactory(
        hearing=hearing,
        name="Karen Sørensen",
        email="karen.hemmelig@example.org",
        postcode="2500",
        district="valby",
        text="Original med CPR 010101-1234",
        redacted_text="Original med CPR [fjernet]",
        published=True,
    )
    ResponseFactory(hearing=hearing, name="Ikke Offentlig", status=Response.Status.WITHHELD, withheld_reason="x")
    ResponseFactory(hearing=hearing, name="Ikke Moderet")
    ResponseFactory(hearing=hearing, name="Ikke Bekræftet", pending=True)
    ResponseFactory(
        hearing=hearing,
        name="Jens Jensen",
        kind=PartyKind.ORGANISATION,
        organisation_name="Cyklistforbundet",
        published=True,
    )
    html = client.get(hearing.url).content.decode()
    assert "Karen Sørensen" in html
    assert "Valby" in html
    assert "Original med CPR [fjernet]" in html
    assert "010101-1234" not in html
    assert "karen.hemmelig@example.org" not in html
    assert "Cyklistforbundet" in html
    assert "Jens Jensen" not in html  # organisations are shown by their name
    for hidden in ("Ikke Offentlig", "Ikke Moderet", "Ikke Bekræftet"):
        assert hidden not in html
    assert f'id="svar-{shown.pk}"' in html


def test_after_deadline_rule_hides_responses_until_the_deadline(client, hearing_index):
    hearing = HearingFactory(parent=hearing_index, publication_rule=PublicationRule.AFTER_DEADLINE)
    ResponseFactory(hearing=hearing, name="Tidlig Svarer", published=True)
    html = client.get(hearing.url).content.decode()
    assert "Tidlig Svarer" not in html
    assert "offentliggøres, når høringsfristen er udløbet" in html
    with time_machine.travel(hearing.closes_at + dt.timedelta(hours=1), tick=False):
        assert "Tidlig Svarer" in client.get(hearing.url).content.decode()


def test_not_published_rule_never_shows_responses(client, hearing_index):
    hearing = HearingFactory(parent=hearing_index, publication_rule=PublicationRule.NOT_PUBLISHED)
    ResponseFactory(hearing=hearing, name="Hemmelig Svarer", published=True)
    with time_machine.travel(hearing.closes_at + dt.timedelta(days=1), tick=False):
        html = client.get(hearing.url).content.decode()
    assert "Hemmelig Svarer" not in html
    assert "offentliggøres ikke" in html


def test_attachment_download_is_permission_checked(hearing, user_factory, staff_client):
    client = Client()  # anonymous; staff_client is a separate, logged-in client
    published = ResponseAttachmentFactory(response=ResponseFactory(hearing=hearing, published=True))
    owner = user_factory(email="ejer@example.org")
    unpublished = ResponseAttachmentFactory(response=ResponseFactory(hearing=hearing, user=owner))

    public = client.get(published.get_absolute_url())
    assert public.status_code == 200
    assert b"".join(public.streaming_content) == MINIMAL_PDF
    assert public["Content-Type"] == "application/pdf"
    assert "attachment" in public["Content-Disposition"]

    assert client.get(unpublished.get_absolute_url()).status_code == 404
    stranger = user_factory(email="fremmed@example.org")
    client.force_login(stranger)
    assert client.get(unpublished.get_absolute_url()).status_code == 404
    client.force_login(owner)
    assert client.get(unpublished.get_absolute_url()).status_code == 200
    assert staff_client.get(unpublished.get_absolute_url()).status_code == 200
    assert "/media/" not in published.file.path


def test_concluded_hearing_shows_summary_and_replied_parties(client, hearing):
    replied = HearingPartyFactory(name="Valby Lokaludvalg", kind=PartyKind.COUNCIL)
    silent = HearingPartyFactory(name="Dansk Industri", hearing_list=replied.hearing_list)
    hearing.hearing_lists.add(replied.hearing_list)
    hearing.summary_body = [{"type": "paragraph", "value": "<p>Forvaltningen imødekommer cykelstierne.</p>"}]
    hearing.save_revision().publish()
    ResponseFactory(
        hearing=hearing,
        party=replied,
        kind=PartyKind.COUNCIL,
        published=True,
        summary="Støtter planen.",
        administration_comment="Imødekommet.",
    )
    with time_machine.travel(hearing.closes_at + dt.timedelta(days=3), tick=False):
        hearing.refresh_from_db()
        hearing.conclude()
        html = client.get(hearing.url).content.decode()
    assert "Status: Konkluderet" in html
    assert "Forvaltningen imødekommer cykelstierne." in html
    table = html[html.index("Hørte parter") :]
    assert "Valby Lokaludvalg</th><td>Har svaret" in table
    assert f"{silent.name}</th><td>Har ikke svaret" in table
    assert "Imødekommet." in html


def test_attachments_are_counted_on_the_page_not_loaded_per_response(client, hearing):
    add_published(hearing, 3)
    for response in Response.objects.all():
        ResponseAttachmentFactory(response=response)
        ResponseAttachmentFactory(response=response, original_name="andet.pdf")
    html = client.get(hearing.url).content.decode()
    assert html.count("andet.pdf") == 3
    assert ResponseAttachment.objects.count() == 6


def test_attachments_and_section_comments_are_read_only_when_a_response_on_the_page_has_them(client, hearing):
    """A page of responses is one query when none has attachments or section comments; each relation
    costs one more query when any response on the page has it, and shows under its own response."""
    add_published(hearing, 3)
    first, second, third = Response.objects.order_by("confirmed_at")
    client.get(hearing.url)  # warm caches
    plain = count_queries(client, hearing.url)
    ResponseAttachmentFactory(response=second, original_name="budget.pdf")
    assert count_queries(client, hearing.url) == plain + 1
    SectionComment.objects.create(response=third, section_id="s-2-1", number="2.1", heading="Cykelstier", text="Ja tak")
    SectionComment.objects.create(response=first, section_id="s-1-1", number="1.1", heading="Formål", text="")
    assert count_queries(client, hearing.url) == plain + 2
    html = client.get(hearing.url).content.decode()
    articles = {pk: html[html.index(f'<article class="response" id="svar-{pk}"') :] for pk in (first.pk, second.pk)}
    articles = {pk: part[: part.index("</article>")] for pk, part in articles.items()}
    third_html = html[html.index(f'id="svar-{third.pk}"') :]
    third_html = third_html[: third_html.index("</article>")]
    assert "budget.pdf" in articles[second.pk] and "budget.pdf" not in articles[first.pk] + third_html
    assert "Kommentar til afsnit 2.1 Cykelstier" in third_html and "Ja tak" in third_html
    # a comment without text: its list is there (as before), empty
    assert '<ul class="nobullet-list response-section-comments">\n    </ul>' in articles[first.pk]
    assert "response-section-comments" not in articles[second.pk]


def test_what_respondents_typed_is_shown_as_text_not_markup(client, hearing_index):
    """The response list is built in Python (consultations.response_list), not by the template
    engine: every value a respondent typed must still reach the page escaped."""
    hearing = HearingFactory(parent=hearing_index)
    ResponseFactory(hearing=hearing, name='<b id="navn">Eva</b>', text="<script>alert(1)</script> Ja", published=True)
    ResponseFactory(
        hearing=hearing,
        kind=PartyKind.ORGANISATION,
        organisation_name='<img src=x onerror="alert(2)">Forening',
        published=True,
    )
    html = client.get(hearing.url).content.decode()
    assert "&lt;b id=&quot;navn&quot;&gt;Eva&lt;/b&gt;" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Ja" in html
    assert "&lt;img src=x onerror=&quot;alert(2)&quot;&gt;Forening" in html
    for raw in ('<b id="navn">', "<script>alert(1)", "<img src=x"):
        assert raw not in html


def test_a_page_of_responses_and_their_count_are_one_query(hearing, hearing_index, django_assert_num_queries):
    """ResponsePaginator.get_page reads the count beside the page's rows: one query for a page that
    exists and for an empty first page; other numbers settle as Django's get_page does."""
    add_published(hearing, 45)
    ResponseFactory(hearing=hearing, name="Ikke Offentlig", status=Response.Status.WITHHELD, withheld_reason="x")
    ResponseFactory(hearing=hearing, name="Ikke Moderet")
    paginator = ResponsePaginator(hearing.public_responses(), 20)
    with django_assert_num_queries(1):
        page = paginator.get_page("2")
        assert (paginator.count, paginator.num_pages, page.number) == (45, 3, 2)
        assert [response.text for response in page] == [f"Svar nummer {n}" for n in range(20, 40)]
        assert page.has_previous() and page.has_next()
    for number, settled in (
        ("3", 3),
        ("abc", 1),
        (None, 1),
        ("1.5", 1),
        ("0", 3),
        ("-1", 3),
        ("4", 3),
        ("99", 3),
        ("9" * 26, 3),
    ):
        paginator = ResponsePaginator(hearing.public_responses(), 20)
        page = paginator.get_page(number)
        assert (page.number, paginator.count) == (settled, 45), number
        assert len(page) == (5 if settled == 3 else 20)
    empty = ResponsePaginator(HearingFactory(parent=hearing_index).public_responses(), 20)
    with django_assert_num_queries(1):
        page = empty.get_page("1")
        assert (page.number, empty.count, list(page)) == (1, 0, [])


def test_a_page_of_the_public_list_reads_rows_once_and_each_relation_once(hearing, django_assert_num_queries):
    """The rows read only the list's columns (ResponseQuerySet.for_public_list): everything the list
    shows comes with them, so no row reads a column of its own afterwards (3 queries: the rows with
    the count, attachments, section comments)."""
    party = HearingPartyFactory(name="Valby <Lokaludvalg>", kind=PartyKind.COUNCIL)
    add_published(hearing, 3)
    organisation = ResponseFactory(
        hearing=hearing,
        published=True,
        party=party,
        kind=PartyKind.COUNCIL,
        text="Original",
        redacted_text="Rettet <b>tekst</b>",
        is_late=True,
        summary="Kort & godt",
        administration_comment="Tages til efterretning",
    )
    ResponseAttachmentFactory(response=organisation, original_name="<img src=x>.pdf")
    SectionComment.objects.create(
        response=organisation, section_id="s1", number="1.1", heading="Formål <i>", text="Om <1.1>"
    )
    # A postcode as stored by hand (no district): shown, escaped, like every other value.
    ResponseFactory(hearing=hearing, published=True, district="", postcode="<25>")
    paginator = ResponsePaginator(hearing.public_responses(), 20)
    with django_assert_num_queries(3):
        html = response_list_html(paginator.get_page(None), concluded=True)
    assert html.count('class="response"') == 5
    for shown in (
        "<bdi>Valby &lt;Lokaludvalg&gt;</bdi>",
        "Rettet &lt;b&gt;tekst&lt;/b&gt;",
        "Modtaget efter fristen",
        "Redigeret af sekretariatet",
        "Kommentar til afsnit 1.1 Formål &lt;i&gt;",
        "Om &lt;1.1&gt;",
        "<dd>Kort &amp; godt</dd>",
        "<dd>Tages til efterretning</dd>",
        ">&lt;img src=x&gt;.pdf</a>",
        " · &lt;25&gt; · ",
        "Svar nummer 2",
    ):
        assert shown in html, shown
    for raw in ("<img src=x>", "<25>", "Formål <i>", "<b>tekst"):
        assert raw not in html, raw
    assert "Original" not in html
