from django.urls import include, path

from . import views

urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("test/configure/", views.configure, name="configure"),
    path("", include("oauth2_provider.urls")),
]
