"""Directive documents."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count
from django.http import Http404, HttpRequest
from ninja import Query, Router, Schema, Status

from nhiemvu.api.auth import actor, tenant_of
from nhiemvu.core import clock
from nhiemvu.documents.models import Document
from nhiemvu.documents.services import DocumentInput, create_document, edit_document
from nhiemvu.tasks.rules import sees_whole_tenant, visible_tasks
from nhiemvu.tasks.workflow import assign_document

from . import schemas as s
from .serialize import document_out, task_out, task_rows
from .tasks import page, uploads

router = Router(tags=["documents"])


class DocumentFilters(Schema):
    q: str = ""
    doc_type: str = ""
    issued_from: dt.date | None = None
    issued_to: dt.date | None = None
    not_transferred: bool = False
    page: int = 1
    page_size: int = 25


def visible_documents(request: HttpRequest) -> Any:
    user = actor(request)
    qs = Document.objects.filter(tenant_id=tenant_of(request))
    if not sees_whole_tenant(user):
        qs = qs.filter(pk__in=visible_tasks(user).values("document_id"))
    return qs


def get_document(request: HttpRequest, document_id: int) -> Document:
    document = visible_documents(request).filter(pk=document_id).first()
    if document is None:
        raise Http404
    return document


def _input(data: s.DocumentIn) -> DocumentInput:
    return DocumentInput(
        number=data.number,
        doc_type=data.doc_type,
        issued_on=data.issued_on,
        subject=data.subject,
        signer=data.signer,
        urgency=data.urgency,
        classification=data.classification,
        source=data.source,
        external_id=data.external_id,
        is_complex=data.is_complex,
    )


@router.get("/documents", response=s.DocumentPage)
def list_documents(request: HttpRequest, filters: Query[DocumentFilters]) -> dict[str, Any]:
    qs = visible_documents(request).annotate(task_count=Count("tasks"))
    if filters.q:
        qs = qs.filter(number__icontains=filters.q) | qs.filter(subject__icontains=filters.q)
    if filters.doc_type:
        qs = qs.filter(doc_type=filters.doc_type)
    if filters.issued_from:
        qs = qs.filter(issued_on__gte=filters.issued_from)
    if filters.issued_to:
        qs = qs.filter(issued_on__lte=filters.issued_to)
    if filters.not_transferred:
        qs = qs.filter(transferred_at__isnull=True)
    count, rows, number, size = page(
        qs.order_by("-issued_on", "-id"), filters.page, filters.page_size
    )
    return {
        "count": count,
        "page": number,
        "page_size": size,
        "results": [document_out(d) for d in rows],
    }


@router.post("/documents", response={201: s.DocumentOut}, summary="Enter a document")
def create(request: HttpRequest, data: s.DocumentIn) -> Status[dict[str, Any]]:
    """Refuses classified documents (R5.2d) before anything is stored, and duplicates."""
    from nhiemvu.documents.services import refuse_classified

    refuse_classified(data.classification)
    document = create_document(_input(data), by=actor(request), files=uploads(data.files))
    return Status(201, document_out(document, 0))


class DocumentDetail(s.DocumentOut):
    tasks: list[s.TaskOut]
    files: list[s.FileOut]


@router.get("/documents/{document_id}", response=DocumentDetail)
def detail(request: HttpRequest, document_id: int) -> dict[str, Any]:
    document = get_document(request, document_id)
    today = clock.today()
    tasks = visible_tasks(actor(request)).filter(document=document).order_by("id")
    data = document_out(document, document.tasks.count())
    data["tasks"] = task_rows(tasks, today)
    data["files"] = [
        {"id": f.pk, "name": f.name, "size": f.size, "url": f.file.url}
        for f in document.files.all()
    ]
    return data


@router.put("/documents/{document_id}", response=s.DocumentOut)
def edit(request: HttpRequest, document_id: int, data: s.DocumentIn) -> dict[str, Any]:
    document = edit_document(get_document(request, document_id), _input(data), by=actor(request))
    return document_out(document, document.tasks.count())


@router.post(
    "/documents/{document_id}/assign",
    response=list[s.TaskOut],
    summary="Transfer all draft tasks of the document",
)
def assign_all(request: HttpRequest, document_id: int) -> list[dict[str, Any]]:
    document = get_document(request, document_id)
    today = clock.today()
    return [task_out(t, today) for t in assign_document(document, by=actor(request))]
