"""Issue 12, must hold 3: identical or nearly identical responses (a campaign) form one group; genuinely
different responses on the same topic do not. The secretariat moderates a group at once, and the
høringsnotat counts it once with every respondent listed."""

import random

import pytest
from django.core import mail
from django.urls import reverse
from wagtail.models import PageLogEntry

from consultations.campaigns import comparable_text, group_responses, signature
from consultations.models import HearingPage, Response, SectionComment
from tests.consultations import secretariat
from tests.consultations.drafts import traffic_draft
from tests.consultations.factories import ResponseFactory

pytestmark = pytest.mark.django_db

CAMPAIGN = (
    "Jeg er imod, at der fjernes 60 parkeringspladser på Valby Langgade. Butikkerne lever af kunder, der "
    "kommer i bil, og mange ældre kan hverken cykle eller gå langt med deres indkøb. Bevar pladserne, og "
    "find en anden løsning for cyklisterne, for eksempel på sidegaderne. Trafikplanen skal laves om, før "
    "den vedtages."
)
GREETINGS = ["Kære Teknik- og Miljøforvaltning,", "Hej,", "Til Teknik- og Miljøudvalget", "Goddag", ""]
SIGN_OFFS = ["Med venlig hilsen", "Venlig hilsen", "Mvh.", "Hilsen"]
SWAPS = [("imod", "stærkt imod"), ("mange ældre", "rigtig mange ældre"), ("Bevar", "Behold"),
         ("for eksempel", "fx"), ("skal laves om", "må laves om"), ("Butikkerne", "Forretningerne")]  # fmt: skip

DIFFERENT = [
    "Cykelstier på Valby Langgade er en god idé, men parkeringspladserne bør flyttes til sidegaderne, så "
    "butikkerne stadig kan få kunder. Tænk også på skolebørnene ved krydset ved Valby Skole.",
    "Jeg støtter planen om færre parkeringspladser på Valby Langgade. Der er alt for meget trafik i dag, og "
    "cyklister og ældre skal kunne færdes trygt. Gerne flere bænke og træer.",
]


def campaign_text(rng, name):
    text = CAMPAIGN
    for old, new in rng.sample(SWAPS, 3):  # a few words changed
        text = text.replace(old, new)
    return f"{rng.choice(GREETINGS)}\n\n{text}\n\n{rng.choice(SIGN_OFFS)}\n{name}"


@pytest.fixture
def campaign(hearing):
    rng = random.Random(12)
    members = [
        ResponseFactory(hearing=hearing, name=f"Borger {n}", text=campaign_text(rng, f"Borger {n}")) for n in range(50)
    ]
    different = [ResponseFactory(hearing=hearing, name=f"Anden {n}", text=t) for n, t in enumerate(DIFFERENT)]
    return members, different


def test_greeting_and_signature_are_not_compared():
    assert comparable_text("Hej,\nGod plan.\n\nMed venlig hilsen\nAnna Jensen") == ["god", "plan"]
    assert signature("Kære alle\nGod plan.\nHilsen Per") == signature("God plan.")


def test_fifty_near_copies_form_one_group_and_different_responses_none(hearing, campaign):
    members, different = campaign
    assert len({r.text for r in members}) > 40  # they really differ
    groups = group_responses(hearing)
    assert [g.size for g in groups] == [50]
    assert groups[0].members == sorted(r.pk for r in members)
    stored = dict(Response.objects.values_list("pk", "campaign_group"))
    assert {stored[r.pk] for r in members} == {min(r.pk for r in members)}
    assert [stored[r.pk] for r in different] == [None, None]


def test_pending_responses_are_not_grouped(hearing, campaign):
    ResponseFactory(hearing=hearing, pending=True, text=CAMPAIGN)
    assert [g.size for g in group_responses(hearing)] == [50]


def test_a_response_sent_through_the_form_stores_its_signature(client, hearing):
    client.post(
        hearing.url,
        {"name": "Anna", "email": "anna@example.org", "postcode": "2500", "respondent": "person",
         "consent": "on", "text": "Hej\n" + CAMPAIGN, "submission_key": "b" * 32},
    )  # fmt: skip
    assert bytes(Response.objects.get().text_signature) == signature(CAMPAIGN)


@pytest.fixture
def secretariat_client(client, home_page, mfa_user, hearing_index):
    valby, group = secretariat.council_with_secretariat(home_page, "Valby Lokaludvalg", "valby")
    user, _secret = mfa_user(email="valby@kommune.example")
    secretariat.join(user, group)
    client.force_login(user)
    return client, secretariat.hearing_under(valby, title="Trafikplan for Valby")


