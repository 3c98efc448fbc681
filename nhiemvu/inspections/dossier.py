"""The dossier an inspection opens with (R11): the inspected unit's record over the period
inspected, assembled from the existing read-side code and frozen as JSON on the inspection.

1. Figures and task lists come from `reports.scorecards` (the same rules as the scorecards
   and the units' periodic reports): the tasks in the period, those whose periodic update is
   missing, those returned for rework; each task with its time status (`tasks.queries`).
2. Periodic unit reports (`reports.UnitReport`) due in the period: on time, late, draft or
   missing.
3. Feedback filed against the unit, when the feedback app provides it (optional: the app is
   being built; without its model the section is marked unavailable).
Dates are stored as ISO strings, labels as codes, so the page translates them when shown.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.db.models import Q
from django.utils import timezone

from nhiemvu.reports import scorecards
from nhiemvu.reports.models import ReportingPeriod, UnitReport
from nhiemvu.reports.scorecards import Window
from nhiemvu.tasks.enums import TimeStatus
from nhiemvu.tasks.queries import time_status_of

if TYPE_CHECKING:
    from nhiemvu.tasks.models import Task
    from nhiemvu.units.models import Unit

    from .models import Inspection

#: Problems the dossier flags on a task, in the order shown.
TASK_FLAGS = ("overdue", "done_late", "cycle_missed", "returned")
#: Where a feedback row may name the unit it is about (the first that exists is used).
FEEDBACK_UNIT_FIELDS = ("about_unit", "target_unit", "respondent_unit", "to_unit", "recipient")


def _iso(day: dt.date | None) -> str:
    return day.isoformat() if day else ""


def _task_row(task: Task, as_of: dt.date, flags: list[str]) -> dict[str, Any]:
    status = time_status_of(task, as_of)
    return {
        "id": task.pk,
        "content": task.content,
        "document": task.document.number if task.document_id and task.document else "",
        "deadline": _iso(task.deadline),
        "reporting_cycle": task.reporting_cycle,
        "state": task.state,
        "time_status": status.value if status else "",
        "returned_count": task.returned_count,
        "last_update_on": _iso(task.last_update_on),
        "flags": flags,
    }


def tasks_part(unit: Unit, w: Window) -> dict[str, Any]:
    """The unit's tasks in the period with their time status and flags, and its figures."""
    flagged: dict[int, list[str]] = {}
    for flag in TASK_FLAGS:
        ids = scorecards.tasks_behind(unit.tenant_id, w, flag, "unit", unit.pk).values_list(
            "pk", flat=True
        )
        for pk in ids:
            flagged.setdefault(pk, []).append(flag)
    tasks = (
        scorecards.tasks_behind(unit.tenant_id, w, "active", "unit", unit.pk)
        .select_related("document")
        .order_by("deadline", "id")
    )
    rows = [_task_row(t, w.as_of, flagged.get(t.pk, [])) for t in tasks]
    figures = scorecards.figures(unit.tenant_id, w, "unit").get(unit.pk)
    if figures is None:
        figures = dict.fromkeys(scorecards.COUNTS, 0)
        figures["rate"] = None
    return {
        "figures": {k: figures.get(k) for k in (*scorecards.COUNTS, "rate")},
        "tasks": rows,
        "missed_updates": [r for r in rows if "cycle_missed" in r["flags"]],
        "returned": [r for r in rows if "returned" in r["flags"]],
    }


def reports_part(unit: Unit, w: Window) -> list[dict[str, Any]]:
    """The unit's periodic reports due within the period inspected (up to the as-of day)."""
    periods = ReportingPeriod.objects.filter(
        tenant_id=unit.tenant_id, unit_report_due__gte=w.start, unit_report_due__lte=w.as_of
    ).order_by("unit_report_due", "id")
    reports = {
        r.period_id: r
        for r in UnitReport.objects.filter(period__in=periods, unit=unit).select_related("period")
    }
    rows = []
    for period in periods:
        report = reports.get(period.pk)
        if report is None:
            status = "missing"
        elif report.submitted_at is None:
            status = "draft"
        elif report.submitted_on_time:
            status = "on_time"
        else:
            status = "late"
        rows.append(
            {
                "period": period.name,
                "due": _iso(period.unit_report_due),
                "submitted_on": _iso(timezone.localdate(report.submitted_at))
                if report and report.submitted_at
                else "",
                "status": status,
            }
        )
    return rows


def feedback_part(unit: Unit, w: Window) -> dict[str, Any]:
    """Feedback filed against the unit in the period, if the feedback app has its model."""
    try:
        model = apps.get_model("feedback", "Feedback")
    except LookupError:
        return {"available": False, "items": []}
    names = {f.name for f in model._meta.get_fields()}
    field = next((name for name in FEEDBACK_UNIT_FIELDS if name in names), None)
    if field is None:
        return {"available": False, "items": []}
    qs = model.objects.filter(Q(**{f"{field}_id": unit.pk}))
    if "created_at" in names:
        start = timezone.make_aware(dt.datetime.combine(w.start, dt.time.min))
        end = timezone.make_aware(dt.datetime.combine(w.as_of, dt.time.max))
        qs = qs.filter(created_at__range=(start, end))
    items = [
        {"id": row.pk, "text": str(row)[:300], "created_on": _iso(_date_of(row))}
        for row in qs.order_by("pk")[:200]
    ]
    return {"available": True, "items": items}


def _date_of(row: Any) -> dt.date | None:
    created = getattr(row, "created_at", None)
    return timezone.localdate(created) if isinstance(created, dt.datetime) else None


def assemble(inspection: Inspection, today: dt.date) -> dict[str, Any]:
    """The dossier of `inspection` as seen on `today` (see the module docstring)."""
    w = Window(inspection.review_start, inspection.review_end, min(inspection.review_end, today))
    unit = inspection.unit
    reports = reports_part(unit, w)
    return {
        "as_of": _iso(w.as_of),
        "start": _iso(w.start),
        "end": _iso(w.end),
        **tasks_part(unit, w),
        "unit_reports": reports,
        "reports_late_or_missing": [r for r in reports if r["status"] in ("late", "missing")],
        "feedback": feedback_part(unit, w),
    }


def status_label(value: str) -> str:
    return str(TimeStatus(value).label) if value in TimeStatus.values else ""
