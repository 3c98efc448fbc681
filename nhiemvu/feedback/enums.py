from django.db import models
from django.utils.translation import gettext_lazy as _


class FeedbackKind(models.TextChoices):
    """What a unit reports (R16.6, R17.1–R17.3)."""

    LATE = "late", _("Late: not done on time")
    NOT_AS_REQUIRED = "not_as_required", _("Not done as required")
    BEYOND_MEANS = "beyond_means", _("Beyond our means (our own task)")


#: Kinds filed about another unit's work; the third is a unit reporting on its own task.
ABOUT_ANOTHER_UNIT = frozenset({FeedbackKind.LATE, FeedbackKind.NOT_AS_REQUIRED})


class FeedbackState(models.TextChoices):
    OPEN = "open", _("Waiting for the Office's answer")
    URGED = "urged", _("Answered: the unit was urged")
    ESCALATED = "escalated", _("Answered: reported to the Chairman")
    DISMISSED = "dismissed", _("Answered: closed without action")


ANSWERED_STATES = frozenset({FeedbackState.URGED, FeedbackState.ESCALATED, FeedbackState.DISMISSED})

#: The badge class of each state (the time-status colours in app.css).
BADGES = {
    FeedbackState.OPEN: "st-due_soon",
    FeedbackState.URGED: "st-awaiting_confirmation",
    FeedbackState.ESCALATED: "st-overdue",
    FeedbackState.DISMISSED: "st-completed_on_time",
}


class Answer(models.TextChoices):
    """The Office's answer: the action names of the transition table in `services.EDGES`."""

    URGE = "urge", _("Urge the unit")
    ESCALATE = "escalate", _("Report to the Chairman for direction")
    DISMISS = "dismiss", _("Close without action (give the reason)")