def test_moderation_shows_the_group_and_publishes_withholds_and_comments_on_all(
    secretariat_client, django_capture_on_commit_callbacks
):
    client, hearing = secretariat_client
    rng = random.Random(3)
    members = [ResponseFactory(hearing=hearing, text=campaign_text(rng, f"B {n}")) for n in range(47)]
    alone = ResponseFactory(hearing=hearing, text=DIFFERENT[0])
    url = reverse("consultations_admin_campaigns", args=[hearing.pk])
    page = client.get(url).content.decode()
    assert "47 enslydende svar" in page
    key = min(r.pk for r in members)

    assert client.post(url, {"group": key, "action": "withhold", "reason": ""}).status_code == 302
    assert not Response.objects.filter(status=Response.Status.WITHHELD).exists()  # a reason is required

    client.post(url, {"group": key, "action": "comment", "summary": "Kampagne imod færre p-pladser.",
                      "comment": "20 korttidspladser bevares."})  # fmt: skip
    assert set(
        Response.objects.filter(pk__in=[r.pk for r in members]).values_list("administration_comment", flat=True)
    ) == {"20 korttidspladser bevares."}
    client.post(url, {"group": key, "action": "publish"})
    statuses = dict(Response.objects.values_list("pk", "status"))
    assert {statuses[r.pk] for r in members} == {Response.Status.PUBLISHED}
    assert statuses[alone.pk] == Response.Status.RECEIVED
    assert PageLogEntry.objects.get(page=hearing, action="consultations.group.publish").data == {
        "group": key,
        "responses": 47,
    }

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"group": key, "action": "withhold", "reason": "Indeholder personoplysninger."})
    assert Response.objects.filter(status=Response.Status.WITHHELD).count() == 47
    assert len(mail.outbox) == 47

    listing = client.get(reverse("consultations_response:list") + f"?hearing={hearing.pk}").content.decode()
    assert "47 enslydende svar" in listing


def test_another_secretariat_cannot_see_or_moderate_the_groups(secretariat_client, home_page, mfa_user, client):
    _client, hearing = secretariat_client
    other, other_group = secretariat.council_with_secretariat(home_page, "Vesterbro Lokaludvalg", "vesterbro")
    user, _secret = mfa_user(email="vesterbro@kommune.example")
    secretariat.join(user, other_group)
    members = [ResponseFactory(hearing=hearing, text=CAMPAIGN) for _n in range(3)]
    client.force_login(user)
    url = reverse("consultations_admin_campaigns", args=[hearing.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"group": members[0].pk, "action": "publish"}).status_code == 404
    assert not Response.objects.filter(status=Response.Status.PUBLISHED).exists()


def test_the_hoeringsnotat_counts_a_group_once_and_lists_every_respondent(staff_client, hearing, campaign):
    members, _different = campaign
    for member in members:
        member.kind = "organisation"
        member.organisation_name = f"Forening {member.name}"
        member.save()
    group_responses(hearing)
    page = staff_client.get(reverse("consultations:summary_print", args=[hearing.pk]))
    assert len(page.context["entries"]) == 3
    html = page.content.decode()
    assert "(50 enslydende svar)" in html
    assert "52 (heraf en gruppe enslydende svar)" in html
    respondents = html.split('class="campaign-respondents"', 1)[1].split("</p>", 1)[0]
    assert all(f"Forening {m.name}" in respondents for m in members)


def test_the_hoeringsnotat_prints_a_campaigns_section_comment_once_with_its_count(staff_client, hearing, campaign):
    """4,000 copies of one comment on 3.2 are one line in the printed høringsnotat, not 4,000; a member who
    wrote something else on 3.2 and a response outside the group keep their own lines."""
    members, different = campaign
    HearingPage.objects.filter(pk=hearing.pk).update(draft=traffic_draft())
    hearing.refresh_from_db()
    for member in members[:-1]:
        SectionComment.objects.create(response=member, section_id="s-3-2", number="3.2", heading="Parkering",
                                      text="Behold alle parkeringspladserne.")  # fmt: skip
    SectionComment.objects.create(response=members[-1], section_id="s-3-2", number="3.2", heading="Parkering",
                                  text="Behold mindst 20 af pladserne.")  # fmt: skip
    SectionComment.objects.create(response=different[0], section_id="s-3-2", number="3.2", heading="Parkering",
                                  text="Flyt pladserne til sidegaderne.")  # fmt: skip
    Response.objects.update(status=Response.Status.PUBLISHED)
    group_responses(hearing)
    head = min(m.pk for m in members)
    html = staff_client.get(reverse("consultations:summary_print", args=[hearing.pk])).content.decode()
    part = html.split('id="notat-afsnit-3-2"', 1)[1].split("</section>", 1)[0]
    assert part.count("Behold alle parkeringspladserne.") == 1
    assert f"(samme kommentar i 49 enslydende svar, se svar {head:04d})" in part
    assert "Behold mindst 20 af pladserne." in part and "Flyt pladserne til sidegaderne." in part
    assert part.count("<li>") == 3
    respondents = html.split('class="campaign-respondents"', 1)[1].split("</p>", 1)[0]
    assert all(f"<bdi>{m.name}</bdi> ({m.pk:04d})" in respondents for m in members)


def test_pages_regroup_when_a_response_arrives_or_is_erased(secretariat_client):
    client, hearing = secretariat_client
    rng = random.Random(5)
    members = [ResponseFactory(hearing=hearing, text=campaign_text(rng, f"B {n}")) for n in range(5)]
    url = reverse("consultations_admin_campaigns", args=[hearing.pk])
    assert "5 enslydende svar" in client.get(url).content.decode()
    late = ResponseFactory(hearing=hearing, text=campaign_text(rng, "Sen"))
    assert "6 enslydende svar" in client.get(url).content.decode()
    late.erase_personal_data(delete_files=False)
    members[0].erase_personal_data(delete_files=False)
    assert "4 enslydende svar" in client.get(url).content.decode()
    Response.objects.filter(pk=members[1].pk).delete()
    assert "3 enslydende svar" in client.get(url).content.decode()
