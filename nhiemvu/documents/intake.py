"""Intake of directive documents, and the Office's review of the tasks proposed from their text
(issue #4, R3.2, R6.1).

Two channels bring a document in:

- `receive` / `receive_edxml`: the document management system sends the header, the text and
  the files (as JSON or as an edXML package). The Document is created at once (source DMS) with
  a proposal of its tasks; sending the same document again returns the first one.
- `propose_upload`: the Office uploads a .docx/.pdf/.txt; the header is read from the text and
  only the proposal is stored. The Document is created when the review is saved.

`accept_proposal` turns the accepted rows of a proposal into draft tasks (and optionally
transfers them) in one transaction: everything or nothing. Classified documents are refused on
every channel before anything is stored (R5.2d).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from nhiemvu.core import clock
from nhiemvu.core.errors import Conflict, DomainError, NotAllowed
from nhiemvu.core.history import record
from nhiemvu.tasks import workflow
from nhiemvu.tasks.enums import ReportingCycle
from nhiemvu.units.models import Unit
from nhiemvu.units.queries import resolve_units

from . import extraction
from .enums import Classification, DocumentSource, DocumentType, Urgency
from .extraction import text as extraction_text
from .models import Document, IntakeProposal, ProposalStatus
from .services import DocumentInput, create_document, refuse_classified

if TYPE_CHECKING:
    from nhiemvu.accounts.models import User
    from nhiemvu.core.models import Tenant
    from nhiemvu.tasks.models import Task

MAY_ENTER = frozenset({"office_specialist", "office_leader", "administrator"})

#: The extractor's cycles mapped to the task's reporting cycle; "thường xuyên" (regular work)
#: is followed up monthly unless the Office picks another cycle.
CYCLE_OF = {
    "monthly": ReportingCycle.MONTHLY,
    "quarterly": ReportingCycle.QUARTERLY,
    "semiannual": ReportingCycle.SEMIANNUAL,
    "annual": ReportingCycle.ANNUAL,
    "regular": ReportingCycle.MONTHLY,
}
READABLE = (".txt", ".docx", ".pdf")


@dataclass
class IncomingFile:
    """A file sent with a document (decoded from base64 or taken out of an edXML package)."""

    name: str
    data: bytes


@dataclass
class Received:
    """What the intake endpoint answers: the document, its proposal, and whether it is new."""

    document: Document
    proposal: IntakeProposal | None
    created: bool


@dataclass
class ReviewedTask:
    """One accepted row of the review, as the Office left it. `index` is the proposal row."""

    index: int
    content: str
    lead: str
    coordinating: str = ""
    deadline: dt.date | None = None
    reporting_cycle: str = ""
    expected_output: str = ""


class RowError(DomainError):
    """A reviewed row was refused; `index` says which one, `field` which of its fields."""

    def __init__(self, index: int, message: Any, *, field: str | None = None):
        super().__init__(message, field=field, code="invalid_row")
        self.index = index


def _check_may_enter(by: User) -> Tenant:
    """The actor's tenant, if the actor may enter documents (the Office)."""
    if not (MAY_ENTER & set(by.roles)) or by.tenant is None:
        raise NotAllowed(_("Only the Office enters documents."))
    return by.tenant


def _no_text() -> DomainError:
    return DomainError(
        _(
            "The document has no text to read the tasks from: send its text or a .docx, .pdf or "
            ".txt file."
        ),
        field="text",
        code="empty",
    )


def check_size(size: int) -> None:
    """Refuse a file over the limit (read at call time, so a test can lower it)."""
    if size > extraction_text.MAX_BYTES:
        raise DomainError(_("The file is larger than 50 MB."), field="file", code="too_large")


def _refuse_marked(text: str) -> dict[str, Any]:
    """The header read from the text; refuses a text that carries a classification mark."""
    header = extraction.read_header(text)
    refuse_classified(header.get("classification", Classification.NONE))
    return header


def _plain(header: dict[str, Any]) -> dict[str, Any]:
    return {
        k: v.isoformat() if isinstance(v, dt.date) else v
        for k, v in header.items()
        if isinstance(v, (str, int, float, bool, list, dict, dt.date))
    }


def _propose_tasks(text: str, tenant: Any, issued: dt.date | None) -> list[dict[str, Any]]:
    registry = extraction.Registry.for_tenant(tenant)
    return [t.as_dict() for t in extraction.extract_tasks(text, issued=issued, registry=registry)]


# --- the document system ---------------------------------------------------------------------


def _existing(by: User, data: DocumentInput) -> Document | None:
    """An earlier send of the same document: same id in the document system, or same number
    and issuing date."""
    match = Q(number=" ".join(data.number.split()), issued_on=data.issued_on)
    if data.external_id:
        match |= Q(source=data.source, external_id=data.external_id)
    return Document.objects.filter(Q(tenant_id=by.tenant_id) & match).order_by("id").first()


def _text_of(files: Sequence[IncomingFile]) -> str:
    """The text of the first attachment that reads; the others' errors are not the sender's
    fault (a signed PDF scan beside the .docx is normal)."""
    for f in files:
        if PurePath(f.name).suffix.lower() in READABLE:
            try:
                return extraction.read_text(f.name, f.data)
            except DomainError:
                continue
    return ""


