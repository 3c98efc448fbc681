"""Task pages: the unit's workspace, the searchable list and its Excel export, the task page
and its actions. Every action calls the same workflow function as the API."""

from __future__ import annotations

import datetime as dt
from io import BytesIO
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from nhiemvu.accounts.models import Role, User
from nhiemvu.core import clock
from nhiemvu.core.access import tenant_id
from nhiemvu.core.errors import DomainError
from nhiemvu.core.history import timeline
from nhiemvu.tasks.models import (
    AdjustmentRequest,
    ExtensionRequest,
    Field,
    Task,
)

from . import forms, workflow
from .enums import COLOURS, AdjustmentOutcome, RequestStatus, TaskState, TimeStatus
from .queries import (
    SORTS,
    Rows,
    TaskFilter,
    coordinating_units,
    tasks_for,
    time_status_q,
    with_relations,
)
from .rules import can_view, own_unit_tasks

WORKSPACE_ROWS = 20
PAGE_SIZE = 25

EVENT_LABELS = {
    "task.created": gettext_lazy("created"),
    "task.edited": gettext_lazy("edited"),
    "task.assigned": gettext_lazy("transferred to the unit for tracking"),
    "task.adjustment_requested": gettext_lazy("adjustment requested"),
    "task.adjustment_resolved": gettext_lazy("adjustment decided"),
    "task.progress_posted": gettext_lazy("progress reported"),
    "task.contribution_posted": gettext_lazy("coordinating unit reported"),
    "task.extension_requested": gettext_lazy("extension requested"),
    "task.extension_approved": gettext_lazy("extension approved"),
    "task.extension_rejected": gettext_lazy("extension rejected"),
    "task.result_submitted": gettext_lazy("result submitted"),
    "task.confirmed": gettext_lazy("completion confirmed"),
    "task.returned": gettext_lazy("returned for rework"),
    "task.cancelled": gettext_lazy("cancelled"),
    "task.subtask_created": gettext_lazy("sub-task created"),
    "task.urged": gettext_lazy("urged by the Office"),
}


