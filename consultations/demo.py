"""Demo content for hearings: the index, two open hearings, a closed one and a concluded one.

Idempotent: pages are looked up by slug; responses are only added to a hearing that has none.
Runs after councils.demo and looks its councils and hearing lists up by name; a missing one is
skipped with a message.
"""

import uuid
from datetime import timedelta

from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.text import slugify
from wagtail.documents import get_document_model

from core.demo import get_or_create_child, reporter
from core.models import PageTranslation
from core.translated_pages import is_complete, segments
from councils.demo import demo_pdf
from councils.models import CouncilKind, CouncilPage, HearingList, HearingParty, PartyKind

from .models import (
    WHOLE_MUNICIPALITY,
    ConsulteeRule,
    HearingDocument,
    HearingIndexPage,
    HearingPage,
    MatterKind,
    PublicationRule,
    Response,
    ResponseAttachment,
    district_choices,
)
from .rules import RuleMode
from .surveys import demo as survey_demo

EMPLOYMENT_LIST = "Høringsliste: beskæftigelse"
INTEGRATION_LIST = "Høringsliste: integration"
DISABILITY_LIST = "Høringsliste: handicap"
VALBY_LIST = "Høringsliste: Valby"

LOCAL_COMMITTEE_BASIS = "Lokaludvalget skal høres i sager af særlig betydning for bydelen (Københavns Kommunes regler)"


def _pdf(title, lines):
    try:
        return demo_pdf(title, lines)
    except Exception:  # noqa: BLE001 — any failure: fall back to a minimal PDF
        return b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def _document(title, lines):
    Document = get_document_model()
    existing = Document.objects.filter(title=title).first()
    if existing:
        return existing
    document = Document(title=title, file=ContentFile(_pdf(title, lines), name=f"{slugify(title)[:80]}.pdf"))
    document._set_document_file_metadata()
    document.save()
    return document


def _paragraphs(*texts):
    return [{"type": "paragraph", "value": f"<p>{t}</p>"} for t in texts]


def _chapter(heading, *sections):
    """A chapter of a sectioned draft; ``sections`` are (heading, text) pairs.

    Each list item has its id, as Wagtail stores one: a ListBlock item without an id is read as a
    value in the old list format, so the section came out with no heading and no text, and with a
    new id each time it was read (comments are kept by section id)."""
    items = [
        {"type": "item", "id": str(uuid.uuid4()), "value": {"heading": h, "text": f"<p>{t}</p>"}} for h, t in sections
    ]
    return {"type": "chapter", "value": {"heading": heading, "sections": items}}


# The demo's Turkish translation of »Beskæftigelsesplan 2027«, by Danish text: drafted by the developers
# with machine help and recorded as NOT reviewed by a native speaker (the page says so to readers).
PLAN_IN_TURKISH = {
    "Beskæftigelsesplan 2027": "İstihdam Planı 2027",
    "Forslaget til Beskæftigelsesplan 2027 beskriver, hvordan jobcentret vil hjælpe ledige i job og uddannelse. "
    "Vi vil gerne høre, hvad du mener.": "İstihdam Planı 2027 taslağı, iş merkezinin işsizlerin iş ve eğitim "
    "bulmasına nasıl yardım edeceğini anlatıyor. Görüşlerinizi duymak istiyoruz.",
    "<p>Beskæftigelsesplanen fastlægger kommunens mål og indsatser på beskæftigelsesområdet for det kommende år. "
    "Det Lokale Beskæftigelsesråd har været inddraget i arbejdet.</p>": "<p>İstihdam planı, belediyenin önümüzdeki "
    "yıl için istihdam alanındaki hedeflerini ve çalışmalarını belirler. Yerel İstihdam Konseyi bu çalışmaya "
    "katılmıştır.</p>",
    "<p>Planen har fire mål: flere unge i uddannelse, færre langtidsledige, en bedre service til borgerne i "
    "jobcentret og et tættere samarbejde med virksomhederne.</p>": "<p>Planın dört hedefi var: eğitimde daha "
    "fazla genç, daha az uzun süreli işsiz, iş merkezinde vatandaşlara daha iyi hizmet ve şirketlerle daha yakın "
    "iş birliği.</p>",
    "Indledning": "Giriş",
    "Formål": "Amaç",
    "<p>Planen beskriver kommunens mål og indsatser på beskæftigelsesområdet i 2027.</p>": "<p>Plan, belediyenin "
    "2027 yılında istihdam alanındaki hedeflerini ve çalışmalarını anlatır.</p>",
    "Grundlag": "Dayanak",
    "<p>Planen bygger på ministerens mål og Det Lokale Beskæftigelsesråds anbefalinger.</p>": "<p>Plan, bakanın "
    "hedeflerine ve Yerel İstihdam Konseyi'nin önerilerine dayanır.</p>",
    "Unge": "Gençler",
    "Uddannelse først": "Önce eğitim",
    "<p>Unge under 30 år uden uddannelse får et uddannelsespålæg.</p>": "<p>Eğitimi olmayan 30 yaş altı gençlere "
    "eğitime başlama yükümlülüğü verilir.</p>",
    "Mentorer": "Mentorlar",
    "<p>Jobcentret tilbyder en fast mentor til unge med brug for ekstra støtte.</p>": "<p>İş merkezi, ek desteğe "
    "ihtiyacı olan gençlere sabit bir mentor sunar.</p>",
    "Langtidsledige": "Uzun süreli işsizler",
    "Virksomhedspraktik": "İşyeri stajı",
    "<p>Langtidsledige får tilbud om praktik i private virksomheder.</p>": "<p>Uzun süreli işsizlere özel "
    "şirketlerde staj teklif edilir.</p>",
    "Samtaler": "Görüşmeler",
    "<p>Samtalerne i jobcentret holdes oftere og tæt på borgerens hjem.</p>": "<p>İş merkezindeki görüşmeler daha "
    "sık ve vatandaşın evine yakın yerlerde yapılır.</p>",
}


