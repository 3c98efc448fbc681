"""The Office's pages: the workbench (intake countdown and decision queues), entering a
document with its tasks in one go, the document page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
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

from . import intake
from .forms import (
    DocumentForm,
    ReviewHeaderForm,
    ReviewRowFormSet,
    TaskRowFormSet,
    TransferForm,
    UploadForm,
)
from .models import Document, IntakeProposal, ProposalStatus
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
    proposals = list(
        IntakeProposal.objects.filter(tenant_id=tenant_id(user), status=ProposalStatus.PENDING)
        .select_related("document")
        .defer("text", "header")
        .order_by("created_at", "id")[:QUEUE_ROWS]
    )
    return render(
        request,
        "documents/workbench.html",
        {
            "proposals": proposals,
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


# --- intake: upload, review of the proposed tasks (issue #4) ---------------------------------


@login_required
def upload(request: HttpRequest) -> HttpResponse:
    """Upload a directive; its header and tasks are proposed for review. A refused file (empty,
    binary, scanned, too large, classified) stores nothing and says why."""
    user = office_only(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        f = form.cleaned_data["file"]
        try:
            intake.check_size(f.size or 0)  # before reading a huge file into memory
            proposal = intake.propose_upload(f.name or "", f.read(), by=user)
        except DomainError as exc:
            form.add_error("file", exc.message)
        else:
            return redirect("documents:review", pk=proposal.pk)
    return render(request, "documents/upload.html", {"form": form})


def _proposal(user: User, pk: int) -> IntakeProposal:
    proposal = (
        IntakeProposal.objects.filter(pk=pk, tenant_id=tenant_id(user))
        .select_related("document")
        .first()
    )
    if proposal is None:
        raise Http404
    return proposal


@login_required
def review(request: HttpRequest, pk: int) -> HttpResponse:
    """The proposed tasks, each beside the sentence it came from, editable; only the accepted
    rows become tasks, all in one transaction (a bad row is shown with its error and nothing
    is saved). "Accept all" saves every row."""
    user = office_only(request)
    proposal = _proposal(user, pk)
    if proposal.status != ProposalStatus.PENDING:
        messages.info(request, _("This proposal has already been reviewed."))
        if proposal.document_id:
            return redirect("documents:detail", pk=proposal.document_id)
        return redirect("documents:workbench")
    initial = intake.proposal_rows(proposal)
    data: QueryDict | None = request.POST if request.method == "POST" else None
    if data is not None and "accept_all" in data:
        data = data.copy()
        for i in range(len(initial)):
            data[f"t-{i}-accept"] = "on"
    header = (
        ReviewHeaderForm(data, initial=intake.header_initial(proposal))
        if proposal.document is None
        else None
    )
    rows = ReviewRowFormSet(data, initial=initial, prefix="t")
    transfer = TransferForm(data)
    if data is not None and (header is None or header.is_valid()) and rows.is_valid():
        transfer.is_valid()
        try:
            document, tasks = intake.accept_proposal(
                proposal,
                [_reviewed(form) for form in rows.forms if form.accepted()],
                by=user,
                header=_header_input(header) if header is not None else None,
                transfer=bool(transfer.cleaned_data.get("transfer")),
            )
        except intake.RowError as exc:
            form = next((f for f in rows.forms if _index(f) == exc.index), None)
            if form is None:
                messages.error(request, exc.message)
            else:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        except DomainError as exc:
            if exc.code == "classified":
                messages.error(request, exc.message)
                return redirect("documents:upload")
            if header is not None:
                header.add_error(exc.field if exc.field in header.fields else None, exc.message)
            else:
                messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _("%(count)d tasks saved with document %(number)s.")
                % {"count": len(tasks), "number": document.number},
            )
            return redirect("documents:detail", pk=document.pk)
    return render(
        request,
        "documents/review.html",
        {
            "proposal": proposal,
            "header": header,
            "rows": rows,
            "pairs": list(zip(rows.forms, initial, strict=False)),
            "transfer": transfer,
        },
    )


def _index(form: Any) -> int:
    try:
        return int(form.data.get(form.add_prefix("index")) or -1)
    except ValueError:
        return -1


def _reviewed(form: Any) -> intake.ReviewedTask:
    data = form.cleaned_data
    return intake.ReviewedTask(
        index=data["index"],
        content=data["content"],
        lead=data["lead"],
        coordinating=data.get("coordinating") or "",
        deadline=data.get("deadline"),
        reporting_cycle=data.get("reporting_cycle") or "",
        expected_output=data.get("expected_output") or "",
    )


def _header_input(form: Any) -> DocumentInput:
    data = form.cleaned_data
    return DocumentInput(
        number=data["number"],
        doc_type=data["doc_type"],
        issued_on=data["issued_on"],
        subject=data["subject"],
        signer=data["signer"],
        urgency=data["urgency"],
        classification=data["classification"],
    )


@login_required
@require_POST
def discard(request: HttpRequest, pk: int) -> HttpResponse:
    """Reject a whole proposal (an upload's is deleted; a document system's document stays)."""
    user = office_only(request)
    proposal = _proposal(user, pk)
    try:
        intake.discard_proposal(proposal, by=user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The proposal was discarded."))
    return redirect("documents:workbench")
