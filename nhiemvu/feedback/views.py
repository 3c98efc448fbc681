"""Feedback pages: filing from a task, the Office's queue with the 10-working-day countdown,
a feedback's page with the answer form, and a unit's own feedback (filed by it, about it).
Anyone who may not see a feedback or a task gets the same 404 as elsewhere."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from nhiemvu.core import clock
from nhiemvu.core.access import me, tenant_id
from nhiemvu.core.errors import DomainError
from nhiemvu.core.history import timeline
from nhiemvu.notifications import letters
from nhiemvu.tasks.models import Task
from nhiemvu.tasks.rules import is_unit_member
from nhiemvu.tasks.views import get_task
from nhiemvu.units.models import Unit
from nhiemvu.workcalendar.calendar import calendar_for

from . import services
from .enums import FeedbackKind, FeedbackState
from .forms import AnswerForm, FileFeedbackForm
from .models import Feedback
from .queries import countdown, with_related
from .rules import can_file, can_handle, can_view_feedback, related_tasks, visible_feedback

#: Rows per list; the oldest open feedback come first, so none is hidden by newer ones.
QUEUE_ROWS = 100
ANSWERED_ROWS = 25

EVENT_LABELS = {
    "feedback.filed": gettext_lazy("filed"),
    "feedback.answered": gettext_lazy("answered"),
    "feedback.answer_late": gettext_lazy("answer late: reported to the Office leader"),
}


def get_feedback(request: HttpRequest, pk: int) -> Feedback:
    """The feedback, or 404 for anyone who may not see it."""
    feedback = (
        with_related(Feedback.objects.filter(pk=pk))
        .select_related("tenant", "task__lead_unit")
        .prefetch_related("files")
        .first()
    )
    if feedback is None or not can_view_feedback(me(request), feedback):
        raise Http404
    return feedback


def _form_error(form: Any, error: DomainError) -> None:
    form.add_error(error.field if error.field in form.fields else None, str(error.message))


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    """The Office's queue: open feedback by due date with the countdown, then the latest
    answers."""
    user = me(request)
    if not can_handle(user):
        raise Http404
    today = clock.today()
    calendar = calendar_for(user.tenant)
    base = Feedback.objects.filter(tenant_id=tenant_id(user))
    open_qs = base.filter(state=FeedbackState.OPEN)
    waiting = countdown(
        with_related(open_qs).order_by("due_on", "id")[:QUEUE_ROWS], calendar, today
    )
    answered = list(
        with_related(base.exclude(state=FeedbackState.OPEN)).order_by("-answered_at", "-id")[
            :ANSWERED_ROWS
        ]
    )
    return render(
        request,
        "feedback/queue.html",
        {
            "waiting": waiting,
            "waiting_total": open_qs.count(),
            "answered": answered,
            "today": today,
        },
    )


def _units_for(task: Task, user: Any) -> Any:
    """The units a feedback about `task` can be about: its lead and coordinating units,
    without the filer's own."""
    ids = {task.lead_unit_id, *(c.unit_id for c in task.coordinations.all())}
    ids.discard(user.unit_id)
    return Unit.objects.filter(tenant_id=task.tenant_id, pk__in=ids).order_by("kind", "name")


