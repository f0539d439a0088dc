"""Issue 12: required consultees. Rules name who must be heard; publishing names the missing ones,
a »require« rule blocks publication until the party is added or a reason is written (logged and
printed in the høringsnotat). Must hold 5 for rules: a secretariat keeps its own council's rules,
an administrator the cross-council rules, per role."""

import io
from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.management import call_command
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageLogEntry, Revision
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from consultations.admin_rules import check_required_consultees
from consultations.models import ConsulteeOmission, ConsulteeRule, HearingPage, Invitation, MatterKind
from consultations.permissions import can_change_consultee_rule, consultee_rules_for_user
from consultations.rules import RequiredConsulteesMissing, RuleMode, missing_consultees
from councils.models import CouncilKind, HearingParty, PartyKind
from tests.consultations import secretariat
from tests.consultations.factories import HearingListFactory

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "citizen", "own_secretariat", "other_secretariat", "superuser"]


@pytest.fixture
def councils(home_page):
    valby, valby_group = secretariat.council_with_secretariat(home_page, "Valby Lokaludvalg", "valby")
    technical, technical_group = secretariat.council_with_secretariat(
        home_page, "Teknik- og Miljøudvalget", "teknik", kind=CouncilKind.OTHER
    )
    disability, _group = secretariat.council_with_secretariat(
        home_page, "Handicaprådet", "handicapraadet", kind=CouncilKind.DISABILITY
    )
    return {"valby": valby, "valby_group": valby_group, "technical": technical, "technical_group": technical_group,
            "disability": disability}  # fmt: skip


@pytest.fixture
def valby_rule(councils):
    return ConsulteeRule.objects.create(consultee_council=councils["valby"], area="valby", mode=RuleMode.REQUIRE)


def traffic_hearing(councils, **fields):
    fields.setdefault("area", "valby")
    fields.setdefault("matter_kind", MatterKind.TRAFFIC)
    return secretariat.hearing_under(councils["technical"], **fields)


def valby_list(councils):
    hearing_list = HearingListFactory(name="Høringsliste: Valby")
    HearingParty.objects.create(
        hearing_list=hearing_list, name="Valby Lokaludvalg", kind=PartyKind.COUNCIL,
        email="valby@kommune.example", council=councils["valby"],
    )  # fmt: skip
    return hearing_list


def test_a_district_hearing_without_its_lokaludvalg_names_it(councils, valby_rule):
    hearing = traffic_hearing(councils)
    assert [(m.name, m.required) for m in missing_consultees(hearing)] == [("Valby Lokaludvalg", True)]


def test_the_lokaludvalg_on_a_list_or_invited_meets_the_rule(councils, valby_rule):
    hearing = traffic_hearing(councils)
    hearing_list = valby_list(councils)
    hearing.hearing_lists.add(hearing_list)
    assert missing_consultees(hearing) == []
    hearing.hearing_lists.clear()
    Invitation.objects.create(hearing=hearing, party=hearing_list.parties.get(), email="valby@kommune.example")
    assert missing_consultees(hearing) == []


def test_rules_match_on_every_criterion_that_is_set(councils, valby_rule):
    other_district = traffic_hearing(councils, area="vesterbro")
    assert missing_consultees(other_district) == []
    topic_rule = ConsulteeRule.objects.create(consultee_name="Cyklistforbundet", topic="Cykler", mode=RuleMode.WARN)
    hearing = traffic_hearing(councils, area="vesterbro")
    assert missing_consultees(hearing) == []
    hearing.topics.add("cykler")
    hearing.save()
    assert [(m.name, m.required) for m in missing_consultees(hearing)] == [("Cyklistforbundet", False)]
    disability_rule = ConsulteeRule.objects.create(
        consultee_council=councils["disability"], matter_kind=MatterKind.DISABILITY
    )
    assert disability_rule.describe() == "Sagsområde: Handicap"
    assert "Handicaprådet" not in [m.name for m in missing_consultees(hearing)]
    hearing.matter_kind = MatterKind.DISABILITY
    assert [m.name for m in missing_consultees(hearing)] == ["Handicaprådet", "Cyklistforbundet"]
    topic_rule.active = False
    topic_rule.save()
    assert [m.name for m in missing_consultees(hearing)] == ["Handicaprådet"]


