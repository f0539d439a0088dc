"""Demo surveys: the job centre's satisfaction survey run in 2025 and 2026 (for the comparison),
an open citizens' survey on the integration policy with conditional questions, and a panel
survey of a user panel. Idempotent: pages are looked up by slug, answers added only once. All
people and answers are invented. Also a quick poll on the home page (core.polls) with some votes."""

import random
from datetime import timedelta

from django.utils import timezone

from core.demo import get_or_create_child, reporter
from core.polls import QuickPollCount
from councils.models import CouncilKind, CouncilPage

from .choices import Access
from .models import SurveyIndexPage, SurveyPage
from .responses import SurveyPanel, SurveyPanelMember, SurveyParticipation, SurveyResponse, flush_pending, store_answers


def _q(kind, key, text, required=True, show_if=("", ""), **extra):
    value = {"key": key, "text": text, "help_text": extra.pop("help_text", ""), "required": required}
    value["show_if_question"], value["show_if_answer"] = show_if
    value.update(extra)
    return {"type": kind, "value": value}


def _section(title, intro=""):
    return {"type": "section", "value": {"title": title, "intro": intro}}


SATISFACTION = [
    _section("Din kontakt med jobcentret"),
    _q(
        "single",
        "kontakt",
        "Hvordan har du mest været i kontakt med jobcentret?",
        options=["Møde", "Telefon", "Digitalt"],
    ),
    _q(
        "scale",
        "tilfreds",
        "Hvor tilfreds er du samlet set med jobcentret?",
        scale_min=1,
        scale_max=5,
        min_label="Meget utilfreds",
        max_label="Meget tilfreds",
        dont_know=True,
    ),
    _section("Din sagsbehandler"),
    _q(
        "matrix",
        "udsagn",
        "Hvor enig er du i udsagnene?",
        statements=["Jeg blev mødt med respekt", "Jeg fik svar til tiden", "Min plan giver mening for mig"],
        options=["Enig", "Hverken eller", "Uenig"],
    ),
    _q(
        "multiple",
        "hjalp",
        "Hvad har hjulpet dig mest?",
        options=["Samtaler", "Kurser", "Praktik", "Løntilskud"],
        min_choices=1,
        max_choices=2,
    ),
    _q("text", "forbedring", "Hvad kan jobcentret gøre bedre?", required=False, max_length=1000),
]

INTEGRATION = [
    _section("Om dig"),
    _q("single", "bor", "Bor du i kommunen?", options=["Ja", "Nej"]),
    _q(
        "single",
        "bydel",
        "Hvilken del af kommunen bor du i?",
        options=["Nord", "Syd", "Øst", "Vest", "Centrum"],
        show_if=("bor", "Ja"),
    ),
    _q("number", "aar", "Hvor mange år har du boet i Danmark?", required=False, min_value="0", max_value="100"),
    _section("Integrationspolitikken"),
    _q(
        "scale",
        "vigtig",
        "Hvor vigtigt er danskundervisning for dig?",
        scale_min=1,
        scale_max=5,
        min_label="Ikke vigtigt",
        max_label="Meget vigtigt",
        dont_know=False,
    ),
    _q("single", "forening", "Er du med i en forening?", options=["Ja", "Nej"]),
    _q(
        "multiple",
        "hvilken",
        "Hvilken slags forening?",
        options=["Sport", "Kultur", "Frivilligt arbejde", "Andet"],
        required=False,
        show_if=("forening", "Ja"),
    ),
    _q("date", "moede", "Hvornår var du sidst til et borgermøde?", required=False),
    _q("text", "forslag", "Dit forslag til integrationspolitikken", required=False, max_length=2000),
]

PANEL = [
    _q(
        "scale",
        "moeder",
        "Hvor godt fungerer panelets møder?",
        scale_min=1,
        scale_max=5,
        min_label="Meget dårligt",
        max_label="Meget godt",
    ),
    _q(
        "single",
        "hyppighed",
        "Hvor ofte skal panelet mødes?",
        options=["Hver måned", "Hvert kvartal", "Hvert halve år"],
    ),
    _q("text", "emne", "Hvilket emne skal panelet tage op næste gang?", required=False),
]

