"""Scorecards: every figure of a reporting period per unit, assigning leader, field and
document; the ranking (R21) and the units that must explain themselves (R17.4).

Definitions are in docs/metrics.md. Each figure exists in two forms that tests hold equal:
- `metric_q(name, window)`: a filter over the tasks, for the drill-down list of the tasks
  behind a figure and for the per-document figures (one GROUP BY with conditional counts);
- the ledger (`ledger.py`): the same rule as dated steps summed per unit, leader and field,
  read with a few thousand rows whatever the number of tasks (`ledger_figures`).
The time-status rule itself is `tasks.queries.time_status_q`, applied on the as-of day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nhiemvu.tasks.enums import OPEN_STATES, TRACKED_STATES, RequestStatus, TaskState, TimeStatus
from nhiemvu.tasks.models import ExtensionRequest, Task
from nhiemvu.tasks.queries import time_status_q

from . import ledger
from .models import ReportingSettings, ScoreBucket

if TYPE_CHECKING:
    from .models import ReportingPeriod

ONE_DAY = dt.timedelta(days=1)

#: The figures, in the order pages and documents show them.
METRICS: dict[str, Any] = {
    "assigned": _("Tasks assigned"),
    "due": _("Due in the period"),
    "done_on_time": _("Completed on time"),
    "done_late": _("Completed late"),
    "overdue": _("Overdue, not done"),
    "in_progress": _("In progress, on time"),
    "awaiting": _("Awaiting confirmation"),
    "no_deadline": _("Without deadline, open"),
    "cycle_missed": _("Without deadline, periodic update missed"),
    "returned": _("Returned for rework"),
    "returned2": _("Returned two or more times"),
    "extensions": _("Extensions granted"),
    "active": _("Tasks in the period"),
}
#: Figures that count tasks and therefore have a list of tasks behind them.
COUNTS = tuple(METRICS)
#: Derived figures.
DERIVED: dict[str, Any] = {
    "rate": _("Share completed on time (%)"),
    "score": _("Score"),
    "rank": _("Rank"),
}
DIMENSIONS: dict[str, Any] = {
    "unit": _("Unit"),
    "leader": _("Assigning leader"),
    "field": _("Field"),
    "document": _("Document"),
}
_TASK_FIELD = {
    "unit": "lead_unit_id",
    "leader": "assigner_id",
    "field": "field_id",
    "document": "document_id",
}
_LEDGER_KIND = {"unit": "u", "leader": "l", "field": "f"}


@dataclass(frozen=True)
class Window:
    """A period's range [start, end] seen on `as_of` = min(end, today)."""

    start: dt.date
    end: dt.date
    as_of: dt.date

    @classmethod
    def of(cls, period: ReportingPeriod, today: dt.date) -> Window:
        return cls(period.start, period.end, min(period.end, today))


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


# --- the rule as a filter over tasks ------------------------------------------------------


def counted_tasks(tenant_id: int) -> QuerySet[Task]:
    """The tasks scorecards count: top-level (assigned by the committee or a leader, R1.1),
    neither drafts nor cancelled."""
    return Task.objects.filter(
        tenant_id=tenant_id, parent__isnull=True, state__in=list(TRACKED_STATES)
    )


