"""Intake from the document management system (issue #4, R3.2): one idempotent endpoint that
takes JSON (header, text, base64 files) or an edXML package, and the proposals it leaves for
the Office's review."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pydantic
from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.errors import ValidationError

from nhiemvu.api.auth import actor, tenant_of
from nhiemvu.core import clock
from nhiemvu.core.errors import DomainError
from nhiemvu.documents import intake
from nhiemvu.documents.models import IntakeProposal
from nhiemvu.documents.services import DocumentInput

from . import schemas as s
from .serialize import document_out, task_out
from .tasks import uploads

router = Router(tags=["intake"])

XML_TYPES = ("application/xml", "text/xml", "application/edxml+xml")


class TooLarge(DomainError):
    status = 413
    code = "too_large"


class IntakeIn(Schema):
    number: str = Field(min_length=1, max_length=80)
    doc_type: str
    issued_on: dt.date
    subject: str = Field(min_length=1)
    signer: str = ""
    urgency: str = "normal"
    classification: str = "none"
    external_id: str = Field("", max_length=200)
    is_complex: bool = False
    text: str = ""
    files: list[s.FileIn] = []


class ProposalOut(Schema):
    id: int
    status: str
    task_count: int
    review_url: str


class IntakeOut(Schema):
    created: bool
    document: s.DocumentOut
    proposal: ProposalOut | None


class ProposedTaskOut(Schema):
    index: int
    content: str
    sentence: str
    lead: str
    coordinating: str
    deadline: dt.date | None
    reporting_cycle: str
    lead_as_written: list[str]


class ProposalDetail(ProposalOut):
    document: s.DocumentOut | None
    header: dict[str, Any]
    tasks: list[ProposedTaskOut]


class ReviewedRowIn(Schema):
    index: int = Field(ge=0)
    content: str = Field(min_length=1)
    lead: str = Field(min_length=1)
    coordinating: str = ""
    deadline: dt.date | None = None
    reporting_cycle: str = ""
    expected_output: str = ""


class AcceptIn(Schema):
    rows: list[ReviewedRowIn]
    transfer: bool = False
    document: s.DocumentIn | None = None


_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": IntakeIn.model_json_schema()},
            "application/xml": {"schema": {"type": "string", "description": "edXML envelope"}},
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {"file": {"type": "string", "format": "binary"}},
                }
            },
        },
    }
}


def _proposal_out(proposal: IntakeProposal | None) -> dict[str, Any] | None:
    if proposal is None:
        return None
    return {
        "id": proposal.pk,
        "status": proposal.status,
        "task_count": len(proposal.tasks),
        "review_url": reverse("documents:review", args=[proposal.pk]),
    }


def _body(request: HttpRequest) -> bytes:
    try:
        return request.body
    except RequestDataTooBig:
        raise TooLarge(_("The request is too large."), field="file") from None


def _from_json(request: HttpRequest) -> intake.Received:
    try:
        data = IntakeIn.model_validate_json(_body(request) or b"{}")
    except pydantic.ValidationError as exc:
        raise ValidationError([dict(e) for e in exc.errors(include_url=False)]) from None
    files = [intake.IncomingFile(u.name or "file", u.read()) for u in uploads(data.files)]
    return intake.receive(
        DocumentInput(
            number=data.number,
            doc_type=data.doc_type,
            issued_on=data.issued_on,
            subject=data.subject,
            signer=data.signer,
            urgency=data.urgency,
            classification=data.classification,
            external_id=data.external_id,
            is_complex=data.is_complex,
        ),
        by=actor(request),
        text=data.text,
        files=files,
    )


@router.post(
    "/intake/documents",
    response={200: IntakeOut, 201: IntakeOut},
    summary="Receive a document from the document management system",
    openapi_extra=_BODY,
)
def receive(request: HttpRequest) -> Status[dict[str, Any]]:
    """JSON (`IntakeIn`), an edXML envelope (`application/xml`, or a MIME `multipart/related`
    package), or a multipart form upload of the `.edxml` file. Creates the document with a
    proposal of its tasks (201, `created: true`); the same document sent again (same
    `external_id`, or same number and issuing date) returns the first one (200, `created:
    false`). Classified documents, malformed packages and documents without text are refused
    (400) and nothing is stored."""
    user = actor(request)
    tenant_of(request)
    ctype = (request.content_type or "").lower()
    if ctype in XML_TYPES:
        result = intake.receive_edxml(_body(request), by=user)
    elif ctype == "multipart/related":
        head = f"MIME-Version: 1.0\r\nContent-Type: {request.META.get('CONTENT_TYPE', '')}\r\n\r\n"
        result = intake.receive_edxml(head.encode() + _body(request), by=user)
    elif ctype == "multipart/form-data":
        sent = [f for key in request.FILES for f in request.FILES.getlist(key)]
        upload = sent[0] if sent else None
        if upload is None:
            raise DomainError(_("Attach the edXML package as a file."), field="file")
        intake.check_size(upload.size or 0)
        result = intake.receive_edxml(upload.read(), by=user)
    else:
        result = _from_json(request)
    body = {
        "created": result.created,
        "document": document_out(result.document, result.document.tasks.count()),
        "proposal": _proposal_out(result.proposal),
    }
    return Status(201 if result.created else 200, body)


def _get_proposal(request: HttpRequest, proposal_id: int) -> IntakeProposal:
    user = actor(request)
    proposal = (
        IntakeProposal.objects.filter(pk=proposal_id, tenant_id=tenant_of(request))
        .select_related("document")
        .first()
    )
    if proposal is None or not (intake.MAY_ENTER & set(user.roles)):
        raise Http404
    return proposal


@router.get("/intake/proposals/{proposal_id}", response=ProposalDetail)
def proposal_detail(request: HttpRequest, proposal_id: int) -> dict[str, Any]:
    """The proposed tasks of a document, as the review page shows them (Office only)."""
    proposal = _get_proposal(request, proposal_id)
    data = _proposal_out(proposal) or {}
    data["document"] = document_out(proposal.document, 0) if proposal.document else None
    data["header"] = proposal.header
    data["tasks"] = intake.proposal_rows(proposal)
    return data


@router.post(
    "/intake/proposals/{proposal_id}/accept",
    response=list[s.TaskOut],
    summary="Accept some proposed tasks (the others are dropped)",
)
def accept(request: HttpRequest, proposal_id: int, data: AcceptIn) -> list[dict[str, Any]]:
    """The same review as the page: the rows sent become tasks, in one transaction. An
    uploaded proposal needs `document` (its header); a document system's has one already."""
    proposal = _get_proposal(request, proposal_id)
    header = None
    if data.document is not None:
        d = data.document
        header = DocumentInput(
            number=d.number,
            doc_type=d.doc_type,
            issued_on=d.issued_on,
            subject=d.subject,
            signer=d.signer,
            urgency=d.urgency,
            classification=d.classification,
        )
    try:
        _document, tasks = intake.accept_proposal(
            proposal,
            [intake.ReviewedTask(**row.dict()) for row in data.rows],
            by=actor(request),
            header=header,
            transfer=data.transfer,
        )
    except intake.RowError as exc:
        raise DomainError(
            exc.message, field=f"rows[index={exc.index}].{exc.field or 'content'}"
        ) from None
    today = clock.today()
    return [task_out(t, today) for t in tasks]
