from django.urls import path

from . import views

app_name = "councils"
urlpatterns = [
    path("kalender.ics", views.all_councils_calendar, name="calendar"),
    path("<str:slug>/kalender.ics", views.council_calendar, name="council_calendar"),
]
