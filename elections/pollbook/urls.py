from django.urls import path

from . import views

urlpatterns = [
    path("", views.pollbook_home, name="pollbook"),
    path("<int:place_id>/", views.pollbook_place, name="pollbook_place"),
    path("<int:place_id>/tjek-ind/<int:voter_id>/", views.pollbook_check_in, name="pollbook_check_in"),
    path("<int:place_id>/optaelling/", views.pollbook_count, name="pollbook_count"),
    path("valgstyrere/", views.pollbook_officers, name="pollbook_officers"),
]
