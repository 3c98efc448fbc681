"""Turning domain objects into API dicts (plain and fast: lists build 25 of these)."""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from types import SimpleNamespace
from typing import Any

from django.db import connection
from django.db.models import Model, QuerySet

from nhiemvu.core.history import timeline
from nhiemvu.documents.models import Document
from nhiemvu.tasks.enums import TaskState, TimeStatus
from nhiemvu.tasks.models import (
    AdjustmentRequest,
    Attachment,
    ExtensionRequest,
    ProgressUpdate,
    Target,
    TargetValue,
    Task,
    TaskCoordination,
)
from nhiemvu.tasks.queries import coordinating_units, people, time_status_of
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


def _out(task: Any, status: TimeStatus | None, **related: Any) -> dict[str, Any]:
    return {
        "id": task.id,
        "content": task.content,
        "state": task.state,
        "state_label": str(TaskState(task.state).label),
        "time_status": status.value if status else None,
        "time_status_label": str(status.label) if status else None,
        "deadline": task.deadline,
        "original_deadline": task.original_deadline,
        "reporting_cycle": task.reporting_cycle,
        **related,
        "parent_id": task.parent_id,
        "progress_percent": task.progress_percent,
        "returned_count": task.returned_count,
        "last_update_on": task.last_update_on,
        "submitted_on": task.submitted_on,
        "completed_on": task.completed_on,
        "version": task.version,
    }


def task_out(task: Task, today: dt.date) -> dict[str, Any]:
    """One task as the API shows it (its units, document, people and field loaded; lists use
    `task_rows`, which reads the same fields without model instances)."""
    return _out(
        task,
        task.time_status(today),
        lead_unit=unit_ref(task.lead_unit),
        coordinating_units=[unit_ref(c.unit) for c in task.coordinations.all()],
        document=ref(task.document, task.document.number) if task.document else None,
        assigner=user_ref(task.assigner),
        responsible=user_ref(task.responsible),
        field=ref(task.field),
    )


#: What a list row reads of a task and its joined lead unit, document and field.
ROW_FIELDS = (
    *(f.attname for f in Task._meta.concrete_fields if f.attname not in {"search_text"}),
    "lead_unit__name",
    "lead_unit__short_name",
    "document__number",
    "field__name",
)


def task_rows(qs: QuerySet[Task], today: dt.date) -> list[dict[str, Any]]:
    """The API rows of the tasks of `qs` (a page of them) in three queries and no model
    instances: building 25 tasks with their units, people and coordinations as Django
    objects cost more than every query of a list request together."""
    rows = [SimpleNamespace(**row) for row in qs.values(*ROW_FIELDS)]
    if not rows:
        return []
    names = {
        pk: user_ref(user)
        for pk, user in people(
            {r.assigner_id for r in rows} | {r.responsible_id for r in rows}
        ).items()
    }
    coordinating: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for c in (
        TaskCoordination.objects.filter(task_id__in=[r.id for r in rows])
        .order_by("id")
        .values_list("task_id", "unit_id", "unit__name", "unit__short_name")
    ):
        coordinating[c[0]].append({"id": c[1], "name": c[2], "short_name": c[3]})
    return [
        _out(
            r,
            time_status_of(r, today),  # type: ignore[arg-type]
            lead_unit={
                "id": r.lead_unit_id,
                "name": r.lead_unit__name,
                "short_name": r.lead_unit__short_name,
            },
            coordinating_units=coordinating[r.id],
            document={"id": r.document_id, "name": r.document__number} if r.document_id else None,
            assigner=names.get(r.assigner_id),
            responsible=names.get(r.responsible_id),
            field={"id": r.field_id, "name": r.field__name} if r.field_id else None,
        )
        for r in rows
    ]


