"""The domain functions of feedback between units: filing, answering, and the late-answer
flag. Pages, the API and the worker call these; each is one transaction that writes the
row, its history event and its notifications together.

One transition table (`EDGES`) states every answer: from which state, to which state, for
which kinds of feedback. Only the Office answers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nhiemvu.core import clock
from nhiemvu.core.errors import Conflict, DomainError, NotAllowed
from nhiemvu.core.history import record
from nhiemvu.notifications import letters
from nhiemvu.tasks.enums import TRACKED_STATES
from nhiemvu.tasks.models import Task, TaskCoordination
from nhiemvu.tasks.rules import is_unit_member
from nhiemvu.workcalendar.calendar import calendar_for

from . import notices
from .enums import ABOUT_ANOTHER_UNIT, Answer, FeedbackKind, FeedbackState
from .models import ANSWER_WORKING_DAYS, Feedback, FeedbackAttachment
from .queries import working_days_late
from .rules import can_file, can_handle

if TYPE_CHECKING:
    from nhiemvu.accounts.models import User
    from nhiemvu.core.models import Tenant
    from nhiemvu.units.models import Unit

K = FeedbackKind
S = FeedbackState


@dataclass(frozen=True)
class Edge:
    sources: frozenset[str]
    target: FeedbackState
    kinds: frozenset[str]


#: answer → (from states, to state, for which kinds). Only the Office answers.
EDGES: dict[str, Edge] = {
    Answer.URGE: Edge(frozenset({S.OPEN}), S.URGED, frozenset(ABOUT_ANOTHER_UNIT)),
    Answer.ESCALATE: Edge(frozenset({S.OPEN}), S.ESCALATED, frozenset(K.values)),
    Answer.DISMISS: Edge(frozenset({S.OPEN}), S.DISMISSED, frozenset(K.values)),
}


def answers_for(feedback: Feedback) -> list[str]:
    """The answers the Office can give `feedback` now (for the form)."""
    return [
        name
        for name, edge in EDGES.items()
        if feedback.state in edge.sources and feedback.kind in edge.kinds
    ]


def due_date(tenant: Tenant, filed_on: dt.date) -> dt.date:
    """The last day of the answer: `ANSWER_WORKING_DAYS` working days after filing (R16.6);
    public holidays, days in lieu and swapped days come from the tenant's calendar."""
    return calendar_for(tenant).add_working_days(filed_on, ANSWER_WORKING_DAYS)


def refresh_due_dates(tenant: Tenant, changed: Collection[dt.date] | None = None) -> int:
    """Recount the answer deadline of the tenant's feedback still waiting for an answer, after
    its calendar changed; return how many moved (see `workcalendar.recount_on_change`)."""
    moved = 0
    for pk, created_at, stored in Feedback.objects.filter(
        tenant=tenant, state=FeedbackState.OPEN
    ).values_list("pk", "created_at", "due_on"):
        due = due_date(tenant, timezone.localdate(created_at))
        if due != stored:
            moved += Feedback.objects.filter(pk=pk).update(due_on=due)
    return moved


def _coordinating(task: Task) -> list[int]:
    return list(TaskCoordination.objects.filter(task=task).values_list("unit_id", flat=True))


@transaction.atomic
def file_feedback(
    task: Task,
    *,
    by: User,
    kind: str,
    text: str,
    about_unit: Unit | None = None,
    files: Sequence[UploadedFile] = (),
) -> Feedback:
    """A unit reports on a task (R16.6, R17.1–R17.3).

    1. Check: the user is a member of a unit that can see the task, the task is tracked,
       the text is given.
    2. Work out the unit it is about: for "late" and "not as required" the task's lead unit
       (or the coordinating unit chosen), never the filer's own unit; for "beyond our
       means" the filer's own unit, which must lead or coordinate the task.
    3. Save it with its due date, record `feedback.filed`, tell the Office (and for R17.1
       the related departments).
    """
    task = Task.objects.select_related("tenant", "lead_unit", "assigning_unit").get(pk=task.pk)
    if not is_unit_member(by) or by.tenant_id != task.tenant_id or by.unit is None:
        raise NotAllowed(_("Only the staff of a unit can file feedback for their unit."))
    if task.state not in TRACKED_STATES or not can_file(by, task):
        raise NotAllowed(_("Your unit cannot file feedback about this task."))
    if kind not in K.values:
        raise DomainError(_("Choose what you are reporting."), field="kind")
    text = (text or "").strip()
    if not text:
        raise DomainError(_("Describe what happened."), field="text")
    coordinating = _coordinating(task)
    parties = {task.lead_unit_id, *coordinating}
    own = by.unit
    if kind == K.BEYOND_MEANS:
        if own.pk not in parties:
            raise DomainError(
                _(
                    "Only the unit that leads or coordinates a task can report it as beyond "
                    "its means."
                ),
                field="kind",
            )
        about = own
    else:
        about = about_unit or task.lead_unit
        if about.pk == own.pk:
            raise DomainError(
                _(
                    "This is your own unit's task: feedback that a task is late or not done "
                    "as required is about another unit. To say the task is beyond your "
                    "means, choose that kind."
                ),
                field="about_unit",
            )
        if about.pk not in parties or about.tenant_id != task.tenant_id:
            raise DomainError(
                _("Choose the task's lead unit or one of its coordinating units."),
                field="about_unit",
            )
    if Feedback.objects.filter(
        task=task, filer_unit=own, about_unit=about, kind=kind, state=S.OPEN
    ).exists():
        raise Conflict(
            _("Your unit already has feedback of this kind on this task waiting for an answer."),
            field="kind",
        )
    now = clock.now()
    feedback = Feedback.objects.create(
        tenant_id=task.tenant_id,
        task=task,
        filed_by=by,
        filer_unit=own,
        about_unit=about,
        kind=kind,
        text=text,
        created_at=now,
        due_on=due_date(task.tenant, clock.today()),
    )
    for upload in files:
        FeedbackAttachment.objects.create(
            feedback=feedback, file=upload, name=upload.name or "", size=upload.size or 0
        )
    record(
        feedback,
        "feedback.filed",
        actor=by,
        task_id=task.pk,
        kind=kind,
        filer_unit=own,
        about_unit=about,
        due_on=feedback.due_on,
        text=text,
    )
    related = sorted(parties - {own.pk}) if kind == K.BEYOND_MEANS else []
    notices.on_filed(feedback, related)
    return feedback