def metric_q(name: str, w: Window) -> Q:
    """The tasks behind figure `name` (among `counted_tasks`), as a filter."""
    a_by = Q(assigned_at__lt=_day_start(w.as_of + ONE_DAY))
    completed = Q(state=TaskState.COMPLETED)
    done_in = completed & Q(completed_on__gte=w.start, completed_on__lte=w.as_of)
    # Submitted after the as-of day: still open on that day.
    closed_later = Q(
        state__in=[TaskState.AWAITING_CONFIRMATION, TaskState.COMPLETED],
        submitted_on__gt=w.as_of,
    )
    open_ = Q(state__in=list(OPEN_STATES))
    unfinished = a_by & ~(completed & Q(completed_on__lte=w.as_of))
    match name:
        case "assigned":
            return Q(assigned_at__gte=_day_start(w.start)) & a_by
        case "due":
            return Q(deadline__gte=w.start, deadline__lte=w.end)
        case "done_on_time":
            return done_in & Q(final_time_status=TimeStatus.COMPLETED_ON_TIME)
        case "done_late":
            return done_in & Q(final_time_status=TimeStatus.COMPLETED_LATE)
        case "overdue":
            return a_by & (
                time_status_q(TimeStatus.OVERDUE, w.as_of)
                | (closed_later & Q(deadline__lt=w.as_of))
            )
        case "in_progress":
            return a_by & (
                time_status_q(TimeStatus.ON_TIME, w.as_of)
                | time_status_q(TimeStatus.DUE_SOON, w.as_of)
                | (closed_later & Q(deadline__gte=w.as_of))
            )
        case "awaiting":
            return (
                a_by
                & (Q(submitted_on__isnull=True) | Q(submitted_on__lte=w.as_of))
                & (
                    Q(state=TaskState.AWAITING_CONFIRMATION)
                    | (completed & (Q(completed_on__isnull=True) | Q(completed_on__gt=w.as_of)))
                )
            )
        case "no_deadline":
            return a_by & Q(deadline__isnull=True) & (open_ | closed_later)
        case "cycle_missed":
            return a_by & time_status_q(TimeStatus.CYCLE_MISSING, w.as_of)
        case "returned":
            return Q(returned_count__gte=1) & (done_in | unfinished)
        case "returned2":
            return Q(returned_count__gte=2) & (done_in | unfinished)
        case "extensions":
            granted = ExtensionRequest.objects.filter(
                status=RequestStatus.APPROVED,
                decided_at__gte=_day_start(w.start),
                decided_at__lt=_day_start(w.as_of + ONE_DAY),
            )
            return Q(pk__in=granted.values("task_id"))
        case "active":
            return (
                (
                    done_in
                    & Q(
                        final_time_status__in=[
                            TimeStatus.COMPLETED_ON_TIME,
                            TimeStatus.COMPLETED_LATE,
                        ]
                    )
                )
                | metric_q("overdue", w)
                | metric_q("in_progress", w)
                | metric_q("no_deadline", w)
                | metric_q("awaiting", w)
            )
    raise ValueError(name)


def dimension_q(dimension: str, dim_id: int | None) -> Q:
    """Tasks of one unit, leader, field or document (None or 0: no leader / no field)."""
    field = _TASK_FIELD[dimension]
    if not dim_id:
        return Q(**{f"{field[:-3]}__isnull": True})
    return Q(**{field: dim_id})


def tasks_behind(
    tenant_id: int, w: Window, name: str, dimension: str | None = None, dim_id: int | None = None
) -> QuerySet[Task]:
    """The list of tasks a figure counts (the drill-down)."""
    qs = counted_tasks(tenant_id).filter(metric_q(name, w))
    if dimension is not None:
        qs = qs.filter(dimension_q(dimension, dim_id))
    return qs


def direct_figures(tenant_id: int, w: Window, dimension: str) -> dict[int, dict[str, int]]:
    """Every figure per `dimension` value in one GROUP BY over the tasks with conditional
    counts (the reference form; used for documents and whenever the ledger is behind)."""
    field = _TASK_FIELD[dimension]
    # Only tasks that can count: not completed before the period, or due or assigned in it.
    relevant = (
        Q(assigned_at__gte=_day_start(w.start))
        | ~Q(state=TaskState.COMPLETED)
        | Q(completed_on__isnull=True)
        | Q(completed_on__gte=min(w.start, w.as_of + ONE_DAY))
        | Q(deadline__gte=w.start, deadline__lte=w.end)
    )
    names = [n for n in COUNTS if n not in ("active", "extensions")]
    rows = (
        counted_tasks(tenant_id)
        .filter(relevant)
        .order_by()
        .values(field)
        .annotate(**{n: Count("pk", filter=metric_q(n, w)) for n in names})
    )
    result: dict[int, dict[str, int]] = {}
    for row in rows:
        key = row.pop(field) or 0
        result[key] = row
    _add_extensions(result, tenant_id, w, field)
    return _finish(result)


