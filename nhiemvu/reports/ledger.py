"""The scorecard ledger: per unit, leader and field, the tasks' contributions to every
scorecard figure, summed by year, month and day, so that all units' figures for any period
are a few thousand small rows instead of a pass over every task.

Why it works: each figure is either a *flow* (tasks assigned, due, completed in a range of
days) or a *stock* (tasks overdue, in progress, awaiting confirmation… on one day). Both are
known per task the moment the task changes, as dated +1/−1 steps:
- a flow adds +1 on its day (the deadline, the completion day, …);
- a stock is an interval of days [start, end): +1 on the first day it holds, −1 on the first
  day it no longer does. An open task with a deadline becomes overdue on the day after the
  deadline: that day is known in advance, so time passing needs no job.
The figure on day X is then the sum of the steps dated up to X (a prefix sum), and a flow over
[S, X] is prefix(X) − prefix(S − 1). Steps are summed into year, month and day buckets; a
prefix sum reads the years before X's year, the months before X's month and the days of X's
month up to X (only months or years when X ends one).

`contributions()` is the rule in Python; `scorecards.metric_q()` is the same rule as a query
filter over the tasks (used for drill-down lists and tested against the ledger).

Upkeep: every save of a task calls `sync()` (signal in apps.py, inside the same transaction):
it subtracts what the task's stored facts (`TaskFacts`) contributed and adds what its new
facts contribute. Tasks inserted without `save()` (bulk loads) are found by id and counted by
`catch_up()`; `rebuild()` recounts a whole tenant.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from nhiemvu.tasks.enums import OPEN_STATES, TRACKED_STATES, ReportingCycle, TaskState, TimeStatus
from nhiemvu.tasks.models import Task
from nhiemvu.tasks.queries import cycle_start

from .models import ScoreBucket, TaskFacts

log = logging.getLogger(__name__)

ONE_DAY = dt.timedelta(days=1)
COLUMNS = (
    "assigned",
    "due",
    "done_on_time",
    "done_late",
    "done_returned",
    "done_returned2",
    "overdue",
    "in_progress",
    "awaiting",
    "no_deadline",
    "cycle_missed",
    "open_returned",
    "open_returned2",
)
#: Dimensions the ledger keeps: lead unit, assigning leader, field.
KINDS = {"u": "lead_unit_id", "l": "assigner_id", "f": "field_id"}
#: Above this many uncounted tasks, `catch_up` at request time gives up (use `rebuild`).
CATCH_UP_LIMIT = 5000

FACT_FIELDS = (
    "counted",
    "state",
    "lead_unit_id",
    "assigner_id",
    "field_id",
    "assigned_on",
    "deadline",
    "submitted_on",
    "completed_on",
    "final_time_status",
    "returned_count",
    "last_update_on",
    "reporting_cycle",
)
TASK_FIELDS = (
    "pk",
    "tenant_id",
    "parent_id",
    "state",
    "lead_unit_id",
    "assigner_id",
    "field_id",
    "assigned_at",
    "deadline",
    "submitted_on",
    "completed_on",
    "final_time_status",
    "returned_count",
    "last_update_on",
    "reporting_cycle",
)


@dataclass(frozen=True)
class Facts:
    """What the ledger reads of one task."""

    counted: bool
    state: str
    lead_unit_id: int | None
    assigner_id: int | None
    field_id: int | None
    assigned_on: dt.date | None
    deadline: dt.date | None
    submitted_on: dt.date | None
    completed_on: dt.date | None
    final_time_status: str
    returned_count: int
    last_update_on: dt.date | None
    reporting_cycle: str

    @classmethod
    def of_row(cls, row: tuple) -> Facts:  # type: ignore[type-arg]
        """From a `values_list(*TASK_FIELDS)` row of a task."""
        (_pk, _tenant, parent, state, unit, assigner, field, assigned_at, *rest) = row
        deadline, submitted, completed, final, returned, updated, cycle = rest
        return cls(
            counted=parent is None and state in TRACKED_STATES,
            state=state,
            lead_unit_id=unit,
            assigner_id=assigner,
            field_id=field,
            assigned_on=timezone.localdate(assigned_at) if assigned_at else None,
            deadline=deadline,
            submitted_on=submitted,
            completed_on=completed,
            final_time_status=final or "",
            returned_count=returned or 0,
            last_update_on=updated,
            reporting_cycle=cycle or "",
        )

    @classmethod
    def of_stored(cls, facts: TaskFacts) -> Facts:
        return cls(**{name: getattr(facts, name) for name in FACT_FIELDS})


def _next_cycle_start(cycle: str, day: dt.date) -> dt.date:
    """The first day of the reporting cycle after the one that contains `day`."""
    start = cycle_start(cycle, day)
    months = {"monthly": 1, "quarterly": 3, "semiannual": 6, "annual": 12}.get(
        cycle or ReportingCycle.QUARTERLY, 3
    )
    month = start.month - 1 + months
    return dt.date(start.year + month // 12, month % 12 + 1, 1)


Step = tuple[dt.date, str, int]


def contributions(f: Facts) -> list[Step]:
    """The dated steps (day, column, +1/−1) one task adds to the ledger (docs/metrics.md).

    Days: a = assigned, d = deadline, c = result submitted, k = completion confirmed.
    An open task has no c (a return clears it) and no k; an awaiting or completed task with
    no recorded c counts as submitted when assigned, a completed task with no k as never
    confirmed. Intervals are half-open, [start, end); an end of None never comes.
    """
    if not f.counted:
        return []
    steps: list[Step] = []

    def interval(column: str, start: dt.date, end: dt.date | None) -> None:
        if end is None:
            steps.append((start, column, 1))
        elif start < end:
            steps.append((start, column, 1))
            steps.append((end, column, -1))

    a, d = f.assigned_on, f.deadline
    is_open = f.state in OPEN_STATES
    c = None if is_open else (f.submitted_on or a)
    k = f.completed_on if f.state == TaskState.COMPLETED else None
    if a is not None:
        steps.append((a, "assigned", 1))
    if d is not None:
        steps.append((d, "due", 1))
    if k is not None:
        if f.final_time_status == TimeStatus.COMPLETED_ON_TIME:
            steps.append((k, "done_on_time", 1))
        elif f.final_time_status == TimeStatus.COMPLETED_LATE:
            steps.append((k, "done_late", 1))
        if f.returned_count >= 1:
            steps.append((k, "done_returned", 1))
        if f.returned_count >= 2:
            steps.append((k, "done_returned2", 1))
    if a is None:
        return steps
    if d is not None:
        after_deadline = d + ONE_DAY
        interval("in_progress", a, min(after_deadline, c) if c else after_deadline)
        interval("overdue", max(a, after_deadline), c)
    else:
        interval("no_deadline", a, c)
        if is_open:
            missing_from = (
                a
                if f.last_update_on is None
                else max(a, _next_cycle_start(f.reporting_cycle, f.last_update_on))
            )
            interval("cycle_missed", missing_from, None)
    if c is not None:
        interval("awaiting", max(a, c), k)
    if f.returned_count >= 1:
        interval("open_returned", a, k)
    if f.returned_count >= 2:
        interval("open_returned2", a, k)
    return steps


Key = tuple[str, int, str, dt.date]  # kind, dim id, level, bucket


COLUMN_INDEX = {name: index for index, name in enumerate(COLUMNS)}


def _buckets(day: dt.date) -> tuple[tuple[str, dt.date], ...]:
    return (("y", day.replace(month=1, day=1)), ("m", day.replace(day=1)), ("d", day))


def _add(totals: dict[Key, list[int]], f: Facts, sign: int, *, days_only: bool = False) -> None:
    """Add (sign +1) or take away (−1) one task's steps, per dimension and bucket."""
    steps = contributions(f)
    if not steps:
        return
    dims = [(kind, getattr(f, attr) or 0) for kind, attr in KINDS.items()]
    for day, column, delta in steps:
        index = COLUMN_INDEX[column]
        buckets = (("d", day),) if days_only else _buckets(day)
        for level, bucket in buckets:
            for kind, dim_id in dims:
                totals[(kind, dim_id, level, bucket)][index] += sign * delta