@login_required
def file_feedback(request: HttpRequest, task_pk: int) -> HttpResponse:
    """A unit files feedback about a task it can see."""
    user = me(request)
    task = get_task(request, task_pk)
    if not can_file(user, task):
        raise Http404
    units = _units_for(task, user)
    form = FileFeedbackForm(
        request.POST or None,
        request.FILES or None,
        units=units,
        initial={
            "kind": FeedbackKind.LATE if units.exists() else FeedbackKind.BEYOND_MEANS,
            "about_unit": task.lead_unit_id if task.lead_unit_id != user.unit_id else None,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            feedback = services.file_feedback(
                task,
                by=user,
                kind=data["kind"],
                text=data["text"],
                about_unit=data["about_unit"],
                files=data["attachments"],
            )
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(
                request,
                _("Your feedback was sent to the Office, which answers by %(due)s.")
                % {"due": feedback.due_on.strftime("%d/%m/%Y")},
            )
            return redirect("feedback:detail", pk=feedback.pk)
    return render(request, "feedback/new.html", {"task": task, "form": form})


def _events(feedback: Feedback) -> list[Any]:
    events = list(timeline(feedback))
    for event in events:
        event.label = str(EVENT_LABELS.get(event.action, event.action))  # type: ignore[attr-defined]
    return events


def _answer_context(request: HttpRequest, feedback: Feedback, form: Any = None) -> dict[str, Any]:
    user = me(request)
    today = clock.today()
    countdown([feedback], calendar_for(feedback.tenant), today)
    answers = services.answers_for(feedback)
    can_answer = can_handle(user) and bool(answers)
    if can_answer and form is None:
        form = AnswerForm(actions=answers, auto_id="id_answer_%s")
    return {"feedback": feedback, "form": form, "can_answer": can_answer, "today": today}


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    feedback = get_feedback(request, pk)
    context = _answer_context(request, feedback)
    context["events"] = _events(feedback)
    return render(request, "feedback/detail.html", context)


@login_required
@require_POST
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    """The Office's answer. HTMX gets the page's body back in place (state, countdown,
    answer and history); a plain form post is redirected to the feedback's page."""
    user = me(request)
    feedback = get_feedback(request, pk)
    if not can_handle(user):
        raise Http404
    form = AnswerForm(request.POST, actions=services.answers_for(feedback), auto_id="id_answer_%s")
    done = False
    if form.is_valid():
        data = form.cleaned_data
        try:
            feedback = services.answer(
                feedback,
                by=user,
                action=data["action"],
                text=data["text"],
                with_letter=data["letter"],
            )
            done = True
        except DomainError as error:
            _form_error(form, error)
    if request.htmx:  # type: ignore[attr-defined]
        if done:
            feedback = get_feedback(request, pk)
            context = _answer_context(request, feedback)
            context["message"] = _("The answer was sent.")
        else:
            context = _answer_context(request, feedback, form)
        context["events"] = _events(feedback)
        return render(request, "feedback/_body.html", context)
    if done:
        messages.success(request, _("The answer was sent."))
        return redirect("feedback:detail", pk=pk)
    context = _answer_context(request, feedback, form)
    context["events"] = _events(feedback)
    return render(request, "feedback/detail.html", context, status=400)


@login_required
def unit_feedback(request: HttpRequest) -> HttpResponse:
    """A unit's feedback: what it filed, what others filed about it, and (R17.1) the tasks
    it leads or coordinates that another unit reported beyond its means."""
    user = me(request)
    if not is_unit_member(user) or user.unit_id is None:
        raise Http404
    today = clock.today()
    calendar = calendar_for(user.tenant)
    base = with_related(Feedback.objects.filter(tenant_id=tenant_id(user)))
    filed = countdown(base.filter(filer_unit_id=user.unit_id)[:QUEUE_ROWS], calendar, today)
    about = countdown(
        base.filter(about_unit_id=user.unit_id).exclude(filer_unit_id=user.unit_id)[:QUEUE_ROWS],
        calendar,
        today,
    )
    related = countdown(
        base.filter(
            kind=FeedbackKind.BEYOND_MEANS,
            task__in=related_tasks(user.unit_id),
        ).exclude(Q(filer_unit_id=user.unit_id) | Q(about_unit_id=user.unit_id))[:QUEUE_ROWS],
        calendar,
        today,
    )
    return render(
        request,
        "feedback/unit.html",
        {"filed": filed, "about": about, "related": related, "today": today},
    )


@login_required
def letter_docx(request: HttpRequest, pk: int) -> HttpResponse:
    """The urging letter of an answer, for both parties to the feedback (R16.6: the commune
    receives a copy)."""
    feedback = get_feedback(request, pk)
    letter = feedback.letter
    if letter is None:
        raise Http404
    response = HttpResponse(
        letters.build_docx(letter),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = f'attachment; filename="{letter.filename()}"'
    return response


def task_feedback(user: Any, task: Task) -> list[Feedback]:
    """The feedback on `task` that `user` may see (the task page's panel)."""
    return list(
        visible_feedback(user)
        .filter(task=task)
        .select_related("filer_unit", "about_unit", "letter")
        .order_by("-created_at", "-id")
    )
