"""Request and response shapes of the JSON API."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from ninja import Field, Schema
from pydantic import BaseModel


class Out(BaseModel):
    """Base of the response shapes. The API builds plain dicts (`serialize.py`), so responses
    are checked by pydantic alone: ninja's `Schema` would also wrap every nested dict to read
    Django model attributes, which cost more than the rest of a 25-row list response."""


class Ref(Out):
    id: int
    name: str


class UnitRef(Out):
    id: int
    name: str
    short_name: str


class UnitOut(Out):
    id: int
    name: str
    short_name: str
    aliases: list[str]
    kind: str
    parent_id: int | None
    org_code: str
    admin_code: str
    is_active: bool


class UserOut(Out):
    id: int
    username: str
    full_name: str
    title: str
    email: str
    unit: UnitRef | None
    roles: list[str]
    language: str


class UserIn(Schema):
    username: str = Field(min_length=1)
    password: str = Field(min_length=8)
    full_name: str = ""
    title: str = ""
    email: str = ""
    unit_id: int
    roles: list[str]
    language: str = "vi"


class FileIn(Schema):
    name: str = Field(min_length=1)
    content_base64: str


class FileOut(Out):
    id: int
    name: str
    size: int
    url: str


class DocumentIn(Schema):
    number: str = Field(min_length=1, max_length=80)
    doc_type: str
    issued_on: dt.date
    subject: str = Field(min_length=1)
    signer: str = ""
    urgency: str = "normal"
    classification: str = "none"
    source: str = "manual"
    external_id: str = ""
    is_complex: bool = False
    files: list[FileIn] = []


class DocumentOut(Out):
    id: int
    number: str
    doc_type: str
    issued_on: dt.date
    signer: str
    subject: str
    urgency: str
    source: str
    is_complex: bool
    intake_due_on: dt.date | None
    transferred_at: dt.datetime | None
    transferred_on_time: bool | None
    task_count: int = 0


class TargetIn(Schema):
    name: str = Field(min_length=1)
    unit_of_measure: str = ""
    target_value: Decimal


class TaskIn(Schema):
    content: str = Field(min_length=1)
    lead_unit_id: int
    coordinating_unit_ids: list[int] = []
    deadline: dt.date | None = None
    reporting_cycle: str = ""
    expected_output: str = ""
    field_id: int | None = None
    assigner_id: int | None = None
    responsible_id: int | None = None
    document_id: int | None = None
    targets: list[TargetIn] = []
    version: int | None = None


class TargetOut(Out):
    id: int
    name: str
    unit_of_measure: str
    target_value: Decimal
    actual_value: Decimal | None


class TaskOut(Out):
    id: int
    content: str
    state: str
    state_label: str
    time_status: str | None
    time_status_label: str | None
    deadline: dt.date | None
    original_deadline: dt.date | None
    reporting_cycle: str
    lead_unit: UnitRef
    coordinating_units: list[UnitRef]
    document: Ref | None
    assigner: Ref | None
    responsible: Ref | None
    field: Ref | None
    parent_id: int | None
    progress_percent: int
    returned_count: int
    last_update_on: dt.date | None
    submitted_on: dt.date | None
    completed_on: dt.date | None
    version: int


class UpdateOut(Out):
    id: int
    kind: str
    unit: UnitRef
    author: Ref
    text: str
    percent: int | None
    created_at: dt.datetime
    values: dict[str, Decimal]
    files: list[FileOut]


class ExtensionOut(Out):
    id: int
    status: str
    current_deadline: dt.date
    proposed_deadline: dt.date
    reason: str
    requested_by: Ref
    decided_by: Ref | None
    decision_note: str
    created_at: dt.datetime


class AdjustmentOut(Out):
    id: int
    status: str
    kind: str
    outcome: str
    reason: str
    proposed_unit: UnitRef | None
    requested_by: Ref
    decided_by: Ref | None
    decision_note: str
    created_at: dt.datetime


class EventOut(Out):
    id: int
    action: str
    actor: Ref | None
    at: dt.datetime
    detail: dict[str, Any]


class Rollup(Out):
    total: int
    by_state: dict[str, int]
    average_progress: float | None


class TaskDetail(TaskOut):
    expected_output: str
    allowed_actions: list[str]
    targets: list[TargetOut]
    updates: list[UpdateOut]
    extension_requests: list[ExtensionOut]
    adjustment_requests: list[AdjustmentOut]
    subtasks: list[TaskOut]
    rollup: Rollup | None
    history: list[EventOut]


class Page(Out):
    count: int
    page: int
    page_size: int
    results: list[Any]


class TaskPage(Page):
    results: list[TaskOut]


class DocumentPage(Page):
    results: list[DocumentOut]


class UnitPage(Page):
    results: list[UnitOut]


class ProgressIn(Schema):
    text: str = Field(min_length=1)
    percent: int | None = Field(default=None, ge=0, le=100)
    target_values: dict[int, Decimal] = {}
    files: list[FileIn] = []


class ResultIn(Schema):
    text: str = Field(min_length=1)
    target_values: dict[int, Decimal] = {}
    files: list[FileIn] = []


class ReasonIn(Schema):
    reason: str = Field(min_length=1)
    version: int | None = None


class NoteIn(Schema):
    note: str = ""
    version: int | None = None


class ExtensionIn(Schema):
    proposed_deadline: dt.date
    reason: str = Field(min_length=1)


class DecisionIn(Schema):
    approve: bool
    note: str = ""


class AdjustmentIn(Schema):
    kind: str
    reason: str = Field(min_length=1)
    proposed_unit_id: int | None = None


class AdjustmentDecisionIn(Schema):
    outcome: str
    note: str = ""
    correction: TaskIn | None = None
    new_lead_unit_id: int | None = None
