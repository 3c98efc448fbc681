"""The inspection work as domain functions (R10–R15). Each is one transaction: it checks who
may act (`rules.py`) and the state, writes the rows and a history event, and writes the
notifications to the outbox. Pages call these; none re-implements them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from nhiemvu.accounts.models import Role
from nhiemvu.core import clock
from nhiemvu.core.errors import Conflict, DomainError, NotAllowed
from nhiemvu.core.history import record
from nhiemvu.tasks import workflow
from nhiemvu.tasks.enums import AdjustmentKind
from nhiemvu.tasks.models import AdjustmentRequest, Task
from nhiemvu.units.models import Unit
from nhiemvu.workcalendar.calendar import calendar_for

from . import dossier, notify, rules
from .enums import (
    Content,
    FollowUp,
    InspectionKind,
    InspectionState,
    MemberRole,
    PlanState,
    RecommendationKind,
)
from .models import (
    Finding,
    GroupMember,
    Inspection,
    InspectionPlan,
    InvitedParty,
    ProvidedDocument,
    Recommendation,
    WorkingGroup,
)
from .report import CONTENT_VI

if TYPE_CHECKING:
    from nhiemvu.accounts.models import User
    from nhiemvu.core.models import Tenant

#: R15.1: the report is due within this many working days after the inspection ends.
REPORT_WORKING_DAYS = 10
S = InspectionState


def _required(value: str, field: str) -> str:
    value = (value or "").strip()
    if not value:
        raise DomainError(_("This field is required."), field=field)
    return value


def _dates(start: dt.date | None, end: dt.date | None, field: str) -> None:
    if start is None or end is None:
        raise DomainError(_("Give the first and the last day."), field=field)
    if end < start:
        raise DomainError(_("The last day is before the first day."), field=field)


def _contents(contents: Sequence[str]) -> list[str]:
    chosen = [c for c in Content.values if c in set(contents)]
    if not chosen or len(chosen) != len(set(contents)):
        raise DomainError(_("Choose what the inspection covers."), field="contents")
    return chosen


def _same_tenant(obj: object, tenant_id: int, field: str) -> None:
    if obj is None or getattr(obj, "tenant_id", None) != tenant_id:
        raise DomainError(_("Choose a unit or person of this authority."), field=field)


def _lock(inspection: Inspection) -> Inspection:
    return (
        Inspection.objects.select_for_update(of=("self",))
        .select_related("tenant", "unit", "group", "plan")
        .get(pk=inspection.pk)
    )


def _expect(inspection: Inspection, *states: str) -> None:
    if inspection.state not in states:
        raise Conflict(
            _("This cannot be done while the inspection is “%(state)s”.")
            % {"state": InspectionState(inspection.state).label},
            field="state",
        )


# --- the Working Group (R13) ----------------------------------------------------------------


def _check_leader(user: User) -> None:
    if not user.has_role(Role.OFFICE_LEADER):
        raise DomainError(_("The group's leader must be a leader of the Office."), field="user")


@transaction.atomic
def set_up_group(
    tenant: Tenant,
    *,
    by: User,
    decision_number: str,
    decision_date: dt.date | None,
    leader: User,
    name: str = "",
    rules_file: UploadedFile | None = None,
) -> WorkingGroup:
    """Record the Chairman's decision setting up the Working Group, with its leader (an Office
    leader). A new decision replaces the group in office: the previous one is deactivated."""
    if not rules.can_manage_group(by) or by.tenant_id != tenant.pk:
        raise NotAllowed(_("Only the Office records the Working Group."))
    number = _required(decision_number, "decision_number")
    if decision_date is None:
        raise DomainError(_("This field is required."), field="decision_date")
    _same_tenant(leader, tenant.pk, "leader")
    _check_leader(leader)
    WorkingGroup.objects.filter(tenant=tenant, is_active=True).update(is_active=False)
    group = WorkingGroup(
        tenant=tenant, decision_number=number, decision_date=decision_date, created_by=by
    )
    if name.strip():
        group.name = name.strip()
    if rules_file is not None:
        group.rules_file = rules_file
        group.rules_name = rules_file.name or ""
    group.save()
    GroupMember.objects.create(group=group, user=leader, role=MemberRole.LEADER)
    record(group, "group.set_up", actor=by, decision=number, leader=leader)
    return group


@transaction.atomic
def attach_rules(group: WorkingGroup, *, by: User, rules_file: UploadedFile) -> WorkingGroup:
    """Attach (or replace) the group's operating rules."""
    if not rules.can_manage_group(by) or by.tenant_id != group.tenant_id:
        raise NotAllowed(_("Only the Office records the Working Group."))
    if not rules_file or not rules_file.size:
        raise DomainError(_("Choose a file."), field="rules_file")
    group.rules_file = rules_file
    group.rules_name = rules_file.name or ""
    group.save(update_fields=["rules_file", "rules_name"])
    record(group, "group.rules_attached", actor=by, file=group.rules_name)
    return group


