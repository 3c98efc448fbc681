"""The JSON API of feedback between units: the same domain functions as the pages.

Mounted by `nhiemvu/api/main.py` (`api.add_router("", feedback.api.router)`). Filing and
answering are POST actions; a wrong request is a problem document in the user's language.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status

from nhiemvu.api.auth import actor, tenant_of
from nhiemvu.api.schemas import Ref
from nhiemvu.core import clock
from nhiemvu.core.errors import DomainError
from nhiemvu.tasks.models import Task
from nhiemvu.tasks.rules import can_view
from nhiemvu.units.models import Unit
from nhiemvu.workcalendar.calendar import calendar_for

from . import services
from .models import Feedback
from .queries import countdown, with_related
from .rules import can_view_feedback, visible_feedback

router = Router(tags=["feedback"])

MAX_ROWS = 200


class FeedbackIn(Schema):
    kind: str  # late | not_as_required | beyond_means
    text: str
    about_unit_id: int | None = None


class AnswerIn(Schema):
    action: str  # urge | escalate | dismiss
    text: str
    with_letter: bool = False


class LetterRef(Schema):
    id: int
    number: str


class FeedbackOut(Schema):
    id: int
    task: Ref
    kind: str
    kind_label: str
    state: str
    state_label: str
    filer_unit: Ref
    about_unit: Ref
    text: str
    created_at: dt.datetime
    due_on: dt.date
    working_days_left: int
    working_days_late: int
    answer: str
    answered_at: dt.datetime | None
    answered_in_time: bool | None
    letter: LetterRef | None


class FeedbackFilters(Schema):
    state: str = ""
    task_id: int | None = None


def out(feedback: Feedback) -> dict[str, Any]:
    return {
        "id": feedback.pk,
        "task": {"id": feedback.task_id, "name": feedback.task.content},
        "kind": feedback.kind,
        "kind_label": str(feedback.get_kind_display()),
        "state": feedback.state,
        "state_label": str(feedback.get_state_display()),
        "filer_unit": {"id": feedback.filer_unit_id, "name": feedback.filer_unit.name},
        "about_unit": {"id": feedback.about_unit_id, "name": feedback.about_unit.name},
        "text": feedback.text,
        "created_at": feedback.created_at,
        "due_on": feedback.due_on,
        "working_days_left": getattr(feedback, "days_left", 0),
        "working_days_late": getattr(feedback, "days_late", 0),
        "answer": feedback.answer,
        "answered_at": feedback.answered_at,
        "answered_in_time": feedback.answered_in_time,
        "letter": {"id": feedback.letter.pk, "number": feedback.letter.number}
        if feedback.letter
        else None,
    }


def _get(request: HttpRequest, feedback_id: int) -> Feedback:
    feedback = (
        with_related(Feedback.objects.filter(pk=feedback_id)).select_related("tenant").first()
    )
    if feedback is None or not can_view_feedback(actor(request), feedback):
        raise Http404
    return feedback


def _out(request: HttpRequest, feedback: Feedback) -> dict[str, Any]:
    feedback = _get(request, feedback.pk)
    countdown([feedback], calendar_for(feedback.tenant), clock.today())
    return out(feedback)


@router.get("/feedback", response=list[FeedbackOut], summary="Feedback the user may see")
def list_feedback(request: HttpRequest, filters: Query[FeedbackFilters]) -> list[dict[str, Any]]:
    """Open feedback first by due date, then the answered ones, newest first."""
    user = actor(request)
    qs = with_related(visible_feedback(user))
    if filters.state:
        qs = qs.filter(state=filters.state)
    if filters.task_id is not None:
        qs = qs.filter(task_id=filters.task_id)
    rows = countdown(
        qs.order_by("-state", "due_on", "-id")[:MAX_ROWS],
        calendar_for(user.tenant),
        clock.today(),
    )
    return [out(feedback) for feedback in rows]


@router.get("/feedback/{feedback_id}", response=FeedbackOut)
def get_feedback(request: HttpRequest, feedback_id: int) -> dict[str, Any]:
    return _out(request, _get(request, feedback_id))


@router.post(
    "/tasks/{task_id}/feedback",
    response={201: FeedbackOut},
    summary="File feedback about a task (R16.6, R17.1–R17.3)",
)
def file_feedback(request: HttpRequest, task_id: int, data: FeedbackIn) -> Status[dict[str, Any]]:
    task = (
        Task.objects.select_related("lead_unit", "assigning_unit")
        .filter(pk=task_id, tenant_id=tenant_of(request))
        .first()
    )
    if task is None or not can_view(actor(request), task):
        raise Http404
    about = None
    if data.about_unit_id is not None:
        about = Unit.objects.filter(pk=data.about_unit_id, tenant_id=tenant_of(request)).first()
        if about is None:
            raise DomainError(
                _("Choose the task's lead unit or one of its coordinating units."),
                field="about_unit_id",
            )
    feedback = services.file_feedback(
        task, by=actor(request), kind=data.kind, text=data.text, about_unit=about
    )
    return Status(201, _out(request, feedback))


@router.post("/feedback/{feedback_id}/answer", response=FeedbackOut, summary="The Office answers")
def answer(request: HttpRequest, feedback_id: int, data: AnswerIn) -> dict[str, Any]:
    feedback = services.answer(
        _get(request, feedback_id),
        by=actor(request),
        action=data.action,
        text=data.text,
        with_letter=data.with_letter,
    )
    return _out(request, feedback)
