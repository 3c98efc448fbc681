from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


def _count_task(
    sender: Any, instance: Any, created: bool = False, raw: bool = False, **kwargs: Any
) -> None:
    """Keep the scorecard ledger in step with every saved task (same transaction)."""
    from . import ledger

    if not raw and (created or instance.read_under_lock):
        ledger.sync_saved(instance, created=created)
    else:
        ledger.sync([instance.pk])


class ReportsConfig(AppConfig):
    name = "nhiemvu.reports"
    verbose_name = _("Reports")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from nhiemvu.tasks.models import Task

        post_save.connect(_count_task, sender=Task, dispatch_uid="reports.count_task")
