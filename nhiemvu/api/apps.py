from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "nhiemvu.api"
    label = "api"