def _check_answer(feedback: Feedback, action: str) -> Edge:
    edge = EDGES.get(action)
    if edge is None:
        raise DomainError(_("Choose how to answer."), field="action")
    if feedback.state not in edge.sources:
        raise Conflict(
            _("This feedback was already answered (“%(state)s”).")
            % {"state": FeedbackState(feedback.state).label},
            field="action",
        )
    if feedback.kind not in edge.kinds:
        raise DomainError(
            _(
                "A unit that reports its own task as beyond its means is not urged: report "
                "it to the Chairman or answer it."
            ),
            field="action",
        )
    return edge


@transaction.atomic
def answer(
    feedback: Feedback,
    *,
    by: User,
    action: str,
    text: str,
    with_letter: bool = False,
) -> Feedback:
    """The Office answers the feedback (R16.6): urges the unit, reports to the Chairman for
    direction, or closes it with a reason. One answer only.

    1. Lock the row and check the edge in `EDGES` (a second answer is refused).
    2. Urging with a letter: draw up the urging letter for the unit's overdue tasks
       (`notifications.letters.issue`, which must include this task) and record it as sent
       (`letters.mark_sent`: the task's history says it was urged, the unit is told).
       Urging without a letter records `task.urged` on the task itself.
    3. Save the answer, record `feedback.answered`, tell the filer, the urged unit or the
       Chairman.
    """
    if not can_handle(by) or by.tenant_id != feedback.tenant_id:
        raise NotAllowed(_("Only the Office answers feedback."))
    feedback = (
        Feedback.objects.select_for_update(of=("self",))
        .select_related("tenant", "task", "filer_unit", "about_unit")
        .get(pk=feedback.pk)
    )
    edge = _check_answer(feedback, action)
    text = (text or "").strip()
    if not text:
        raise DomainError(_("Write the answer."), field="text")
    if with_letter and edge.target != S.URGED:
        raise DomainError(_("An urging letter goes only with urging the unit."), field="letter")
    letter = None
    if with_letter:
        today = clock.today()
        overdue = letters.overdue_tasks(feedback.about_unit, today)
        if feedback.task_id not in {task.pk for task in overdue}:
            raise DomainError(
                _(
                    "An urging letter lists the overdue tasks a unit leads, and this task is "
                    "not one of them. Urge the unit without a letter."
                ),
                field="letter",
            )
        letter = letters.mark_sent(letters.issue(feedback.about_unit, by=by), by=by)
    feedback.state = edge.target
    feedback.answer = text
    feedback.answered_by = by
    feedback.answered_at = clock.now()
    feedback.letter = letter
    feedback.save(update_fields=["state", "answer", "answered_by", "answered_at", "letter"])
    if edge.target == S.URGED and letter is None:
        record(feedback.task, "task.urged", actor=by, feedback_id=feedback.pk)
    record(
        feedback,
        "feedback.answered",
        actor=by,
        changes={"state": [S.OPEN.value, feedback.state]},
        answer=text,
        letter=letter.number if letter else None,
        letter_id=letter.pk if letter else None,
        in_time=feedback.answered_in_time,
    )
    notices.on_answered(feedback, by)
    return feedback


def flag_late_answers(tenant: Tenant, today: dt.date | None = None) -> int:
    """Tell the Office leader about each feedback whose answer is late; once per feedback.

    The row's `overdue_flagged_at` is claimed with a conditional UPDATE (… WHERE
    overdue_flagged_at IS NULL) in the same transaction as the notifications and the history
    event, so a rerun, a crash and rerun, or two workers at once write each flag once; the
    notifications' unique constraint backs this up. Returns how many notifications were
    written.
    """
    from nhiemvu.notifications.outbox import Directory

    today = today or clock.today()
    calendar = calendar_for(tenant)
    candidates = list(
        Feedback.objects.filter(
            tenant_id=tenant.pk,
            state=S.OPEN,
            due_on__lt=today,
            overdue_flagged_at__isnull=True,
        )
        .order_by("due_on", "id")
        .values_list("id", "due_on")
    )
    late = [pk for pk, due in candidates if working_days_late(calendar, due, today)]
    if not late:
        return 0
    directory = Directory.load(tenant.pk, [])
    written = 0
    for pk in late:
        with transaction.atomic():
            claimed = Feedback.objects.filter(
                pk=pk, state=S.OPEN, overdue_flagged_at__isnull=True
            ).update(overdue_flagged_at=clock.now())
            if not claimed:
                continue  # answered meanwhile, or another worker flagged it
            feedback = Feedback.objects.select_related(
                "tenant", "task", "filer_unit", "about_unit"
            ).get(pk=pk)
            record(
                feedback,
                "feedback.answer_late",
                actor=None,
                due_on=feedback.due_on,
                working_days_late=working_days_late(calendar, feedback.due_on, today),
            )
            written += notices.on_overdue(feedback, directory)
    return written