@transaction.atomic
def add_member(group: WorkingGroup, *, by: User, user: User, role: str) -> GroupMember:
    """Add an official to the group in a role; a new leader must be an Office leader and
    replaces the previous leader, who stays a member."""
    if not rules.can_manage_group(by) or by.tenant_id != group.tenant_id:
        raise NotAllowed(_("Only the Office records the Working Group."))
    _same_tenant(user, group.tenant_id, "user")
    if role not in MemberRole.values:
        raise DomainError(_("Choose a role."), field="role")
    if GroupMember.objects.filter(group=group, user=user).exists():
        raise Conflict(_("This official is already a member of the group."), field="user")
    if role == MemberRole.LEADER:
        _check_leader(user)
        GroupMember.objects.filter(group=group, role=MemberRole.LEADER).update(
            role=MemberRole.MEMBER
        )
    member = GroupMember.objects.create(group=group, user=user, role=role)
    record(group, "group.member_added", actor=by, user=user, role=role)
    return member


@transaction.atomic
def remove_member(member: GroupMember, *, by: User) -> None:
    group = member.group
    if not rules.can_manage_group(by) or by.tenant_id != group.tenant_id:
        raise NotAllowed(_("Only the Office records the Working Group."))
    if member.role == MemberRole.LEADER:
        raise Conflict(_("The group cannot be left without its leader."), field="user")
    record(group, "group.member_removed", actor=by, user=member.user)
    member.delete()


def active_group(tenant_id: int) -> WorkingGroup | None:
    return (
        WorkingGroup.objects.filter(tenant_id=tenant_id, is_active=True)
        .prefetch_related("members__user")
        .order_by("-decision_date", "-id")
        .first()
    )


# --- plans (R10.1a, R12, R13) -----------------------------------------------------------------


@transaction.atomic
def create_plan(
    group: WorkingGroup,
    *,
    by: User,
    title: str,
    period_start: dt.date | None,
    period_end: dt.date | None,
) -> InspectionPlan:
    """A draft plan of the group for a period; a member drafts it."""
    if not rules.is_member(by, group):
        raise NotAllowed(_("Only members of the Working Group plan inspections."))
    if not group.is_active:
        raise Conflict(_("This Working Group is no longer in office."))
    title = _required(title, "title")
    _dates(period_start, period_end, "period_end")
    assert period_start is not None and period_end is not None
    plan = InspectionPlan.objects.create(
        tenant_id=group.tenant_id,
        group=group,
        title=title,
        period_start=period_start,
        period_end=period_end,
        created_by=by,
    )
    record(plan, "plan.created", actor=by, title=title)
    return plan


def _inspection_input(
    group: WorkingGroup,
    unit: Unit | None,
    starts_on: dt.date | None,
    ends_on: dt.date | None,
    contents: Sequence[str],
    review_start: dt.date | None,
    review_end: dt.date | None,
) -> tuple[Unit, dt.date, dt.date, list[str], dt.date, dt.date]:
    if unit is None:
        raise DomainError(_("Choose the unit to inspect."), field="unit")
    _same_tenant(unit, group.tenant_id, "unit")
    _dates(starts_on, ends_on, "ends_on")
    assert starts_on is not None and ends_on is not None
    chosen = _contents(contents)
    review_start = review_start or dt.date(starts_on.year, 1, 1)
    review_end = review_end or starts_on
    _dates(review_start, review_end, "review_end")
    return unit, starts_on, ends_on, chosen, review_start, review_end


