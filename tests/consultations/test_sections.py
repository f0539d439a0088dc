"""Issue 12: a draft by chapters and numbered sections that respondents comment on section by section."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from consultations.models import Response
from consultations.sections import SectionComment, SectionNote, draft_chapters
from tests.consultations.drafts import chapter, section, traffic_draft
from tests.consultations.factories import ResponseFactory

pytestmark = pytest.mark.django_db


def form_data(**extra):
    data = {
        "name": "Amira Hassan",
        "email": "amira@example.org",
        "postcode": "2500",
        "respondent": "person",
        "consent": "on",
        "text": "",
        "submission_key": "a" * 32,
    }
    data.update(extra)
    return data


def test_sections_are_numbered_by_chapter_with_anchors(sectioned):
    chapters = draft_chapters(sectioned.draft)
    assert [c.heading for c in chapters] == ["Indledning", "Cykler og gående", "Biler"]
    numbers = [(s.number, s.heading, s.anchor, s.id) for c in chapters for s in c.sections]
    assert numbers == [
        ("1.1", "Formål", "afsnit-1-1", "s-1-1"),
        ("2.1", "Cykelstier", "afsnit-2-1", "s-2-1"),
        ("2.2", "Skoleveje", "afsnit-2-2", "s-2-2"),
        ("3.1", "Hastighed", "afsnit-3-1", "s-3-1"),
        ("3.2", "Parkering", "afsnit-3-2", "s-3-2"),
    ]


def test_page_shows_a_comment_link_per_section_to_the_form_with_the_section_preselected(client, sectioned):
    page = client.get(sectioned.url).content.decode()
    assert 'id="afsnit-3-2"' in page
    assert 'href="?afsnit=s-3-2#kommentar-s-3-2"' in page
    assert ">Kommentér afsnit 3.2</a>" in page
    assert 'id="kommentar-s-3-2" hidden' in page  # closed until asked for
    preselected = client.get(sectioned.url + "?afsnit=s-3-2").content.decode()
    assert 'id="kommentar-s-3-2" hidden' not in preselected
    assert 'id="kommentar-s-3-2"' in preselected
    assert 'id="kommentar-s-2-1" hidden' in preselected
    assert "Din kommentar til afsnit 3.2 Parkering" in preselected


def test_response_with_two_section_comments_and_a_general_text_is_stored_with_numbers(client, sectioned):
    answer = client.post(
        sectioned.url,
        form_data(
            **{"afsnit_s-2-1": "Gerne bredere cykelstier.", "afsnit_s-3-2": "Behold 20 pladser.", "text": "Godt."}
        ),
    )
    assert answer.status_code == 302
    response = Response.objects.get()
    assert response.text == "Godt."
    comments = [(c.section_id, c.number, c.heading, c.text) for c in response.section_comments.order_by("number")]
    assert comments == [
        ("s-2-1", "2.1", "Cykelstier", "Gerne bredere cykelstier."),
        ("s-3-2", "3.2", "Parkering", "Behold 20 pladser."),
    ]


def test_section_comments_alone_are_a_response(client, sectioned):
    assert client.post(sectioned.url, form_data(**{"afsnit_s-3-2": "Behold pladserne."})).status_code == 302
    assert Response.objects.get().section_comments.get().number == "3.2"


def test_nothing_written_is_refused_in_danish_and_the_typed_fields_are_kept(client, sectioned):
    answer = client.post(sectioned.url, form_data(name="Amira Hassan"))
    assert answer.status_code == 200
    page = answer.content.decode()
    assert "Skriv dine bemærkninger, eller kommentér mindst ét afsnit af udkastet." in page
    assert 'value="Amira Hassan"' in page
    assert not Response.objects.exists()


def test_a_too_long_section_comment_is_refused_and_its_field_stays_open(client, sectioned):
    answer = client.post(sectioned.url, form_data(**{"afsnit_s-2-1": "x" * 5001}))
    page = answer.content.decode()
    assert "Kommentaren må højst være på 5000 tegn" in page
    assert 'id="kommentar-s-2-1" hidden' not in page
    assert not Response.objects.exists()


def test_published_comments_appear_under_their_sections(client, sectioned):
    response = ResponseFactory(hearing=sectioned, name="Rasmus Friis", text="", published=True)
    SectionComment.objects.create(
        response=response, section_id="s-3-2", number="3.2", heading="Parkering", text="Nej tak."
    )
    hidden = ResponseFactory(hearing=sectioned, name="Ikke Offentlig", text="")
    SectionComment.objects.create(
        response=hidden, section_id="s-3-2", number="3.2", heading="Parkering", text="Skjult."
    )
    page = client.get(sectioned.url).content.decode()
    section_html = page.split('id="afsnit-3-2"', 1)[1].split("</section>", 1)[0]
    assert "1 kommentar til afsnit 3.2" in section_html
    assert "Rasmus Friis" in section_html and "Nej tak." in section_html
    assert "Skjult." not in page
    assert "Kommentar til afsnit 3.2 Parkering" in page  # in the response itself, in the list


def edit_draft(hearing, draft):
    hearing.draft = draft
    hearing.save_revision().publish()
    hearing.refresh_from_db()


def test_export_has_one_row_per_section_comment_and_keeps_numbers_after_the_draft_is_edited(
    client, staff_client, sectioned
):
    client.post(
        sectioned.url,
        form_data(**{"afsnit_s-2-1": "Bredere stier.", "afsnit_s-3-2": "Behold pladser.", "text": "Generelt godt."}),
    )
    Response.objects.update(status=Response.Status.RECEIVED)
    # Between rounds a new section is put first in chapter 2 and 3.2's text is rewritten:
    # 2.1 »Cykelstier« becomes 2.2, but the comments keep the numbers they were written for.
    draft = traffic_draft()
    draft[1]["value"]["sections"].insert(0, section("s-new", "Nyt afsnit", "Helt ny tekst."))
    draft[2]["value"]["sections"][1]["value"]["text"] = "<p>Der nedlægges 40 pladser.</p>"
    edit_draft(sectioned, draft)
    assert [s.number for c in draft_chapters(sectioned.draft) for s in c.sections if s.id == "s-2-1"] == ["2.2"]

    answer = staff_client.get(reverse("consultations_admin_xlsx", args=[sectioned.pk]))
    sheet = load_workbook(io.BytesIO(b"".join(answer.streaming_content))).active
    rows = [[cell.value or "" for cell in row] for row in sheet.iter_rows()]
    header = rows[0]
    number, heading, text = header.index("Afsnit nr."), header.index("Afsnit"), header.index("Høringssvar")
    body = [(r[number], r[heading], r[text]) for r in rows[1:]]
    assert body == [
        ("", "", "Generelt godt."),
        ("2.1", "Cykelstier", "Bredere stier."),
        ("3.2", "Parkering", "Behold pladser."),
    ]


def test_comments_keep_their_section_when_it_moves_and_the_page_groups_them_there(client, sectioned):
    response = ResponseFactory(hearing=sectioned, text="", published=True)
    SectionComment.objects.create(response=response, section_id="s-2-1", number="2.1", heading="Cykelstier", text="Ja!")
    draft = traffic_draft()
    draft[1]["value"]["sections"].insert(0, section("s-new", "Nyt afsnit", "Ny."))
    edit_draft(sectioned, draft)
    page = client.get(sectioned.url).content.decode()
    moved = page.split('id="afsnit-2-2"', 1)[1].split("</section>", 1)[0]
    assert "Cykelstier" in moved and "Ja!" in moved


def test_summary_groups_comments_by_section_with_the_administrations_note(staff_client, sectioned):
    published = ResponseFactory(hearing=sectioned, name="Rasmus Friis", text="", published=True)
    SectionComment.objects.create(
        response=published, section_id="s-3-2", number="3.2", heading="Parkering", text="Nej."
    )
    withheld = ResponseFactory(hearing=sectioned, name="Skjult Person", text="", status=Response.Status.WITHHELD)
    SectionComment.objects.create(
        response=withheld, section_id="s-3-2", number="3.2", heading="Parkering", text="Hemmelig."
    )
    url = reverse("consultations_admin_summary", args=[sectioned.pk])
    page = staff_client.get(url)
    notes = page.context["section_notes"]
    assert [f.instance.number for f in notes] == ["1.1", "2.1", "2.2", "3.1", "3.2"]
    assert [f.comment_count for f in notes][-1] == 2
    data = {
        "svar-TOTAL_FORMS": "2",
        "svar-INITIAL_FORMS": "2",
        "afsnit-TOTAL_FORMS": "5",
        "afsnit-INITIAL_FORMS": "5",
        "save": "1",
    }
    for index, response in enumerate(page.context["formset"].queryset):
        data[f"svar-{index}-id"] = str(response.pk)
    for index, form in enumerate(notes):
        data[f"afsnit-{index}-id"] = str(form.instance.pk)
        data[f"afsnit-{index}-administration_comment"] = "20 pladser bevares." if form.instance.number == "3.2" else ""
    assert staff_client.post(url, data).status_code == 302
    assert (
        SectionNote.objects.get(hearing=sectioned, section_id="s-3-2").administration_comment == "20 pladser bevares."
    )

    printed = staff_client.get(reverse("consultations:summary_print", args=[sectioned.pk])).content.decode()
    part = printed.split('id="notat-afsnit-3-2"', 1)[1].split("</section>", 1)[0]
    assert "Afsnit 3.2 Parkering" in part
    assert "Rasmus Friis" in part and "Nej." in part
    assert "20 pladser bevares." in part
    assert "Hemmelig." not in printed  # a withheld response's words are not printed


def test_erasing_a_persons_data_empties_their_section_comments(sectioned):
    response = ResponseFactory(hearing=sectioned, text="")
    SectionComment.objects.create(
        response=response, section_id="s-3-2", number="3.2", heading="Parkering", text="Mit navn er …"
    )
    response.erase_personal_data()
    assert list(SectionComment.objects.values_list("number", "text")) == [("3.2", "")]


def test_a_chapter_helper_makes_valid_stream_data():
    assert chapter("X", section("a", "", "t"))["value"]["sections"][0]["id"] == "a"
