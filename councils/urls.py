from django.urls import path

from core.cache import public_page

from . import views

app_name = "councils"
urlpatterns = [
    path("kalender.ics", public_page(views.all_councils_calendar), name="calendar"),
    path("<str:slug>/kalender.ics", public_page(views.council_calendar), name="council_calendar"),
]
