"""Turning domain objects into API dicts (plain and fast: lists build 25 of these)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Avg, Count

from nhiemvu.core.history import timeline
from nhiemvu.documents.models import Document
from nhiemvu.tasks.enums import TaskState, TimeStatus
from nhiemvu.tasks.models import Task
from nhiemvu.tasks.queries import with_relations
from nhiemvu.tasks.workflow import allowed_actions
from nhiemvu.units.models import Unit


def unit_ref(unit: Unit | None) -> dict[str, Any] | None:
    if unit is None:
        return None
    return {"id": unit.pk, "name": unit.name, "short_name": unit.short_name}


def ref(obj: Any, label: str | None = None) -> dict[str, Any] | None:
    if obj is None:
        return None
    return {"id": obj.pk, "name": label if label is not None else str(obj)}


def user_ref(user: Any) -> dict[str, Any] | None:
    return ref(user, user.display_name) if user is not None else None


def unit_out(unit: Unit) -> dict[str, Any]:
    return {
        "id": unit.pk,
        "name": unit.name,
        "short_name": unit.short_name,
        "aliases": unit.aliases,
        "kind": unit.kind,
        "parent_id": unit.parent_id,
        "org_code": unit.org_code,
        "admin_code": unit.admin_code,
        "is_active": unit.is_active,
    }


def user_out(user: Any) -> dict[str, Any]:
    return {
        "id": user.pk,
        "username": user.username,
        "full_name": user.get_full_name(),
        "title": user.title,
        "email": user.email,
        "unit": unit_ref(user.unit),
        "roles": user.roles,
        "language": user.language,
    }


def document_out(document: Document, task_count: int | None = None) -> dict[str, Any]:
    return {
        "id": document.pk,
        "number": document.number,
        "doc_type": document.doc_type,
        "issued_on": document.issued_on,
        "signer": document.signer,
        "subject": document.subject,
        "urgency": document.urgency,
        "source": document.source,
        "is_complex": document.is_complex,
        "intake_due_on": document.intake_due_on,
        "transferred_at": document.transferred_at,
        "transferred_on_time": document.transferred_on_time,
        "task_count": task_count if task_count is not None else getattr(document, "task_count", 0),
    }


def task_out(task: Task, today: dt.date) -> dict[str, Any]:
    status = task.time_status(today)
    return {
        "id": task.pk,
        "content": task.content,
        "state": task.state,
        "state_label": str(TaskState(task.state).label),
        "time_status": status.value if status else None,
        "time_status_label": str(status.label) if status else None,
        "deadline": task.deadline,
        "original_deadline": task.original_deadline,
        "reporting_cycle": task.reporting_cycle,
        "lead_unit": unit_ref(task.lead_unit),
        "coordinating_units": [unit_ref(c.unit) for c in task.coordinations.all()],
        "document": ref(task.document, task.document.number) if task.document else None,
        "assigner": user_ref(task.assigner),
        "responsible": user_ref(task.responsible),
        "field": ref(task.field),
        "parent_id": task.parent_id,
        "progress_percent": task.progress_percent,
        "returned_count": task.returned_count,
        "last_update_on": task.last_update_on,
        "submitted_on": task.submitted_on,
        "completed_on": task.completed_on,
        "version": task.version,
    }


def rollup(task: Task) -> dict[str, Any] | None:
    """The parent's view of its sub-tasks (R20.2): counts by state and average progress."""
    subtasks = task.subtasks.exclude(state=TaskState.CANCELLED)
    rows = subtasks.values("state").annotate(n=Count("id"))
    by_state = {row["state"]: row["n"] for row in rows}
    if not by_state:
        return None
    average = subtasks.aggregate(a=Avg("progress_percent"))["a"]
    return {
        "total": sum(by_state.values()),
        "by_state": by_state,
        "average_progress": round(float(average), 1) if average is not None else None,
    }


def task_detail(task: Task, user: Any, today: dt.date) -> dict[str, Any]:
    data = task_out(task, today)
    updates = task.updates.select_related("unit", "author").prefetch_related(
        "values__target", "files"
    )
    subtasks = with_relations(task.subtasks.order_by("id"))
    data.update(
        {
            "expected_output": task.expected_output,
            "allowed_actions": allowed_actions(user, task),
            "targets": list(task.targets.all().values()),
            "updates": [
                {
                    "id": u.pk,
                    "kind": u.kind,
                    "unit": unit_ref(u.unit),
                    "author": user_ref(u.author),
                    "text": u.text,
                    "percent": u.percent,
                    "created_at": u.created_at,
                    "values": {str(v.target_id): v.value for v in u.values.all()},
                    "files": [
                        {"id": f.pk, "name": f.name, "size": f.size, "url": f.file.url}
                        for f in u.files.all()
                    ],
                }
                for u in updates
            ],
            "extension_requests": [
                {
                    "id": r.pk,
                    "status": r.status,
                    "current_deadline": r.current_deadline,
                    "proposed_deadline": r.proposed_deadline,
                    "reason": r.reason,
                    "requested_by": user_ref(r.requested_by),
                    "decided_by": user_ref(r.decided_by),
                    "decision_note": r.decision_note,
                    "created_at": r.created_at,
                }
                for r in task.extension_requests.select_related("requested_by", "decided_by")
            ],
            "adjustment_requests": [
                {
                    "id": r.pk,
                    "status": r.status,
                    "kind": r.kind,
                    "outcome": r.outcome,
                    "reason": r.reason,
                    "proposed_unit": unit_ref(r.proposed_unit),
                    "requested_by": user_ref(r.requested_by),
                    "decided_by": user_ref(r.decided_by),
                    "decision_note": r.decision_note,
                    "created_at": r.created_at,
                }
                for r in task.adjustment_requests.select_related(
                    "requested_by", "decided_by", "proposed_unit"
                )
            ],
            "subtasks": [task_out(s, today) for s in subtasks],
            "rollup": rollup(task),
            "history": [
                {
                    "id": e.pk,
                    "action": e.action,
                    "actor": user_ref(e.actor),
                    "at": e.at,
                    "detail": e.detail,
                }
                for e in timeline(task)
            ],
        }
    )
    for target in data["targets"]:
        target.pop("task_id", None)
    return data


__all__ = ["TimeStatus", "document_out", "task_detail", "task_out", "unit_out", "user_out"]
