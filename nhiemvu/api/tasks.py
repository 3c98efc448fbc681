"""Tasks and every workflow action. Each action is a POST that calls the domain function."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from operator import itemgetter
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status

from nhiemvu.accounts.models import User
from nhiemvu.api.auth import actor, tenant_of
from nhiemvu.core import clock
from nhiemvu.core.errors import DomainError
from nhiemvu.documents.models import Document
from nhiemvu.tasks import workflow
from nhiemvu.tasks.models import AdjustmentRequest, ExtensionRequest, Field, Task
from nhiemvu.tasks.queries import (
    SORTS,
    Rows,
    TaskFilter,
    attach_people,
    coordinating_units,
    tasks_for,
)
from nhiemvu.tasks.rules import can_view, sees_whole_tenant
from nhiemvu.units.models import Unit

from . import schemas as s
from .serialize import detail_query, mark_children, mark_created, task_detail, task_rows

router = Router(tags=["tasks"])

MAX_PAGE_SIZE = 200


class TaskFilters(Schema):
    unit_id: int | None = None
    role: str = "any"  # lead | coordinating | any (with unit_id)
    include_subunits: bool = False
    state: list[str] = []
    time_status: list[str] = []
    deadline_from: dt.date | None = None
    deadline_to: dt.date | None = None
    field_id: int | None = None
    assigner_id: int | None = None
    document_id: int | None = None
    parent_id: int | None = None
    q: str = ""
    open: bool | None = None
    sort: str = "deadline"
    page: int = 1
    page_size: int = 25


def uploads(files: list[s.FileIn]) -> list[SimpleUploadedFile]:
    result = []
    for index, f in enumerate(files):
        try:
            content = base64.b64decode(f.content_base64, validate=True)
        except (binascii.Error, ValueError):
            raise DomainError(
                _("The file is not valid base64."), field=f"files[{index}].content_base64"
            ) from None
        result.append(SimpleUploadedFile(f.name, content))
    return result


def page(qs: Any, number: int, size: int) -> tuple[int, list[Any], int, int]:
    size = max(1, min(size, MAX_PAGE_SIZE))
    number = max(1, number)
    count = qs.count()
    rows = list(qs[(number - 1) * size : number * size])
    return count, rows, number, size


def get_task(request: HttpRequest, task_id: int, *, detailed: bool = False) -> Task:
    """The task, or 404 for anyone who may not see it (outsiders learn nothing); `detailed`
    loads what `task_detail` shows, else just enough to decide who may see it."""
    qs = Task.objects.filter(pk=task_id)
    if detailed:
        qs = detail_query(qs)
    else:
        qs = qs.select_related("lead_unit", "assigning_unit")
        if not sees_whole_tenant(actor(request)):  # its coordinating units decide
            qs = qs.prefetch_related(coordinating_units())
    task = qs.first()
    if task is None or not can_view(actor(request), task):
        raise Http404
    if detailed:
        mark_children(task)
        attach_people([task])
    return task


def _unit(request: HttpRequest, unit_id: int | None, field: str) -> Unit | None:
    if unit_id is None:
        return None
    unit = Unit.objects.filter(pk=unit_id, tenant_id=tenant_of(request)).first()
    if unit is None:
        raise DomainError(_("Unknown unit."), field=field)
    return unit


def _user(request: HttpRequest, user_id: int | None, field: str) -> User | None:
    if user_id is None:
        return None
    user = User.objects.filter(pk=user_id, tenant_id=tenant_of(request)).first()
    if user is None:
        raise DomainError(_("Unknown user."), field=field)
    return user


def task_input(request: HttpRequest, data: s.TaskIn) -> workflow.TaskInput:
    tenant_id = tenant_of(request)
    field = None
    if data.field_id is not None:
        field = Field.objects.filter(pk=data.field_id, tenant_id=tenant_id).first()
        if field is None:
            raise DomainError(_("Unknown field."), field="field_id")
    coordinating = [
        _unit(request, uid, "coordinating_unit_ids") for uid in data.coordinating_unit_ids
    ]
    return workflow.TaskInput(
        content=data.content,
        lead_unit=_unit(request, data.lead_unit_id, "lead_unit_id"),  # type: ignore[arg-type]
        coordinating_units=[u for u in coordinating if u is not None],
        deadline=data.deadline,
        reporting_cycle=data.reporting_cycle,
        expected_output=data.expected_output,
        field=field,
        assigner=_user(request, data.assigner_id, "assigner_id"),
        responsible=_user(request, data.responsible_id, "responsible_id"),
        targets=[t.dict() for t in data.targets],
    )


def _document(request: HttpRequest, document_id: int | None) -> Document | None:
    if document_id is None:
        return None
    document = Document.objects.filter(
        pk=document_id,
        tenant_id=tenant_of(request),
    ).first()
    if document is None:
        raise DomainError(_("Unknown document."), field="document_id")
    return document


def _detail(request: HttpRequest, task_id: int) -> dict[str, Any]:
    """A task's detail as it is now (the response of GET and of every action)."""
    return task_detail(get_task(request, task_id, detailed=True), actor(request), clock.today())