def receive(
    data: DocumentInput,
    *,
    by: User,
    text: str = "",
    files: Sequence[IncomingFile] = (),
    header: dict[str, Any] | None = None,
) -> Received:
    """A document from the document management system, idempotently.

    1. Refuse a classified document (the declared level, or a mark printed in its text) and
       oversized files before anything is looked up or stored.
    2. The same document sent before (same external id, or same number and date) is returned
       as it is, with `created=False`.
    3. The text is the one sent, else the first readable attachment's; no text is refused.
    4. The Document (source DMS), its files and the proposal of its tasks are stored in one
       transaction. If a concurrent send wins the race, its document is returned.
    """
    tenant = _check_may_enter(by)
    refuse_classified(data.classification)
    for f in files:
        check_size(len(f.data))
    text = (text or "").strip() or _text_of(files)
    if text:
        _refuse_marked(text)
    data.source = DocumentSource.DMS
    existing = _existing(by, data)
    if existing is not None:
        return Received(existing, getattr(existing, "proposal", None), created=False)
    if not text:
        raise _no_text()
    tasks = _propose_tasks(text, tenant, data.issued_on)
    uploads = [ContentFile(f.data, name=PurePath(f.name).name or "file") for f in files]
    try:
        with transaction.atomic():
            document = create_document(data, by=by, files=uploads)  # type: ignore[arg-type]
            proposal = IntakeProposal.objects.create(
                tenant=tenant,
                document=document,
                source=DocumentSource.DMS,
                text=text,
                header=_plain(header or {}),
                tasks=tasks,
                created_by=by,
            )
            record(document, "document.received", actor=by, proposed_tasks=len(tasks))
    except Conflict:
        existing = _existing(by, data)
        if existing is None:
            raise
        return Received(existing, getattr(existing, "proposal", None), created=False)
    return Received(document, proposal, created=True)


def receive_edxml(package: bytes, *, by: User) -> Received:
    """An edXML package (QCVN 102): the envelope's header, the text of its attachments."""
    _check_may_enter(by)
    check_size(len(package))
    header, attachments = extraction.parse_edxml(package)
    issued = header.get("issued_on")
    if not isinstance(issued, dt.date):
        raise DomainError(
            _("The edXML package gives no promulgation date."), field="issued_on", code="invalid"
        )
    subject = header.get("subject") or header.get("content") or ""
    data = DocumentInput(
        number=header.get("number", ""),
        doc_type=header.get("doc_type") or DocumentType.OTHER,
        issued_on=issued,
        subject=subject,
        signer=header.get("signer", ""),
        urgency=header.get("urgency") or Urgency.NORMAL,
        external_id=str(header.get("document_id", ""))[:200],
    )
    files = [IncomingFile(a.name, a.data) for a in attachments]
    return receive(data, by=by, files=files, header=header)


# --- the workbench upload --------------------------------------------------------------------


def propose_upload(filename: str, data: bytes, *, by: User) -> IntakeProposal:
    """Read an uploaded directive and store the proposal of its tasks for review.

    The file must read (`read_text` refuses empty, binary, scanned and oversized files) and
    carry no classification mark; only then are the file, its text and the proposal stored.
    """
    tenant = _check_may_enter(by)
    check_size(len(data))
    text = extraction.read_text(filename, data)
    header = _refuse_marked(text)
    tasks = _propose_tasks(text, tenant, header.get("issued_on"))
    name = PurePath(filename or "document.txt").name
    return IntakeProposal.objects.create(
        tenant=tenant,
        source=DocumentSource.UPLOAD,
        file=ContentFile(data, name=name),
        filename=name,
        text=text,
        header=_plain(header),
        tasks=tasks,
        created_by=by,
    )


# --- the review ------------------------------------------------------------------------------


def header_initial(proposal: IntakeProposal) -> dict[str, Any]:
    """The document form's initial values from the header read from the text."""
    header = proposal.header or {}
    initial = {
        k: header[k] for k in ("number", "doc_type", "subject", "signer", "urgency") if k in header
    }
    if header.get("issued_on"):
        initial["issued_on"] = dt.date.fromisoformat(header["issued_on"])
    initial.setdefault("doc_type", DocumentType.OTHER)
    initial["classification"] = header.get("classification", Classification.NONE)
    return initial


