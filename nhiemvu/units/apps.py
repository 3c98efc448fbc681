from django.apps import AppConfig


class UnitsConfig(AppConfig):
    name = "nhiemvu.units"
    label = "units"