def me(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def with_list_data(qs: QuerySet[Task]) -> QuerySet[Task]:
    """What a row of the task tables (`tasks/_table.html`, the queues) shows: the lead unit,
    the document and the coordinating units. Not the people or the field: reading them cost
    two more queries and hundreds of model instances on a full unit workspace."""
    return qs.select_related("lead_unit", "document").prefetch_related(coordinating_units())


def annotate(tasks: list[Task], today: dt.date) -> list[Task]:
    """Attach the time status each row shows (computed once, the rule in queries.py)."""
    for task in tasks:
        task.status = task.time_status(today)  # type: ignore[attr-defined]
    return tasks


def get_task(request: HttpRequest, pk: int) -> Task:
    """The task, or 404 for anyone who may not see it: outsiders learn nothing."""
    task = with_relations(Task.objects.filter(pk=pk), "assigning_unit", "tenant", "parent").first()
    if task is None or not can_view(me(request), task):
        raise Http404
    return task


@login_required
def workspace(request: HttpRequest) -> HttpResponse:
    """The unit's tasks by time status, overdue and due soon first; tasks it coordinates;
    sub-tasks it gave its divisions (R20.2)."""
    user = me(request)
    if user.unit_id is None:
        raise Http404
    today = clock.today()
    visible = own_unit_tasks(user)  # narrowed below to the unit's own: lead, coordinating, given
    tracked = [TaskState.ASSIGNED, TaskState.ADJUSTMENT_REQUESTED, TaskState.AWAITING_CONFIRMATION]
    lead = visible.filter(lead_unit_id=user.unit_id)
    order = [
        TimeStatus.OVERDUE,
        TimeStatus.CYCLE_MISSING,
        TimeStatus.DUE_SOON,
        TimeStatus.ON_TIME,
        TimeStatus.CYCLE_UPDATED,
        TimeStatus.AWAITING_CONFIRMATION,
    ]
    # One aggregate for the counts, then at most WORKSPACE_ROWS rows per group: a department
    # with thousands of tasks gets the same fast page, and "see all" opens the full list.
    counts = lead.aggregate(**{str(s): Count("pk", filter=time_status_q(s, today)) for s in order})

    def first_ids(qs: QuerySet[Task]) -> list[int]:
        return list(qs.order_by("deadline", "id").values_list("pk", flat=True)[:WORKSPACE_ROWS])

    # The ids of each list first, then every row of the page in one load with its relations.
    ids = {
        str(status): first_ids(lead.filter(time_status_q(status, today)))
        for status in order
        if counts[str(status)]
    }
    ids["coordinating"] = first_ids(
        visible.filter(coordinations__unit_id=user.unit_id, state__in=tracked)
    )
    ids["given"] = first_ids(
        visible.filter(assigning_unit_id=user.unit_id, parent__isnull=False, state__in=tracked)
    )
    wanted = {pk for group in ids.values() for pk in group}
    loaded = {
        task.pk: task
        for task in annotate(list(with_list_data(Task.objects.filter(pk__in=wanted))), today)
    }

    def rows_of(key: str) -> list[Task]:
        return [loaded[pk] for pk in ids.get(key, []) if pk in loaded]

    groups = []
    for status in order:
        link = (
            reverse("tasks:list")
            + "?"
            + urlencode(
                {"unit": user.unit.name if user.unit else "", "role": "lead", "time_status": status}
            )
        )
        groups.append((status, COLOURS[status], rows_of(str(status)), counts[str(status)], link))
    coordinating = rows_of("coordinating")
    given = rows_of("given")
    completed = visible.filter(lead_unit_id=user.unit_id, state=TaskState.COMPLETED).count()
    return render(
        request,
        "tasks/workspace.html",
        {
            "groups": groups,
            "coordinating": coordinating,
            "given": given,
            "completed": completed,
            "today": today,
        },
    )


def _filter_form(request: HttpRequest) -> forms.FilterForm:
    user = me(request)
    # roles is a JSON list; its text holds '"leader"' (works on SQLite and PostgreSQL).
    assigners = User.objects.filter(tenant_id=tenant_id(user), roles__icontains=f'"{Role.LEADER}"')
    return forms.FilterForm(
        request.GET or None,
        fields=Field.objects.filter(tenant_id=tenant_id(user)),
        assigners=assigners,
    )


def filtered(request: HttpRequest) -> tuple[forms.FilterForm, QuerySet[Task], str]:
    """The visible tasks narrowed by the filter form (or none, with the form's errors)."""
    from nhiemvu.units.queries import find_unit

    form = _filter_form(request)
    if form.is_bound and not form.is_valid():
        return form, Task.objects.none(), "deadline"
    values: dict[str, Any] = dict(form.cleaned_data) if form.is_bound else {}
    unit_text = values.pop("unit", "") or ""
    if unit_text:
        unit = find_unit(me(request).tenant_id or 0, unit_text)
        if unit is None:
            form.add_error("unit", _("No single unit matches this name."))
            return form, Task.objects.none(), "deadline"
        values["unit_id"] = unit.pk
    values["role"] = values.get("role") or "any"
    sort = values.get("sort") or "deadline"
    values["sort"] = sort
    qs = tasks_for(me(request), TaskFilter.of(values), clock.today(), drafts=False)
    return form, qs.order_by(*SORTS[sort]), sort


@login_required
def task_list(request: HttpRequest) -> HttpResponse:
    form, qs, _sort = filtered(request)
    paginator: Paginator[Task] = Paginator(Rows(qs, with_list_data), PAGE_SIZE)  # type: ignore[arg-type]
    page = paginator.get_page(request.GET.get("page"))
    annotate(list(page.object_list), clock.today())
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode(), "today": clock.today()}
    template = "tasks/_list_results.html" if request.htmx else "tasks/list.html"  # type: ignore[attr-defined]
    return render(request, template, context)