@transaction.atomic
def add_to_plan(
    plan: InspectionPlan,
    *,
    by: User,
    unit: Unit | None,
    starts_on: dt.date | None,
    ends_on: dt.date | None,
    contents: Sequence[str],
    review_start: dt.date | None = None,
    review_end: dt.date | None = None,
) -> Inspection:
    """Add a unit to a draft plan, with its dates and contents (R11). The period inspected
    defaults to the year so far (1 January to the first day on site)."""
    plan = InspectionPlan.objects.select_for_update().select_related("group").get(pk=plan.pk)
    if not rules.can_edit_plan(by, plan):
        raise NotAllowed(_("Only members of the Working Group change a draft plan."))
    unit, starts_on, ends_on, chosen, review_start, review_end = _inspection_input(
        plan.group, unit, starts_on, ends_on, contents, review_start, review_end
    )
    if not (plan.period_start <= starts_on and ends_on <= plan.period_end):
        raise DomainError(_("The dates must fall within the plan's period."), field="starts_on")
    if plan.inspections.filter(unit=unit).exists():
        raise Conflict(_("This unit is already in the plan."), field="unit")
    inspection = Inspection.objects.create(
        tenant_id=plan.tenant_id,
        group=plan.group,
        plan=plan,
        unit=unit,
        kind=InspectionKind.REGULAR,
        contents=chosen,
        starts_on=starts_on,
        ends_on=ends_on,
        review_start=review_start,
        review_end=review_end,
        created_by=by,
    )
    record(plan, "plan.unit_added", actor=by, unit=unit, starts_on=starts_on, ends_on=ends_on)
    return inspection


@transaction.atomic
def remove_from_plan(inspection: Inspection, *, by: User) -> None:
    plan = inspection.plan
    if plan is None or not rules.can_edit_plan(by, plan):
        raise NotAllowed(_("Only members of the Working Group change a draft plan."))
    record(plan, "plan.unit_removed", actor=by, unit=inspection.unit)
    inspection.delete()


@transaction.atomic
def approve_plan(plan: InspectionPlan, *, by: User) -> InspectionPlan:
    """The group's leader approves the plan (R13); each inspected unit is notified."""
    plan = InspectionPlan.objects.select_for_update().select_related("group").get(pk=plan.pk)
    if plan.state != PlanState.DRAFT:
        raise Conflict(_("This plan has already been approved."))
    if not rules.can_approve_plan(by, plan):
        raise NotAllowed(_("Only the leader of the Working Group approves its plan."))
    inspections = list(plan.inspections.select_related("unit", "tenant"))
    if not inspections:
        raise DomainError(_("Add at least one unit to the plan."), field="unit")
    plan.state = PlanState.APPROVED
    plan.approved_by = by
    plan.approved_at = clock.now()
    plan.save(update_fields=["state", "approved_by", "approved_at"])
    record(plan, "plan.approved", actor=by)
    for inspection in inspections:
        _notice(inspection, by)
    return plan


def _notice(inspection: Inspection, by: User) -> None:
    context = {
        "unit": inspection.unit.name,
        "start": inspection.starts_on.isoformat(),
        "end": inspection.ends_on.isoformat(),
    }
    notify.send(
        inspection,
        notify.NOTICE,
        "notice",
        notify.unit_people(inspection.unit_id),
        context,
        exclude=by.pk,
    )