def proposal_rows(proposal: IntakeProposal) -> list[dict[str, Any]]:
    """The proposal's rows as the review form's initial values, with the sentence each came
    from. Units found in the registry are named canonically; a name the registry does not know
    is kept as written, so the Office sees it (and must correct it to accept the row)."""
    ids = {i for t in proposal.tasks for i in t["lead_unit_ids"] + t["coordinating_unit_ids"]}
    names = dict(
        Unit.objects.filter(tenant_id=proposal.tenant_id, pk__in=ids).values_list("pk", "name")
    )
    rows = []
    for index, task in enumerate(proposal.tasks):
        leads = [names[i] for i in task["lead_unit_ids"] if i in names]
        coordinating = [
            names[i]
            for i in task["coordinating_unit_ids"]
            if i in names and i not in task["lead_unit_ids"]
        ]
        rows.append(
            {
                "index": index,
                "content": task["content"],
                "lead": "; ".join(leads or task["lead"]),
                "coordinating": "; ".join(coordinating),
                "deadline": dt.date.fromisoformat(task["deadline"]) if task["deadline"] else None,
                "reporting_cycle": ""
                if task["deadline"]
                else CYCLE_OF.get(task.get("periodic") or "", ""),
                "sentence": task.get("sentence") or task["content"],
                "lead_as_written": task["lead"],
                "urgent": task.get("urgent", False),
            }
        )
    return rows


def _lock_pending(proposal: IntakeProposal, by: User) -> IntakeProposal:
    _check_may_enter(by)
    if proposal.tenant_id != by.tenant_id:
        raise NotAllowed(_("Only the Office enters documents."))
    proposal = IntakeProposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status != ProposalStatus.PENDING:
        raise Conflict(_("This proposal has already been reviewed."), code="reviewed")
    return proposal


def discard_proposal(proposal: IntakeProposal, *, by: User) -> None:
    """Reject a whole proposal. An upload's is deleted with its file (no document exists);
    a document system's is closed, and its document stays for tasks entered by hand."""
    with transaction.atomic():
        proposal = _lock_pending(proposal, by)
        if proposal.document is None:
            proposal.delete()
        else:
            _close(proposal, by)
            record(proposal.document, "document.proposal_discarded", actor=by)
    if proposal.document is None and proposal.file:
        proposal.file.delete(save=False)


def _close(proposal: IntakeProposal, by: User) -> None:
    proposal.status = ProposalStatus.REVIEWED
    proposal.reviewed_by = by
    proposal.reviewed_at = clock.now()
    proposal.save(update_fields=["status", "reviewed_by", "reviewed_at", "document"])


def accept_proposal(
    proposal: IntakeProposal,
    rows: Sequence[ReviewedTask],
    *,
    by: User,
    header: DocumentInput | None = None,
    transfer: bool = False,
) -> tuple[Document, list[Task]]:
    """Save the review: the accepted rows become draft tasks, the others are dropped.

    1. A classified level chosen for an upload's header refuses it and deletes the proposal
       with its text and file (R5.2d): nothing of it is kept.
    2. In one transaction: lock the pending proposal; create the document of an upload (source
       UPLOAD, with the uploaded file); one task per lead unit of each row (names resolved as
       on the entry form; a bad row raises `RowError` and nothing is saved); close the
       proposal; transfer the tasks to the units if asked.
    """
    if proposal.document_id is None and header is not None:
        try:
            refuse_classified(header.classification)
        except DomainError:
            discard_proposal(proposal, by=by)
            raise
    with transaction.atomic():
        proposal = _lock_pending(proposal, by)
        document = proposal.document
        if document is None:
            if header is None:
                raise DomainError(_("This field is required."), field="number")
            header.source = DocumentSource.UPLOAD
            files = []
            if proposal.file:
                with proposal.file.open("rb") as f:
                    files.append(ContentFile(f.read(), name=proposal.filename or "document"))
            document = create_document(header, by=by, files=files)  # type: ignore[arg-type]
            proposal.document = document
        tasks = _create_tasks(proposal, document, rows, by)
        _close(proposal, by)
        record(
            document,
            "document.proposal_reviewed",
            actor=by,
            proposed=len(proposal.tasks),
            accepted=len(rows),
            tasks=len(tasks),
        )
        if transfer and tasks:
            workflow.assign_document(document, by=by)
    return document, tasks


ROW_FIELDS = {
    "content": "content",
    "lead_unit": "lead",
    "coordinating_units": "coordinating",
    "deadline": "deadline",
    "reporting_cycle": "reporting_cycle",
    "expected_output": "expected_output",
}


def _create_tasks(
    proposal: IntakeProposal, document: Document, rows: Sequence[ReviewedTask], by: User
) -> list[Task]:
    tasks: list[Task] = []
    tenant_id = proposal.tenant_id
    for row in rows:
        if not row.lead.strip():
            raise RowError(row.index, _("This field is required."), field="lead")
        try:
            leads = resolve_units(tenant_id, row.lead, "lead")
            coordinating = resolve_units(tenant_id, row.coordinating, "coordinating")
        except DomainError as exc:
            raise RowError(row.index, exc.message, field=exc.field) from None
        for lead in leads:
            try:
                task = workflow.create_task(
                    workflow.TaskInput(
                        content=row.content,
                        lead_unit=lead,
                        coordinating_units=[u for u in coordinating if u != lead],
                        deadline=row.deadline,
                        reporting_cycle="" if row.deadline else row.reporting_cycle,
                        expected_output=row.expected_output,
                    ),
                    by=by,
                    document=document,
                )
            except DomainError as exc:
                raise RowError(
                    row.index, exc.message, field=ROW_FIELDS.get(exc.field or "", "content")
                ) from None
            tasks.append(task)
    return tasks