def _answer(request: HttpRequest, task: Task) -> dict[str, Any]:
    """The detail of a task an action just changed, from the instance the action locked and
    saved (its row, units and coordinating units as written): its child rows and people are
    read, the task is not read again."""
    mark_children(task)
    attach_people([task])
    return task_detail(task, actor(request), clock.today())


def _created(request: HttpRequest, task: Task) -> dict[str, Any]:
    """The detail of a task this request created, from what it was given (units, people,
    targets): only its history is read back."""
    mark_created(task)
    return task_detail(task, actor(request), clock.today())


@router.get("/tasks", response=s.TaskPage, summary="List tasks")
def list_tasks(request: HttpRequest, filters: Query[TaskFilters]) -> dict[str, Any]:
    """Tasks the user may see, filtered. Sorted by deadline (overdue first) by default."""
    today = clock.today()
    qs = tasks_for(actor(request), TaskFilter.of(filters.dict()), today)
    order = SORTS.get(filters.sort)
    if order is None:
        raise DomainError(_("Unknown sort order."), field="sort")
    rows_of = Rows(qs.order_by(*order), lambda page: task_rows(page, today), itemgetter("id"))
    count, rows, number, size = page(rows_of, filters.page, filters.page_size)
    return {"count": count, "page": number, "page_size": size, "results": rows}


@router.post("/tasks", response={201: s.TaskDetail}, summary="Create a draft task")
def create_task(request: HttpRequest, data: s.TaskIn) -> Status[dict[str, Any]]:
    task = workflow.create_task(
        task_input(request, data),
        by=actor(request),
        document=_document(request, data.document_id),  # type: ignore[arg-type]
    )
    return Status(201, _created(request, task))


@router.get("/tasks/{task_id}", response=s.TaskDetail, summary="A task with its history")
def get_task_detail(request: HttpRequest, task_id: int) -> dict[str, Any]:
    return _detail(request, task_id)


@router.put("/tasks/{task_id}", response=s.TaskDetail, summary="Edit a draft task")
def edit_task(request: HttpRequest, task_id: int, data: s.TaskIn) -> dict[str, Any]:
    task = get_task(request, task_id)
    workflow.edit_task(
        task, task_input(request, data), by=actor(request), expected_version=data.version
    )  # type: ignore[arg-type]
    return _detail(request, task.pk)


@router.post(
    "/tasks/{task_id}/subtasks", response={201: s.TaskDetail}, summary="Create a sub-task (R20.2)"
)
def create_subtask(request: HttpRequest, task_id: int, data: s.TaskIn) -> Status[dict[str, Any]]:
    parent = get_task(request, task_id)
    task = workflow.create_task(task_input(request, data), by=actor(request), parent=parent)
    return Status(201, _created(request, task))


@router.post("/tasks/{task_id}/assign", response=s.TaskDetail, summary="Transfer to tracking")
def assign(request: HttpRequest, task_id: int, data: s.NoteIn | None = None) -> dict[str, Any]:
    task = workflow.assign(
        task_id, by=actor(request), expected_version=data.version if data else None
    )
    return _answer(request, task)


