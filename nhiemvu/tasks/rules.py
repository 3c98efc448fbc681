"""Who may see and do what: named predicates, in one place, used by API, pages and commands.

The parties to a task:
- ASSIGNER: for a top-level task the Office (office roles); for a sub-task the members of the
  unit that assigned it (the parent task's lead unit, R20.2).
- LEAD: members (staff or head) of the lead unit itself.
- COORDINATING: members of a coordinating unit.
- LEADER: the Chairman / Vice Chairmen (top-level tasks only).
Seeing is wider than acting: tenant-wide roles see all, and a unit sees the tasks of its whole
subtree (its divisions' sub-tasks), R7.2 / R8.2c.
"""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, Q, QuerySet

from nhiemvu.accounts.models import OFFICE_ROLES, TENANT_WIDE_ROLES, UNIT_ROLES, Role

from .enums import TaskState
from .models import Task, TaskCoordination

if TYPE_CHECKING:
    from nhiemvu.accounts.models import User
    from nhiemvu.units.models import Unit


class Party(Enum):
    ASSIGNER = "assigner"
    LEAD = "lead"
    COORDINATING = "coordinating"
    LEADER = "leader"


def is_office(user: User) -> bool:
    return user.is_authenticated and user.has_role(*OFFICE_ROLES)


def is_leader(user: User) -> bool:
    return user.is_authenticated and user.has_role(Role.LEADER)


def sees_whole_tenant(user: User) -> bool:
    return user.is_authenticated and user.has_role(*TENANT_WIDE_ROLES)


def is_unit_member(user: User) -> bool:
    return user.is_authenticated and user.unit_id is not None and user.has_role(*UNIT_ROLES)


def parties(user: User, task: Task) -> set[Party]:
    """The roles `user` plays on `task` (empty for an outsider or another tenant)."""
    if not user.is_authenticated or user.tenant_id != task.tenant_id:
        return set()
    found: set[Party] = set()
    if task.parent_id is None:
        if is_office(user):
            found.add(Party.ASSIGNER)
        if is_leader(user):
            found.add(Party.LEADER)
    elif is_unit_member(user) and user.unit_id == task.assigning_unit_id:
        found.add(Party.ASSIGNER)
    if is_unit_member(user):
        if user.unit_id == task.lead_unit_id:
            found.add(Party.LEAD)
        if any(c.unit_id == user.unit_id for c in task.coordinations.all()):
            found.add(Party.COORDINATING)
    return found


def visible_tasks(
    user: User, *, narrowed_to: Unit | None = None, drafts: bool = True
) -> QuerySet[Task]:
    """Every task `user` may see. Nobody sees another tenant's tasks.

    A caller that keeps only the tasks led or coordinated by `narrowed_to` (or its subtree),
    and, with `drafts=False`, no drafts, gets a lighter query when that unit is in the user's
    own subtree: every such task but another unit's drafts is visible anyway, so the subtree
    test on each row (three joins, planned and run again inside a union) is not needed."""
    if not user.is_authenticated or user.tenant_id is None:
        return Task.objects.none()
    qs = Task.objects.filter(tenant_id=user.tenant_id)
    if sees_whole_tenant(user):
        return qs
    if user.unit is None:
        return Task.objects.none()
    path = user.unit.path
    if narrowed_to is not None and narrowed_to.path.startswith(path):
        if not drafts:
            return qs
        return qs.filter(~Q(state=TaskState.DRAFT) | Q(assigning_unit__path__startswith=path))
    coordinated = TaskCoordination.objects.filter(
        task_id=OuterRef("pk"), unit__path__startswith=path
    )
    # A unit sees its subtree's tasks once they are assigned; drafts only if it drafted them
    # (sub-tasks for its divisions).
    return qs.filter(
        Q(assigning_unit__path__startswith=path)
        | (~Q(state=TaskState.DRAFT) & (Q(lead_unit__path__startswith=path) | Exists(coordinated)))
    )


def can_view(user: User, task: Task) -> bool:
    if not user.is_authenticated or user.tenant_id != task.tenant_id:
        return False
    if sees_whole_tenant(user) or Party.ASSIGNER in parties(user, task):
        return True
    if user.unit is None:
        return False
    path = user.unit.path
    if task.assigning_unit.path.startswith(path):
        return True
    if task.state == TaskState.DRAFT:
        return False
    units = [task.lead_unit, *(c.unit for c in task.coordinations.all())]
    return any(unit.path.startswith(path) for unit in units)


def can_create_top_level_task(user: User) -> bool:
    return is_office(user)


def own_unit_tasks(user: User) -> QuerySet[Task]:
    """The base for a unit's own lists: every task of the tenant except drafts. Callers narrow
    it to tasks the user's unit leads, coordinates or assigned, which `visible_tasks` always
    lets that unit see; skipping its subtree test keeps those lists on their indexes."""
    if not is_unit_member(user) or user.tenant_id is None:
        return Task.objects.none()
    return Task.objects.filter(tenant_id=user.tenant_id).exclude(state=TaskState.DRAFT)