def test_a_councils_own_rule_applies_only_to_its_own_hearings(councils, home_page):
    ConsulteeRule.objects.create(owner=councils["technical"], consultee_name="Dansk Cyklist Forbund")
    assert [m.name for m in missing_consultees(traffic_hearing(councils))] == ["Dansk Cyklist Forbund"]
    elsewhere = secretariat.hearing_under(councils["valby"], title="Valbys egen høring", area="valby")
    assert missing_consultees(elsewhere) == []


def publish_request(user):
    request = RequestFactory().post("/admin/pages/1/edit/")
    request.user = user
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def test_publishing_is_blocked_with_the_rule_named_until_a_reason_is_written(councils, valby_rule, mfa_user):
    user, _secret = mfa_user(email="teknik@kommune.example")
    hearing = traffic_hearing(councils)
    request = publish_request(user)
    refused = check_required_consultees(request, hearing)
    assert refused.status_code == 302
    assert refused.url == reverse("wagtailadmin_pages:edit", args=[hearing.pk])
    (message,) = [str(m) for m in get_messages(request)]
    assert message.startswith("Høringen er ikke udgivet: Valby Lokaludvalg skal høres")
    assert "Område: Valby" in message
    assert message.endswith(
        "»Begrundelse for at udelade obligatoriske høringsparter«. Dine ændringer er gemt som kladde."
    )
    assert not ConsulteeOmission.objects.exists()

    hearing.omitted_consultees_reason = "Lokaludvalget er hørt i forvejen på et borgermøde."
    request = publish_request(user)
    assert check_required_consultees(request, hearing) is None
    assert [str(m) for m in get_messages(request)] == [
        "Udgivet uden Valby Lokaludvalg. Begrundelsen står i høringsnotatet."
    ]
    assert not ConsulteeOmission.objects.exists()  # recorded by the publication, which follows the check
    hearing.save_revision().publish()
    omission = ConsulteeOmission.objects.get()
    assert (omission.consultee, omission.mode, omission.reason) == (
        "Valby Lokaludvalg",
        RuleMode.REQUIRE,
        "Lokaludvalget er hørt i forvejen på et borgermøde.",
    )
    entry = PageLogEntry.objects.get(page=hearing, action="consultations.consultees_omitted")
    assert entry.data == {"consultees": ["Valby Lokaludvalg"], "reason": omission.reason}


def test_a_warn_rule_names_the_party_but_publishes(councils, mfa_user):
    ConsulteeRule.objects.create(consultee_council=councils["valby"], area="valby", mode=RuleMode.WARN)
    user, _secret = mfa_user(email="teknik@kommune.example")
    request = publish_request(user)
    assert check_required_consultees(request, traffic_hearing(councils)) is None
    (message,) = [str(m) for m in get_messages(request)]
    assert "Valby Lokaludvalg bør høres" in message


def test_adding_the_party_later_clears_the_recorded_omission(councils, valby_rule, mfa_user):
    user, _secret = mfa_user(email="teknik@kommune.example")
    hearing = traffic_hearing(councils, omitted_consultees_reason="Hastesag.")
    hearing.save_revision().publish()
    assert ConsulteeOmission.objects.count() == 1
    hearing.hearing_lists.add(valby_list(councils))
    assert check_required_consultees(publish_request(user), hearing) is None
    hearing.save_revision().publish()
    assert not ConsulteeOmission.objects.exists()


def test_the_reason_is_printed_in_the_hoeringsnotat(staff_client, councils, valby_rule):
    hearing = traffic_hearing(councils, omitted_consultees_reason="Hastesag efter påbud fra Vejdirektoratet.")
    hearing.save_revision().publish()
    page = staff_client.get(reverse("consultations:summary_print", args=[hearing.pk])).content.decode()
    part = page.split('id="omissions-heading"', 1)[1].split("</section>", 1)[0]
    assert "Valby Lokaludvalg" in part
    assert "Begrundelse: Hastesag efter påbud fra Vejdirektoratet." in part


