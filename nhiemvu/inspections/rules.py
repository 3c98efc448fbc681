"""Who may see and do what with inspections: named predicates, in one place.

- Oversight (the Office, leaders, inspectors, administrators: the tenant-wide roles) see
  every inspection of their tenant, read-only.
- Members of the Working Group do the inspection work of their group; only the group's
  leader approves a plan or orders a surprise inspection (R13). The Office records the
  group itself (R10: it proposes the group; the Chairman's decision sets it up).
- The inspected unit's own staff and head see the notice of an inspection of their unit
  once it is decided (plan approved, or surprise), provide documents while it runs, and see
  the report, its findings and recommendations once it is delivered (R15.2). They never see
  the group's working dossier.
- Anyone else, and every other tenant, sees nothing (404).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from nhiemvu.tasks.rules import is_office, is_unit_member, sees_whole_tenant

from .enums import WORKING_STATES, InspectionState, MemberRole, PlanState

if TYPE_CHECKING:
    from nhiemvu.accounts.models import User

    from .models import Inspection, InspectionPlan, WorkingGroup


def _same_tenant(user: User, obj: object) -> bool:
    return (
        user.is_authenticated
        and user.tenant_id is not None
        and user.tenant_id == getattr(obj, "tenant_id", None)
    )


def member_role(user: User, group: WorkingGroup) -> str | None:
    """The user's role in the group, or None (uses the prefetched members when there)."""
    if not _same_tenant(user, group):
        return None
    for member in group.members.all():
        if member.user_id == user.pk:
            return member.role
    return None


def is_member(user: User, group: WorkingGroup) -> bool:
    return member_role(user, group) is not None


def is_group_leader(user: User, group: WorkingGroup) -> bool:
    return member_role(user, group) == MemberRole.LEADER


def oversees(user: User) -> bool:
    """Tenant-wide roles see every inspection read-only."""
    return sees_whole_tenant(user)


def can_manage_group(user: User) -> bool:
    """The Office records the Chairman's decision and the group's members."""
    return is_office(user)


def can_view_group(user: User, group: WorkingGroup) -> bool:
    return _same_tenant(user, group) and (oversees(user) or is_member(user, group))


def can_edit_plan(user: User, plan: InspectionPlan) -> bool:
    return plan.state == PlanState.DRAFT and is_member(user, plan.group)


def can_approve_plan(user: User, plan: InspectionPlan) -> bool:
    return plan.state == PlanState.DRAFT and is_group_leader(user, plan.group)


def can_view_plan(user: User, plan: InspectionPlan) -> bool:
    return _same_tenant(user, plan) and (oversees(user) or is_member(user, plan.group))


def is_notified(inspection: Inspection) -> bool:
    """The unit has been told of the inspection: it is a surprise, or its plan is approved."""
    return inspection.plan_id is None or inspection.plan.state == PlanState.APPROVED  # type: ignore[union-attr]


def is_inspected_unit(user: User, inspection: Inspection) -> bool:
    return (
        _same_tenant(user, inspection)
        and is_unit_member(user)
        and user.unit_id == inspection.unit_id
    )


def can_view(user: User, inspection: Inspection) -> bool:
    if not _same_tenant(user, inspection):
        return False
    if oversees(user) or is_member(user, inspection.group):
        return True
    return is_inspected_unit(user, inspection) and is_notified(inspection)


def sees_working_papers(user: User, inspection: Inspection) -> bool:
    """The dossier, findings and recommendations before delivery: the group and oversight."""
    return _same_tenant(user, inspection) and (oversees(user) or is_member(user, inspection.group))


def sees_report(user: User, inspection: Inspection) -> bool:
    if sees_working_papers(user, inspection):
        return True
    return inspection.state == InspectionState.DELIVERED and is_inspected_unit(user, inspection)


def can_work(user: User, inspection: Inspection) -> bool:
    """Group members record the inspection's work while it runs and its report is written."""
    return inspection.state in WORKING_STATES and is_member(user, inspection.group)


def can_run(user: User, inspection: Inspection) -> bool:
    """Open, end, issue and deliver: a member of the group."""
    return is_member(user, inspection.group)


def can_provide_documents(user: User, inspection: Inspection) -> bool:
    """The inspected unit (and the group on its behalf) while the inspection runs (R14.3)."""
    if inspection.state != InspectionState.IN_PROGRESS:
        return False
    return is_member(user, inspection.group) or is_inspected_unit(user, inspection)


def can_follow_up(user: User, inspection: Inspection) -> bool:
    """Recording a recommendation done or not done: the group, once the report is out."""
    return inspection.state == InspectionState.DELIVERED and is_member(user, inspection.group)


def can_view_summary(user: User) -> bool:
    """The monthly summary for the committee's meeting (R10.1đ)."""
    return oversees(user)


def may_list(user: User) -> bool:
    """Who has an inspections page at all (its content is narrowed per role)."""
    return oversees(user) or is_unit_member(user)
