"""Who may see and do what with feedback (named predicates, used by pages, API and tests).

- File: a member (staff or head) of a unit, for its own unit, about a task it can see.
- Handle (answer): the Office (specialists and leaders).
- See: the Office and the other tenant-wide roles (the Chairman sees what is escalated to
  him); the filer's unit; the unit the feedback is about; for a task beyond a unit's means
  (R17.1), also the other units that lead or coordinate the task, the "related departments"
  it is reported to. Nobody else, and nobody of another tenant.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet

from nhiemvu.tasks.enums import TRACKED_STATES
from nhiemvu.tasks.rules import can_view, is_office, is_unit_member, sees_whole_tenant

from .enums import FeedbackKind
from .models import Feedback

if TYPE_CHECKING:
    from nhiemvu.accounts.models import User
    from nhiemvu.tasks.models import Task


def can_file(user: User, task: Task) -> bool:
    """Whether `user` may file feedback about `task` (the form and the panel's link)."""
    return is_unit_member(user) and task.state in TRACKED_STATES and can_view(user, task)


def can_handle(user: User) -> bool:
    return is_office(user) and user.tenant_id is not None


def visible_feedback(user: User) -> QuerySet[Feedback]:
    """Every feedback `user` may see, in the user's tenant only."""
    if not user.is_authenticated or user.tenant_id is None:
        return Feedback.objects.none()
    qs = Feedback.objects.filter(tenant_id=user.tenant_id)
    if sees_whole_tenant(user):
        return qs
    if not is_unit_member(user):
        return Feedback.objects.none()
    unit_id = user.unit_id
    return qs.filter(
        Q(filer_unit_id=unit_id)
        | Q(about_unit_id=unit_id)
        | Q(kind=FeedbackKind.BEYOND_MEANS, task__in=related_tasks(unit_id))
    )


def related_tasks(unit_id: int | None) -> QuerySet[Any, Any]:
    """The ids of the tasks a unit leads or coordinates (a subquery)."""
    from nhiemvu.tasks.models import Task

    lead_or_coordinating = Q(lead_unit_id=unit_id) | Q(coordinations__unit_id=unit_id)
    return Task.objects.filter(lead_or_coordinating).values("pk")


def can_view_feedback(user: User, feedback: Feedback) -> bool:
    if not user.is_authenticated or user.tenant_id != feedback.tenant_id:
        return False
    if sees_whole_tenant(user):
        return True
    if not is_unit_member(user):
        return False
    unit_id = user.unit_id
    if unit_id is None:
        return False
    if unit_id in (feedback.filer_unit_id, feedback.about_unit_id):
        return True
    if feedback.kind != FeedbackKind.BEYOND_MEANS:
        return False
    task = feedback.task
    return task.lead_unit_id == unit_id or task.coordinations.filter(unit_id=unit_id).exists()