def _translate(say, page, language, by_danish):
    """A published demo translation of ``page`` (once; never marked reviewed). Left a draft if a text
    of the page has no translation here, so the page falls back to Danish rather than half translated."""
    if PageTranslation.objects.filter(page=page, language=language).exists():
        return
    entries = {
        segment.path: {"source": segment.source, "text": by_danish[segment.source]}
        for segment in segments(page)
        if segment.source in by_danish
    }
    row = PageTranslation(page=page, language=language, entries=entries, uploaded_at=timezone.now())
    if is_complete(page, entries):
        row.published_entries, row.published_at = entries, timezone.now()
    row.save()
    say(f"Translation: {page.title} in {language} ({'published' if row.is_published else 'draft'}, not reviewed)")


def _council(say, kind=None, title=None):
    qs = CouncilPage.objects.all()
    council = qs.filter(title=title).first() if title else qs.filter(kind=kind).order_by("pk").first()
    if council is None:
        say(f"Consultations demo: council {title or kind} not found; skipped that link.")
    return council


def _hearing_list(say, name):
    hearing_list = HearingList.objects.filter(name=name).first()
    if hearing_list is None:
        say(f"Consultations demo: hearing list »{name}« not found; skipped that link.")
    return hearing_list


def _party(hearing_list, name):
    if hearing_list is None:
        return None
    return HearingParty.objects.filter(hearing_list=hearing_list, name=name).first()


def _add_hearing(parent, slug, *, topics=(), hearing_lists=(), documents=(), conclude=False, **fields):
    existing = HearingPage.objects.filter(slug=slug).first()
    if existing:
        return existing, False
    page = HearingPage(slug=slug, **fields)
    for kind, title, lines in documents:
        page.documents.add(HearingDocument(kind=kind, document=_document(title, lines)))
    parent.add_child(instance=page)
    page.topics.add(*topics)
    page.hearing_lists.set([h for h in hearing_lists if h is not None])
    page.save_revision().publish()
    page.refresh_from_db()
    if conclude:
        page.conclude()
    return page, True


def _add_responses(hearing, rows):
    """rows: dicts of Response fields plus optional »attachment« (title) and »days_ago«."""
    if hearing.responses.exists():
        return 0
    for row in rows:
        row = dict(row)
        attachment = row.pop("attachment", None)
        days_ago = row.pop("days_ago", 1)
        status = row.pop("status", Response.Status.PUBLISHED)
        confirmed = None if status == Response.Status.PENDING else timezone.now() - timedelta(days=days_ago)
        party = row.get("party")
        if party is not None:
            row.setdefault("organisation_name", party.name)
            row.setdefault("kind", party.kind)
            row.setdefault("email", party.email)
        row.setdefault("email", f"{slugify(row['name'])}@example.org")
        response = Response(hearing=hearing, status=status, confirmed_at=confirmed, consent=True, **row)
        if status == Response.Status.PENDING:
            response.issue_confirmation_token()
        response.save()
        if attachment:
            data = _pdf(attachment, ["Bilag til høringssvar (demoindhold)."])
            ResponseAttachment.objects.create(
                response=response,
                file=ContentFile(data, name="bilag.pdf"),
                original_name=f"{slugify(attachment)}.pdf",
                content_type="application/pdf",
                size=len(data),
            )
    return len(rows)


