"""The Office's pages: the workbench (intake countdown and decision queues), entering a
document with its tasks in one go, the document page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from nhiemvu.accounts.models import User
from nhiemvu.core import clock
from nhiemvu.core.access import tenant_id
from nhiemvu.core.errors import DomainError
from nhiemvu.tasks import workflow
from nhiemvu.tasks.enums import RequestStatus, TaskState
from nhiemvu.tasks.forms import DecideExtensionForm, NoteForm, ReasonForm, ResolveAdjustmentForm
from nhiemvu.tasks.models import AdjustmentRequest, ExtensionRequest
from nhiemvu.tasks.rules import is_office, visible_tasks
from nhiemvu.tasks.views import annotate, with_list_data
from nhiemvu.units.queries import resolve_units
from nhiemvu.workcalendar.calendar import calendar_for

from .forms import DocumentForm, TaskRowFormSet
from .models import Document
from .services import DocumentInput, create_document

#: Rows per queue on the workbench; the rest are one click away (the oldest come first).
QUEUE_ROWS = 25


def me(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def office_only(request: HttpRequest) -> User:
    user = me(request)
    if not is_office(user):
        raise Http404
    return user


@login_required
def workbench(request: HttpRequest) -> HttpResponse:
    """What the Office must do now: documents to enter (R6.1 countdown), then the requests
    and results waiting for its decision."""
    user = office_only(request)
    today = clock.today()
    cal = calendar_for(user.tenant)
    pending = list(
        Document.objects.filter(tenant_id=tenant_id(user), transferred_at__isnull=True)
        .annotate(draft_count=Count("tasks", filter=Q(tasks__state=TaskState.DRAFT)))
        .order_by("intake_due_on", "issued_on", "id")[: QUEUE_ROWS * 2]
    )
    for doc in pending:
        due = doc.intake_due_on or doc.issued_on
        doc.days_left = cal.working_days_between(today, due)  # type: ignore[attr-defined]
        doc.days_over = -doc.days_left  # type: ignore[attr-defined]
    submitted = visible_tasks(user).filter(state=TaskState.AWAITING_CONFIRMATION)
    awaiting = annotate(
        list(with_list_data(submitted).order_by("submitted_on", "id")[:QUEUE_ROWS]), today
    )
    extensions = list(
        ExtensionRequest.objects.filter(
            task__tenant_id=tenant_id(user), status=RequestStatus.PENDING
        )
        .select_related("task__lead_unit", "requested_by")
        .order_by("created_at")[:QUEUE_ROWS]
    )
    adjustments = list(
        AdjustmentRequest.objects.filter(
            task__tenant_id=tenant_id(user), status=RequestStatus.PENDING
        )
        .select_related("task__lead_unit", "requested_by", "proposed_unit")
        .order_by("created_at")[:QUEUE_ROWS]
    )
    return render(
        request,
        "documents/workbench.html",
        {
            "pending": pending,
            "awaiting": awaiting,
            "awaiting_total": submitted.count(),
            "extensions": extensions,
            "adjustments": adjustments,
            "today": today,
            "confirm_form": NoteForm(),
            "return_form": ReasonForm(),
            "decide_form": DecideExtensionForm(),
            "resolve_form": ResolveAdjustmentForm(),
        },
    )


class RowError(Exception):
    def __init__(self, index: int, field: str, message: str) -> None:
        super().__init__(message)
        self.index, self.field, self.message = index, field, message


@login_required
def new_document(request: HttpRequest) -> HttpResponse:
    """A document and all its tasks, entered and (optionally) transferred in one transaction:
    either everything is saved or nothing is."""
    user = office_only(request)
    form = DocumentForm(request.POST or None, request.FILES or None)
    rows = TaskRowFormSet(request.POST or None, prefix="t")
    if request.method == "POST" and form.is_valid() and rows.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                document = create_document(
                    DocumentInput(
                        number=data["number"],
                        doc_type=data["doc_type"],
                        issued_on=data["issued_on"],
                        subject=data["subject"],
                        signer=data["signer"],
                        urgency=data["urgency"],
                        classification=data["classification"],
                    ),
                    by=user,
                    files=data["attachments"],
                )
                count = _create_tasks(user, document, rows)
                if data["transfer"]:
                    workflow.assign_document(document, by=user)
        except RowError as exc:
            rows.forms[exc.index].add_error(exc.field, exc.message)
        except DomainError as exc:
            target = exc.field if exc.field in form.fields else None
            form.add_error(target, exc.message)
        else:
            messages.success(
                request,
                _("%(count)d tasks saved with document %(number)s.")
                % {"count": count, "number": document.number},
            )
            return redirect("documents:detail", pk=document.pk)
    return render(request, "documents/new.html", {"form": form, "rows": rows})


ROW_FIELDS = {
    "content": "content",
    "lead_unit": "lead",
    "coordinating_units": "coordinating",
    "deadline": "deadline",
    "reporting_cycle": "reporting_cycle",
}


def _create_tasks(user: User, document: Document, rows: Any) -> int:
    count = 0
    tid = tenant_id(user)
    for index, row in enumerate(rows.forms):
        data = row.cleaned_data
        if not data or not data.get("content"):
            continue
        try:
            leads = resolve_units(tid, data["lead"], "lead")
            coordinating = resolve_units(tid, data.get("coordinating", ""), "coordinating")
        except DomainError as exc:
            raise RowError(index, exc.field or "lead", exc.message) from None
        for lead in leads:
            try:
                workflow.create_task(
                    workflow.TaskInput(
                        content=data["content"],
                        lead_unit=lead,
                        coordinating_units=[u for u in coordinating if u != lead],
                        deadline=data.get("deadline"),
                        reporting_cycle=data.get("reporting_cycle") or "",
                        expected_output=data.get("expected_output", ""),
                    ),
                    by=user,
                    document=document,
                )
            except DomainError as exc:
                field = ROW_FIELDS.get(exc.field or "")
                raise RowError(index, field or "content", exc.message) from None
            count += 1
    return count


@login_required
def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = me(request)
    document = Document.objects.filter(pk=pk, tenant_id=tenant_id(user)).first()
    if document is None:
        raise Http404
    tasks_qs = visible_tasks(user).filter(document=document)
    if not is_office(user) and not tasks_qs.exists():
        raise Http404
    tasks = annotate(list(with_list_data(tasks_qs).order_by("id")), clock.today())
    drafts = [t for t in tasks if t.state == TaskState.DRAFT]
    return render(
        request,
        "documents/detail.html",
        {
            "document": document,
            "tasks": tasks,
            "drafts": drafts,
            "can_transfer": is_office(user) and bool(drafts),
            "files": document.files.all(),
        },
    )


@login_required
@require_POST
def transfer(request: HttpRequest, pk: int) -> HttpResponse:
    user = office_only(request)
    document = Document.objects.filter(pk=pk, tenant_id=tenant_id(user)).first()
    if document is None:
        raise Http404
    try:
        assigned = workflow.assign_document(document, by=user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("%(count)d tasks transferred to the units.") % {"count": len(assigned)}
        )
    return redirect("documents:detail", pk=document.pk)