def test_demo_rules_and_hearings_match(home_page):
    import io

    from consultations import demo
    from consultations.models import HearingPage
    from councils import demo as councils_demo

    councils_demo.load(home_page, stdout=io.StringIO())
    demo.load(home_page, stdout=io.StringIO())
    rules = {(r.consultee, r.area, r.matter_kind) for r in ConsulteeRule.objects.all()}
    assert ("Valby Lokaludvalg", "valby", "") in rules
    assert ("Integrationsrådet", "", MatterKind.INTEGRATION) in rules
    assert ("Handicaprådet", "", MatterKind.DISABILITY) in rules
    assert len([r for r in rules if r[0].endswith("Lokaludvalg")]) == 12
    traffic = HearingPage.objects.get(slug="trafikplan-for-valby-2026")
    assert [h.name for h in traffic.hearing_lists.all()] == [demo.VALBY_LIST]
    for hearing in HearingPage.objects.all():
        assert missing_consultees(hearing) == [], hearing.title


# --- Must hold 5: who keeps which rules ----------------------------------------------------------


@pytest.fixture
def roles(councils, make_roles):
    return make_roles(councils["technical"], councils["valby"], "teknik@kommune.example", "valby@kommune.example")


@pytest.fixture
def rules(councils):
    own = ConsulteeRule.objects.create(owner=councils["technical"], consultee_name="Dansk Cyklist Forbund")
    cross = ConsulteeRule.objects.create(consultee_council=councils["valby"], area="valby")
    return {"own": own, "cross": cross}


@pytest.mark.parametrize("role", ROLES)
def test_rule_permissions_per_role(roles, rules, role):
    user = roles[role]
    may_own = role in {"own_secretariat", "superuser"}
    assert can_change_consultee_rule(user, rules["own"]) is may_own
    assert can_change_consultee_rule(user, rules["cross"]) is (role == "superuser")
    visible = set(consultee_rules_for_user(user))
    expected = {"superuser": {rules["own"], rules["cross"]}, "own_secretariat": {rules["own"]}}.get(role, set())
    assert visible == expected


@pytest.mark.parametrize("role", ROLES)
def test_rule_edit_views_per_role(client, roles, rules, role):
    if role != "anonymous":
        client.force_login(roles[role])
    own_url = reverse("consultations_rule:edit", args=[rules["own"].pk])
    cross_url = reverse("consultations_rule:edit", args=[rules["cross"].pk])
    own, cross = client.get(own_url), client.get(cross_url)
    if role == "anonymous":
        assert own.status_code == cross.status_code == 302
        assert own.url == "/konto/login/?next=" + own_url
    elif role == "citizen":  # no admin: sent to the two-factor gate, never to the rule
        assert own.status_code == cross.status_code == 302
        assert own.url.startswith("/konto/2fa/")
    elif role == "other_secretariat":
        assert own.status_code == cross.status_code == 404
    elif role == "own_secretariat":
        assert own.status_code == 200
        assert cross.status_code == 404
    else:
        assert own.status_code == cross.status_code == 200


def rule_form(owner=""):
    data = dict.fromkeys(["consultee_council", "topic", "area", "issuing_council", "basis"], "")
    return {**data, "owner": owner, "consultee_name": "Ældrerådet", "matter_kind": "elderly", "mode": "require",
            "active": "on"}  # fmt: skip


def test_a_secretariat_adds_rules_for_its_own_council_only(client, roles, councils):
    client.force_login(roles["own_secretariat"])
    add = reverse("consultations_rule:add")
    cross = client.post(add, rule_form())
    assert cross.status_code == 200
    assert not ConsulteeRule.objects.filter(consultee_name="Ældrerådet").exists()
    other = client.post(add, rule_form(owner=councils["valby"].pk))
    assert other.status_code == 200
    assert not ConsulteeRule.objects.filter(consultee_name="Ældrerådet").exists()
    own = client.post(add, rule_form(owner=councils["technical"].pk))
    assert own.status_code == 302
    assert ConsulteeRule.objects.get(consultee_name="Ældrerådet").owner == councils["technical"]


