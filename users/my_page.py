"""'Min side' collects what each app knows about the logged-in person.

Each app may provide a function `my_page_section(request)` in its `my_page` module that
returns None or a dict with `title` and `template` (and any context it needs). The template
is included with the dict as `section`.
"""

from importlib import import_module
from importlib.util import find_spec

APPS_WITH_SECTIONS = ("consultations", "councils", "elections")


def my_page_sections(request):
    sections = []
    for app in APPS_WITH_SECTIONS:
        if find_spec(f"{app}.my_page") is None:
            continue
        section = import_module(f"{app}.my_page").my_page_section(request)
        if section:
            sections.append(section)
    return sections