def _valby_list(valby):
    """The parties heard on Valby's local matters: its lokaludvalg and two local associations."""
    hearing_list, _created = HearingList.objects.get_or_create(
        name=VALBY_LIST,
        defaults={"description": "Faste høringsparter om sager i Valby.", "council": valby},
    )
    parties = [
        ("Valby Lokaludvalg", PartyKind.COUNCIL, "valby-lokaludvalg@kommune.example", valby),
        ("Valby Langgade Handelsforening", PartyKind.COMPANY, "kontakt@valbylanggade.example", None),
        ("Skolebestyrelsen på Valby Skole", PartyKind.ORGANISATION, "skolebestyrelse@valbyskole.example", None),
    ]
    for name, kind, email, council in parties:
        HearingParty.objects.get_or_create(
            hearing_list=hearing_list, name=name, defaults={"kind": kind, "email": email, "council": council}
        )
    return hearing_list


def load_rules(say):
    """The seeds' required consultees as cross-council rules: each lokaludvalg on its district's matters,
    the Integration Council on integration, the Handicapråd on disability. Idempotent."""
    districts = {name.casefold(): code for code, name in district_choices()}
    wanted = []
    for council in CouncilPage.objects.filter(kind=CouncilKind.LOCAL).order_by("title"):
        code = districts.get((council.area or council.title.removesuffix(" Lokaludvalg")).casefold())
        if code:
            wanted.append({"consultee_council": council, "area": code, "basis": LOCAL_COMMITTEE_BASIS})
    integration = CouncilPage.objects.filter(kind=CouncilKind.INTEGRATION).order_by("pk").first()
    if integration:
        wanted.append(
            {
                "consultee_council": integration,
                "matter_kind": MatterKind.INTEGRATION,
                "basis": "Integrationsrådet udtaler sig om alle sager om integrationsindsatsen",
            }
        )
    disability = CouncilPage.objects.filter(kind=CouncilKind.DISABILITY).order_by("pk").first()
    if disability:
        wanted.append(
            {
                "consultee_council": disability,
                "matter_kind": MatterKind.DISABILITY,
                "basis": "Retssikkerhedsloven § 37 a: handicaprådet høres om initiativer for mennesker med handicap",
            }
        )
    made = 0
    for fields in wanted:
        _rule, created = ConsulteeRule.objects.get_or_create(
            owner=None,
            consultee_council=fields["consultee_council"],
            area=fields.get("area", ""),
            matter_kind=fields.get("matter_kind", ""),
            defaults={"mode": RuleMode.REQUIRE, "basis": fields["basis"]},
        )
        made += created
    say(f"Required consultees: {len(wanted)} rules ({made} new).")


