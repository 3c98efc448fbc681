"""The leader dashboard's figures, each a single aggregate query over the tasks the user may
see, with the filter that reproduces it in the task list (drill-down)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth

from nhiemvu.tasks.enums import TRACKED_STATES, TaskState, TimeStatus
from nhiemvu.tasks.models import Task
from nhiemvu.tasks.queries import time_status_q

SHOWN = [
    TimeStatus.OVERDUE,
    TimeStatus.DUE_SOON,
    TimeStatus.ON_TIME,
    TimeStatus.CYCLE_MISSING,
    TimeStatus.CYCLE_UPDATED,
    TimeStatus.AWAITING_CONFIRMATION,
    TimeStatus.COMPLETED_ON_TIME,
    TimeStatus.COMPLETED_LATE,
]


def totals(tasks: QuerySet[Task], today: dt.date) -> dict[str, int]:
    """How many tracked tasks are in each time status today (one query)."""
    row = tasks.aggregate(**{str(s): Count("pk", filter=time_status_q(s, today)) for s in SHOWN})
    return {str(s): row[str(s)] for s in SHOWN}


def by_unit(tasks: QuerySet[Task], today: dt.date) -> list[dict[str, Any]]:
    """Per lead unit: completed on time, completed late, overdue now, open; and the share of
    the tasks that fell due (completed + overdue) that were completed on time."""
    rows = (
        tasks.filter(state__in=list(TRACKED_STATES))
        .values("lead_unit_id", "lead_unit__name", "lead_unit__short_name")
        .annotate(
            total=Count("pk"),
            on_time=Count("pk", filter=time_status_q(TimeStatus.COMPLETED_ON_TIME, today)),
            late=Count("pk", filter=time_status_q(TimeStatus.COMPLETED_LATE, today)),
            overdue=Count("pk", filter=time_status_q(TimeStatus.OVERDUE, today)),
        )
    )
    result = []
    for values in rows:
        row: dict[str, Any] = dict(values)
        due = row["on_time"] + row["late"] + row["overdue"]
        row["due"] = due
        row["rate"] = round(100 * row["on_time"] / due, 1) if due else None
        row["name"] = row["lead_unit__short_name"] or row["lead_unit__name"]
        result.append(row)
    return result


def overdue_by_assigner(tasks: QuerySet[Task], today: dt.date) -> list[dict[str, Any]]:
    rows = (
        tasks.filter(time_status_q(TimeStatus.OVERDUE, today))
        .values("assigner_id", "assigner__first_name", "assigner__last_name", "assigner__title")
        .annotate(n=Count("pk"))
        .order_by("-n")
    )
    return [dict(row) for row in rows]


def by_field(tasks: QuerySet[Task], today: dt.date) -> list[dict[str, Any]]:
    rows = (
        tasks.filter(state__in=list(TRACKED_STATES))
        .values("field_id", "field__name")
        .annotate(
            total=Count("pk"),
            overdue=Count("pk", filter=time_status_q(TimeStatus.OVERDUE, today)),
            done=Count("pk", filter=Q(state=TaskState.COMPLETED)),
        )
        .order_by("-total")
    )
    return [dict(row) for row in rows]


def monthly_trend(tasks: QuerySet[Task], today: dt.date, months: int = 12) -> list[dict[str, Any]]:
    """Tasks completed on time and late per month, over the last `months` months."""
    first = dt.date(today.year, today.month, 1)
    for _i in range(months - 1):
        first = (first - dt.timedelta(days=1)).replace(day=1)
    rows = (
        tasks.filter(state=TaskState.COMPLETED, completed_on__gte=first)
        .annotate(month=TruncMonth("completed_on"))
        .values("month")
        .annotate(
            on_time=Count("pk", filter=Q(final_time_status=TimeStatus.COMPLETED_ON_TIME)),
            late=Count("pk", filter=Q(final_time_status=TimeStatus.COMPLETED_LATE)),
        )
        .order_by("month")
    )
    found = {(r["month"].year, r["month"].month): r for r in rows}
    result = []
    month = first
    while month <= today:
        row = found.get((month.year, month.month), {"on_time": 0, "late": 0})
        result.append({"month": month, "on_time": row["on_time"], "late": row["late"]})
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return result
