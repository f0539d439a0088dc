import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_home_page_has_no_axe_violations(page, home_page, check_a11y):
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text(home_page.title)
    check_a11y(page)
