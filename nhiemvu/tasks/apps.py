from typing import Any

from django.apps import AppConfig


class TasksConfig(AppConfig):
    name = "nhiemvu.tasks"
    label = "tasks"

    def ready(self) -> None:
        from nhiemvu.workcalendar.models import calendar_changed

        calendar_changed.connect(_recount_due_soon, dispatch_uid="tasks.recount_due_soon")


def _recount_due_soon(tenant_ids: list[int], dates: Any, **kwargs: Any) -> int:
    from nhiemvu.core.models import Tenant

    from .workflow import refresh_due_soon

    return sum(
        refresh_due_soon(tenant, dates) for tenant in Tenant.objects.filter(pk__in=tenant_ids)
    )
