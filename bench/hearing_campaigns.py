#!/usr/bin/env python
"""Benchmark (issue 12, must hold 7): a hearing with 5,000 responses, 4,000 of them one campaign.

    .venv/bin/python bench/hearing_campaigns.py [--responses 5000] [--campaign 4000] [--repeat 3]

In-process (Django test client, a throw-away SQLite database, or PostgreSQL with DATABASE_URL set):
creates the hearing and its confirmed responses through bulk_create (campaign copies differ in name,
greeting, sign-off and, for a third of them, a few words; the draft has four sections, every campaign copy
comments on 3.2 and every fourth other response on 1.1), then times, each --repeat times:
the secretariat's moderation listing (first page, 50 rows), grouping (signatures stored: the
moderation view's work; and once cold, signatures computed for every response), the campaign
moderation page, the admin's høringsnotat editing page (the first 20 comments of each section
listed) and the høringsnotat print page. A bare baseline — the same client fetching the
site's 404 page — is measured in the same run. Wall-clock and CPU seconds are printed (the machine
may be shared). It deletes its database when done.
"""

import argparse
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

CAMPAIGN = (
    "Jeg er imod, at der fjernes 60 parkeringspladser på Valby Langgade. Butikkerne lever af kunder, der "
    "kommer i bil, og mange ældre kan hverken cykle eller gå langt med deres indkøb. Bevar pladserne, og "
    "find en anden løsning for cyklisterne, for eksempel på sidegaderne. Trafikplanen skal laves om."
)
SWAPS = [("imod", "stærkt imod"), ("mange ældre", "rigtig mange ældre"), ("Bevar", "Behold"), ("for eksempel", "fx")]
WORDS = [
    "cykelsti",
    "bus",
    "skole",
    "træer",
    "bænke",
    "støj",
    "trafik",
    "lys",
    "fortov",
    "parkering",
    "butik",
    "bydel",
    "plads",
    "vej",
    "kryds",
    "børn",
    "ældre",
    "grønt",
    "miljø",
    "sikkerhed",
    "hastighed",
    "fodgænger",
    "regn",
    "sol",
    "park",
]


PROFILE = False


def _section(section_id, heading, text):
    return {"type": "item", "id": section_id, "value": {"heading": heading, "text": f"<p>{text}</p>"}}


# The draft in sections (tests/consultations/drafts.py's traffic draft, shortened): 1.1 and 3.2 get comments.
DRAFT = [
    {"type": "chapter", "value": {"heading": "Indledning", "sections": [_section("s-1-1", "Formål", "Tryg trafik.")]}},
    {"type": "chapter", "value": {"heading": "Cykler", "sections": [_section("s-2-1", "Cykelstier", "Nye stier.")]}},
    {
        "type": "chapter",
        "value": {
            "heading": "Biler",
            "sections": [_section("s-3-1", "Hastighed", "40 km/t."), _section("s-3-2", "Parkering", "60 færre.")],
        },
    },
]