def _add_extensions(
    result: dict[int, dict[str, int]], tenant_id: int, w: Window, field: str
) -> None:
    """Tasks with an extension granted in [start, as_of], per dimension value."""
    rows = (
        ExtensionRequest.objects.filter(
            task__tenant_id=tenant_id,
            task__parent__isnull=True,
            task__state__in=list(TRACKED_STATES),
            status=RequestStatus.APPROVED,
            decided_at__gte=_day_start(w.start),
            decided_at__lt=_day_start(w.as_of + ONE_DAY),
        )
        .order_by()
        .values(f"task__{field}")
        .annotate(n=Count("task_id", distinct=True))
    )
    for row in rows:
        key = row[f"task__{field}"] or 0
        result.setdefault(key, dict.fromkeys(COUNTS, 0))["extensions"] = row["n"]
    for row in result.values():
        row.setdefault("extensions", 0)


def _finish(result: dict[int, dict[str, Any]]) -> dict[int, dict[str, Any]]:
    """Drop the rows that count nothing in the period; add the derived figures."""
    kept = {key: row for key, row in result.items() if any(row.values())}
    for row in kept.values():
        _derive(row)
    return kept


def _derive(row: dict[str, Any]) -> None:
    """The figures computed from the others: tasks in the period, on-time share."""
    row["active"] = sum(
        row[n]
        for n in ("done_on_time", "done_late", "overdue", "in_progress", "no_deadline", "awaiting")
    )
    fell_due = row["done_on_time"] + row["done_late"] + row["overdue"]
    row["rate"] = round(100 * row["done_on_time"] / fell_due, 1) if fell_due else None


# --- the ledger form ----------------------------------------------------------------------


def _prefix_parts(day: dt.date) -> list[Q]:
    """The ledger buckets whose sum is everything dated up to `day` inclusive."""
    year = day.replace(month=1, day=1)
    month = day.replace(day=1)
    if (day + ONE_DAY).year != day.year:
        return [Q(level="y", bucket__lte=year)]
    before_year = Q(level="y", bucket__lt=year)
    if (day + ONE_DAY).day == 1:
        return [before_year, Q(level="m", bucket__gte=year, bucket__lte=month)]
    return [
        before_year,
        Q(level="m", bucket__gte=year, bucket__lt=month),
        Q(level="d", bucket__gte=month, bucket__lte=day),
    ]


def _any(parts: list[Q]) -> Q:
    combined = Q()
    for part in dict.fromkeys(parts):  # each distinct range once
        combined |= part
    return combined


_FLOWS_TO_END = ("due",)
_FLOWS_TO_AS_OF = ("assigned", "done_on_time", "done_late", "done_returned", "done_returned2")
_STOCKS = (
    "overdue",
    "in_progress",
    "awaiting",
    "no_deadline",
    "cycle_missed",
    "open_returned",
    "open_returned2",
)


def ledger_figures(tenant_id: int, w: Window, dimension: str) -> dict[int, dict[str, int]]:
    """Every figure per unit, leader or field from the ledger: one query over the buckets.

    Flows are prefix(last day) − prefix(first day − 1); stocks are prefix(as-of day)."""
    kind = _LEDGER_KIND[dimension]
    before = w.start - ONE_DAY
    done_to = max(w.as_of, before)
    spans = {"0": before, "e": w.end, "a": w.as_of, "d": done_to}
    wanted = {
        **{(c, p): spans[p] for c in _FLOWS_TO_END for p in ("0", "e")},
        **{(c, p): spans[p] for c in _FLOWS_TO_AS_OF for p in ("0", "d")},
        **{(c, "a"): w.as_of for c in _STOCKS},
    }
    parts = {day: _prefix_parts(day) for day in set(spans.values())}
    prefixes = {day: _any(found) for day, found in parts.items()}
    any_prefix = _any([part for found in parts.values() for part in found])
    rows = (
        ScoreBucket.objects.filter(tenant_id=tenant_id, kind=kind)
        .filter(any_prefix)
        .order_by()
        .values("dim_id")
        .annotate(
            **{
                f"{c}_{p}": Coalesce(Sum(c, filter=prefixes[day]), 0)
                for (c, p), day in wanted.items()
            }
        )
    )
    result: dict[int, dict[str, int]] = {}
    for values in rows:
        r: dict[str, int] = dict(values)  # type: ignore[arg-type]
        row = {c: r[f"{c}_e"] - r[f"{c}_0"] for c in _FLOWS_TO_END}
        row.update({c: r[f"{c}_d"] - r[f"{c}_0"] for c in _FLOWS_TO_AS_OF})
        row.update({c: r[f"{c}_a"] for c in _STOCKS})
        figures = {
            **{n: row[n] for n in ("assigned", "due", "done_on_time", "done_late")},
            **{n: row[n] for n in ("overdue", "in_progress", "awaiting", "no_deadline")},
            "cycle_missed": row["cycle_missed"],
            "returned": row["done_returned"] + row["open_returned"],
            "returned2": row["done_returned2"] + row["open_returned2"],
        }
        result[r["dim_id"]] = figures
    _add_extensions(result, tenant_id, w, _TASK_FIELD[dimension])
    return _finish(result)