def test_an_administrator_adds_a_cross_council_rule(client, roles):
    client.force_login(roles["superuser"])
    assert client.post(reverse("consultations_rule:add"), rule_form()).status_code == 302
    assert ConsulteeRule.objects.get(consultee_name="Ældrerådet").owner is None


def test_anonymous_user_object_is_refused():
    assert consultee_rules_for_user(AnonymousUser()).count() == 0


# --- Publishing outside the editor: revision.publish(), scheduled publishing, bulk actions ---------------


def unpublished_traffic_hearing(councils, **fields):
    hearing = traffic_hearing(councils, **fields)
    hearing.unpublish(log_action=False)
    hearing.refresh_from_db()
    return hearing


def test_publishing_a_revision_in_code_is_refused_without_the_lokaludvalg(councils, valby_rule):
    hearing = unpublished_traffic_hearing(councils)
    revision = hearing.save_revision()
    with pytest.raises(RequiredConsulteesMissing, match="Valby Lokaludvalg skal høres"):
        revision.publish()
    hearing.refresh_from_db()
    assert (hearing.live, hearing.live_revision_id) == (False, None)
    assert not ConsulteeOmission.objects.exists()

    hearing.omitted_consultees_reason = "Hørt på borgermøde."
    hearing.save_revision().publish()
    hearing.refresh_from_db()
    assert hearing.live
    assert list(ConsulteeOmission.objects.values_list("consultee", "reason")) == [
        ("Valby Lokaludvalg", "Hørt på borgermøde.")
    ]


def test_the_editors_check_and_the_publication_log_the_omission_once(councils, valby_rule, mfa_user):
    user, _secret = mfa_user(email="teknik@kommune.example")
    secretariat.join(user, councils["technical_group"])
    hearing = unpublished_traffic_hearing(councils, omitted_consultees_reason="Hastesag.")
    assert check_required_consultees(publish_request(user), hearing) is None  # what the editor runs first
    hearing.save_revision(user=user).publish(user=user)
    assert PageLogEntry.objects.filter(page=hearing, action="consultations.consultees_omitted").count() == 1


def test_a_list_in_the_revision_meets_the_rule(councils, valby_rule):
    hearing = unpublished_traffic_hearing(councils)
    hearing.hearing_lists.add(valby_list(councils))
    hearing.save_revision().publish()
    hearing.refresh_from_db()
    assert hearing.live


def test_scheduled_publishing_refuses_the_hearing_and_publishes_the_others(councils, _fixed_clock):
    now = timezone.now()
    blocked = unpublished_traffic_hearing(councils, title="Trafikplan for Valby")
    other = unpublished_traffic_hearing(councils, title="Trafikplan for Amager", area="amager-vest")
    for page in (blocked, other):
        page.go_live_at = now + timedelta(hours=1)
        page.save_revision().publish()  # scheduled: no rule yet, so nothing is missing
    assert Revision.objects.filter(approved_go_live_at__isnull=False).count() == 2
    ConsulteeRule.objects.create(consultee_council=councils["valby"], area="valby", mode=RuleMode.REQUIRE)
    _fixed_clock.shift(timedelta(hours=2))  # the time has come

    call_command("publish_scheduled", stdout=io.StringIO())

    blocked.refresh_from_db()
    other.refresh_from_db()
    assert (blocked.live, other.live) == (False, True)
    assert not Revision.objects.filter(approved_go_live_at__isnull=False).exists()  # not retried every run
    entry = PageLogEntry.objects.get(page=blocked, action="consultations.publish_refused")
    assert entry.data["consultees"] == ["Valby Lokaludvalg"]


def test_bulk_publishing_is_refused_with_the_hearing_named(staff_client, councils, valby_rule):
    hearing = unpublished_traffic_hearing(councils, title="Trafikplan for Valby")
    hearing.save_revision()
    url = reverse("wagtail_bulk_action", args=("wagtailcore", "page", "publish")) + f"?id={hearing.pk}&next=/admin/"
    answer = staff_client.post(url, {"include_descendants": ""}, follow=True)
    assert answer.status_code == 200
    (message,) = [str(m) for m in answer.context["messages"]]
    assert message.startswith("Intet er udgivet.")
    assert "Trafikplan for Valby: Valby Lokaludvalg" in message
    hearing.refresh_from_db()
    assert not hearing.live