PANEL_MEMBERS = [
    ("Amira Demo", "amira.demo@example.org"),
    ("Bo Demo", "bo.demo@example.org"),
    ("Cem Demo", "cem.demo@example.org"),
    ("Dorte Demo", "dorte.demo@example.org"),
    ("Emil Demo", "emil.demo@example.org"),
    ("Farah Demo", "farah.demo@example.org"),
    ("Gustav Demo", "gustav.demo@example.org"),
    ("Hiba Demo", "hiba.demo@example.org"),
]

COMMENTS = [
    "Kortere ventetid i telefonen.",
    "Flere møder ansigt til ansigt.",
    "Mere hjælp til CV.",
    "Det fungerer fint.",
]


def _ids(page):
    return {q.key: q for q in page.questionnaire.questions}


def _satisfaction_answers(page, rng, mood):
    qs = _ids(page)
    scale_weights = [1, 2, 3, 3 + mood, 2 + mood, 1]
    answers = {
        qs["kontakt"].id: rng.choice(qs["kontakt"].options).id,
        qs["tilfreds"].id: rng.choices(qs["tilfreds"].options, weights=scale_weights)[0].id,
        qs["udsagn"].id: {
            s.id: rng.choices(qs["udsagn"].options, weights=[2 + mood, 2, 1])[0].id for s in qs["udsagn"].statements
        },
        qs["hjalp"].id: [o.id for o in rng.sample(qs["hjalp"].options, rng.choice([1, 2]))],
    }
    if rng.random() < 0.4:
        answers[qs["forbedring"].id] = rng.choice(COMMENTS)
    return answers


def _add_satisfaction(page, count, mood, seed):
    if SurveyResponse.objects.filter(survey=page).exists():
        return
    rng = random.Random(seed)
    text_id = _ids(page)["forbedring"].id
    SurveyResponse.objects.bulk_create(
        [
            SurveyResponse(survey=page, answers=answers, approved_texts=[text_id] if text_id in answers else [])
            for answers in (_satisfaction_answers(page, rng, mood) for _n in range(count))
        ]
    )


def _add_integration(page, count, seed):
    if SurveyResponse.objects.filter(survey=page).exists():
        return
    rng = random.Random(seed)
    qs = _ids(page)
    rows = []
    for _n in range(count):
        lives = rng.random() < 0.85
        answers = {
            qs["bor"].id: qs["bor"].options[0 if lives else 1].id,
            qs["vigtig"].id: rng.choices(qs["vigtig"].options, weights=[1, 1, 2, 4, 5])[0].id,
            qs["aar"].id: rng.randint(1, 30),
        }
        if lives:
            answers[qs["bydel"].id] = rng.choice(qs["bydel"].options).id
        member = rng.random() < 0.5
        answers[qs["forening"].id] = qs["forening"].options[0 if member else 1].id
        if member:
            answers[qs["hvilken"].id] = [rng.choice(qs["hvilken"].options).id]
        rows.append(SurveyResponse(survey=page, answers=answers))
    SurveyResponse.objects.bulk_create(rows)