def figures(tenant_id: int, w: Window, dimension: str) -> dict[int, dict[str, Any]]:
    """Per-dimension figures: from the ledger when it covers every task, else directly."""
    if dimension in _LEDGER_KIND and ledger.catch_up(tenant_id):
        return ledger_figures(tenant_id, w, dimension)
    return direct_figures(tenant_id, w, dimension)


# --- ranking (R21) and who must explain (R17.4) ------------------------------------------


@dataclass(frozen=True)
class Formula:
    """The tenant's scoring weights (docs/metrics.md)."""

    on_time: float = 1.0
    late: float = 0.5
    overdue: float = 0.0
    cycle_missed: float = 0.0
    returned: float = -0.5
    min_tasks: int = 1

    @classmethod
    def of(cls, rules: ReportingSettings) -> Formula:
        return cls(
            on_time=float(rules.w_on_time),
            late=float(rules.w_late),
            overdue=float(rules.w_overdue),
            cycle_missed=float(rules.w_cycle_missed),
            returned=float(rules.w_returned),
            min_tasks=rules.min_tasks_ranked,
        )

    def as_dict(self) -> dict[str, float | int]:
        return {
            "on_time": self.on_time,
            "late": self.late,
            "overdue": self.overdue,
            "cycle_missed": self.cycle_missed,
            "returned": self.returned,
            "min_tasks": self.min_tasks,
        }

    def score(self, row: dict[str, Any]) -> float | None:
        """100 × weighted sum ÷ tasks assessed, clipped to 0–100; None if too few tasks."""
        assessed = row["done_on_time"] + row["done_late"] + row["overdue"] + row["cycle_missed"]
        if assessed == 0 or assessed < self.min_tasks:
            return None
        points = (
            self.on_time * row["done_on_time"]
            + self.late * row["done_late"]
            + self.overdue * row["overdue"]
            + self.cycle_missed * row["cycle_missed"]
            + self.returned * row["returned"]
        )
        return round(max(0.0, min(100.0, 100 * points / assessed)), 1)


def rank(rows: list[dict[str, Any]], formula: Formula) -> list[dict[str, Any]]:
    """Score every row and number the ranked ones (ties share a rank): by score, then on-time
    share, then more tasks assessed, then name. Unscored rows come last, unranked."""
    for row in rows:
        row["score"] = formula.score(row)

    def order(row: dict[str, Any]) -> tuple[Any, ...]:
        assessed = row["done_on_time"] + row["done_late"] + row["overdue"] + row["cycle_missed"]
        return (
            row["score"] is None,
            -(row["score"] or 0),
            -(row["rate"] or 0),
            -assessed,
            row.get("name", ""),
        )

    rows.sort(key=order)
    previous: tuple[Any, ...] | None = None
    position = 0
    for index, row in enumerate(rows, start=1):
        if row["score"] is None:
            row["rank"] = None
            continue
        key = (row["score"], row["rate"])
        if key != previous:
            position = index
            previous = key
        row["rank"] = position
    return rows


def must_explain(units: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Units that must explain in their report (R17.4): overdue tasks, tasks without a
    deadline whose periodic update is missing, or tasks returned two or more times."""
    found = [u for u in units if u["overdue"] or u["cycle_missed"] or u["returned2"]]
    return sorted(
        found, key=lambda u: (-u["overdue"], -u["returned2"], -u["cycle_missed"], u["name"])
    )


def weights_text(formula: Formula) -> str:
    return (
        f"100 × ({formula.on_time:g}·OT + {formula.late:g}·L + {formula.overdue:g}·OD"
        f" + {formula.cycle_missed:g}·CM + {formula.returned:g}·R) ÷ (OT + L + OD + CM)"
    )