def _roll_up(days: dict[Key, list[int]]) -> dict[Key, list[int]]:
    """Day buckets plus the month and year buckets that sum them."""
    totals: dict[Key, list[int]] = defaultdict(lambda: [0] * len(COLUMNS))
    for (kind, dim_id, _level, day), values in days.items():
        for level, bucket in _buckets(day):
            row = totals[(kind, dim_id, level, bucket)]
            for index, value in enumerate(values):
                row[index] += value
    return totals


def _write(tenant_id: int, totals: dict[Key, list[int]]) -> None:
    """Add `totals` to the ledger: one INSERT … ON CONFLICT DO UPDATE (SQLite, PostgreSQL)."""
    rows = [(key, values) for key, values in totals.items() if any(values)]
    if not rows:
        return
    table = ScoreBucket._meta.db_table
    columns = ", ".join(COLUMNS)
    updates = ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in COLUMNS)
    placeholders = "(" + ", ".join(["%s"] * (5 + len(COLUMNS))) + ")"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 500):
            chunk = rows[start : start + 500]
            params: list[Any] = []
            for (kind, dim_id, level, bucket), values in chunk:
                params += [tenant_id, kind, dim_id, level, bucket, *values]
            cursor.execute(
                f"INSERT INTO {table} (tenant_id, kind, dim_id, level, bucket, {columns}) "
                f"VALUES {', '.join([placeholders] * len(chunk))} "
                f"ON CONFLICT (tenant_id, kind, dim_id, level, bucket) DO UPDATE SET {updates}",
                params,
            )


