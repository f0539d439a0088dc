"""The page editor saves only when the editor asks it to (settings.WAGTAIL_AUTOSAVE_INTERVAL = 0).

With Wagtail 8's autosave on, a new hearing was created in the background while its editor was still on
the create form, and an »Udgiv« sent during that save reached the create view a second time: a 500 on
the slug the autosaved draft had just taken (the secretariat's hearing journey met it on PostgreSQL).
"""

import re

from tests.councils import factories


def _form_controllers(response):
    form = re.search(r'<form[^>]*id="page-edit-form"[^>]*>', response.content.decode(), re.S)
    assert form, "the page editor's form is on the page"
    return re.search(r'data-controller="([^"]*)"', form.group(0)).group(1).split()


def test_creating_and_editing_a_page_never_saves_in_the_background(staff_client, home_page):
    index = factories.council_index(home_page)
    council = factories.council(index, "Valby Lokaludvalg", "lokaludvalg-valby")

    create = staff_client.get(f"/admin/pages/add/consultations/hearingpage/{council.pk}/")
    edit = staff_client.get(f"/admin/pages/{council.pk}/edit/")

    assert create.status_code == edit.status_code == 200
    for response in (create, edit):
        controllers = _form_controllers(response)
        assert "w-unsaved" in controllers  # leaving with unsaved changes still asks first
        assert "w-autosave" not in controllers
        assert "data-w-autosave-interval-value" not in response.content.decode()
