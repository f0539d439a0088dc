"""The secretariat's work list on the Wagtail dashboard: what each app contributes.

Each app has a ``dashboard.py`` with ``work_lists(user, now)`` returning ``WorkList`` objects for
the pages that user may edit; ``home.dashboard`` puts them in one panel. An empty list still
shows (with »Intet at gøre«), so a secretariat can see that nothing waits.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class WorkItem:
    label: str
    url: str
    detail: str = ""


@dataclass
class WorkList:
    key: str
    heading: str
    items: list = field(default_factory=list)

    @property
    def count(self):
        return len(self.items)
