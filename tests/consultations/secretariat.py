"""Builders for the secretariat tests: councils with their secretariat group, hearings under them.

The group is the one the councils app makes with each council page (councils.signals), with the
permissions the app gives it: the tests see what a real secretariat sees.
"""

from consultations.models import ConsulteeRule, MatterKind
from consultations.rules import RuleMode
from core.demo import get_or_create_child
from councils.models import CouncilIndexPage, CouncilKind, CouncilPage, HearingList, HearingParty, PartyKind
from tests.consultations.factories import HearingFactory
from tests.councils.factories import secretariat_group


def council_index(home_page):
    index, _created = get_or_create_child(home_page, CouncilIndexPage, "raad-og-udvalg", title="Råd og udvalg")
    return index


def council_with_secretariat(home_page, title, slug, kind=CouncilKind.LOCAL):
    council, _created = get_or_create_child(council_index(home_page), CouncilPage, slug, title=title, kind=kind)
    return council, secretariat_group(council)


def join(user, group):
    user.groups.add(group)
    return user


def hearing_under(council, **fields):
    return HearingFactory(parent=council, **fields)


def hearing_list(name, parties, council=None):
    """A hearing list with parties given as (name, email) or (name, email, active)."""
    hl = HearingList.objects.create(name=name, council=council)
    for entry in parties:
        party_name, email, active = (*entry, True)[:3]
        HearingParty.objects.create(
            hearing_list=hl, name=party_name, email=email, kind=PartyKind.ORGANISATION, active=active
        )
    return hl


def manual_response_data(hearing, **overrides):
    """What the admin's »Tilføj høringssvar« form posts for a letter from a private person."""
    data = {
        "hearing": hearing.pk,
        "name": "Grethe Brev",
        "email": "grethe@example.org",
        "postcode": "2500",
        "district": "valby",
        "kind": PartyKind.PERSON,
        "organisation_name": "",
        "party": "",
        "text": "Modtaget som brev tre dage efter fristen.",
    }
    data.update(overrides)
    return data


def hearing_submitted_without_required_consultee(home_page, mfa_user, basis, title, **hearing_fields):
    """A Valby traffic hearing (``title``) that Teknik- og Miljøudvalget's editor has submitted for
    approval without Valby Lokaludvalg, whom a »require« rule (``basis``) names; the lokaludvalg's own
    hearing list exists but is not on the hearing. The approver is in the council's secretariat.

    Returns hearing (as submitted), revision, approver, approver_secret and lokaludvalg (the list)."""
    council, approvers = council_with_secretariat(
        home_page, "Teknik- og Miljøudvalget", "teknik-og-miljoe", kind=CouncilKind.OTHER
    )
    valby, _group = council_with_secretariat(home_page, "Valby Lokaludvalg", "lokaludvalg-valby")
    ConsulteeRule.objects.create(consultee_council=valby, area="valby", mode=RuleMode.REQUIRE, basis=basis)
    editor, _secret = mfa_user(email="redaktoer@kommune.example")
    editor.groups.add(council.secretariat.editors)
    approver, approver_secret = mfa_user(email="kontorchef@kommune.example")
    approver.groups.add(approvers)
    traffic = hearing_list("Høringsliste: trafik", [("Cyklistforbundet", "cykel@example.org")])
    lokaludvalg = hearing_list("Høringsliste: Valby Lokaludvalg", [])
    HearingParty.objects.create(
        hearing_list=lokaludvalg, name="Valby Lokaludvalg", email="valby@kommune.example",
        kind=PartyKind.COUNCIL, council=valby,
    )  # fmt: skip
    hearing = hearing_under(
        council, title=title, live=False, area="valby", matter_kind=MatterKind.TRAFFIC, **hearing_fields
    )
    hearing.hearing_lists.add(traffic)
    revision = hearing.save_revision(user=editor)
    council.get_workflow().start(hearing, editor)
    return {
        "hearing": hearing,
        "revision": revision,
        "approver": approver,
        "approver_secret": approver_secret,
        "lokaludvalg": lokaludvalg,
    }
