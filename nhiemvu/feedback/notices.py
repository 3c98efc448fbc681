"""The notifications feedback makes, written through the notifications outbox.

`outbox.write` composes each text with `notifications.texts.COMPOSERS[rule]`; `apps.py`
adds the composers below to that table when the app is loaded, so the notifications app
does not need to know about feedback. `FeedbackDraft` points a notification at the feedback
page (`object_key` "feedback:<id>"), so that the unique constraint of `Notification` keeps
each (recipient, rule, feedback, occurrence) to one row.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from nhiemvu.accounts.models import Role, User
from nhiemvu.notifications import outbox
from nhiemvu.notifications.outbox import Directory, Draft, link_to
from nhiemvu.notifications.texts import day, short

from .enums import FeedbackKind, FeedbackState

if TYPE_CHECKING:
    from .models import Feedback


class FeedbackRule:
    """Notification rules (the `Notification.rule` column) of this app."""

    FILED = "feedback.filed"
    URGED = "feedback.urged"
    ANSWERED = "feedback.answered"
    ESCALATED = "feedback.escalated"
    OVERDUE = "feedback.overdue"


@dataclass
class FeedbackDraft(Draft):
    """A notification about one feedback; it opens the feedback's page."""

    feedback_id: int = 0

    @property
    def object_key(self) -> str:
        return f"feedback:{self.feedback_id}"

    @property
    def link(self) -> str:
        return link_to("feedback:detail", self.feedback_id)


Context = dict[str, Any]


def _kind_phrase(kind: str) -> str:
    if kind == FeedbackKind.LATE:
        return _("has not done it on time")
    return _("has not done it as required")


def _filed(c: Context) -> tuple[str, str]:
    if c["kind"] == FeedbackKind.BEYOND_MEANS:
        subject = _("Task beyond a unit's means: %(task)s") % {"task": short(c["task"])}
        body = _(
            "%(filer)s reports that the task “%(task)s” is beyond its means: %(text)s "
            "The Office answers by %(due)s."
        )
    else:
        subject = _("Feedback to check: %(task)s") % {"task": short(c["task"])}
        body = _(
            "%(filer)s reports that %(unit)s %(phrase)s on the task “%(task)s”: %(text)s "
            "The Office answers by %(due)s."
        )
    return subject, body % {
        "filer": c["filer"],
        "unit": c["unit"],
        "phrase": _kind_phrase(c["kind"]),
        "task": c["task"],
        "text": short(c["text"], 300),
        "due": day(c["due"]),
    }


def _urged(c: Context) -> tuple[str, str]:
    subject = _("The Office urges you: %(task)s") % {"task": short(c["task"])}
    body = _(
        "Following feedback from %(filer)s, the Office urges %(unit)s to carry out the task "
        "“%(task)s”. The Office's answer: %(answer)s"
    ) % {"filer": c["filer"], "unit": c["unit"], "task": c["task"], "answer": c["answer"]}
    if c.get("letter"):
        body += " " + _("Urging letter: %(number)s.") % {"number": c["letter"]}
    return subject, body


def _answered(c: Context) -> tuple[str, str]:
    subject = _("Your feedback was answered: %(task)s") % {"task": short(c["task"])}
    body = _(
        "The Office answered your unit's feedback on the task “%(task)s”: %(outcome)s. %(answer)s"
    ) % {
        "task": c["task"],
        "outcome": FeedbackState(c["state"]).label,
        "answer": c["answer"],
    }
    if c.get("letter"):
        body += " " + _("Urging letter: %(number)s.") % {"number": c["letter"]}
    return subject, body


def _escalated(c: Context) -> tuple[str, str]:
    subject = _("For your direction: %(task)s") % {"task": short(c["task"])}
    body = _(
        "The Office reports feedback from %(filer)s about the task “%(task)s” (lead unit "
        "%(unit)s) and asks for your direction: %(answer)s"
    ) % {"filer": c["filer"], "unit": c["unit"], "task": c["task"], "answer": c["answer"]}
    return subject, body


def _overdue(c: Context) -> tuple[str, str]:
    subject = _("Feedback not answered in time: %(task)s") % {"task": short(c["task"])}
    body = _(
        "Feedback from %(filer)s about the task “%(task)s” was to be answered within 10 "
        "working days, by %(due)s, and is still waiting for the Office's answer."
    ) % {"filer": c["filer"], "task": c["task"], "due": day(c["due"])}
    return subject, body


