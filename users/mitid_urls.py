"""MitID's login and callback, on the paths allauth gives its openid_connect provider "mitid".

Included before allauth's URLs so these views (with the stricter MitIDOAuth2Adapter) answer;
allauth's reverse("openid_connect_login", provider_id="mitid") yields the same paths.
"""

from django.urls import path

from . import views

urlpatterns = [
    path("login/", views.mitid_login, {"provider_id": "mitid"}, name="mitid_login"),
    path("login/callback/", views.mitid_callback, {"provider_id": "mitid"}, name="mitid_callback"),
]
