"""Demo content for councils: the councils of DOMAIN.md with invented members, meetings with
agenda documents, statements and hearing lists.

Idempotent: councils, meetings and statements are looked up by slug, hearing lists by name,
and members are only added to a council that has none, so a second run adds nothing and
keeps edits. Meeting dates are relative to the day of the first run.
"""

import io
from datetime import date, datetime, time, timedelta

from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.text import slugify
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas
from wagtail.documents import get_document_model

from core.demo import get_or_create_child, reporter

from .models import (
    AgendaItem,
    CouncilIndexPage,
    CouncilKind,
    CouncilPage,
    HearingList,
    HearingParty,
    MeetingPage,
    Membership,
    PartyKind,
    SeatGroup,
    StatementPage,
)

FIRST_NAMES = [
    "Amina", "Bo", "Camilla", "Deniz", "Elif", "Frederik", "Gülsen", "Hassan", "Ida", "Jonas",
    "Karin", "Leila", "Mads", "Nadia", "Omar", "Pernille", "Rasmus", "Sara", "Tariq", "Ulla",
    "Vibeke", "Yusuf", "Zainab", "Anders", "Birgitte", "Carsten", "Dorthe", "Emre", "Fatima", "Gitte",
]  # fmt: skip
LAST_NAMES = [
    "Andersen", "Bakkali", "Christensen", "Demir", "Eriksen", "Farah", "Gregersen", "Hansen",
    "Ibrahim", "Jensen", "Kaya", "Larsen", "Mortensen", "Nielsen", "Osman", "Pedersen",
    "Qureshi", "Rasmussen", "Sørensen", "Thomsen", "Uddin", "Vestergaard", "Winther", "Yilmaz",
]  # fmt: skip

LOCAL_COMMITTEES = [
    "Amager Vest", "Amager Øst", "Bispebjerg", "Brønshøj-Husum", "Indre By", "Kongens Enghave",
    "Nørrebro", "Valby", "Vanløse", "Vesterbro", "Østerbro", "Christianshavn",
]  # fmt: skip

PARTIES = ["Socialdemokratiet", "Enhedslisten", "SF", "Radikale Venstre", "Venstre", "Det Konservative Folkeparti"]
LOCAL_ASSOCIATIONS = [
    "Beboerforeningen", "Idrætsforeningen", "Skolebestyrelsen", "Ældrerådet", "Kulturhuset",
    "Handelsstandsforeningen", "Grundejerforeningen", "Spejderne", "Menighedsrådet", "Ungdomsklubben",
    "Lejerforeningen", "Musikskolen", "Biblioteksrådet", "Foreningen for Integration", "Naboskabet",
]  # fmt: skip

SECRETARIAT_EMAIL = "{slug}@kommune.example"

EMPLOYMENT_SEATS = [
    # (seat group, minimum, maximum, nominating organisation, how they came, members to invent)
    ("Borgerrepræsentationen", 1, 1, "Borgerrepræsentationen", Membership.Origin.POLITICAL, 1),
    ("Dansk Arbejdsgiverforening (DA)", 0, 3, "Dansk Arbejdsgiverforening", Membership.Origin.NOMINATED, 3),
    ("Landsorganisationen i Danmark (LO)", 0, 3, "Landsorganisationen i Danmark", Membership.Origin.NOMINATED, 3),
    (
        "Funktionærernes og Tjenestemændenes Fællesråd (FTF)",
        1,
        1,
        "Funktionærernes og Tjenestemændenes Fællesråd",
        Membership.Origin.NOMINATED,
        1,
    ),
    (
        "Akademikernes Centralorganisation (AC)",
        1,
        1,
        "Akademikernes Centralorganisation",
        Membership.Origin.NOMINATED,
        1,
    ),
    (
        "De Samvirkende Invalideorganisationer (DSI)",
        0,
        2,
        "De Samvirkende Invalideorganisationer",
        Membership.Origin.NOMINATED,
        2,
    ),
    (
        "Praktiserende Lægers Organisation (PLO)",
        1,
        1,
        "Praktiserende Lægers Organisation",
        Membership.Origin.NOMINATED,
        1,
    ),
    ("Integrationsrådet", 1, 1, "Integrationsrådet", Membership.Origin.NOMINATED, 1),
    ("Lokale foreninger", 0, 2, "Rådets øvrige medlemmer i forening", Membership.Origin.NOMINATED, 1),
]


