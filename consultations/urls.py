from django.urls import path

from core.cache import public_page

from . import feeds, views

app_name = "consultations"

urlpatterns = [
    path("svar/sendt/", views.response_sent, name="response_sent"),
    path("svar/bekraeft/<str:token>/", views.confirm_response, name="response_confirm"),
    path("svar/bilag/<uuid:token>/", views.attachment, name="attachment"),
    path("abonnement/", views.subscribe, name="subscribe"),
    path("abonnement/bekraeft/<str:token>/", views.subscription_confirm, name="subscription_confirm"),
    path("abonnement/afmeld/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("abonnement/vis/<str:token>/", views.subscription_manage, name="subscription_manage"),
    path("feeds/rss/", public_page(feeds.HearingsFeed()), name="feed_rss"),
    path("feeds/atom/", public_page(feeds.AtomHearingsFeed()), name="feed_atom"),
    path("feeds/raad/<slug:slug>/rss/", public_page(feeds.CouncilHearingsFeed()), name="feed_council_rss"),
    path("feeds/raad/<slug:slug>/atom/", public_page(feeds.AtomCouncilHearingsFeed()), name="feed_council_atom"),
    path("feeds/emne/<str:slug>/rss/", public_page(feeds.TopicHearingsFeed()), name="feed_topic_rss"),
    path("feeds/emne/<str:slug>/atom/", public_page(feeds.AtomTopicHearingsFeed()), name="feed_topic_atom"),
    path("feeds/frister.ics", public_page(feeds.deadlines_ics), name="deadlines_ics"),
]

# Hearing summary (høringsnotat): print-friendly page and PDF (consultations.summary).
from consultations import summary as _summary  # noqa: E402

urlpatterns += [
    path("notat/<int:pk>/print/", _summary.summary_print, name="summary_print"),
    path("notat/<int:pk>/pdf/", _summary.summary_pdf, name="summary_pdf"),
]