COMPOSERS: dict[str, Callable[[Context], tuple[str, str]]] = {
    FeedbackRule.FILED: _filed,
    FeedbackRule.URGED: _urged,
    FeedbackRule.ANSWERED: _answered,
    FeedbackRule.ESCALATED: _escalated,
    FeedbackRule.OVERDUE: _overdue,
}


def register() -> None:
    """Add the composers to the notifications' table (called from `apps.ready`)."""
    from nhiemvu.notifications import texts

    texts.COMPOSERS.update(COMPOSERS)


# --- who is told -----------------------------------------------------------------------------


def context_of(feedback: Feedback) -> Context:
    return {
        "task": feedback.task.content,
        "kind": feedback.kind,
        "filer": feedback.filer_unit.name,
        "unit": feedback.about_unit.name,
        "text": feedback.text,
        "due": feedback.due_on,
        "state": feedback.state,
        "answer": feedback.answer,
        "letter": feedback.letter.number if feedback.letter_id and feedback.letter else "",
    }


def leaders(tenant_id: int) -> list[User]:
    """The Chairman and Vice Chairmen of the tenant."""
    return list(
        User.objects.filter(
            tenant_id=tenant_id, is_active=True, roles__icontains=f'"{Role.LEADER}"'
        )
        .only("id", "unit_id", "roles", "language", "email", "tenant_id", "username")
        .order_by("id")
    )


def drafts(
    feedback: Feedback, rule: str, people: Iterable[User], occurrence: str, context: Context
) -> list[Draft]:
    return [
        FeedbackDraft(
            person, rule, occurrence, context, task_id=feedback.task_id, feedback_id=feedback.pk
        )
        for person in people
    ]


def unit_people(directory: Directory, unit_id: int) -> list[User]:
    return [*directory.staff[unit_id], *directory.heads[unit_id]]


def on_filed(feedback: Feedback, related: Iterable[int]) -> int:
    """The Office's specialists are told; for a task beyond a unit's means, also the other
    units that lead or coordinate the task (R17.1: "the Office and related departments")."""
    related = list(related)
    directory = Directory.load(feedback.tenant_id, related)
    people = outbox.unique_people(
        directory.office,
        *(unit_people(directory, unit_id) for unit_id in related),
        exclude=feedback.filed_by_id,
    )
    context = context_of(feedback)
    return outbox.write(
        feedback.tenant, drafts(feedback, FeedbackRule.FILED, people, "filed", context)
    )


def on_answered(feedback: Feedback, actor: User) -> int:
    """The filer and the filer's unit head are told the outcome; an urged unit is told it is
    urged; the Chairman and Vice Chairmen are told of an escalation."""
    directory = Directory.load(feedback.tenant_id, [feedback.filer_unit_id, feedback.about_unit_id])
    context = context_of(feedback)
    filer = directory.person(feedback.filed_by_id)
    found = drafts(
        feedback,
        FeedbackRule.ANSWERED,
        outbox.unique_people([filer], directory.heads[feedback.filer_unit_id], exclude=actor.pk),
        "answered",
        context,
    )
    if feedback.state == FeedbackState.URGED:
        urged = outbox.unique_people(
            unit_people(directory, feedback.about_unit_id), exclude=actor.pk
        )
        found += drafts(feedback, FeedbackRule.URGED, urged, "answered", context)
    elif feedback.state == FeedbackState.ESCALATED:
        chairs = outbox.unique_people(leaders(feedback.tenant_id), exclude=actor.pk)
        found += drafts(feedback, FeedbackRule.ESCALATED, chairs, "answered", context)
    return outbox.write(feedback.tenant, found)


def on_overdue(feedback: Feedback, directory: Directory) -> int:
    """The Office leader is told that the answer is late (once: occurrence = the due date).
    A tenant without an Office leader account tells the Office's specialists instead."""
    context = context_of(feedback)
    occurrence = f"overdue:{feedback.due_on.isoformat()}"
    return outbox.write(
        feedback.tenant,
        drafts(
            feedback,
            FeedbackRule.OVERDUE,
            directory.office_leaders or directory.office,
            occurrence,
            context,
        ),
    )
