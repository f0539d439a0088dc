"""A button on the pages of one type, in the admin's page listing and in the page's header."""

from django.urls import reverse
from wagtail import hooks
from wagtail.admin.widgets import Button, ListingButton


def register_page_button(model, label, url_name, may_use, icon_name="clipboard-list", priority=60):
    """Show ``label`` (linking to ``url_name`` with the page's id) on every page of type ``model``
    whose user passes ``may_use(user, page)``: in the page listing and in the page header."""

    def buttons(page, user, button_class):
        if issubclass(page.specific_class or object, model) and may_use(user, page):
            yield button_class(label, reverse(url_name, args=[page.pk]), icon_name=icon_name, priority=priority)

    def listing_buttons(page, user, next_url=None):
        yield from buttons(page, user, ListingButton)

    def header_buttons(page, user, next_url=None, view_name=None):
        yield from buttons(page, user, Button)

    hooks.register("register_page_listing_buttons", listing_buttons)
    hooks.register("register_page_header_buttons", header_buttons)
