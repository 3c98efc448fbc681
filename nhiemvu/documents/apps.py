from typing import Any

from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "nhiemvu.documents"
    label = "documents"

    def ready(self) -> None:
        from nhiemvu.workcalendar.models import calendar_changed

        calendar_changed.connect(_recount_intake_due, dispatch_uid="documents.recount_intake")


def _recount_intake_due(tenant_ids: list[int], **kwargs: Any) -> int:
    from nhiemvu.core.models import Tenant

    from .services import refresh_intake_due

    return sum(refresh_intake_due(tenant) for tenant in Tenant.objects.filter(pk__in=tenant_ids))
