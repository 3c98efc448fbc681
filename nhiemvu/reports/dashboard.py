"""The leader dashboard's figures in two small reads instead of scans of every task:

1. the live tasks (in progress or awaiting confirmation), grouped by lead unit, field and
   assigner with one conditional count per time status: the only part that depends on today;
2. the completed tasks from `CompletionTally` (counted once, when confirmed), or, for a user
   who sees only part of the tenant, counted from that part's tasks.

Everything else (per unit, per field, per assigner, per month) is a roll-up in Python of a
few thousand rows at most."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db.models import Count, F, Max, QuerySet, Sum
from django.db.models.functions import TruncMonth

from nhiemvu.accounts.models import User
from nhiemvu.tasks.enums import TaskState, TimeStatus
from nhiemvu.tasks.models import CompletionTally, Field, Task
from nhiemvu.tasks.queries import time_status_q
from nhiemvu.units.models import Unit

LIVE = [
    TimeStatus.OVERDUE,
    TimeStatus.DUE_SOON,
    TimeStatus.ON_TIME,
    TimeStatus.CYCLE_MISSING,
    TimeStatus.CYCLE_UPDATED,
    TimeStatus.AWAITING_CONFIRMATION,
]
DONE = [TimeStatus.COMPLETED_ON_TIME, TimeStatus.COMPLETED_LATE]
SHOWN = [*LIVE, *DONE]


@dataclass
class Figures:
    totals: dict[str, int]
    units: list[dict[str, Any]]
    assigners: list[dict[str, Any]]
    fields: list[dict[str, Any]]
    trend: list[dict[str, Any]]


def _months(today: dt.date, months: int) -> list[dt.date]:
    first = dt.date(today.year, today.month, 1)
    result = [first]
    for _i in range(months - 1):
        first = (first - dt.timedelta(days=1)).replace(day=1)
        result.append(first)
    return result[::-1]


def figures(
    tasks: QuerySet[Task], tenant_id: int, today: dt.date, whole_tenant: bool, months: int = 12
) -> Figures:
    live: Any = (
        tasks.filter(
            state__in=[
                TaskState.ASSIGNED,
                TaskState.ADJUSTMENT_REQUESTED,
                TaskState.AWAITING_CONFIRMATION,
            ]
        )
        .values("lead_unit_id", "field_id", "assigner_id")
        .annotate(**{str(s): Count("pk", filter=time_status_q(s, today)) for s in LIVE})
    )
    if whole_tenant:
        tally = CompletionTally.objects.filter(tenant_id=tenant_id)
        done: Any = tally.values("lead_unit_id", "field_key", "final_time_status").annotate(
            count=Sum("count")
        )
        by_month: Any = tally.values("month", "final_time_status").annotate(count=Sum("count"))
    else:
        completed = tasks.filter(state=TaskState.COMPLETED)
        done = (
            completed.annotate(field_key=F("field_id"))
            .values("lead_unit_id", "field_key", "final_time_status")
            .annotate(count=Count("pk"))
        )
        by_month = (
            completed.annotate(month=TruncMonth("completed_on"))
            .values("month", "final_time_status")
            .annotate(count=Count("pk"))
        )
    totals = dict.fromkeys(map(str, SHOWN), 0)
    per_unit: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(map(str, SHOWN), 0))
    per_field: dict[int, dict[str, int]] = defaultdict(
        lambda: {"total": 0, "overdue": 0, "done": 0}
    )
    per_assigner: dict[int, int] = defaultdict(int)
    per_month: dict[dt.date, dict[str, int]] = defaultdict(lambda: {"on_time": 0, "late": 0})
    for row in live:
        field = row["field_id"] or 0
        for status in map(str, LIVE):
            n = row[status]
            totals[status] += n
            per_unit[row["lead_unit_id"]][status] += n
            per_field[field]["total"] += n
        per_field[field]["overdue"] += row[TimeStatus.OVERDUE]
        if row[TimeStatus.OVERDUE]:
            per_assigner[row["assigner_id"] or 0] += row[TimeStatus.OVERDUE]
    for row in done:
        status, n = row["final_time_status"], row["count"]
        if status not in totals:
            continue
        totals[status] += n
        per_unit[row["lead_unit_id"]][status] += n
        per_field[row["field_key"] or 0]["total"] += n
        per_field[row["field_key"] or 0]["done"] += n
    for row in by_month:
        month = row["month"].date() if isinstance(row["month"], dt.datetime) else row["month"]
        key = "on_time" if row["final_time_status"] == TimeStatus.COMPLETED_ON_TIME else "late"
        per_month[month][key] += row["count"]

    names = {
        u["id"]: u
        for u in Unit.objects.filter(tenant_id=tenant_id, pk__in=list(per_unit)).values(
            "id", "name", "short_name"
        )
    }
    units = []
    for unit_id, counts in per_unit.items():
        on_time, late = counts[TimeStatus.COMPLETED_ON_TIME], counts[TimeStatus.COMPLETED_LATE]
        overdue = counts[TimeStatus.OVERDUE]
        due = on_time + late + overdue
        unit = names.get(unit_id, {"name": "?", "short_name": ""})
        units.append(
            {
                "lead_unit_id": unit_id,
                "lead_unit__name": unit["name"],
                "name": unit["short_name"] or unit["name"],
                "on_time": on_time,
                "late": late,
                "overdue": overdue,
                "due": due,
                "rate": round(100 * on_time / due, 1) if due else None,
            }
        )
    field_names = dict(Field.objects.filter(tenant_id=tenant_id).values_list("id", "name"))
    fields = sorted(
        (
            {"field_id": key or None, "field__name": field_names.get(key, ""), **counts}
            for key, counts in per_field.items()
        ),
        key=lambda f: -f["total"],  # type: ignore[operator]
    )
    people = {u.pk: u for u in User.objects.filter(pk__in=[k for k in per_assigner if k])}
    assigners: list[dict[str, Any]] = sorted(
        (
            {
                "assigner_id": key or None,
                "name": people[key].display_name if key in people else "",
                "n": n,
            }
            for key, n in per_assigner.items()
        ),
        key=lambda a: -int(a["n"]),  # type: ignore[arg-type]
    )
    trend = [
        {"month": m, **per_month.get(m, {"on_time": 0, "late": 0})} for m in _months(today, months)
    ]
    return Figures(totals, units, assigners, fields, trend)


def cached_figures(
    tasks: QuerySet[Task], tenant_id: int, today: dt.date, whole_tenant: bool, scope: str
) -> Figures:
    """`figures`, remembered until any task of the tenant changes or the day turns. The key
    carries the newest `Task.updated_at` (every transition saves it; one index probe), so a
    leader's dashboard on a meeting-room screen refreshes instantly and is never stale."""
    newest = Task.objects.filter(tenant_id=tenant_id).aggregate(newest=Max("updated_at"))
    stamp = newest["newest"].timestamp() if newest["newest"] else 0
    key = f"dashboard:{tenant_id}:{scope}:{today.isoformat()}:{stamp}"
    found: Figures | None = cache.get(key)
    if found is None:
        found = figures(tasks, tenant_id, today, whole_tenant)
        cache.set(key, found, timeout=3600)
    return found
