from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "nhiemvu.feedback"
    verbose_name = _("Feedback between units")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The notifications outbox composes texts by rule; add ours to its table.
        from nhiemvu.workcalendar.models import recount_on_change

        from .notices import register
        from .services import refresh_due_dates

        register()
        recount_on_change(refresh_due_dates)