@login_required
def export_xlsx(request: HttpRequest) -> HttpResponse:
    """The current list (same filters) as an Excel workbook."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    _form, qs, _sort = filtered(request)
    today = clock.today()
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("Tasks")[:31]
    headers = [
        _("No."),
        _("Content"),
        _("Document"),
        _("Lead unit"),
        _("Coordinating units"),
        _("Deadline"),
        _("State"),
        _("Time status"),
        _("Progress (%)"),
        _("Field"),
    ]
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    rows = with_list_data(qs).select_related("field").iterator(chunk_size=500)
    for index, task in enumerate(rows, start=1):
        status = task.time_status(today)
        sheet.append(
            [
                index,
                task.content,
                task.document.number if task.document else "",
                task.lead_unit.name,
                "; ".join(c.unit.name for c in task.coordinations.all()),
                task.deadline,
                str(task.get_state_display()),
                str(status.label) if status else "",
                task.progress_percent,
                task.field.name if task.field else "",
            ]
        )
        sheet.cell(row=index + 1, column=6).number_format = "DD/MM/YYYY"
    for column, width in enumerate([6, 70, 18, 30, 30, 12, 18, 22, 10, 22], start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "A2"
    buffer = BytesIO()
    book.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="nhiemvu-{today:%Y%m%d}.xlsx"'
    return response


@login_required
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    task = get_task(request, pk)
    user = me(request)
    today = clock.today()
    allowed = set(workflow.allowed_actions(user, task))
    events = list(timeline(task))
    for event in events:
        event.label = str(EVENT_LABELS.get(event.action, event.action))  # type: ignore[attr-defined]
    updates = task.updates.select_related("unit", "author").prefetch_related(
        "values__target", "files"
    )
    subtasks = annotate(list(with_list_data(task.subtasks.order_by("id"))), today)
    # Several forms on one page: ids carry the action so each label finds its own input.
    action_forms = {
        action: form_class(auto_id=f"id_{action}_%s")
        for action, form_class in ACTION_FORMS.items()
        if action in allowed and action != "assign"
    }
    return render(
        request,
        "tasks/detail.html",
        {
            "task": task,
            "status": task.time_status(today),
            "allowed": allowed,
            "events": events,
            "updates": updates,
            "targets": task.targets.all(),
            "subtasks": subtasks,
            "extension_requests": task.extension_requests.select_related("requested_by"),
            "adjustment_requests": task.adjustment_requests.select_related("requested_by"),
            "action_forms": action_forms,
            "today": today,
        },
    )


ACTION_FORMS: dict[str, type[Any]] = {
    "assign": forms.NoteForm,
    "post_progress": forms.ProgressForm,
    "request_extension": forms.ExtensionForm,
    "request_adjustment": forms.AdjustmentForm,
    "submit_result": forms.ResultForm,
    "confirm": forms.NoteForm,
    "return_for_rework": forms.ReasonForm,
    "cancel": forms.ReasonForm,
}

DONE_MESSAGES = {
    "assign": gettext_lazy("The task was transferred to the unit."),
    "post_progress": gettext_lazy("Your update was saved."),
    "request_extension": gettext_lazy("Your extension request was sent to the Office."),
    "request_adjustment": gettext_lazy("Your adjustment request was sent to the Office."),
    "submit_result": gettext_lazy("The result was submitted to the Office for confirmation."),
    "confirm": gettext_lazy("Completion confirmed."),
    "return_for_rework": gettext_lazy("The task was returned to the unit."),
    "cancel": gettext_lazy("The task was cancelled."),
}


def _target_values(request: HttpRequest, task: Task) -> dict[int, Any]:
    values = {}
    for target in task.targets.all():
        raw = request.POST.get(f"target_{target.pk}", "").strip().replace(",", ".")
        if raw:
            values[target.pk] = raw
    return values


def run_action(
    task: Task, action: str, data: dict[str, Any], user: User, request: HttpRequest
) -> None:
    """Call the workflow function for `action` with the form's cleaned data."""
    if action == "assign":
        workflow.assign(task, by=user)
    elif action == "post_progress":
        workflow.post_progress(
            task,
            by=user,
            text=data["text"],
            percent=data.get("percent"),
            target_values=_target_values(request, task),
            files=data["attachments"],
        )
    elif action == "request_extension":
        workflow.request_extension(
            task, by=user, proposed_deadline=data["proposed_deadline"], reason=data["reason"]
        )
    elif action == "request_adjustment":
        workflow.request_adjustment(task, by=user, kind=data["kind"], reason=data["reason"])
    elif action == "submit_result":
        workflow.submit_result(
            task,
            by=user,
            text=data["text"],
            target_values=_target_values(request, task),
            files=data["attachments"],
        )
    elif action == "confirm":
        workflow.confirm(task, by=user, note=data.get("note", ""))
    elif action == "return_for_rework":
        workflow.return_for_rework(task, by=user, reason=data["reason"])
    elif action == "cancel":
        workflow.cancel(task, by=user, reason=data["reason"])