@transaction.atomic
def add_surprise(
    group: WorkingGroup,
    *,
    by: User,
    unit: Unit | None,
    starts_on: dt.date | None,
    ends_on: dt.date | None,
    contents: Sequence[str],
    reason: str,
    review_start: dt.date | None = None,
    review_end: dt.date | None = None,
) -> Inspection:
    """A surprise inspection, outside any plan, decided by the group's leader with a reason
    (R12, R13). It may be added at any time; the unit is notified."""
    if not rules.is_group_leader(by, group):
        raise NotAllowed(_("Only the leader of the Working Group orders a surprise inspection."))
    if not group.is_active:
        raise Conflict(_("This Working Group is no longer in office."))
    reason = _required(reason, "reason")
    unit, starts_on, ends_on, chosen, review_start, review_end = _inspection_input(
        group, unit, starts_on, ends_on, contents, review_start, review_end
    )
    inspection = Inspection.objects.create(
        tenant_id=group.tenant_id,
        group=group,
        unit=unit,
        kind=InspectionKind.SURPRISE,
        surprise_reason=reason,
        contents=chosen,
        starts_on=starts_on,
        ends_on=ends_on,
        review_start=review_start,
        review_end=review_end,
        created_by=by,
    )
    record(inspection, "inspection.surprise_ordered", actor=by, unit=unit, reason=reason)
    _notice(inspection, by)
    return inspection


# --- the inspection (R11, R14) ------------------------------------------------------------------


@transaction.atomic
def open_inspection(inspection: Inspection, *, by: User) -> Inspection:
    """Start the inspection: assemble the unit's dossier and freeze it on the row."""
    inspection = _lock(inspection)
    if not rules.can_run(by, inspection):
        raise NotAllowed(_("Only members of the Working Group do this."))
    _expect(inspection, S.PLANNED)
    if not rules.is_notified(inspection):
        raise Conflict(_("The plan must be approved before its inspections start."))
    inspection.dossier = dossier.assemble(inspection, clock.today())
    inspection.state = S.IN_PROGRESS
    inspection.opened_at = clock.now()
    inspection.save(update_fields=["dossier", "state", "opened_at"])
    record(
        inspection,
        "inspection.opened",
        actor=by,
        changes={"state": [S.PLANNED, S.IN_PROGRESS]},
        tasks=len(inspection.dossier["tasks"]),
    )
    return inspection


def _check_work(inspection: Inspection, by: User) -> Inspection:
    inspection = _lock(inspection)
    if not rules.is_member(by, inspection.group):
        raise NotAllowed(_("Only members of the Working Group do this."))
    _expect(inspection, *sorted(rules.WORKING_STATES))
    return inspection


@transaction.atomic
def invite(
    inspection: Inspection,
    *,
    by: User,
    unit: Unit | None = None,
    name: str = "",
    note: str = "",
) -> InvitedParty:
    """Invite a unit or a person to take part (R14.2)."""
    inspection = _check_work(inspection, by)
    if unit is None and not name.strip():
        raise DomainError(_("Choose a unit or give a name."), field="name")
    if unit is not None:
        _same_tenant(unit, inspection.tenant_id, "unit")
    party = InvitedParty.objects.create(
        inspection=inspection, unit=unit, name=name.strip(), note=note.strip()
    )
    record(inspection, "inspection.invited", actor=by, unit=unit, name=name.strip())
    return party


def _max_upload() -> int:
    return int(getattr(settings, "DATA_UPLOAD_MAX_MEMORY_SIZE", 25 * 1024 * 1024))


@transaction.atomic
def provide_document(
    inspection: Inspection, *, by: User, file: UploadedFile | None, description: str = ""
) -> ProvidedDocument:
    """A document the unit provides (R14.3), uploaded by the unit or by the group."""
    inspection = _lock(inspection)
    if not rules.can_provide_documents(by, inspection):
        if inspection.state != S.IN_PROGRESS:
            _expect(inspection, S.IN_PROGRESS)
        raise NotAllowed(_("Only the inspected unit and the Working Group provide documents."))
    if file is None or not file.size:
        raise DomainError(_("Choose a file."), field="file")
    if file.size > _max_upload():
        raise DomainError(_("The file is too large."), field="file")
    document = ProvidedDocument.objects.create(
        inspection=inspection,
        file=file,
        name=(file.name or "")[:255],
        size=file.size,
        description=description.strip(),
        uploaded_by=by,
    )
    record(inspection, "inspection.document_provided", actor=by, file=document.name)
    return document


