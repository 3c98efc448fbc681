"""Entering directive documents, and the Office's intake deadline (R6.1)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from nhiemvu.core import clock
from nhiemvu.core.errors import Conflict, DomainError, NotAllowed
from nhiemvu.core.history import diff, record
from nhiemvu.workcalendar.calendar import calendar_for

from .enums import URGENT_LEVELS, Classification, DocumentSource, DocumentType, Urgency
from .models import Document, DocumentFile

if TYPE_CHECKING:
    from nhiemvu.accounts.models import User
    from nhiemvu.core.models import Tenant

#: Words that mark a classified document, as printed on it (Decree 30 position 10a).
CLASSIFIED_MARKS = ("tuyệt mật", "tối mật", "mật")


@dataclass
class DocumentInput:
    number: str
    doc_type: str
    issued_on: dt.date
    subject: str
    signer: str = ""
    urgency: str = Urgency.NORMAL
    classification: str = Classification.NONE
    source: str = DocumentSource.MANUAL
    external_id: str = ""
    is_complex: bool = False


def refuse_classified(classification: str) -> None:
    """R5.2d: a classified document is never entered. Called before anything is stored."""
    if classification and classification != Classification.NONE:
        if classification not in Classification.values:
            raise DomainError(_("Unknown classification."), field="classification")
        raise DomainError(
            _(
                "This document is classified (%(level)s). Classified documents are never "
                "entered into the task-tracking system (Decision 131, Art. 5.2d)."
            )
            % {"level": Classification(classification).label},
            field="classification",
            code="classified",
        )


def intake_due_on(document: Document) -> dt.date:
    """The Office's deadline: same day if urgent, else 1 or 2 working days (R6.1)."""
    if document.urgency in URGENT_LEVELS:
        days = 0
    elif document.is_complex:
        days = 2
    else:
        days = 1
    return calendar_for(document.tenant).add_working_days(document.issued_on, days)


def refresh_intake_due(tenant: Tenant, changed: Collection[dt.date] | None = None) -> int:
    """Recount the Office's deadline of the tenant's documents not yet transferred, after
    its calendar changed (on any of the `changed` days); return how many moved. A
    transferred document's verdict stands. They are few: all of them are recounted."""
    moved = 0
    for document in Document.objects.filter(tenant=tenant, transferred_at__isnull=True):
        document.tenant = tenant  # its calendar, without reading the tenant again
        due = intake_due_on(document)
        if due != document.intake_due_on:
            Document.objects.filter(pk=document.pk).update(intake_due_on=due)
            moved += 1
    return moved


def _validate(data: DocumentInput) -> None:
    refuse_classified(data.classification)
    if not data.number.strip():
        raise DomainError(_("This field is required."), field="number")
    if not data.subject.strip():
        raise DomainError(_("This field is required."), field="subject")
    if data.doc_type not in DocumentType.values:
        raise DomainError(_("Unknown document type."), field="doc_type")
    if data.urgency not in Urgency.values:
        raise DomainError(_("Unknown urgency."), field="urgency")
    if data.issued_on > clock.today():
        raise DomainError(_("The issuing date cannot be in the future."), field="issued_on")


def create_document(
    data: DocumentInput, *, by: User, files: Sequence[UploadedFile] = ()
) -> Document:
    """Enter a document. Refuses classified documents and duplicates (tenant, number, date)."""
    if not ({"office_specialist", "office_leader", "administrator"} & set(by.roles)):
        raise NotAllowed(_("Only the Office enters documents."))
    _validate(data)
    tenant = by.tenant
    number = " ".join(data.number.split())
    if Document.objects.filter(tenant=tenant, number=number, issued_on=data.issued_on).exists():
        raise _duplicate(number, data.issued_on)
    try:
        with transaction.atomic():
            document = Document(
                tenant=tenant,
                number=number,
                doc_type=data.doc_type,
                issued_on=data.issued_on,
                subject=data.subject.strip(),
                signer=data.signer.strip(),
                urgency=data.urgency,
                source=data.source,
                external_id=data.external_id,
                is_complex=data.is_complex,
                created_by=by,
            )
            document.intake_due_on = intake_due_on(document)
            document.save()
            for upload in files:
                DocumentFile.objects.create(
                    document=document, file=upload, name=upload.name or "", size=upload.size or 0
                )
            record(document, "document.created", actor=by, changes=diff({}, _snapshot(document)))
    except IntegrityError:
        raise _duplicate(number, data.issued_on) from None
    return document


def _duplicate(number: str, issued_on: dt.date) -> Conflict:
    return Conflict(
        _("Document %(number)s of %(date)s has already been entered.")
        % {"number": number, "date": issued_on.strftime("%d/%m/%Y")},
        field="number",
        code="duplicate",
    )


def _snapshot(document: Document) -> dict[str, object]:
    return {
        "number": document.number,
        "doc_type": document.doc_type,
        "issued_on": document.issued_on,
        "subject": document.subject,
        "signer": document.signer,
        "urgency": document.urgency,
        "is_complex": document.is_complex,
        "intake_due_on": document.intake_due_on,
    }


@transaction.atomic
def edit_document(document: Document, data: DocumentInput, *, by: User) -> Document:
    """Correct a document's header fields (the history keeps the old values)."""
    if not ({"office_specialist", "office_leader"} & set(by.roles)) or (
        by.tenant_id != document.tenant_id
    ):
        raise NotAllowed(_("Only the Office edits documents."))
    _validate(data)
    document = Document.objects.select_for_update().get(pk=document.pk)
    before = _snapshot(document)
    document.number = " ".join(data.number.split())
    document.doc_type = data.doc_type
    document.issued_on = data.issued_on
    document.subject = data.subject.strip()
    document.signer = data.signer.strip()
    document.urgency = data.urgency
    document.is_complex = data.is_complex
    document.intake_due_on = intake_due_on(document)
    try:
        with transaction.atomic():
            document.save()
    except IntegrityError:
        raise _duplicate(document.number, document.issued_on) from None
    record(document, "document.edited", actor=by, changes=diff(before, _snapshot(document)))
    return document


def mark_transferred(document: Document, *, by: User) -> None:
    """Record the first transfer of the document's tasks against the Office's deadline.
    A document with many tasks or units gets 2 working days (R6.1c)."""
    document = Document.objects.select_for_update().select_related("tenant").get(pk=document.pk)
    if document.transferred_at is not None:
        return
    tasks = document.tasks.filter(parent__isnull=True)
    threshold = document.tenant.many_tasks_threshold
    units = set(tasks.values_list("lead_unit_id", flat=True))
    units |= set(tasks.values_list("coordinations__unit_id", flat=True)) - {None}
    if not document.is_complex and (tasks.count() >= threshold or len(units) >= threshold):
        document.is_complex = True
        document.intake_due_on = intake_due_on(document)
    document.transferred_at = clock.now()
    document.transferred_on_time = clock.today() <= document.intake_due_on  # type: ignore[operator]
    document.save(
        update_fields=["is_complex", "intake_due_on", "transferred_at", "transferred_on_time"]
    )
    record(
        document,
        "document.transferred",
        actor=by,
        on_time=document.transferred_on_time,
        intake_due_on=document.intake_due_on,
    )