class NameMaker:
    """Invented, distinct names, the same on every run."""

    def __init__(self, offset=0):
        self.index = offset

    def __call__(self):
        i = self.index
        self.index += 1
        first = FIRST_NAMES[i % len(FIRST_NAMES)]
        last = LAST_NAMES[(i * 7 + i // len(FIRST_NAMES)) % len(LAST_NAMES)]
        return f"{first} {last}"


def demo_pdf(title, lines):
    """A small, real PDF document (an agenda appendix) made at load time."""

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setTitle(title)
    pdf.setAuthor("Medborger (demoindhold)")
    text = pdf.beginText(72, 770)
    text.setFont("Helvetica-Bold", 16)
    text.textLine(title)
    text.setFont("Helvetica", 11)
    text.textLine("")
    for line in lines:
        text.textLine(line)
    pdf.drawText(text)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def make_document(council, title, lines):
    Document = get_document_model()
    data = demo_pdf(title, lines)
    document = Document(title=title, file=ContentFile(data, name=f"{slugify(title)[:80]}.pdf"))
    secretariat = getattr(council, "secretariat", None)
    if secretariat and secretariat.collection:
        document.collection = secretariat.collection
    document._set_document_file_metadata()
    document.save()
    return document


def at(day, hour, minute=0):
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def add_council(index, slug, title, **fields):
    seat_groups = fields.pop("seat_groups", [])
    council, created = get_or_create_child(
        index,
        CouncilPage,
        slug,
        title=title,
        seat_groups=[SeatGroup(name=n, minimum=lo, maximum=hi) for n, lo, hi in seat_groups],
        **fields,
    )
    return council, created


def add_members(council, rows):
    """rows: (seat group name or None, person, role, organisation, origin, start, end)."""
    if council.memberships.exists():
        return
    groups = {g.name: g for g in council.seat_groups.all()}
    Membership.objects.bulk_create(
        [
            Membership(
                council=council,
                seat_group=groups.get(group) if group else None,
                person_name=person,
                role=role,
                nominating_organisation=organisation,
                origin=origin,
                start_date=start,
                end_date=end,
            )
            for group, person, role, organisation, origin, start, end in rows
        ]
    )


def add_meeting(council, slug, title, starts_at, location, agenda, minutes="", is_open=True):
    """agenda: (title, description, document lines or None)."""
    if MeetingPage.objects.child_of(council).filter(slug=slug).exists():
        return None
    items = []
    for item_title, description, document_lines in agenda:
        document = None
        if document_lines:
            document = make_document(council, f"{council.title} – {title}: {item_title}", document_lines)
        items.append(AgendaItem(title=item_title, description=description, document=document))
    meeting, _created = get_or_create_child(
        council,
        MeetingPage,
        slug,
        title=title,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=2),
        location=location,
        is_open=is_open,
        minutes_text=minutes,
        agenda_items=items,
    )
    return meeting


def add_hearing_list(name, description, council, parties):
    hearing_list = HearingList.objects.filter(name=name).first()
    if hearing_list is None:
        hearing_list = HearingList(name=name, description=description, council=council)
        hearing_list.parties = [
            HearingParty(name=party, kind=kind, email=email, council=party_council)
            for party, kind, email, party_council in parties
        ]
        hearing_list.save()
    return hearing_list


def _term(today):
    """The municipal election period around today: 1 January after an election year, 4 years."""
    start_year = today.year - ((today.year - 2022) % 4)
    return date(start_year, 1, 1), date(start_year + 3, 12, 31)


def load(home, stdout=None):
    say = reporter(stdout)
    today = timezone.localdate()
    term_start, term_end = _term(today)
    previous_term_start = date(term_start.year - 4, 1, 1)
    names = NameMaker()
    index, _ = get_or_create_child(
        home,
        CouncilIndexPage,
        "raad-og-udvalg",
        title="Råd og udvalg",
        intro="<p>Kommunens råd og udvalg rådgiver Borgerrepræsentationen og er borgernes stemme. "
        "Her kan du se, hvem der sidder i rådene, hvornår de holder møde, og hvad de har udtalt.</p>",
    )

    # --- Integrationsrådet -----------------------------------------------------------------
    integration, created = add_council(
        index,
        "integrationsraadet",
        "Integrationsrådet",
        kind=CouncilKind.INTEGRATION,
        mandate="<p>Integrationsrådet er et rådgivende organ for Borgerrepræsentationen og et talerør for "
        "etniske minoriteter i kommunen. Rådet kan afgive vejledende udtalelser, som offentliggøres.</p>",
        legal_basis="Integrationsloven § 42",
        secretariat_name="Integrationsrådets sekretariat",
        secretariat_email=SECRETARIAT_EMAIL.format(slug="integrationsraadet"),
        secretariat_phone="33 66 10 10",
        term_start=term_start,
        term_end=term_end,
        seat_groups=[
            ("Direkte valgte medlemmer", 13, 13),
            ("Udpeget af Borgerrepræsentationen", 2, 2),
            ("Organisationer på arbejdsmarkedet", 5, 5),
        ],
    )
    rows = []
    for i in range(13):
        role = Membership.Role.CHAIR if i == 0 else Membership.Role.VICE_CHAIR if i == 1 else Membership.Role.MEMBER
        rows.append(("Direkte valgte medlemmer", names(), role, "", Membership.Origin.ELECTED, term_start, None))
    for _i in range(2):
        rows.append(
            (
                "Udpeget af Borgerrepræsentationen",
                names(),
                Membership.Role.MEMBER,
                "Borgerrepræsentationen",
                Membership.Origin.POLITICAL,
                term_start,
                None,
            )
        )
    for organisation in ("LO", "DA", "FTF", "AC", "Dansk Flygtningehjælp"):
        rows.append(
            (
                "Organisationer på arbejdsmarkedet",
                names(),
                Membership.Role.MEMBER,
                organisation,
                Membership.Origin.NOMINATED,
                term_start,
                None,
            )
        )
    rows.append(
        (
            "Direkte valgte medlemmer",
            names(),
            Membership.Role.SUBSTITUTE,
            "",
            Membership.Origin.ELECTED,
            term_start,
            None,
        )
    )
    rows.append(
        (
            "Direkte valgte medlemmer",
            names(),
            Membership.Role.MEMBER,
            "",
            Membership.Origin.ELECTED,
            previous_term_start,
            today - timedelta(days=60),
        )
    )
    add_members(integration, rows)
    say(f"Council: {integration.title} ({'created' if created else 'exists'})")

    # --- Handicaprådet -----------------------------------------------------------------------
    disability, created = add_council(
        index,
        "handicapraadet",
        "Handicaprådet",
        kind=CouncilKind.DISABILITY,
        mandate="<p>Handicaprådet rådgiver Borgerrepræsentationen om alle initiativer, der har betydning for "
        "mennesker med handicap, og skal høres om dem. Rådet kan ikke behandle enkeltsager.</p>",
        legal_basis="Retssikkerhedsloven § 37 a",
        secretariat_name="Handicaprådets sekretariat",
        secretariat_email=SECRETARIAT_EMAIL.format(slug="handicapraadet"),
        secretariat_phone="33 66 20 20",
        term_start=term_start,
        term_end=term_end,
        seat_groups=[
            ("Indstillet af Danske Handicaporganisationer", 3, 7),
            ("Udpeget af Borgerrepræsentationen", 3, 7),
        ],
    )
    dh, br = "Indstillet af Danske Handicaporganisationer", "Udpeget af Borgerrepræsentationen"
    rows = [(dh, names(), Membership.Role.CHAIR, "Danske Handicaporganisationer", Membership.Origin.NOMINATED)]
    for _i in range(4):
        rows.append((dh, names(), Membership.Role.MEMBER, "Danske Handicaporganisationer", Membership.Origin.NOMINATED))
    rows.append((br, names(), Membership.Role.VICE_CHAIR, "Borgerrepræsentationen", Membership.Origin.POLITICAL))
    for _i in range(3):
        rows.append((br, names(), Membership.Role.MEMBER, "Borgerrepræsentationen", Membership.Origin.POLITICAL))
    rows.append((dh, names(), Membership.Role.SUBSTITUTE, "Danske Handicaporganisationer", Membership.Origin.NOMINATED))
    rows = [(*row, term_start, None) for row in rows]
    rows.append(
        (
            br,
            names(),
            Membership.Role.MEMBER,
            "Borgerrepræsentationen",
            Membership.Origin.POLITICAL,
            previous_term_start,
            today - timedelta(days=30),
        )
    )
    add_members(disability, rows)
    say(f"Council: {disability.title} ({'created' if created else 'exists'})")

    # --- The 12 lokaludvalg -----------------------------------------------------------------
    local_committees = []
    for district in LOCAL_COMMITTEES:
        slug = f"lokaludvalg-{slugify(district.replace('ø', 'oe').replace('Ø', 'Oe').replace('å', 'aa'))}"
        committee, created = add_council(
            index,
            slug,
            f"{district} Lokaludvalg",
            kind=CouncilKind.LOCAL,
            area=district,
            mandate="<p>Lokaludvalget er bindeled mellem bydelens borgere og Borgerrepræsentationen. "
            "Udvalget skal høres, før kommunen beslutter sager af særlig betydning for bydelen: "
            "fysisk planlægning, miljø, sundhed, trafik, idræt, skole, børn, unge, ældre og kultur. "
            "Det skriver en bydelsplan hvert fjerde år og har en pulje til lokale projekter.</p>",
            legal_basis="Borgerrepræsentationens kommissorium for lokaludvalg",
            secretariat_name=f"Sekretariatet for {district} Lokaludvalg",
            secretariat_email=SECRETARIAT_EMAIL.format(slug=slug),
            term_start=term_start,
            term_end=term_end,
            seat_groups=[("Udpeget af de politiske partier", 10, 10), ("Valgt af lokale foreninger", 15, 15)],
        )
        rows = []
        for i in range(10):
            role = Membership.Role.VICE_CHAIR if i == 0 else Membership.Role.MEMBER
            party = PARTIES[i % len(PARTIES)]
            rows.append(
                ("Udpeget af de politiske partier", names(), role, party, Membership.Origin.POLITICAL, term_start, None)
            )
        for i, association in enumerate(LOCAL_ASSOCIATIONS):
            role = Membership.Role.CHAIR if i == 0 else Membership.Role.MEMBER
            rows.append(
                (
                    "Valgt af lokale foreninger",
                    names(),
                    role,
                    f"{association} i {district}",
                    Membership.Origin.ELECTED,
                    term_start,
                    None,
                )
            )
        for association in LOCAL_ASSOCIATIONS[:2]:
            rows.append(
                (
                    "Valgt af lokale foreninger",
                    names(),
                    Membership.Role.SUBSTITUTE,
                    f"{association} i {district}",
                    Membership.Origin.ELECTED,
                    term_start,
                    None,
                )
            )
        add_members(committee, rows)
        local_committees.append(committee)
        say(f"Council: {committee.title} ({'created' if created else 'exists'})")

    # --- Lokalt Beskæftigelsesråd -----------------------------------------------------------
    employment_start = date(term_start.year, 6, 1)
    employment, created = add_council(
        index,
        "lokalt-beskaeftigelsesraad",
        "Det Lokale Beskæftigelsesråd",
        kind=CouncilKind.EMPLOYMENT,
        mandate="<p>Rådet rådgiver jobcentret om beskæftigelsesindsatsen, deltager i arbejdet med den årlige "
        "beskæftigelsesplan og har en pulje til lokale beskæftigelsesinitiativer. Medlemmer og suppleanter "
        "udpeges for fire år fra 1. juni året efter kommunalvalget; formanden for to år.</p>",
        legal_basis="Lov om ansvaret for og styringen af den aktive beskæftigelsesindsats",
        secretariat_name="Beskæftigelses- og Integrationsforvaltningen",
        secretariat_email=SECRETARIAT_EMAIL.format(slug="lbr"),
        secretariat_phone="33 66 30 30",
        term_start=employment_start,
        term_end=date(employment_start.year + 4, 5, 31),
        seat_groups=[(name, lo, hi) for name, lo, hi, *_rest in EMPLOYMENT_SEATS],
    )
    rows = []
    for group, _lo, _hi, organisation, origin, count in EMPLOYMENT_SEATS:
        for _i in range(count):
            rows.append((group, names(), Membership.Role.MEMBER, organisation, origin, employment_start, None))
    chair = rows[1]
    rows[1] = (chair[0], chair[1], Membership.Role.CHAIR, *chair[3:])
    add_members(employment, rows)
    say(f"Council: {employment.title} ({'created' if created else 'exists'})")

    # --- Meetings with agenda documents -----------------------------------------------------
    room = "Rådhuset, Rådhuspladsen 1, 1550 København V, mødelokale 3"
    add_meeting(
        disability,
        "seneste-moede",
        "Rådsmøde",
        at(today - timedelta(days=21), 16),
        room,
        [
            ("Godkendelse af dagsorden", "", None),
            (
                "Tilgængelighed i kommunens bygninger",
                "Forvaltningen orienterer om status på handlingsplanen.",
                ["Status på handlingsplan for tilgængelighed.", "12 bygninger er gennemgået i år."],
            ),
        ],
        minutes="<p>Rådet tog orienteringen til efterretning og bad om en ny status til næste møde.</p>",
    )
    add_meeting(
        disability,
        "naeste-moede",
        "Rådsmøde",
        at(today + timedelta(days=14), 16),
        room,
        [
            ("Godkendelse af dagsorden", "", None),
            (
                "Høring om budget på handicapområdet",
                "Rådet drøfter sit høringssvar til budgetforslaget.",
                ["Budgetforslag for handicapområdet.", "Rådet skal afgive høringssvar inden fristen."],
            ),
            ("Eventuelt", "", None),
        ],
    )
    add_meeting(
        disability,
        "moede-om-tilgaengelighed",
        "Temamøde om tilgængelighed",
        at(today + timedelta(days=56), 16),
        "Kulturhuset, Islands Brygge 18, 2300 København S",
        [("Oplæg fra borgere og foreninger", "", None)],
    )
    add_meeting(
        integration,
        "seneste-moede",
        "Rådsmøde",
        at(today - timedelta(days=35), 17),
        room,
        [
            (
                "Integrationspolitik",
                "Drøftelse af rådets udtalelse.",
                ["Udkast til udtalelse om integrationspolitikken."],
            )
        ],
        minutes="<p>Rådet vedtog sin udtalelse om integrationspolitikken.</p>",
    )
    add_meeting(
        integration,
        "naeste-moede",
        "Rådsmøde",
        at(today + timedelta(days=10), 17),
        room,
        [("Forberedelse af valget til Integrationsrådet", "", ["Tidsplan for valget.", "Valgkort og valgsteder."])],
    )
    add_meeting(
        employment,
        "naeste-moede",
        "Rådsmøde om beskæftigelsesplanen",
        at(today + timedelta(days=20), 9),
        "Jobcenter København, Gyldenløvesgade 11, 1600 København V",
        [
            (
                "Beskæftigelsesplan",
                "Rådets bidrag til den årlige beskæftigelsesplan.",
                ["Udkast til beskæftigelsesplan.", "Mål for jobcentrets indsats."],
            ),
            ("Pulje til lokale beskæftigelsesinitiativer", "Ansøgninger til behandling.", None),
        ],
        is_open=False,
    )
    for committee in local_committees[:3]:
        add_meeting(
            committee,
            "naeste-moede",
            "Lokaludvalgsmøde",
            at(today + timedelta(days=12), 19),
            f"Medborgerhuset i {committee.area}",
            [
                ("Bydelsplan", "Status på arbejdet med bydelsplanen.", ["Udkast til bydelsplan.", committee.area]),
                ("Ansøgninger til puljen", "", None),
            ],
        )

    # --- Statements --------------------------------------------------------------------------
    get_or_create_child(
        integration,
        StatementPage,
        "udtalelse-om-integrationspolitikken",
        title="Udtalelse om integrationspolitikken",
        date=today - timedelta(days=30),
        subject="Kommunens integrationspolitik",
        body=[
            {
                "type": "paragraph",
                "value": "<p>Integrationsrådet anbefaler, at politikken får konkrete mål for beskæftigelse og "
                "uddannelse, og at foreningerne inddrages i opfølgningen.</p>",
            }
        ],
    )
    get_or_create_child(
        disability,
        StatementPage,
        "udtalelse-om-tilgaengelighed",
        title="Udtalelse om tilgængelighed i budgettet",
        date=today - timedelta(days=14),
        subject="Budget for tilgængelighed",
        body=[
            {
                "type": "paragraph",
                "value": "<p>Handicaprådet anbefaler, at puljen til tilgængelighed fastholdes.</p>",
            }
        ],
    )

    # --- Hearing lists -----------------------------------------------------------------------
    org = PartyKind.ORGANISATION
    add_hearing_list(
        "Høringsliste: beskæftigelse",
        "Faste høringsparter om beskæftigelsesplanen og beskæftigelsesindsatsen.",
        employment,
        [
            ("Dansk Arbejdsgiverforening", org, "hoering@da.example", None),
            ("Landsorganisationen i Danmark", org, "hoering@lo.example", None),
            ("Funktionærernes og Tjenestemændenes Fællesråd", org, "hoering@ftf.example", None),
            ("Akademikernes Centralorganisation", org, "hoering@ac.example", None),
            ("De Samvirkende Invalideorganisationer", org, "hoering@dsi.example", None),
            ("Praktiserende Lægers Organisation", org, "hoering@plo.example", None),
            ("Integrationsrådet", PartyKind.COUNCIL, "integrationsraadet@kommune.example", integration),
        ],
    )
    add_hearing_list(
        "Høringsliste: integration",
        "Faste høringsparter om integrationspolitikken.",
        integration,
        [
            ("Det Lokale Beskæftigelsesråd", PartyKind.COUNCIL, "lbr@kommune.example", employment),
            ("Landsorganisationen i Danmark", org, "integration@lo.example", None),
            ("Dansk Arbejdsgiverforening", org, "integration@da.example", None),
            *[(c.title, PartyKind.COUNCIL, SECRETARIAT_EMAIL.format(slug=c.slug), c) for c in local_committees],
        ],
    )
    add_hearing_list(
        "Høringsliste: handicap",
        "Faste høringsparter om initiativer, der berører mennesker med handicap.",
        disability,
        [
            ("Danske Handicaporganisationer", org, "hoering@dh.example", None),
            ("De Samvirkende Invalideorganisationer", org, "kontakt@dsi.example", None),
            ("Det Lokale Beskæftigelsesråd", PartyKind.COUNCIL, "lbr@kommune.example", employment),
            ("Praktiserende Lægers Organisation", org, "handicap@plo.example", None),
        ],
    )
    say("Councils: meetings, statements and 3 hearing lists ready.")
    return index