def timed(label, function, repeat, before=None):
    """Min and median wall/CPU of ``repeat`` runs of ``function``; ``before`` (not timed) runs before each,
    including the profiled run, so a cold step is cold every time."""
    if PROFILE:
        import cProfile
        import pstats

        if before:
            before()
        profiler = cProfile.Profile()
        profiler.runcall(function)
        print(f"--- profile: {label}")
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
    walls, cpus = [], []
    result = None
    for _ in range(repeat):
        if before:
            before()
        wall, cpu = time.perf_counter(), time.process_time()
        result = function()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    print(
        f"{label:<46} wall {min(walls):6.3f} s (median {sorted(walls)[len(walls) // 2]:6.3f})  cpu {min(cpus):6.3f} s"
    )
    return result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--responses", type=int, default=5000)
    parser.add_argument("--campaign", type=int, default=4000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--profile", action="store_true", help="print a cProfile listing of each measured step first")
    args = parser.parse_args()
    global PROFILE
    PROFILE = args.profile

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["testserver", "localhost"]
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        run(args)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def run(args):
    from datetime import timedelta

    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone
    from wagtail.models import Page, Site

    from consultations.campaigns import group_responses, signature, stored_groups
    from consultations.models import HearingIndexPage, HearingPage, Response, SectionComment

    rng = random.Random(7)
    root = Page.objects.get(depth=1)
    home = root.add_child(instance=Page(title="Forside", slug="forside"))
    Site.objects.update_or_create(is_default_site=True, defaults={"root_page": home, "hostname": "localhost"})
    index = home.add_child(instance=HearingIndexPage(title="Høringer", slug="hoeringer"))
    now = timezone.now()
    hearing = index.add_child(
        instance=HearingPage(
            title="Trafikplan for Valby",
            slug="trafikplan",
            opens_at=now - timedelta(days=40),
            closes_at=now - timedelta(days=1),
            draft=DRAFT,
        )  # fmt: skip
    )
    texts = []
    for n in range(args.responses):
        if n < args.campaign:
            text = CAMPAIGN
            if n % 3 == 0:
                for old, new in rng.sample(SWAPS, 2):
                    text = text.replace(old, new)
            texts.append(f"{rng.choice(['Hej,', 'Kære forvaltning,', ''])}\n{text}\nMed venlig hilsen\nBorger {n}")
        else:
            texts.append(" ".join(rng.choice(WORDS) for _ in range(60)) + f" svar {n}")
    rng.shuffle(texts)
    started = time.perf_counter()
    responses = [
        Response(hearing=hearing, name=f"Borger {n}", email=f"b{n}@example.org", postcode="2500", text=text,
                 consent=True, status=Response.Status.RECEIVED, confirmed_at=now - timedelta(minutes=n))
        for n, text in enumerate(texts)
    ]  # fmt: skip
    Response.objects.bulk_create(responses, batch_size=500)
    # Section comments: every campaign copy says the same on 3.2 (the campaign's own point), every fourth
    # other response says something on 1.1; the høringsnotat editing page lists the first 20 per section.
    comments = []
    for response in Response.objects.filter(hearing=hearing).only("pk", "text"):
        if "parkeringspladser på Valby Langgade" in response.text:
            comments.append(SectionComment(response=response, section_id="s-3-2", number="3.2", heading="Parkering",
                                           text="Behold alle parkeringspladserne."))  # fmt: skip
        elif response.pk % 4 == 0:
            comments.append(SectionComment(response=response, section_id="s-1-1", number="1.1", heading="Formål",
                                           text=" ".join(rng.choice(WORDS) for _ in range(20))))  # fmt: skip
    SectionComment.objects.bulk_create(comments, batch_size=500)
    print(
        f"setup: {args.responses} responses ({args.campaign} campaign), {len(comments)} section comments "
        f"in {time.perf_counter() - started:.1f} s"
    )

    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    admin = get_user_model().objects.create_superuser(email="bench@kommune.example")
    TOTP.activate(admin, generate_totp_secret())  # the admin wants two-factor authentication set up
    client = Client()
    client.force_login(admin)

    def get(url):
        answer = client.get(url)
        assert answer.status_code in (200, 404), (url, answer.status_code)
        if hasattr(answer, "render"):
            answer.render()
        return answer

    timed("baseline: the site's 404 page", lambda: get("/findes-ikke/"), args.repeat)
    cold = timed(
        "signatures for every response (cold, once)",
        lambda: [signature(t) for t in texts],
        1,
    )

    def forget_signatures():
        Response.objects.filter(hearing=hearing).update(text_signature=None, campaign_group=None)

    timed(
        "grouping, cold (signatures computed and stored)",
        lambda: group_responses(hearing),
        args.repeat,
        before=forget_signatures,
    )
    groups = timed("grouping (signatures stored: after a new response)", lambda: group_responses(hearing), args.repeat)
    timed("stored groups, nothing changed (what pages read)", lambda: stored_groups(hearing), args.repeat)
    print(f"  groups: {[g.size for g in groups[:5]]} … ({len(groups)} groups of 2+; {len(cold)} signatures)")
    listing = reverse("consultations_response:list") + f"?hearing={hearing.pk}"
    answer = timed("moderation listing (50 of 5,000, with group size)", lambda: get(listing), args.repeat)
    assert b"enslydende svar" in answer.content
    timed("campaign moderation page", lambda: get(reverse("consultations_admin_campaigns", args=[hearing.pk])),
          args.repeat)  # fmt: skip
    editing = timed(
        "høringsnotat editing page (admin, with 20 comments per commented section)",
        lambda: get(reverse("consultations_admin_summary", args=[hearing.pk])),
        args.repeat,
    )
    assert editing.content.decode().count("Behold alle parkeringspladserne.") == 20
    summary = timed(
        "høringsnotat print page", lambda: get(reverse("consultations:summary_print", args=[hearing.pk])), args.repeat
    )
    assert "enslydende svar)" in summary.content.decode()


if __name__ == "__main__":
    main()