def rollup(subtasks: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The parent's view of its sub-tasks (R20.2): counts by state and average progress."""
    counted = [t for t in subtasks if t["state"] != TaskState.CANCELLED]
    if not counted:
        return None
    by_state: dict[str, int] = {}
    for t in counted:
        by_state[t["state"]] = by_state.get(t["state"], 0) + 1
    average = sum(t["progress_percent"] for t in counted) / len(counted)
    return {"total": len(counted), "by_state": by_state, "average_progress": round(average, 1)}


def detail_query(qs: QuerySet[Task]) -> QuerySet[Task]:
    """A task query for `task_detail`: the joined units, document and field, and the
    coordinating units. `mark_children` then tells which kinds of child rows it has."""
    return qs.select_related("lead_unit", "document", "field", "assigning_unit").prefetch_related(
        coordinating_units()
    )


#: The kinds of rows a task's detail lists, each as (flag, table, column naming the task).
_CHILDREN = (
    ("has_targets", Target, "task"),
    ("has_updates", ProgressUpdate, "task"),
    ("has_extensions", ExtensionRequest, "task"),
    ("has_adjustments", AdjustmentRequest, "task"),
    ("has_subtasks", Task, "parent"),
)


#: The flags `mark_children` sets: one per kind above, and whether any update has files.
_FLAGS = (*(name for name, _, _ in _CHILDREN), "has_files")


def _table(model: type[Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _column(model: type[Model], field: str) -> str:
    return connection.ops.quote_name(str(model._meta.get_field(field).column))  # type: ignore[union-attr]


@functools.cache
def _children_sql() -> str:
    tests = [
        f"EXISTS (SELECT 1 FROM {_table(model)} WHERE {_column(model, fk)} = %s)"
        for _, model, fk in _CHILDREN
    ]
    tests.append(  # has_files: an attachment on any of its updates
        f"EXISTS (SELECT 1 FROM {_table(Attachment)} f JOIN {_table(ProgressUpdate)} u "
        f"ON f.{_column(Attachment, 'update')} = u.{_column(ProgressUpdate, 'id')} "
        f"WHERE u.{_column(ProgressUpdate, 'task')} = %s)"
    )
    return "SELECT " + ", ".join(tests)


def mark_children(task: Task) -> None:
    """Set which kinds of child rows `task` has (`has_targets`, `has_updates`, …,
    `has_files`), so that its detail reads only the kinds it has: most tasks have no targets,
    requests or sub-tasks. One constant SQL statement: the same test written as five `Exists`
    annotations cost more to compile in Django than every query of the detail to run."""
    with connection.cursor() as cursor:
        cursor.execute(_children_sql(), [task.pk] * len(_FLAGS))
        flags = cursor.fetchone()
    for name, flag in zip(_FLAGS, flags, strict=True):
        setattr(task, name, bool(flag))


def mark_created(task: Task) -> None:
    """The child rows of a task just created with `workflow.create_task`: none but the
    targets it was given, which it keeps in memory with its coordinating units."""
    for name in _FLAGS:
        setattr(task, name, False)
    task.has_targets = bool(task.targets.all())  # type: ignore[attr-defined]


def _updates(task: Task) -> list[dict[str, Any]]:
    if not getattr(task, "has_updates", True):
        return []
    updates = list(task.updates.select_related("unit", "author"))
    values: dict[int, dict[str, Any]] = defaultdict(dict)
    if getattr(task, "has_targets", True):
        for v in TargetValue.objects.filter(update__task_id=task.pk):
            values[v.update_id][str(v.target_id)] = v.value
    files: dict[int, list[dict[str, Any]]] = defaultdict(list)
    if getattr(task, "has_files", True):
        for f in Attachment.objects.filter(update__task_id=task.pk):
            files[f.update_id].append(
                {"id": f.pk, "name": f.name, "size": f.size, "url": f.file.url}
            )
    return [
        {
            "id": u.pk,
            "kind": u.kind,
            "unit": unit_ref(u.unit),
            "author": user_ref(u.author),
            "text": u.text,
            "percent": u.percent,
            "created_at": u.created_at,
            "values": values[u.pk],
            "files": files[u.pk],
        }
        for u in updates
    ]


def task_detail(task: Task, user: Any, today: dt.date) -> dict[str, Any]:
    """Everything about one task (loaded with `detail_query`, `mark_children` and
    `attach_people`)."""
    data = task_out(task, today)
    subtasks = (
        task_rows(task.subtasks.order_by("id"), today)
        if getattr(task, "has_subtasks", True)
        else []
    )
    data.update(
        {
            "expected_output": task.expected_output,
            "allowed_actions": allowed_actions(user, task),
            "targets": [
                {
                    "id": t.pk,
                    "name": t.name,
                    "unit_of_measure": t.unit_of_measure,
                    "target_value": t.target_value,
                    "actual_value": t.actual_value,
                }
                for t in (task.targets.all() if getattr(task, "has_targets", True) else ())
            ],
            "updates": _updates(task),
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
                for r in (
                    task.extension_requests.select_related("requested_by", "decided_by")
                    if getattr(task, "has_extensions", True)
                    else ()
                )
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
                for r in (
                    task.adjustment_requests.select_related(
                        "requested_by", "decided_by", "proposed_unit"
                    )
                    if getattr(task, "has_adjustments", True)
                    else ()
                )
            ],
            "subtasks": subtasks,
            "rollup": rollup(subtasks),
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
    return data


__all__ = ["TimeStatus", "document_out", "task_detail", "task_out", "unit_out", "user_out"]