@transaction.atomic
def add_finding(
    inspection: Inspection,
    *,
    by: User,
    task: Task | None = None,
    topic: str = "",
    subject: str = "",
    nature: str,
    extent: str,
    cause: str,
    responsible: str,
) -> Finding:
    """A conclusion on a task of the unit or on a topic (R15.3b): nature, extent, cause and
    who is responsible are all required."""
    inspection = _check_work(inspection, by)
    if task is None and not topic:
        raise DomainError(_("Choose a task or a topic."), field="task")
    if topic and topic not in Content.values:
        raise DomainError(_("Choose a topic."), field="topic")
    if task is not None and not _task_of_unit(task, inspection):
        raise DomainError(_("Choose one of the inspected unit's tasks."), field="task")
    values = {
        "nature": _required(nature, "nature"),
        "extent": _required(extent, "extent"),
        "cause": _required(cause, "cause"),
        "responsible": _required(responsible, "responsible")[:255],
    }
    if task is not None:
        subject = task.content
    elif not subject.strip():
        subject = CONTENT_VI[Content(topic)]  # the report's wording is Vietnamese
    finding = Finding.objects.create(
        inspection=inspection,
        task=task,
        topic=topic,
        subject=subject.strip(),
        created_by=by,
        **values,
    )
    record(inspection, "inspection.finding_added", actor=by, finding=finding.pk, task=task)
    return finding


def _task_of_unit(task: Task, inspection: Inspection) -> bool:
    return task.tenant_id == inspection.tenant_id and (
        task.lead_unit_id == inspection.unit_id
        or task.coordinations.filter(unit_id=inspection.unit_id).exists()
    )


@transaction.atomic
def remove_finding(finding: Finding, *, by: User) -> None:
    inspection = _check_work(finding.inspection, by)
    record(inspection, "inspection.finding_removed", actor=by, finding=finding.pk)
    finding.delete()


@transaction.atomic
def add_recommendation(
    inspection: Inspection,
    *,
    by: User,
    kind: str,
    text: str,
    due_on: dt.date | None,
    finding: Finding | None = None,
    task: Task | None = None,
) -> Recommendation:
    """A recommendation (R15.3c): urging, adjusting a task, or handling a violation, with
    the date by which it must be followed up. A task adjustment names the task; the task's
    lead unit then opens the adjustment request (`open_adjustment`)."""
    inspection = _check_work(inspection, by)
    if kind not in RecommendationKind.values:
        raise DomainError(_("Choose the kind of recommendation."), field="kind")
    text = _required(text, "text")
    if due_on is None:
        raise DomainError(_("This field is required."), field="due_on")
    if due_on < clock.today():
        raise DomainError(_("The due date has already passed."), field="due_on")
    if finding is not None and finding.inspection_id != inspection.pk:
        raise DomainError(_("Choose a finding of this inspection."), field="finding")
    if task is None and finding is not None:
        task = finding.task
    addressee: Unit = inspection.unit
    if kind == RecommendationKind.ADJUST_TASK:
        if task is None:
            raise DomainError(_("Choose the task to adjust."), field="task")
        if not _task_of_unit(task, inspection):
            raise DomainError(_("Choose one of the inspected unit's tasks."), field="task")
        addressee = task.lead_unit
    elif task is not None and not _task_of_unit(task, inspection):
        raise DomainError(_("Choose one of the inspected unit's tasks."), field="task")
    recommendation = Recommendation.objects.create(
        inspection=inspection,
        finding=finding,
        kind=kind,
        text=text,
        task=task,
        addressee=addressee,
        due_on=due_on,
        created_by=by,
    )
    record(
        inspection, "inspection.recommendation_added", actor=by, recommendation=recommendation.pk
    )
    return recommendation


@transaction.atomic
def remove_recommendation(recommendation: Recommendation, *, by: User) -> None:
    inspection = _check_work(recommendation.inspection, by)
    record(
        inspection, "inspection.recommendation_removed", actor=by, recommendation=recommendation.pk
    )
    recommendation.delete()


# --- ending, the report and its delivery (R15) -----------------------------------------------


def report_due(inspection: Inspection, ended_on: dt.date) -> dt.date:
    """10 working days after the last day of the inspection (R15.1), on the tenant's
    calendar: the day it ends is not counted, holidays and weekends are skipped."""
    return calendar_for(inspection.tenant).add_working_days(ended_on, REPORT_WORKING_DAYS)


