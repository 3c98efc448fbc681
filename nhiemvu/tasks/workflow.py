"""The task workflow of Decision 131: one transition table, one door per action.

Every function here is one transaction: it locks the task row, checks the edge (state and
who may act) in `EDGES`, writes the change and its history event. Pages, the API and
commands call these functions; none re-implements them.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from nhiemvu.core import clock
from nhiemvu.core.errors import Conflict, DomainError, NotAllowed, NotFound
from nhiemvu.core.history import diff, record
from nhiemvu.tasks import tallies
from nhiemvu.units.models import Unit, UnitKind
from nhiemvu.workcalendar.calendar import calendar_for

from .enums import (
    OPEN_STATES,
    AdjustmentKind,
    AdjustmentOutcome,
    ReportingCycle,
    RequestStatus,
    TaskState,
    TimeStatus,
    UpdateKind,
)
from .models import (
    AdjustmentRequest,
    Attachment,
    ExtensionRequest,
    Field,
    ProgressUpdate,
    Target,
    TargetValue,
    Task,
    TaskCoordination,
)
from .queries import coordinating_units, remember, search_text_for
from .rules import Party, can_view, parties

if TYPE_CHECKING:
    from nhiemvu.accounts.models import User
    from nhiemvu.core.models import Tenant
    from nhiemvu.documents.models import Document

S = TaskState
A, L, C, LDR = Party.ASSIGNER, Party.LEAD, Party.COORDINATING, Party.LEADER
ACTIVE = frozenset({S.ASSIGNED, S.ADJUSTMENT_REQUESTED, S.AWAITING_CONFIRMATION})


@dataclass(frozen=True)
class Edge:
    sources: frozenset[str]
    target: str | None  # None: the state does not change
    who: frozenset[Party]


#: action → (from states, to state, who may). The single statement of the workflow.
EDGES: dict[str, Edge] = {
    "edit": Edge(frozenset({S.DRAFT}), None, frozenset({A})),
    "assign": Edge(frozenset({S.DRAFT}), S.ASSIGNED, frozenset({A})),
    "request_adjustment": Edge(frozenset({S.ASSIGNED}), S.ADJUSTMENT_REQUESTED, frozenset({L})),
    "resolve_adjustment": Edge(frozenset({S.ADJUSTMENT_REQUESTED}), S.ASSIGNED, frozenset({A})),
    "post_progress": Edge(frozenset(OPEN_STATES), None, frozenset({L, C})),
    "request_extension": Edge(frozenset(OPEN_STATES), None, frozenset({L})),
    "decide_extension": Edge(ACTIVE, None, frozenset({A, LDR})),
    "submit_result": Edge(frozenset({S.ASSIGNED}), S.AWAITING_CONFIRMATION, frozenset({L})),
    "confirm": Edge(frozenset({S.AWAITING_CONFIRMATION}), S.COMPLETED, frozenset({A})),
    "return_for_rework": Edge(frozenset({S.AWAITING_CONFIRMATION}), S.ASSIGNED, frozenset({A})),
    "cancel": Edge(frozenset({S.DRAFT, *ACTIVE}), S.CANCELLED, frozenset({A, LDR})),
    "create_subtask": Edge(frozenset(OPEN_STATES), None, frozenset({L})),
}


def allowed_actions(user: User, task: Task) -> list[str]:
    """The actions `user` may take on `task` now (for buttons and the API)."""
    who = parties(user, task)
    return [name for name, edge in EDGES.items() if task.state in edge.sources and who & edge.who]


def _check(task: Task, action: str, user: User) -> set[Party]:
    edge = EDGES[action]
    who = parties(user, task)
    if not who & edge.who:
        raise NotAllowed(_("You are not allowed to do this on this task."))
    if task.state not in edge.sources:
        raise Conflict(
            _("This cannot be done while the task is “%(state)s”.")
            % {"state": TaskState(task.state).label},
            field="state",
        )
    return who


def _lock(task: Task | int, expected_version: int | None = None, *, by: User | None = None) -> Task:
    """Read `task` and lock its row until the transaction ends. Given only its id (the API
    does not read a task before acting on it), the task must be visible to `by`, else it is
    not found, as for anyone who may not see it."""
    pk = task if isinstance(task, int) else task.pk
    locked = (
        Task.objects.select_for_update(of=("self",))
        .select_related("tenant", "lead_unit", "assigning_unit", "document", "field")
        .prefetch_related(coordinating_units())
        .filter(pk=pk)
        .first()
    )
    if locked is None or (isinstance(task, int) and (by is None or not can_view(by, locked))):
        raise NotFound(_("Not found, or you may not see it."))
    if expected_version is not None and expected_version != locked.version:
        raise Conflict(
            _("Someone else changed this task in the meantime. Reload it and try again."),
            field="version",
        )
    locked.read_under_lock = True  # its values are the row's until the transaction ends
    return locked


def _save(task: Task, fields: Iterable[str]) -> None:
    """Save a task read by `_lock`: nobody else can have changed its row, so its version
    in memory is the stored one and the next is known without reading it back."""
    assert task.read_under_lock, "save only a task read by _lock"
    task.version += 1
    task.save(update_fields=[*fields, "version", "updated_at"])


def due_soon_from(tenant: Tenant, deadline: dt.date | None) -> dt.date | None:
    """The first day a task due on `deadline` is due soon: the tenant's window of working
    days before it. Stored on the task (`due_soon_on`) so that lists filter on it."""
    if deadline is None:
        return None
    return calendar_for(tenant).add_working_days(deadline, -tenant.due_soon_working_days)


def _due_soon_on(task: Task) -> dt.date | None:
    return due_soon_from(task.tenant, task.deadline)


def _window_span(days: int) -> dt.timedelta:
    """The most calendar days a window of `days` working days can cover: two days off a
    week, and Tết's week or so on top."""
    return dt.timedelta(days=days * 7 // 5 + 21)


def refresh_due_soon(tenant: Tenant, changed: Iterable[dt.date] | None = None) -> int:
    """Recompute the stored due-soon day of the tenant's tasks after its calendar or its
    due-soon window changed (a day off added, a swap removed), and return how many moved.

    Only tasks not yet past their deadline are shown as due soon, so only they are read;
    with `changed` dates, only those whose window can hold one of them (deadlines from that
    date to a window's span after it). One UPDATE per new date, in the caller's transaction."""
    tasks = Task.objects.filter(tenant=tenant, deadline__gte=clock.today())
    if changed is not None:
        dates = sorted(set(changed))
        if not dates:
            return 0
        span = _window_span(tenant.due_soon_working_days)
        tasks = tasks.filter(deadline__gte=dates[0], deadline__lte=dates[-1] + span)
    wanted = functools.cache(lambda deadline: due_soon_from(tenant, deadline))
    moved: dict[dt.date | None, list[int]] = {}
    for pk, deadline, stored in tasks.values_list("pk", "deadline", "due_soon_on").iterator():
        if stored != wanted(deadline):
            moved.setdefault(wanted(deadline), []).append(pk)
    for day, ids in moved.items():
        for start in range(0, len(ids), 1000):
            Task.objects.filter(pk__in=ids[start : start + 1000]).update(due_soon_on=day)
    return sum(len(ids) for ids in moved.values())


def _required(value: str, field: str) -> str:
    value = (value or "").strip()
    if not value:
        raise DomainError(_("This field is required."), field=field)
    return value


#: Target values are stored with four decimals and at most 14 digits before the point.
_PLACES = Decimal("0.0001")
_LIMIT = Decimal(10) ** 14


def _number(raw: Any, field: str) -> Decimal:
    """A target value as it is stored (so that what a write answers is what a read shows)."""
    try:
        value = Decimal(str(raw))
        if not value.is_finite():
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        raise DomainError(_("The target value must be a number."), field=field) from None
    if abs(value) >= _LIMIT:
        raise DomainError(_("The target value is too large."), field=field)
    return value.quantize(_PLACES)


# --- creating and editing drafts -----------------------------------------------------------


@dataclass
class TaskInput:
    """What the Office (or a unit, for a sub-task) enters for one task."""

    content: str
    lead_unit: Unit
    coordinating_units: Sequence[Unit] = ()
    deadline: dt.date | None = None
    reporting_cycle: str = ""
    expected_output: str = ""
    field: Field | None = None
    assigner: User | None = None
    responsible: User | None = None
    targets: Sequence[dict[str, Any]] = ()


def _validate(data: TaskInput, tenant_id: int, parent: Task | None) -> None:
    _required(data.content, "content")
    units = [data.lead_unit, *data.coordinating_units]
    for unit in units:
        if unit.tenant_id != tenant_id:
            raise DomainError(_("Unknown unit."), field="lead_unit")
        if not unit.is_active:
            raise DomainError(
                _("The unit “%(unit)s” is no longer active.") % {"unit": unit.name},
                field="lead_unit",
            )
    if data.lead_unit.kind == UnitKind.AUTHORITY:
        raise DomainError(_("The assigning authority cannot lead a task."), field="lead_unit")
    if data.lead_unit in data.coordinating_units:
        raise DomainError(
            _("The lead unit cannot also be a coordinating unit."), field="coordinating_units"
        )
    if data.deadline is None and not data.reporting_cycle:
        raise DomainError(
            _("Give either a deadline or a reporting cycle for a task without a deadline."),
            field="deadline",
        )
    if data.deadline is not None and data.reporting_cycle:
        raise DomainError(
            _("A task with a deadline has no reporting cycle."), field="reporting_cycle"
        )
    if data.reporting_cycle and data.reporting_cycle not in ReportingCycle.values:
        raise DomainError(_("Unknown reporting cycle."), field="reporting_cycle")
    if data.field is not None and data.field.tenant_id != tenant_id:
        raise DomainError(_("Unknown field."), field="field")
    if data.responsible is not None and data.responsible.unit_id != data.lead_unit.pk:
        raise DomainError(
            _("The responsible official must belong to the lead unit."), field="responsible"
        )
    if data.assigner is not None and (
        data.assigner.tenant_id != tenant_id or "leader" not in data.assigner.roles
    ):
        raise DomainError(_("The assigner must be a leader."), field="assigner")
    if parent is not None:
        if data.lead_unit.pk == parent.lead_unit_id or not data.lead_unit.path.startswith(
            parent.lead_unit.path
        ):
            raise DomainError(
                _("A sub-task goes to a division or a subordinate unit of the lead unit."),
                field="lead_unit",
            )
        if data.deadline and parent.deadline and data.deadline > parent.deadline:
            raise DomainError(
                _("A sub-task cannot be due after its parent task (%(date)s).")
                % {"date": parent.deadline.strftime("%d/%m/%Y")},
                field="deadline",
            )
    for index, target in enumerate(data.targets):
        if not str(target.get("name", "")).strip():
            raise DomainError(_("Each target needs a name."), field=f"targets[{index}].name")
        _number(target.get("target_value"), f"targets[{index}].target_value")


def _snapshot(task: Task) -> dict[str, Any]:
    return {
        "content": task.content,
        "lead_unit": task.lead_unit,
        "coordinating_units": sorted(str(c.unit) for c in task.coordinations.all()),
        "deadline": task.deadline,
        "reporting_cycle": task.reporting_cycle,
        "expected_output": task.expected_output,
        "field": task.field,
        "assigner": task.assigner,
        "responsible": task.responsible,
    }


def _apply(task: Task, data: TaskInput) -> None:
    task.content = data.content.strip()
    task.lead_unit = data.lead_unit
    task.deadline = data.deadline
    if task.state == S.DRAFT:
        task.original_deadline = data.deadline
    task.reporting_cycle = "" if data.deadline else data.reporting_cycle
    task.expected_output = data.expected_output.strip()
    task.field = data.field
    task.assigner = data.assigner
    task.responsible = data.responsible
    task.due_soon_on = _due_soon_on(task)
    task.search_text = search_text_for(task)


def _set_coordinating(task: Task, units: Sequence[Unit]) -> None:
    """Make `units` the coordinating units of a task read by `_lock`, in the database and in
    the coordinations it holds (the next snapshot and the answer read those)."""
    wanted = {unit.pk for unit in units}
    kept = [c for c in task.coordinations.all() if c.unit_id in wanted]
    TaskCoordination.objects.filter(task=task).exclude(unit_id__in=wanted).delete()
    have = {c.unit_id for c in kept}
    added = TaskCoordination.objects.bulk_create(
        [TaskCoordination(task=task, unit=u) for u in units if u.pk not in have]
    )
    remember(task, coordinations=[*kept, *added])


@transaction.atomic
def create_task(
    data: TaskInput,
    *,
    by: User,
    document: Document | None = None,
    parent: Task | None = None,
) -> Task:
    """Create a draft task (or a sub-task of `parent`, R20.2) with its targets."""
    tenant = by.tenant
    if tenant is None:
        raise NotAllowed(_("Your account does not belong to any authority."))
    if parent is not None:
        parent = _lock(parent)
        _check(parent, "create_subtask", by)
        assigning_unit = parent.lead_unit
    else:
        if "office_specialist" not in by.roles and "office_leader" not in by.roles:
            raise NotAllowed(_("Only the Office enters tasks."))
        assigning_unit = Unit.objects.get(tenant=tenant, parent__isnull=True)
    if document is not None and document.tenant_id != tenant.pk:
        raise DomainError(_("Unknown document."), field="document")
    _validate(data, tenant.pk, parent)
    task = Task(
        tenant=tenant,
        document=document,
        parent=parent,
        assigning_unit=assigning_unit,
        created_by=by,
    )
    _apply(task, data)
    task.save()
    coordinations = TaskCoordination.objects.bulk_create(
        [TaskCoordination(task=task, unit=unit) for unit in data.coordinating_units]
    )
    targets = Target.objects.bulk_create(
        [
            Target(
                task=task,
                name=str(t["name"]).strip(),
                unit_of_measure=str(t.get("unit_of_measure", "")).strip(),
                target_value=_number(t["target_value"], "target_value"),
            )
            for t in data.targets
        ]
    )
    remember(task, coordinations=coordinations, targets=targets)
    record(task, "task.created", actor=by, changes=diff({}, _snapshot(task)))
    if parent is not None:
        record(parent, "task.subtask_created", actor=by, subtask=task)
    return task


@transaction.atomic
def edit_task(
    task: Task, data: TaskInput, *, by: User, expected_version: int | None = None
) -> Task:
    """Change a draft task."""
    task = _lock(task, expected_version)
    _check(task, "edit", by)
    _validate(data, task.tenant_id, task.parent)
    before = _snapshot(task)
    _apply(task, data)
    _save(task, [f.name for f in Task._meta.concrete_fields if f.name not in {"id", "version"}])
    _set_coordinating(task, data.coordinating_units)
    record(task, "task.edited", actor=by, changes=diff(before, _snapshot(task)))
    return task


# --- assignment ----------------------------------------------------------------------------


@transaction.atomic
def assign(task: Task | int, *, by: User, expected_version: int | None = None) -> Task:
    """Transfer a draft to tracking (giao / chuyển theo dõi). The first transfer of a document's
    tasks is measured against the Office's own deadline (R6.1)."""
    task = _lock(task, expected_version, by=by)
    _check(task, "assign", by)
    task.state = S.ASSIGNED
    task.assigned_at = clock.now()
    _save(task, ["state", "assigned_at"])
    record(task, "task.assigned", actor=by, changes={"state": [S.DRAFT, S.ASSIGNED]})
    if task.document_id and task.parent_id is None:
        from nhiemvu.documents.services import mark_transferred

        mark_transferred(task.document, by=by)  # type: ignore[arg-type]
    return task


def assign_document(document: Document, *, by: User) -> list[Task]:
    """Assign every draft task of a document in one transaction."""
    with transaction.atomic():
        drafts = list(document.tasks.filter(state=S.DRAFT, parent__isnull=True).order_by("id"))
        if not drafts:
            raise DomainError(_("This document has no draft tasks to assign."))
        return [assign(task, by=by) for task in drafts]


# --- adjustment (R5.2a) --------------------------------------------------------------------


@transaction.atomic
def request_adjustment(
    task: Task | int, *, by: User, kind: str, reason: str, proposed_unit: Unit | None = None
) -> AdjustmentRequest:
    """The lead unit says the task is missing, wrong or not its function, with a reason."""
    task = _lock(task, by=by)
    _check(task, "request_adjustment", by)
    if kind not in AdjustmentKind.values:
        raise DomainError(_("Unknown kind of adjustment."), field="kind")
    reason = _required(reason, "reason")
    if proposed_unit is not None and (
        proposed_unit.tenant_id != task.tenant_id or proposed_unit.pk == task.lead_unit_id
    ):
        raise DomainError(_("Propose another unit of this authority."), field="proposed_unit")
    request = AdjustmentRequest.objects.create(
        task=task, requested_by=by, kind=kind, reason=reason, proposed_unit=proposed_unit
    )
    task.state = S.ADJUSTMENT_REQUESTED
    _save(task, ["state"])
    record(
        task,
        "task.adjustment_requested",
        actor=by,
        changes={"state": [S.ASSIGNED, S.ADJUSTMENT_REQUESTED]},
        kind=kind,
        reason=reason,
        proposed_unit=proposed_unit,
        request_id=request.pk,
    )
    return request


@transaction.atomic
def resolve_adjustment(
    request: AdjustmentRequest,
    *,
    by: User,
    outcome: str,
    note: str = "",
    correction: TaskInput | None = None,
    new_lead_unit: Unit | None = None,
) -> Task:
    """The Office corrects the task, reassigns it to another unit, or declines with a reason."""
    task = _lock(request.task)
    _check(task, "resolve_adjustment", by)
    request = AdjustmentRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != RequestStatus.PENDING:
        raise Conflict(_("This request has already been decided."))
    before = _snapshot(task)
    if outcome == AdjustmentOutcome.DECLINED:
        _required(note, "note")
    elif outcome == AdjustmentOutcome.CORRECTED:
        if correction is None:
            raise DomainError(_("Give the corrected task."), field="correction")
        _validate(correction, task.tenant_id, task.parent)
        _apply(task, correction)
        _set_coordinating(task, correction.coordinating_units)
    elif outcome == AdjustmentOutcome.REASSIGNED:
        new_lead_unit = new_lead_unit or request.proposed_unit
        if new_lead_unit is None:
            raise DomainError(_("Choose the unit to reassign the task to."), field="lead_unit")
        coordinating = [c.unit for c in task.coordinations.all() if c.unit_id != new_lead_unit.pk]
        data = TaskInput(
            content=task.content,
            lead_unit=new_lead_unit,
            coordinating_units=coordinating,
            deadline=task.deadline,
            reporting_cycle=task.reporting_cycle,
            expected_output=task.expected_output,
            field=task.field,
            assigner=task.assigner,
        )
        _validate(data, task.tenant_id, task.parent)
        _apply(task, data)
        _set_coordinating(task, coordinating)
    else:
        raise DomainError(_("Unknown outcome."), field="outcome")
    request.status = (
        RequestStatus.REJECTED if outcome == AdjustmentOutcome.DECLINED else RequestStatus.APPROVED
    )
    request.outcome = outcome
    request.decided_by = by
    request.decided_at = clock.now()
    request.decision_note = note.strip()
    request.save()
    task.state = S.ASSIGNED
    _save(task, [f.name for f in Task._meta.concrete_fields if f.name not in {"id", "version"}])
    changes = diff(before, _snapshot(task))
    changes["state"] = [S.ADJUSTMENT_REQUESTED, S.ASSIGNED]
    record(
        task,
        f"task.adjustment_{outcome}",
        actor=by,
        changes=changes,
        note=note,
        request_id=request.pk,
    )
    return task


# --- progress, extension, result -----------------------------------------------------------


def _target_values(task: Task, values: dict[int, Any] | None) -> list[tuple[Target, Decimal]]:
    if not values:
        return []
    targets = {t.pk: t for t in task.targets.all()}
    parsed = []
    for target_id, raw in values.items():
        target = targets.get(int(target_id))
        if target is None:
            raise DomainError(_("Unknown target."), field=f"target_values.{target_id}")
        parsed.append((target, _number(raw, f"target_values.{target_id}")))
    return parsed


def _write_update(
    task: Task,
    *,
    by: User,
    kind: str,
    text: str,
    percent: int | None,
    target_values: dict[int, Any] | None,
    files: Sequence[UploadedFile],
) -> ProgressUpdate:
    text = _required(text, "text")
    if percent is not None and not 0 <= percent <= 100:
        raise DomainError(_("Progress must be between 0 and 100 %."), field="percent")
    values = _target_values(task, target_values)
    unit_id = by.unit_id
    if unit_id is None:
        raise NotAllowed(_("Your account belongs to no unit."))
    update = ProgressUpdate.objects.create(
        task=task, unit_id=unit_id, author=by, kind=kind, text=text, percent=percent
    )
    for target, value in values:
        TargetValue.objects.create(update=update, target=target, value=value)
        if kind != UpdateKind.CONTRIBUTION:
            Target.objects.filter(pk=target.pk).update(actual_value=value)
    for upload in files:
        Attachment.objects.create(
            update=update, file=upload, name=upload.name or "", size=upload.size or 0
        )
    return update


@transaction.atomic
def post_progress(
    task: Task | int,
    *,
    by: User,
    text: str,
    percent: int | None = None,
    target_values: dict[int, Any] | None = None,
    files: Sequence[UploadedFile] = (),
) -> ProgressUpdate:
    """An interim update by the lead unit, or a coordinating unit's contribution. It never
    closes the task (R5.2c)."""
    task = _lock(task, by=by)
    who = _check(task, "post_progress", by)
    kind = UpdateKind.PROGRESS if Party.LEAD in who else UpdateKind.CONTRIBUTION
    update = _write_update(
        task,
        by=by,
        kind=kind,
        text=text,
        percent=percent,
        target_values=target_values,
        files=files,
    )
    fields = []
    if kind == UpdateKind.PROGRESS:
        task.last_update_on = clock.today()
        fields.append("last_update_on")
        if percent is not None:
            task.progress_percent = percent
            fields.append("progress_percent")
    _save(task, fields)
    record(
        task,
        f"task.{kind}_posted",
        actor=by,
        update_id=update.pk,
        percent=percent,
        text=update.text,
    )
    return update


@transaction.atomic
def request_extension(
    task: Task | int, *, by: User, proposed_deadline: dt.date, reason: str
) -> ExtensionRequest:
    """The lead unit asks for a later deadline. The task stays open (R5.2c)."""
    task = _lock(task, by=by)
    _check(task, "request_extension", by)
    if task.deadline is None:
        raise DomainError(_("A task without a deadline cannot be extended."), field="deadline")
    if proposed_deadline <= task.deadline:
        raise DomainError(
            _("The new deadline must be after the current one (%(date)s).")
            % {"date": task.deadline.strftime("%d/%m/%Y")},
            field="proposed_deadline",
        )
    reason = _required(reason, "reason")
    if task.extension_requests.filter(status=RequestStatus.PENDING).exists():
        raise Conflict(_("An extension request for this task is already waiting for a decision."))
    request = ExtensionRequest.objects.create(
        task=task,
        requested_by=by,
        current_deadline=task.deadline,
        proposed_deadline=proposed_deadline,
        reason=reason,
    )
    _save(task, [])
    record(
        task,
        "task.extension_requested",
        actor=by,
        proposed_deadline=proposed_deadline,
        reason=reason,
        request_id=request.pk,
    )
    return request


@transaction.atomic
def decide_extension(
    request: ExtensionRequest, *, by: User, approve: bool, note: str = ""
) -> ExtensionRequest:
    """The Office or a leader approves (the deadline moves; the original stays on record) or
    rejects (with a reason) an extension request."""
    task = _lock(request.task)
    _check(task, "decide_extension", by)
    request = ExtensionRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != RequestStatus.PENDING:
        raise Conflict(_("This request has already been decided."))
    if not approve:
        _required(note, "note")
    request.status = RequestStatus.APPROVED if approve else RequestStatus.REJECTED
    request.decided_by = by
    request.decided_at = clock.now()
    request.decision_note = note.strip()
    request.save()
    changes = {}
    if approve:
        changes["deadline"] = [task.deadline.isoformat(), request.proposed_deadline.isoformat()]  # type: ignore[union-attr]
        task.deadline = request.proposed_deadline
        task.due_soon_on = _due_soon_on(task)
    _save(task, ["deadline", "due_soon_on"])
    record(
        task,
        "task.extension_approved" if approve else "task.extension_rejected",
        actor=by,
        changes=changes,
        note=note,
        request_id=request.pk,
    )
    return request


@transaction.atomic
def submit_result(
    task: Task | int,
    *,
    by: User,
    text: str,
    target_values: dict[int, Any] | None = None,
    files: Sequence[UploadedFile] = (),
) -> ProgressUpdate:
    """The lead unit reports its result (kết thúc nhiệm vụ); the Office must confirm it.
    A coordinating unit cannot do this."""
    task = _lock(task, by=by)
    _check(task, "submit_result", by)
    update = _write_update(
        task,
        by=by,
        kind=UpdateKind.RESULT,
        text=text,
        percent=100,
        target_values=target_values,
        files=files,
    )
    task.state = S.AWAITING_CONFIRMATION
    task.submitted_on = clock.today()
    task.last_update_on = task.submitted_on
    task.progress_percent = 100
    _save(task, ["state", "submitted_on", "last_update_on", "progress_percent"])
    record(
        task,
        "task.result_submitted",
        actor=by,
        changes={"state": [S.ASSIGNED, S.AWAITING_CONFIRMATION]},
        update_id=update.pk,
        text=update.text,
    )
    return update


@transaction.atomic
def confirm(
    task: Task | int, *, by: User, note: str = "", expected_version: int | None = None
) -> Task:
    """The Office accepts the result. On time if it was submitted on or before the deadline
    (deadlines are inclusive)."""
    task = _lock(task, expected_version, by=by)
    _check(task, "confirm", by)
    on_time = task.deadline is None or (
        task.submitted_on is not None and task.submitted_on <= task.deadline
    )
    task.state = S.COMPLETED
    task.completed_on = clock.today()
    task.final_time_status = TimeStatus.COMPLETED_ON_TIME if on_time else TimeStatus.COMPLETED_LATE
    _save(task, ["state", "completed_on", "final_time_status"])
    tallies.count_completion(task)
    record(
        task,
        "task.confirmed",
        actor=by,
        changes={"state": [S.AWAITING_CONFIRMATION, S.COMPLETED]},
        time_status=task.final_time_status,
        note=note,
    )
    return task


@transaction.atomic
def return_for_rework(
    task: Task | int, *, by: User, reason: str, expected_version: int | None = None
) -> Task:
    """The Office returns a result that does not meet the requirement (R5.2b). Returned after
    the deadline, the task can no longer be completed on time."""
    task = _lock(task, expected_version, by=by)
    _check(task, "return_for_rework", by)
    reason = _required(reason, "reason")
    today = clock.today()
    task.state = S.ASSIGNED
    task.returned_count += 1
    if task.deadline is not None and today > task.deadline:
        task.returned_after_deadline = True
    task.submitted_on = None
    _save(task, ["state", "returned_count", "returned_after_deadline", "submitted_on"])
    record(
        task,
        "task.returned",
        actor=by,
        changes={"state": [S.AWAITING_CONFIRMATION, S.ASSIGNED]},
        reason=reason,
        after_deadline=task.returned_after_deadline,
    )
    return task


@transaction.atomic
def cancel(task: Task | int, *, by: User, reason: str) -> Task:
    """A leader or the Office withdraws a task, with a reason."""
    task = _lock(task, by=by)
    _check(task, "cancel", by)
    reason = _required(reason, "reason")
    before = task.state
    task.state = S.CANCELLED
    task.cancel_reason = reason
    _save(task, ["state", "cancel_reason"])
    task.extension_requests.filter(status=RequestStatus.PENDING).update(
        status=RequestStatus.REJECTED, decision_note=reason, decided_by=by, decided_at=clock.now()
    )
    record(
        task, "task.cancelled", actor=by, changes={"state": [before, S.CANCELLED]}, reason=reason
    )
    return task