def load(home, stdout=None):
    say = reporter(stdout)
    now = timezone.localtime().replace(hour=12, minute=0, second=0, microsecond=0)
    index, _created = get_or_create_child(
        home,
        HearingIndexPage,
        "hoeringer",
        title="Høringer",
        intro="Her kan du læse kommunens høringer og sende dit høringssvar. Alle kan svare – "
        "som privatperson eller på vegne af en forening, virksomhed, et råd eller en myndighed.",
    )
    employment = _council(say, kind=CouncilKind.EMPLOYMENT)
    integration = _council(say, kind=CouncilKind.INTEGRATION)
    disability = _council(say, kind=CouncilKind.DISABILITY)
    valby = _council(say, title="Valby Lokaludvalg")
    load_rules(say)
    employment_list = _hearing_list(say, EMPLOYMENT_LIST)
    integration_list = _hearing_list(say, INTEGRATION_LIST)
    disability_list = _hearing_list(say, DISABILITY_LIST)

    # --- Open: Beskæftigelsesplan 2027 -----------------------------------------------------
    plan, created = _add_hearing(
        index,
        "beskaeftigelsesplan-2027",
        title="Beskæftigelsesplan 2027",
        summary="Forslaget til Beskæftigelsesplan 2027 beskriver, hvordan jobcentret vil hjælpe "
        "ledige i job og uddannelse. Vi vil gerne høre, hvad du mener.",
        body=_paragraphs(
            "Beskæftigelsesplanen fastlægger kommunens mål og indsatser på beskæftigelsesområdet for det "
            "kommende år. Det Lokale Beskæftigelsesråd har været inddraget i arbejdet.",
            "Planen har fire mål: flere unge i uddannelse, færre langtidsledige, en bedre service til "
            "borgerne i jobcentret og et tættere samarbejde med virksomhederne.",
        ),
        opens_at=now - timedelta(days=10),
        closes_at=now + timedelta(days=25),
        committee_name="Beskæftigelses- og Integrationsudvalget",
        council=employment,
        area=WHOLE_MUNICIPALITY,
        matter_kind=MatterKind.EMPLOYMENT,
        draft=[
            _chapter(
                "Indledning",
                ("Formål", "Planen beskriver kommunens mål og indsatser på beskæftigelsesområdet i 2027."),
                ("Grundlag", "Planen bygger på ministerens mål og Det Lokale Beskæftigelsesråds anbefalinger."),
            ),
            _chapter(
                "Unge",
                ("Uddannelse først", "Unge under 30 år uden uddannelse får et uddannelsespålæg."),
                ("Mentorer", "Jobcentret tilbyder en fast mentor til unge med brug for ekstra støtte."),
            ),
            _chapter(
                "Langtidsledige",
                ("Virksomhedspraktik", "Langtidsledige får tilbud om praktik i private virksomheder."),
                ("Samtaler", "Samtalerne i jobcentret holdes oftere og tæt på borgerens hjem."),
            ),
        ],
        contact_name="Beskæftigelses- og Integrationsforvaltningen",
        contact_email="hoering-bif@kommune.example",
        contact_phone="33 66 33 66",
        publication_rule=PublicationRule.WHILE_OPEN,
        topics=["Beskæftigelse", "Jobcenter"],
        hearing_lists=[employment_list],
        documents=[
            (
                HearingDocument.Kind.DRAFT,
                "Forslag til Beskæftigelsesplan 2027",
                ["Mål 1: Flere unge i uddannelse.", "Mål 2: Færre langtidsledige.", "Mål 3: Bedre service."],
            ),
            (HearingDocument.Kind.APPENDIX, "Bilag 1: Status på beskæftigelsesindsatsen 2026", ["Nøgletal 2026."]),
        ],
    )
    if created:
        _add_responses(
            plan,
            [
                {
                    "name": "Amira Hassan",
                    "postcode": "2450",
                    "district": "vesterbro",
                    "text": "Jeg har selv været ledig i et år. Det vigtigste for mig var at få én fast "
                    "sagsbehandler. Skriv det ind i planen.",
                    "days_ago": 6,
                },
                {
                    "name": "Jens Mortensen",
                    "party": _party(employment_list, "Dansk Arbejdsgiverforening"),
                    "postcode": "1790",
                    "district": "indre-by",
                    "text": "Dansk Arbejdsgiverforening støtter målet om et tættere samarbejde med "
                    "virksomhederne og foreslår en fast virksomhedskonsulent pr. branche.",
                    "attachment": "DA høringssvar Beskæftigelsesplan 2027",
                    "days_ago": 4,
                },
                {
                    "name": "Sofie Lind",
                    "kind": PartyKind.COMPANY,
                    "organisation_name": "Lind Rengøring ApS",
                    "postcode": "2500",
                    "district": "valby",
                    "text": "Vi vil gerne tage flere i praktik, men det er svært at finde ud af, hvem vi "
                    "skal kontakte i jobcentret.",
                    "status": Response.Status.RECEIVED,
                    "days_ago": 2,
                },
                {
                    "name": "Peter Holm",
                    "postcode": "2300",
                    "district": "amager-oest",
                    "text": "Planen bør nævne mennesker med handicap.",
                    "status": Response.Status.PENDING,
                },
            ],
        )
    say(f"Hearing: {plan.title} ({'created' if created else 'exists'})")
    _translate(say, plan, "tr", PLAN_IN_TURKISH)

    # --- Open: Integrationspolitik 2027–2030 -------------------------------------------------
    policy, created = _add_hearing(
        index,
        "integrationspolitik-2027-2030",
        title="Integrationspolitik 2027–2030",
        summary="Kommunens nye integrationspolitik sætter retningen for de næste fire år. "
        "Fortæl os, hvad der virker – og hvad der mangler.",
        body=_paragraphs(
            "Integrationspolitikken handler om job, uddannelse, fællesskab og medborgerskab. "
            "Integrationsrådet og lokaludvalgene er hørt som faste høringsparter.",
        ),
        opens_at=now - timedelta(days=5),
        closes_at=now + timedelta(days=40),
        council=integration,
        committee_name="" if integration else "Beskæftigelses- og Integrationsudvalget",
        area=WHOLE_MUNICIPALITY,
        matter_kind=MatterKind.INTEGRATION,
        contact_name="Integrationsrådets sekretariat",
        contact_email="integrationsraadet@kommune.example",
        publication_rule=PublicationRule.WHILE_OPEN,
        topics=["Integration", "Medborgerskab"],
        hearing_lists=[integration_list],
        documents=[
            (
                HearingDocument.Kind.DRAFT,
                "Udkast til Integrationspolitik 2027–2030",
                ["Job og uddannelse.", "Fællesskab og foreningsliv.", "Medborgerskab og demokrati."],
            ),
        ],
    )
    if created:
        rows = [
            {
                "name": "Fatima Yilmaz",
                "postcode": "2200",
                "district": "noerrebro",
                "text": "Sprogundervisning om aftenen ville hjælpe mange, der arbejder om dagen.",
                "days_ago": 3,
            },
            {
                "name": "Henrik Berg",
                "kind": PartyKind.ORGANISATION,
                "organisation_name": "Foreningen Nydansk Ungdom",
                "postcode": "2400",
                "district": "bispebjerg",
                "text": "Vi foreslår, at politikken får et mål om flere unge med minoritetsbaggrund i foreningslivet.",
                "days_ago": 2,
            },
        ]
        for name, days in (("Valby Lokaludvalg", 2), ("Nørrebro Lokaludvalg", 1)):
            party = _party(integration_list, name)
            if party is None:
                say(f"Consultations demo: party »{name}« not on the integration list; skipped.")
                continue
            district = "valby" if name.startswith("Valby") else "noerrebro"
            rows.append(
                {
                    "name": f"Formanden for {name}",
                    "party": party,
                    "district": district,
                    "text": f"{name} bakker op om politikken og beder om, at bydelens kulturhuse bruges "
                    "som mødested for nye borgere.",
                    "days_ago": days,
                }
            )
        _add_responses(policy, rows)
    say(f"Hearing: {policy.title} ({'created' if created else 'exists'})")

    # --- Closed, awaiting the summary (under the disability council when it exists) ---------
    closed_parent = disability or index
    accessibility, created = _add_hearing(
        closed_parent,
        "tilgaengelighed-i-byrummet",
        title="Tilgængelighed i byrummet",
        summary="Forslag til en plan for bedre tilgængelighed på fortove, pladser og stoppesteder.",
        body=_paragraphs(
            "Planen beskriver, hvordan kommunen vil fjerne forhindringer for kørestolsbrugere, "
            "blinde og svagtseende i byrummet frem mod 2030."
        ),
        opens_at=now - timedelta(days=50),
        closes_at=now - timedelta(days=8),
        council=disability,
        area=WHOLE_MUNICIPALITY,
        matter_kind=MatterKind.DISABILITY,
        contact_name="Handicaprådets sekretariat",
        contact_email="handicapraadet@kommune.example",
        publication_rule=PublicationRule.AFTER_DEADLINE,
        topics=["Handicap", "Byrum"],
        hearing_lists=[disability_list],
        documents=[(HearingDocument.Kind.DRAFT, "Plan for tilgængelighed i byrummet", ["Fortove.", "Stoppesteder."])],
    )
    if created:
        _add_responses(
            accessibility,
            [
                {
                    "name": "Karen Sørensen",
                    "postcode": "2720",
                    "district": "vanloese",
                    "text": "Som kørestolsbruger oplever jeg dagligt, at fortovskanter er for høje.",
                    "days_ago": 30,
                },
                {
                    "name": "Lars Nielsen",
                    "party": _party(disability_list, "Danske Handicaporganisationer"),
                    "text": "Danske Handicaporganisationer anbefaler ledelinjer ved alle nye stoppesteder.",
                    "attachment": "DH bemærkninger til tilgængelighedsplanen",
                    "days_ago": 12,
                },
                {
                    "name": "Mette Kjær",
                    "kind": PartyKind.COMPANY,
                    "organisation_name": "Byens Anlæg A/S",
                    "postcode": "2450",
                    "text": "Vi kan levere taktile fliser hurtigere, hvis udbuddet samles.",
                    "status": Response.Status.RECEIVED,
                    "days_ago": 10,
                },
                {
                    "name": "Ole Jensen",
                    "kind": PartyKind.AUTHORITY,
                    "organisation_name": "Movia",
                    "text": "Movia deltager gerne i arbejdet med stoppestederne.",
                    "days_ago": 9,
                },
                {
                    "name": "Anonym borger",
                    "postcode": "2100",
                    "district": "oesterbro",
                    "text": "Indlæg med personlige oplysninger om en navngiven nabo.",
                    "status": Response.Status.WITHHELD,
                    "withheld_reason": "Svaret indeholder oplysninger om en anden person.",
                    "days_ago": 20,
                },
                {
                    "name": "Bo Andersen",
                    "kind": PartyKind.ORGANISATION,
                    "organisation_name": "Dansk Blindesamfund, Københavnskredsen",
                    "text": "Vi beklager, at svaret kommer efter fristen. Husk lydfyr ved alle lysregulerede kryds.",
                    "is_late": True,
                    "status": Response.Status.RECEIVED,
                    "days_ago": 5,
                },
            ],
        )
    say(f"Hearing: {accessibility.title} ({'created' if created else 'exists'})")

    # --- Concluded, with a published summary ------------------------------------------------
    local_list = _valby_list(valby)
    traffic, created = _add_hearing(
        index,
        "trafikplan-for-valby-2026",
        title="Trafikplan for Valby 2026",
        summary="Forslag til ny trafikplan for Valby med færre biler på Valby Langgade og flere cykelstier.",
        body=_paragraphs("Trafikplanen blev sendt i høring i foråret. Høringsnotatet er nu offentliggjort."),
        opens_at=now - timedelta(days=120),
        closes_at=now - timedelta(days=70),
        committee_name="Teknik- og Miljøudvalget",
        area="valby",
        matter_kind=MatterKind.TRAFFIC,
        contact_name="Teknik- og Miljøforvaltningen",
        contact_email="trafik@kommune.example",
        publication_rule=PublicationRule.WHILE_OPEN,
        topics=["Trafik", "Byrum"],
        hearing_lists=[local_list],
        summary_body=[
            {"type": "heading", "value": {"text": "Sammenfatning", "level": "h3"}},
            *_paragraphs(
                "Der kom 3 høringssvar. De fleste støtter flere cykelstier; handlende på Valby Langgade "
                "er bekymrede for færre parkeringspladser.",
                "Forvaltningen foreslår at bevare 20 korttidspladser og i øvrigt gennemføre planen.",
            ),
        ],
        documents=[(HearingDocument.Kind.DRAFT, "Forslag til Trafikplan for Valby 2026", ["Valby Langgade."])],
        conclude=True,
    )
    if created:
        rows = [
            {
                "name": "Rasmus Friis",
                "postcode": "2500",
                "district": "valby",
                "text": "Endelig cykelstier på Valby Langgade! Men tænk på skolebørnene ved krydset.",
                "summary": "Støtter cykelstier; bekymret for skolevejen.",
                "administration_comment": "Krydset ved skolen får en ekstra fodgængerovergang.",
                "days_ago": 100,
            },
            {
                "name": "Hanne Vester",
                "kind": PartyKind.COMPANY,
                "organisation_name": "Valby Langgade Handelsforening",
                "postcode": "2500",
                "district": "valby",
                "text": "Vi frygter færre kunder, hvis parkeringspladserne forsvinder.",
                "summary": "Ønsker at bevare parkering.",
                "administration_comment": "Imødekommet delvist: 20 korttidspladser bevares.",
                "days_ago": 90,
            },
        ]
        valby_party = _party(local_list, "Valby Lokaludvalg")
        if valby_party:
            rows.append(
                {
                    "name": "Valby Lokaludvalg",
                    "party": valby_party,
                    "district": "valby",
                    "text": "Lokaludvalget støtter planen og ønsker en borgerdialog om de nye busstoppesteder.",
                    "summary": "Støtter planen; ønsker borgerdialog.",
                    "administration_comment": "Imødekommet: der holdes borgermøde i efteråret.",
                    "days_ago": 80,
                }
            )
        _add_responses(traffic, rows)
    say(f"Hearing: {traffic.title} ({'created' if created else 'exists'})")
    survey_demo.load(home, stdout)
    return index