def refresh_report_due(tenant: Tenant, changed: Collection[dt.date] | None = None) -> int:
    """Recount the report deadline of the tenant's ended inspections whose report is not yet
    issued, after its calendar changed; return how many moved."""
    moved = 0
    for inspection in Inspection.objects.filter(tenant=tenant, state=InspectionState.ENDED):
        inspection.tenant = tenant
        due = report_due(inspection, inspection.ended_on)  # type: ignore[arg-type]
        if due != inspection.report_due_on:
            moved += Inspection.objects.filter(pk=inspection.pk).update(report_due_on=due)
    return moved


@transaction.atomic
def end_inspection(inspection: Inspection, *, by: User) -> Inspection:
    """The inspection ends today; the report's 10-working-day clock starts."""
    inspection = _lock(inspection)
    if not rules.can_run(by, inspection):
        raise NotAllowed(_("Only members of the Working Group do this."))
    _expect(inspection, S.IN_PROGRESS)
    today = clock.today()
    inspection.state = S.ENDED
    inspection.ended_on = today
    inspection.report_due_on = report_due(inspection, today)
    inspection.save(update_fields=["state", "ended_on", "report_due_on"])
    record(
        inspection,
        "inspection.ended",
        actor=by,
        changes={"state": [S.IN_PROGRESS, S.ENDED]},
        report_due_on=inspection.report_due_on,
    )
    return inspection


@transaction.atomic
def save_assessment(
    inspection: Inspection,
    *,
    by: User,
    implementation: str,
    updating: str,
    reporting: str,
) -> Inspection:
    """The report's assessments (R15.3a): implementation and results, updating, reporting."""
    inspection = _check_work(inspection, by)
    inspection.assessment_implementation = implementation.strip()
    inspection.assessment_updating = updating.strip()
    inspection.assessment_reporting = reporting.strip()
    inspection.save(
        update_fields=[
            "assessment_implementation",
            "assessment_updating",
            "assessment_reporting",
        ]
    )
    record(inspection, "inspection.assessment_saved", actor=by)
    return inspection


def next_report_number(inspection: Inspection, on: dt.date) -> str:
    """The next number of the year for the group's reports, zero-padded below 10 (Decree 30)."""
    count = (
        Inspection.objects.filter(tenant_id=inspection.tenant_id, report_date__year=on.year)
        .exclude(report_number="")
        .count()
    )
    return f"{count + 1:02d}/{inspection.group.symbol}"


@transaction.atomic
def issue_report(
    inspection: Inspection,
    *,
    by: User,
    number: str = "",
    signer_title: str = "",
    signer_name: str = "",
) -> Inspection:
    """Issue the report: its number, today's date and signer; findings and recommendations
    are frozen from here on. Each content inspected needs its assessment."""
    inspection = _lock(inspection)
    if not rules.can_run(by, inspection):
        raise NotAllowed(_("Only members of the Working Group do this."))
    _expect(inspection, S.ENDED)
    fields = {
        Content.IMPLEMENTATION: "assessment_implementation",
        Content.UPDATING: "assessment_updating",
        Content.REPORTING: "assessment_reporting",
    }
    for content in inspection.contents:
        if not getattr(inspection, fields[Content(content)]).strip():
            raise DomainError(
                _("Write the assessment of “%(content)s” before issuing the report.")
                % {"content": Content(content).label},
                field=fields[Content(content)],
            )
    today = clock.today()
    leader = inspection.group.leader
    inspection.report_date = today
    inspection.report_number = number.strip() or next_report_number(inspection, today)
    inspection.signer_title = (signer_title.strip() or "TỔ TRƯỞNG").upper()
    inspection.signer_name = signer_name.strip() or (leader.user.get_full_name() if leader else "")
    inspection.state = S.REPORTED
    try:
        with transaction.atomic():
            inspection.save(
                update_fields=[
                    "report_date",
                    "report_number",
                    "signer_title",
                    "signer_name",
                    "state",
                ]
            )
    except IntegrityError:  # pragma: no cover - no unique number constraint yet
        raise Conflict(_("This number is already used.")) from None
    record(
        inspection,
        "inspection.report_issued",
        actor=by,
        changes={"state": [S.ENDED, S.REPORTED]},
        number=inspection.report_number,
        on_time=today <= (inspection.report_due_on or today),
    )
    return inspection


