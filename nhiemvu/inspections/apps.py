from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    name = "nhiemvu.inspections"
    verbose_name = _("Inspections")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from nhiemvu.workcalendar.models import recount_on_change

        from . import notify
        from .services import refresh_report_due

        notify.register()
        recount_on_change(refresh_report_due)
