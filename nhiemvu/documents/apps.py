from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "nhiemvu.documents"
    label = "documents"

    def ready(self) -> None:
        from nhiemvu.workcalendar.models import recount_on_change

        from .services import refresh_intake_due

        recount_on_change(refresh_intake_due)