@transaction.atomic
def deliver_report(inspection: Inspection, *, by: User) -> Inspection:
    """Send the issued report to the committee and to the inspected unit (R15.2): the unit
    then sees it on its inspections page, and both are notified."""
    inspection = _lock(inspection)
    if not rules.can_run(by, inspection):
        raise NotAllowed(_("Only members of the Working Group do this."))
    _expect(inspection, S.REPORTED)
    inspection.state = S.DELIVERED
    inspection.delivered_at = clock.now()
    inspection.save(update_fields=["state", "delivered_at"])
    record(inspection, "inspection.report_delivered", actor=by, number=inspection.report_number)
    context = {
        "unit": inspection.unit.name,
        "number": inspection.report_number,
        "count": inspection.recommendations.count(),
    }
    people = [
        *notify.unit_people(inspection.unit_id),
        *notify.committee_people(inspection.tenant_id),
    ]
    notify.send(inspection, notify.DELIVERED, "delivered", people, context, exclude=by.pk)
    return inspection


# --- following up the recommendations ---------------------------------------------------------


@transaction.atomic
def close_recommendation(
    recommendation: Recommendation, *, by: User, done: bool, note: str = ""
) -> Recommendation:
    """The group records a recommendation done, or not done with a note."""
    recommendation = (
        Recommendation.objects.select_for_update(of=("self",))
        .select_related("inspection__group")
        .get(pk=recommendation.pk)
    )
    if not rules.can_follow_up(by, recommendation.inspection):
        raise NotAllowed(_("Only the Working Group follows up its delivered recommendations."))
    if recommendation.state != FollowUp.OPEN:
        raise Conflict(_("This recommendation has already been closed."))
    if not done:
        note = _required(note, "note")
    recommendation.state = FollowUp.DONE if done else FollowUp.NOT_DONE
    recommendation.closed_on = clock.today()
    recommendation.closed_by = by
    recommendation.outcome_note = note.strip()
    recommendation.save(update_fields=["state", "closed_on", "closed_by", "outcome_note"])
    record(
        recommendation.inspection,
        "inspection.recommendation_closed",
        actor=by,
        recommendation=recommendation.pk,
        changes={"state": [FollowUp.OPEN, recommendation.state]},
        note=note,
    )
    return recommendation


@transaction.atomic
def open_adjustment(
    recommendation: Recommendation, *, by: User, kind: str, reason: str = ""
) -> AdjustmentRequest:
    """Carry out an "adjust the task" recommendation: the task's lead unit opens an
    adjustment request on the task through the task workflow (R5.2a), citing the report."""
    recommendation = (
        Recommendation.objects.select_for_update(of=("self",))
        .select_related("inspection", "task")
        .get(pk=recommendation.pk)
    )
    inspection = recommendation.inspection
    if recommendation.kind != RecommendationKind.ADJUST_TASK or recommendation.task is None:
        raise Conflict(_("This recommendation does not adjust a task."))
    if inspection.state != S.DELIVERED or recommendation.state != FollowUp.OPEN:
        raise Conflict(_("This recommendation is not open for follow-up."))
    if recommendation.adjustment_id is not None:
        raise Conflict(_("An adjustment request has already been opened."))
    if kind not in AdjustmentKind.values:
        raise DomainError(_("Unknown kind of adjustment."), field="kind")
    basis = _("As recommended in inspection report %(number)s: %(text)s") % {
        "number": inspection.report_number,
        "text": recommendation.text,
    }
    full_reason = f"{basis}\n{reason.strip()}" if reason.strip() else basis
    request = workflow.request_adjustment(recommendation.task, by=by, kind=kind, reason=full_reason)
    recommendation.adjustment = request
    recommendation.save(update_fields=["adjustment"])
    record(
        inspection,
        "inspection.adjustment_opened",
        actor=by,
        recommendation=recommendation.pk,
        request_id=request.pk,
    )
    return request
