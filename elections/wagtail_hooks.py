"""Election admin for secretariats: a »Valg« menu item and the views in ``admin_views``.

No ModelViewSet or snippet is registered for voters or ballots: the roll and the ballots
cannot be edited through any admin view.
"""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from core.permissions import editable_pages

from . import admin_views
from .models import ElectionPage

admin_urlpatterns = [
    path("", admin_views.index, name="index"),
    path("<int:pk>/", admin_views.detail, name="detail"),
    path("<int:pk>/valgliste/", admin_views.roll_import, name="roll_import"),
    path("<int:pk>/valgliste/toem/", admin_views.roll_clear, name="roll_clear"),
    path("<int:pk>/valgkort/", admin_views.letters, name="letters"),
    path("<int:pk>/kandidat/<int:candidate_pk>/godkend/", admin_views.approve, name="approve"),
    path("<int:pk>/kandidat/<int:candidate_pk>/afvis/", admin_views.reject, name="reject"),
    path("<int:pk>/handling/<slug:name>/", admin_views.action, name="action"),
    path("<int:pk>/udpegning/", admin_views.appoint, name="appoint"),
    path("<int:pk>/log/", admin_views.audit_log, name="audit_log"),
    path("<int:pk>/valgtillidsfolk/", admin_views.trustees, name="trustees"),
]


@hooks.register("register_admin_urls")
def register_election_admin_urls():
    return [path("valg/", include((admin_urlpatterns, "elections_admin")))]


class ElectionMenuItem(MenuItem):
    def is_shown(self, request):
        return editable_pages(request.user, ElectionPage).exists()


@hooks.register("register_admin_menu_item")
def register_election_menu_item():
    return ElectionMenuItem(_("Valg"), reverse("elections_admin:index"), icon_name="tasks", order=260)
