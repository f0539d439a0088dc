from django.urls import include, path

from core.cache import public_page

from . import trustee_views, views

app_name = "elections"
urlpatterns = [
    path("", public_page(views.election_index, timeout=60), name="index"),
    path("<int:pk>/kandidat/", views.nominate, name="nominate"),
    path("<int:pk>/kandidat/tak/", views.nominate_done, name="nominate_done"),
    path("<int:pk>/stiller/<uuid:token>/", views.endorse, name="endorse"),
    path("<int:pk>/stem/", views.vote, name="vote"),
    path("<int:pk>/stem/stemmeseddel/", views.ballot, name="ballot"),
    path("<int:pk>/stem/afgiv/", views.cast, name="cast"),
    path("<int:pk>/stem/kvittering/", views.receipt, name="receipt"),
    path("<int:pk>/resultat/", public_page(views.results), name="results"),
    path("<int:pk>/resultat.csv", public_page(views.results_csv), name="results_csv"),
    path("<int:pk>/resultat.json", public_page(views.results_json), name="results_json"),
    path("<int:pk>/kontrol/", public_page(views.verification, timeout=60), name="verification"),
    path("<int:pk>/opslagstavle.json", views.board_json, name="board"),
    path("<int:pk>/opslagstavle/hoved.json", views.head_json, name="head"),
    path("<int:pk>/tillidsperson/", trustee_views.trustee, name="trustee"),
    path("kandidatfoto/<int:pk>/", views.candidate_photo, name="candidate_photo"),
    path("<int:election_id>/valgbog/", include("elections.pollbook.urls")),
]
