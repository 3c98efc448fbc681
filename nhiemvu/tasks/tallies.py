"""The completion tally: completed tasks counted once, when they are confirmed."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Count, F
from django.db.models.functions import TruncMonth

from .enums import TaskState
from .models import CompletionTally, Task


def _key(task: Task) -> dict[str, Any]:
    assert task.completed_on is not None
    return {
        "tenant_id": task.tenant_id,
        "lead_unit_id": task.lead_unit_id,
        "field_key": task.field_id or 0,
        "assigner_key": task.assigner_id or 0,
        "month": task.completed_on.replace(day=1),
        "final_time_status": task.final_time_status,
    }


def count_completion(task: Task) -> None:
    """Add the just-confirmed `task` (call inside the confirming transaction)."""
    tally, _created = CompletionTally.objects.get_or_create(**_key(task))
    CompletionTally.objects.filter(pk=tally.pk).update(count=F("count") + 1)


@transaction.atomic
def rebuild(tenant_id: int) -> int:
    """Recount the tenant's tally from its completed tasks (after bulk loads); returns rows."""
    CompletionTally.objects.filter(tenant_id=tenant_id).delete()
    rows = (
        Task.objects.filter(tenant_id=tenant_id, state=TaskState.COMPLETED)
        .annotate(month=TruncMonth("completed_on"))
        .values("lead_unit_id", "field_id", "assigner_id", "month", "final_time_status")
        .annotate(n=Count("pk"))
    )
    made = CompletionTally.objects.bulk_create(
        [
            CompletionTally(
                tenant_id=tenant_id,
                lead_unit_id=row["lead_unit_id"],
                field_key=row["field_id"] or 0,
                assigner_key=row["assigner_id"] or 0,
                month=row["month"],
                final_time_status=row["final_time_status"],
                count=row["n"],
            )
            for row in rows
        ],
        batch_size=2000,
    )
    return len(made)
