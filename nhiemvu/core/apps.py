from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "nhiemvu.core"
    label = "core"
