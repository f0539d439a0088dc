from wagtail import hooks

from .dashboard import WorkPanel


@hooks.register("construct_homepage_panels")
def add_work_panel(request, panels):
    panels.insert(0, WorkPanel(request))