@login_required
@require_POST
def task_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """One form per action on the task page (and in the Office's queues, by HTMX)."""
    task = get_task(request, pk)
    form_class = ACTION_FORMS.get(action)
    if form_class is None:
        raise Http404
    form = form_class(request.POST, request.FILES)
    error = ""
    if form.is_valid():
        try:
            run_action(task, action, form.cleaned_data, me(request), request)
        except DomainError as exc:
            error = exc.message
            if exc.field and exc.field in form.fields:
                form.add_error(exc.field, exc.message)
                error = ""
    else:
        error = _("Please correct the errors below.")
    if request.htmx:  # type: ignore[attr-defined]
        task = get_task(request, pk)
        return render(
            request,
            "tasks/_queue_row.html",
            {
                "task": task,
                "form": form,
                "action": action,
                "error": error,
                "done": not error and not form.errors,
                "message": str(DONE_MESSAGES[action]),
                "status": task.time_status(clock.today()),
            },
        )
    if error or form.errors:
        messages.error(
            request,
            error
            or "; ".join(
                f"{form.fields[name].label}: {' '.join(errs)}"
                if name in form.fields
                else " ".join(errs)
                for name, errs in form.errors.items()
            ),
        )
    else:
        messages.success(request, str(DONE_MESSAGES[action]))
    return redirect("tasks:detail", pk=task.pk)


@login_required
@require_POST
def decide_extension(request: HttpRequest, pk: int) -> HttpResponse:
    """The Office (or a leader) approves or rejects an extension request."""
    ext = ExtensionRequest.objects.select_related("task").filter(pk=pk).first()
    if ext is None:
        raise Http404
    task = get_task(request, ext.task_id)
    form = forms.DecideExtensionForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            workflow.decide_extension(
                ext,
                by=me(request),
                approve=form.cleaned_data["approve"],
                note=form.cleaned_data["note"],
            )
        except DomainError as exc:
            error = exc.message
    else:
        error = _("Please choose approve or reject.")
    ext.refresh_from_db()
    message = (
        _("Extension approved: the new deadline is %(date)s.")
        % {"date": f"{ext.proposed_deadline:%d/%m/%Y}"}
        if ext.status == RequestStatus.APPROVED
        else _("Extension rejected.")
    )
    return _respond(request, task, error, message, form)


@login_required
@require_POST
def resolve_adjustment(request: HttpRequest, pk: int) -> HttpResponse:
    """The Office declines an adjustment request or reassigns the task to another unit."""
    from nhiemvu.units.queries import find_unit

    adj = AdjustmentRequest.objects.select_related("task").filter(pk=pk).first()
    if adj is None:
        raise Http404
    task = get_task(request, adj.task_id)
    form = forms.ResolveAdjustmentForm(request.POST)
    error = ""
    if form.is_valid():
        data = form.cleaned_data
        new_unit = None
        if data["outcome"] == AdjustmentOutcome.REASSIGNED:
            new_unit = find_unit(task.tenant_id, data["new_lead_unit"])
            if new_unit is None:
                error = _("No single unit matches this name.")
        if not error:
            try:
                workflow.resolve_adjustment(
                    adj,
                    by=me(request),
                    outcome=data["outcome"],
                    note=data["note"],
                    new_lead_unit=new_unit,
                )
            except DomainError as exc:
                error = exc.message
    else:
        error = _("Please correct the errors below.")
    return _respond(request, task, error, _("The adjustment request was decided."), form)


def _respond(request: HttpRequest, task: Task, error: str, message: str, form: Any) -> HttpResponse:
    if request.htmx:  # type: ignore[attr-defined]
        task = get_task(request, task.pk)
        return render(
            request,
            "tasks/_queue_row.html",
            {
                "task": task,
                "form": form,
                "error": error,
                "done": not error,
                "message": message,
                "status": task.time_status(clock.today()),
            },
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(request, message)
    return redirect("tasks:detail", pk=task.pk)
