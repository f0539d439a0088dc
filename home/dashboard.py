"""The dashboard panel »Det skal gøres«: every app's work list for the pages the user may edit."""

from django.utils import timezone
from wagtail.admin.ui.components import Component

import consultations.dashboard
import councils.dashboard
import elections.dashboard

#: The apps whose work lists the panel shows, in this order.
SOURCES = (consultations.dashboard, councils.dashboard, elections.dashboard)


def work_lists(user, now=None):
    now = now or timezone.now()
    lists = []
    for source in SOURCES:
        lists.extend(source.work_lists(user, now))
    return lists


class WorkPanel(Component):
    name = "medborger_work"
    template_name = "home/admin/work_panel.html"
    order = 50

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context):
        return {"work_lists": work_lists(self.request.user)}
