"""Issue 15, what must hold 4 (avatars): the Wagtail admin makes no request to another host.

Wagtail fetches avatars from gravatar.com and checks for updates at releases.wagtail.io unless
told not to; tests/e2e/conftest.py fails the journey on any request to another host than the live
server's, so walking the admin's pages shows it makes none; the avatar shown is Wagtail's local
default image.
"""

import pytest
from playwright.sync_api import expect

from tests.helpers import login_with_mfa

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ADMIN_PAGES = ["/admin/", "/admin/account/", "/admin/pages/", "/admin/users/", "/admin/hoeringssvar/"]


def test_the_admin_loads_nothing_from_other_hosts_and_shows_a_local_avatar(page, home_page, mfa_user):
    user, secret = mfa_user(email="admin@kommune.example", is_staff=True, is_superuser=True)
    login_with_mfa(page, user.email, "Kodeord-der-er-langt-42", secret)
    page.wait_for_url(lambda url: "/konto/" not in url)

    for path in ADMIN_PAGES:
        page.goto(path)
        expect(page.get_by_role("main")).to_be_visible()
        page.wait_for_load_state("networkidle")
        avatars = page.locator("img.avatar__image, .avatar img")
        for index in range(avatars.count()):
            src = avatars.nth(index).get_attribute("src")
            assert src.startswith("/static/wagtailadmin/images/default-user-avatar"), src

    page.goto("/admin/account/")  # the account page shows the avatar
    expect(page.locator("img[src^='/static/wagtailadmin/images/default-user-avatar']").first).to_be_attached()
