"""Every workflow event tells the people concerned at once.

`apps.py` connects `on_event` to `post_save` of the history `Event`, so the notifications are
written in the transaction that records the event: both are kept or neither. The workflow
(core, tasks) does not know this module exists.

Who is told (never the person who acted):
- assigned: the lead unit's staff and responsible official; the coordinating units' staff;
- returned, confirmed, extension decided, adjustment decided, cancelled: the lead unit's staff,
  responsible official and head (a reassignment tells the old lead unit too);
- result submitted, extension or adjustment requested: whoever assigned the task, i.e. the
  Office's specialists, or for a sub-task (R20.2) the assigning unit's staff and head.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from nhiemvu.core.models import Event
from nhiemvu.tasks.enums import AdjustmentKind, TimeStatus
from nhiemvu.tasks.models import Task, TaskCoordination

from . import outbox
from .audience import ASSIGNER, COORDINATING, HEAD, STAFF, TaskRef, people_for
from .enums import Rule
from .outbox import Directory, Draft

#: action → who is told.
AUDIENCES: dict[str, frozenset[str]] = {
    Rule.ASSIGNED: frozenset({STAFF, COORDINATING}),
    Rule.RETURNED: frozenset({STAFF, HEAD}),
    Rule.CONFIRMED: frozenset({STAFF, HEAD}),
    Rule.EXTENSION_APPROVED: frozenset({STAFF, HEAD}),
    Rule.EXTENSION_REJECTED: frozenset({STAFF, HEAD}),
    Rule.ADJUSTMENT_CORRECTED: frozenset({STAFF, HEAD}),
    Rule.ADJUSTMENT_REASSIGNED: frozenset({STAFF, HEAD}),
    Rule.ADJUSTMENT_DECLINED: frozenset({STAFF, HEAD}),
    Rule.CANCELLED: frozenset({STAFF, HEAD}),
    Rule.RESULT_SUBMITTED: frozenset({ASSIGNER}),
    Rule.EXTENSION_REQUESTED: frozenset({ASSIGNER}),
    Rule.ADJUSTMENT_REQUESTED: frozenset({ASSIGNER}),
}

_muted: ContextVar[bool] = ContextVar("nhiemvu_notifications_muted", default=False)


@contextmanager
def muted() -> Iterator[None]:
    """Record events without notifying anyone (loading demo history or imports)."""
    token = _muted.set(True)
    try:
        yield
    finally:
        _muted.reset(token)


def on_event(sender: Any, instance: Event, created: bool, raw: bool = False, **kwargs: Any) -> None:
    """`post_save` receiver for history events (connected in `apps.py`)."""
    if raw or not created or _muted.get():
        return
    if instance.object_type == "task" and instance.action in AUDIENCES:
        notify_event(instance)


def _context(event: Event, task: Task) -> dict[str, Any]:
    """What the text of this event says, from the task as it now is and the event's detail."""
    detail = event.detail or {}
    context: dict[str, Any] = {
        "task": task.content,
        "unit": task.lead_unit.name,
        "deadline": task.deadline,
        "reason": detail.get("reason") or detail.get("note") or "",
    }
    if event.action == Rule.CONFIRMED and detail.get("time_status") in TimeStatus.values:
        context["status"] = TimeStatus(detail["time_status"]).label
    if event.action == Rule.EXTENSION_REQUESTED:
        context["proposed"] = detail.get("proposed_deadline")
    if event.action == Rule.ADJUSTMENT_REQUESTED and detail.get("kind") in AdjustmentKind.values:
        context["kind"] = AdjustmentKind(detail["kind"]).label
    return context


def _previous_lead_unit(event: Event) -> int | None:
    before = ((event.detail or {}).get("changes") or {}).get("lead_unit") or [None]
    return before[0].get("id") if isinstance(before[0], dict) else None


def notify_event(event: Event) -> int:
    """Write the notifications of one task event; returns how many."""
    task = Task.objects.select_related("tenant", "lead_unit").get(pk=event.object_id)
    audience = AUDIENCES[event.action]
    coordinating = (
        list(TaskCoordination.objects.filter(task=task).values_list("unit_id", flat=True))
        if COORDINATING in audience
        else []
    )
    old_lead = _previous_lead_unit(event) if event.action == Rule.ADJUSTMENT_REASSIGNED else None
    ref = TaskRef.of(task)
    directory = Directory.load(
        task.tenant_id, [task.lead_unit_id, task.assigning_unit_id, old_lead, *coordinating]
    )
    context = _context(event, task)
    occurrence = f"event:{event.pk}"
    drafts = [
        Draft(person, event.action, occurrence, context, task_id=task.pk)
        for person in people_for(ref, audience - {COORDINATING}, directory, exclude=event.actor_id)
    ]
    told = {d.recipient.pk for d in drafts} | {event.actor_id}
    if old_lead is not None:
        drafts += [
            Draft(person, event.action, occurrence, context, task_id=task.pk)
            for person in outbox.unique_people(
                directory.staff[old_lead], directory.heads[old_lead], exclude=event.actor_id
            )
            if person.pk not in told
        ]
        told |= {d.recipient.pk for d in drafts}
    if coordinating:
        as_coordinator = {**context, "coordinating": True}
        drafts += [
            Draft(person, event.action, occurrence, as_coordinator, task_id=task.pk)
            for person in outbox.unique_people(
                *(directory.staff[unit_id] for unit_id in coordinating), exclude=event.actor_id
            )
            if person.pk not in told
        ]
    return outbox.write(task.tenant, drafts)
