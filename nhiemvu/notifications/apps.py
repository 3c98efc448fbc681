from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "nhiemvu.notifications"
    verbose_name = _("Notifications")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Workflow events notify in their own transaction; core does not know about us.
        from nhiemvu.core.models import Event

        from .events import on_event

        post_save.connect(on_event, sender=Event, dispatch_uid="notifications.on_event")