def load(home, stdout=None):
    say = reporter(stdout)
    now = timezone.localtime().replace(hour=12, minute=0, second=0, microsecond=0)
    index, _created = get_or_create_child(
        home,
        SurveyIndexPage,
        "undersoegelser",
        title="Undersøgelser",
        intro="Her kan du svare på kommunens brugerundersøgelser og se resultaterne, når de er offentliggjort.",
    )
    common = {
        "committee_name": "Jobcenter Nord",
        "contact_name": "Jobcentrets sekretariat",
        "contact_email": "undersoegelse@kommune.example",
        "anonymous": True,
        "min_group_size": 5,
    }
    first, created = get_or_create_child(
        index,
        SurveyPage,
        "tilfredshed-jobcenter-2025",
        title="Brugertilfredshed i jobcentret 2025",
        intro="Den årlige undersøgelse af, hvordan borgerne oplever jobcentret.",
        questions=SATISFACTION,
        opens_at=now - timedelta(days=400),
        closes_at=now - timedelta(days=370),
        thanks_text="Jobcentret gennemgår resultaterne med brugerrådet og offentliggør dem her.",
        **common,
    )
    first = SurveyPage.objects.get(pk=first.pk)
    _add_satisfaction(first, 120, mood=0, seed=2025)
    if not first.closed_at:
        first.close()
    if not first.results_published_at:
        first.publish_results()
    second = SurveyPage.objects.child_of(index).filter(slug="tilfredshed-jobcenter-2026").first()
    if second is None:
        second = first.copy_for_new_run(
            "Brugertilfredshed i jobcentret 2026",
            "tilfredshed-jobcenter-2026",
            now - timedelta(days=40),
            now - timedelta(days=5),
        )
        second.save_revision().publish()
    second = SurveyPage.objects.get(pk=second.pk)
    _add_satisfaction(second, 140, mood=2, seed=2026)
    if not second.closed_at:
        second.close()
    if not second.results_published_at:
        second.publish_results()
    say("Surveys: job centre satisfaction 2025 and 2026 (published, comparable)")

    # The integration council's survey lives under its council page (when the councils demo made it):
    # the council's secretariat runs it and its approval workflow covers it, as for the demo's
    # hearing under the disability council. The job centre's surveys are the administration's.
    council = CouncilPage.objects.filter(kind=CouncilKind.INTEGRATION).order_by("pk").first()
    integration, _created = get_or_create_child(
        council or index,
        SurveyPage,
        "integrationspolitik",
        title="Borgerundersøgelse om integrationspolitikken",
        intro="Hjælp Integrationsrådet med at prioritere i den nye integrationspolitik. Det tager 5 minutter.",
        questions=INTEGRATION,
        opens_at=now - timedelta(days=3),
        closes_at=now + timedelta(days=30),
        access=Access.ANYONE,
        thanks_text="Integrationsrådet drøfter resultaterne på sit møde, når undersøgelsen er lukket.",
        **{**common, "committee_name": "Integrationsrådet"},
    )
    _add_integration(SurveyPage.objects.get(pk=integration.pk), 40, seed=7)
    say(
        "Surveys: open integration-policy survey with conditional questions"
        + (f" (under {council.title})" if council else " (no integration council: under the index)")
    )

    panel_survey, _created = get_or_create_child(
        index,
        SurveyPage,
        "brugerpanel-nord-2026",
        title="Brugerpanelets evaluering 2026",
        intro="Kun for medlemmer af brugerpanelet: du har fået et personligt link på e-mail.",
        questions=PANEL,
        opens_at=now - timedelta(days=2),
        closes_at=now + timedelta(days=12),
        access=Access.PANEL,
        **common,
    )
    panel_survey = SurveyPage.objects.get(pk=panel_survey.pk)
    panel, _created = SurveyPanel.objects.get_or_create(
        name="Brugerpanel Jobcenter Nord", defaults={"description": "Borgere, der giver jobcentret råd."}
    )
    for name, email in PANEL_MEMBERS:
        SurveyPanelMember.objects.get_or_create(panel=panel, email=email, defaults={"name": name})
    if not SurveyParticipation.objects.filter(survey=panel_survey).exists():
        rng = random.Random(11)
        qs = _ids(panel_survey)
        for number, (name, email) in enumerate(PANEL_MEMBERS):
            participation = SurveyParticipation.objects.create(
                survey=panel_survey, kind="invited", panel=panel, name=name, email=email, invited_at=timezone.now()
            )
            if number < 5:  # five have answered, three have not
                store_answers(
                    panel_survey,
                    {
                        qs["moeder"].id: rng.choice(qs["moeder"].options).id,
                        qs["hyppighed"].id: rng.choice(qs["hyppighed"].options).id,
                    },
                    participation,
                )
        flush_pending(panel_survey, force=True)
    say("Surveys: panel survey (5 of 8 answered)")
    _add_home_poll(home.specific)
    say("Quick poll on the home page")
    return index


HOME_POLL = {
    "question": "Hvordan vil du helst høres, når kommunen har nye planer?",
    "help_text": "",
    "options": ["Digitalt her på siden", "Ved et borgermøde", "Gennem en forening eller et råd"],
    "closed": False,
}
HOME_POLL_VOTES = (23, 9, 6)


def _add_home_poll(home):
    """A quick poll on the home page (core.polls), with some votes; once."""
    if not hasattr(home, "polls") or any(child.block_type == "poll" for child in home.polls):
        return
    home.polls = [("poll", HOME_POLL)]
    home.save_revision().publish()
    home = type(home).objects.get(pk=home.pk)
    child = home.polls[0]
    for item, votes in zip(child.value["options"].bound_blocks, HOME_POLL_VOTES, strict=True):
        QuickPollCount.objects.create(page=home, poll_id=str(child.id), option_id=str(item.id), votes=votes)
