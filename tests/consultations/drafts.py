"""A sectioned draft for the tests: three chapters, section ids fixed so tests can name them."""

import json


def section(section_id, heading, text):
    return {"type": "item", "id": section_id, "value": {"heading": heading, "text": f"<p>{text}</p>"}}


def chapter(heading, *sections):
    return {"type": "chapter", "value": {"heading": heading, "sections": list(sections)}}


def traffic_draft():
    """Chapters 1–3; sections 2.1 (»Cykelstier«) and 3.2 (»Parkering«) are the ones the journeys comment on."""
    return [
        chapter("Indledning", section("s-1-1", "Formål", "Planen skal gøre Valby tryggere at færdes i.")),
        chapter(
            "Cykler og gående",
            section("s-2-1", "Cykelstier", "Der anlægges cykelstier på hele Valby Langgade."),
            section("s-2-2", "Skoleveje", "Krydsene ved skolerne får fodgængerfelter."),
        ),
        chapter(
            "Biler",
            section("s-3-1", "Hastighed", "Hastigheden sættes ned til 40 km/t."),
            section("s-3-2", "Parkering", "Der nedlægges 60 parkeringspladser på Valby Langgade."),
        ),
    ]


def draft_json(draft):
    return json.dumps(draft)
