from django.apps import AppConfig


class ElectionsConfig(AppConfig):
    name = "elections"
    label = "elections"
    verbose_name = "Valg"
