from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "nhiemvu.documents"
    label = "documents"
