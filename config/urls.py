from django.urls import include, path, re_path
from django.views.generic import TemplateView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from core import polls as core_polls
from core import views as core_views
from home import views as home_views
from users import views as users_views

urlpatterns = [
    path("admin/login/", users_views.admin_login, name="admin_login"),
    path("admin/", include(wagtailadmin_urls)),
    path("dokumenter/", include(wagtaildocs_urls)),
    path("konto/oidc/mitid/", include("users.mitid_urls")),  # before allauth's: the stricter MitID views
    path("konto/", include("allauth.urls")),
    path("min-side/", include("users.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("soeg/", home_views.search, name="search"),
    path("afstemning/<int:page_id>/<str:poll_id>/", core_polls.vote, name="quick_poll_vote"),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("favicon.ico", core_views.favicon, name="favicon"),
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain"),
        name="robots_txt",
    ),
    path("raad/", include("councils.urls")),
    path("hoeringer/", include("consultations.urls")),
    path("valg/", include("elections.urls")),
]

# Public media on local disk: only Wagtail images (with S3_MEDIA_BUCKET their URLs point to object
# storage instead). Documents are never served from MEDIA_ROOT – a collection may be login-restricted
# – only by Wagtail's permission-checked view at /dokumenter/ (WAGTAILDOCS_SERVE_METHOD); private
# files are not under MEDIA_ROOT at all. deploy/nginx/medborger.conf serves the same and no more.
urlpatterns += [re_path(r"^media/(?P<path>(?:images|original_images)/.+)$", core_views.public_media)]

urlpatterns += [path("", include(wagtail_urls))]

handler400 = "core.views.bad_request"
handler404 = "home.views.page_not_found"
handler500 = "home.views.server_error"