def _hearing_form(**fields):
    """What the hearing's create/edit form posts (wagtail.test.utils.form_data builds the streams and formsets)."""
    now = timezone.localtime()
    return nested_form_data(
        {
            "title": "Trafik på Valby Langgade",
            "slug": "trafik-paa-valby-langgade",
            "opens_at": (now - timedelta(hours=1)).strftime("%Y-%m-%d %H:%M"),
            "closes_at": (now + timedelta(days=21)).strftime("%Y-%m-%d %H:%M"),
            "body": streamfield([]),
            "draft": streamfield([]),
            "summary_body": streamfield([]),
            "documents": inline_formset([]),
            "comments": inline_formset([]),
            "area": "valby",
            "matter_kind": MatterKind.TRAFFIC,
            "publication_rule": "while_open",
            **fields,
        }
    )


def test_a_new_hearing_refused_on_its_first_publication_stays_off_the_site(client, councils, valby_rule, mfa_user):
    """Wagtail's create view adds a page it is about to publish as live before the before-publish check:
    a refused new hearing must be left a draft, not be on the site (with »Udgiv« pressed before the
    editor's autosave has made a draft of it)."""
    user, _secret = mfa_user(email="teknik@kommune.example")
    secretariat.join(user, councils["technical_group"])
    client.force_login(user)
    add_url = reverse("wagtailadmin_pages:add", args=["consultations", "hearingpage", councils["technical"].pk])
    answer = client.post(add_url, _hearing_form(**{"action-publish": "action-publish"}))
    hearing = HearingPage.objects.get(slug="trafik-paa-valby-langgade")
    assert answer.status_code == 302
    assert answer["Location"] == reverse("wagtailadmin_pages:edit", args=[hearing.pk])
    (message,) = [str(m) for m in get_messages(answer.wsgi_request)]
    assert message.startswith("Høringen er ikke udgivet: Valby Lokaludvalg skal høres")
    assert (hearing.live, hearing.live_revision_id, hearing.first_published_at) == (False, None, None)
    assert hearing.has_unpublished_changes
    client.logout()
    assert client.get(hearing.url).status_code == 404


def test_publishing_from_the_edit_page_with_a_reason_records_and_logs_it_once(client, councils, valby_rule, mfa_user):
    """Wagtail's edit view publishes without HearingPage.publish: the omission and its reason must still be
    stored (for the høringsnotat), with who published, and logged once."""
    user, _secret = mfa_user(email="teknik@kommune.example")
    secretariat.join(user, councils["technical_group"])
    client.force_login(user)
    add_url = reverse("wagtailadmin_pages:add", args=["consultations", "hearingpage", councils["technical"].pk])
    client.post(add_url, _hearing_form())  # saved as a draft
    hearing = HearingPage.objects.get(slug="trafik-paa-valby-langgade")
    edit_url = reverse("wagtailadmin_pages:edit", args=[hearing.pk])
    publish = {"action-publish": "action-publish", "omitted_consultees_reason": "Hørt på et borgermøde i oktober."}
    answer = client.post(edit_url, _hearing_form(**publish))
    assert answer.status_code == 302
    told = [str(m) for m in get_messages(answer.wsgi_request)]
    assert "Udgivet uden Valby Lokaludvalg. Begrundelsen står i høringsnotatet." in told
    assert HearingPage.objects.get(pk=hearing.pk).live
    omission = ConsulteeOmission.objects.get(hearing=hearing)
    assert (omission.consultee, omission.reason, omission.recorded_by) == (
        "Valby Lokaludvalg",
        "Hørt på et borgermøde i oktober.",
        user,
    )
    client.post(edit_url, _hearing_form(**publish))  # published again, nothing new to record
    assert PageLogEntry.objects.filter(page=hearing, action="consultations.consultees_omitted").count() == 1
    printed = client.get(reverse("consultations:summary_print", args=[hearing.pk])).content.decode()
    assert "Hørt på et borgermøde i oktober." in printed
