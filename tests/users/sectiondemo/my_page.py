"""A stand-in app section for the 'Min side' tests."""

from django.template import Template


def my_page_section(request):
    if not request.user.email.startswith("med."):
        return None
    return {
        "title": "Mine høringssvar",
        "template": Template("<section><h2>{{ section.title }}</h2><p>{{ section.count }} svar</p></section>"),
        "count": 3,
    }