def _fact_row(task_id: int, tenant_id: int, f: Facts) -> TaskFacts:
    return TaskFacts(
        task_id=task_id, tenant_id=tenant_id, **{name: getattr(f, name) for name in FACT_FIELDS}
    )


def sync(task_ids: Iterable[int]) -> None:
    """Bring the ledger up to date for these tasks (after any change to them)."""
    ids = list(task_ids)
    if not ids:
        return
    with transaction.atomic(savepoint=False):
        _sync(Task.objects.filter(pk__in=ids).values_list(*TASK_FIELDS), ids)


def sync_saved(task: Task, *, created: bool) -> None:
    """`sync` for a task just saved whose values in memory are those in the database: a new
    one, or one read under its row lock (the workflow's). Saves re-reading the row, and for a
    new task looking for facts it cannot have."""
    row = tuple(getattr(task, name) for name in TASK_FIELDS)
    with transaction.atomic(savepoint=False):
        _sync([row], [] if created else [task.pk])


def _sync(rows: Iterable[tuple], stored_ids: list[int]) -> None:  # type: ignore[type-arg]
    stored = {
        facts.task_id: facts
        for facts in (
            TaskFacts.objects.select_for_update().filter(task_id__in=stored_ids)
            if stored_ids
            else ()
        )
    }
    by_tenant: dict[int, dict[Key, list[int]]] = defaultdict(
        lambda: defaultdict(lambda: [0] * len(COLUMNS))
    )
    new_rows: list[TaskFacts] = []
    changed_rows: list[TaskFacts] = []
    for row in rows:
        task_id, tenant_id = row[0], row[1]
        new = Facts.of_row(row)
        old_row = stored.get(task_id)
        old = Facts.of_stored(old_row) if old_row is not None else None
        if old == new:
            continue
        totals = by_tenant[tenant_id]
        if old is not None:
            _add(totals, old, -1)
        _add(totals, new, +1)
        (changed_rows if old_row is not None else new_rows).append(
            _fact_row(task_id, tenant_id, new)
        )
    for tenant_id, totals in by_tenant.items():
        _write(tenant_id, totals)
    TaskFacts.objects.bulk_create(new_rows)
    if changed_rows:
        TaskFacts.objects.bulk_update(changed_rows, list(FACT_FIELDS))


def uncounted(tenant_id: int) -> Iterator[int]:
    """Ids of the tenant's tasks the ledger has never seen (inserted without `save()`).

    Tasks are numbered in order, so these are the ids above the highest counted one, read
    through the primary-key index. (A bulk load into the middle of the id range would be
    missed: `rebuild` recounts everything.)"""
    highest = TaskFacts.objects.filter(tenant_id=tenant_id).aggregate(m=Max("task_id"))["m"] or 0
    return iter(
        Task.objects.filter(tenant_id=tenant_id, pk__gt=highest)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def catch_up(tenant_id: int, limit: int = CATCH_UP_LIMIT) -> bool:
    """Count the tasks inserted without `save()`; False if there are more than `limit`
    (then the caller falls back to the direct queries and someone should run `rebuild`)."""
    ids: list[int] = []
    for task_id in uncounted(tenant_id):
        ids.append(task_id)
        if len(ids) > limit:
            log.warning(
                "Scorecard ledger of tenant %s is behind; run rebuild_scorecards.", tenant_id
            )
            return False
    for start in range(0, len(ids), 1000):
        sync(ids[start : start + 1000])
    return True


def rebuild(tenant_id: int, batch: int = 20000) -> int:
    """Recount a tenant's ledger from scratch (after a bulk load or a deletion of tasks).
    Returns the number of tasks read."""
    totals: dict[Key, list[int]] = defaultdict(lambda: [0] * len(COLUMNS))
    count = 0
    with transaction.atomic():
        ScoreBucket.objects.filter(tenant_id=tenant_id).delete()
        TaskFacts.objects.filter(tenant_id=tenant_id).delete()
        rows: list[TaskFacts] = []
        tasks = Task.objects.filter(tenant_id=tenant_id).order_by().values_list(*TASK_FIELDS)
        for row in tasks.iterator(chunk_size=batch):
            facts = Facts.of_row(row)
            _add(totals, facts, +1, days_only=True)
            rows.append(_fact_row(row[0], tenant_id, facts))
            count += 1
            if len(rows) >= batch:
                TaskFacts.objects.bulk_create(rows)
                rows = []
        TaskFacts.objects.bulk_create(rows)
        _write(tenant_id, _roll_up(totals))
    return count