@router.post("/tasks/{task_id}/request-adjustment", response=s.TaskDetail)
def request_adjustment(request: HttpRequest, task_id: int, data: s.AdjustmentIn) -> dict[str, Any]:
    adjustment = workflow.request_adjustment(
        task_id,
        by=actor(request),
        kind=data.kind,
        reason=data.reason,  # type: ignore[arg-type]
        proposed_unit=_unit(request, data.proposed_unit_id, "proposed_unit_id"),
    )
    return _answer(request, adjustment.task)


@router.post("/adjustments/{request_id}/decide", response=s.TaskDetail)
def decide_adjustment(
    request: HttpRequest, request_id: int, data: s.AdjustmentDecisionIn
) -> dict[str, Any]:
    adjustment = get_object_or_404(AdjustmentRequest, pk=request_id)
    task = get_task(request, adjustment.task_id)
    workflow.resolve_adjustment(
        adjustment,
        by=actor(request),
        outcome=data.outcome,
        note=data.note,
        correction=task_input(request, data.correction) if data.correction else None,
        new_lead_unit=_unit(request, data.new_lead_unit_id, "new_lead_unit_id"),
    )
    return _detail(request, task.pk)


@router.post(
    "/tasks/{task_id}/progress", response={201: s.TaskDetail}, summary="Post a progress update"
)
def post_progress(request: HttpRequest, task_id: int, data: s.ProgressIn) -> Status[dict[str, Any]]:
    update = workflow.post_progress(
        task_id,
        by=actor(request),
        text=data.text,
        percent=data.percent,  # type: ignore[arg-type]
        target_values=data.target_values,
        files=uploads(data.files),
    )
    return Status(201, _answer(request, update.task))


@router.post("/tasks/{task_id}/request-extension", response={201: s.TaskDetail})
def request_extension(
    request: HttpRequest, task_id: int, data: s.ExtensionIn
) -> Status[dict[str, Any]]:
    extension = workflow.request_extension(
        task_id,
        by=actor(request),
        proposed_deadline=data.proposed_deadline,
        reason=data.reason,  # type: ignore[arg-type]
    )
    return Status(201, _answer(request, extension.task))


@router.post("/extensions/{request_id}/decide", response=s.TaskDetail)
def decide_extension(request: HttpRequest, request_id: int, data: s.DecisionIn) -> dict[str, Any]:
    extension = get_object_or_404(ExtensionRequest, pk=request_id)
    task = get_task(request, extension.task_id)
    workflow.decide_extension(extension, by=actor(request), approve=data.approve, note=data.note)
    return _detail(request, task.pk)


@router.post("/tasks/{task_id}/submit-result", response=s.TaskDetail)
def submit_result(request: HttpRequest, task_id: int, data: s.ResultIn) -> dict[str, Any]:
    update = workflow.submit_result(
        task_id,
        by=actor(request),
        text=data.text,
        target_values=data.target_values,  # type: ignore[arg-type]
        files=uploads(data.files),
    )
    return _answer(request, update.task)


@router.post("/tasks/{task_id}/confirm", response=s.TaskDetail)
def confirm(request: HttpRequest, task_id: int, data: s.NoteIn | None = None) -> dict[str, Any]:
    task = workflow.confirm(
        task_id,
        by=actor(request),
        note=data.note if data else "",  # type: ignore[arg-type]
        expected_version=data.version if data else None,
    )
    return _answer(request, task)


@router.post("/tasks/{task_id}/return", response=s.TaskDetail, summary="Return for rework")
def return_for_rework(request: HttpRequest, task_id: int, data: s.ReasonIn) -> dict[str, Any]:
    task = workflow.return_for_rework(
        task_id,
        by=actor(request),
        reason=data.reason,  # type: ignore[arg-type]
        expected_version=data.version,
    )
    return _answer(request, task)


@router.post("/tasks/{task_id}/cancel", response=s.TaskDetail)
def cancel(request: HttpRequest, task_id: int, data: s.ReasonIn) -> dict[str, Any]:
    task = workflow.cancel(
        task_id,
        by=actor(request),
        reason=data.reason,  # type: ignore[arg-type]
    )
    return _answer(request, task)
