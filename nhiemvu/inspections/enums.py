"""States and kinds of the inspection records, with translated labels and a colour per state."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class MemberRole(models.TextChoices):
    LEADER = "leader", pgettext_lazy("working group", "Group leader")
    DEPUTY = "deputy", pgettext_lazy("working group", "Deputy leader")
    MEMBER = "member", pgettext_lazy("working group", "Member")
    SECRETARY = "secretary", pgettext_lazy("working group", "Secretary")


class PlanState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("plan", "Draft")
    APPROVED = "approved", pgettext_lazy("plan", "Approved")


class Content(models.TextChoices):
    """What an inspection covers (R11)."""

    IMPLEMENTATION = "implementation", _("How the tasks were organised and carried out")
    UPDATING = "updating", _("Updating on the system")
    REPORTING = "reporting", _("Compliance with reporting")


class InspectionKind(models.TextChoices):
    REGULAR = "regular", _("Regular (by plan)")
    SURPRISE = "surprise", _("Surprise")


class InspectionState(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    ENDED = "ended", _("Ended, report being written")
    REPORTED = "reported", _("Report issued")
    DELIVERED = "delivered", _("Report delivered")


#: States in which the group still works on the inspection itself (findings, documents).
WORKING_STATES = frozenset({InspectionState.IN_PROGRESS, InspectionState.ENDED})
#: States after which the report exists.
REPORTED_STATES = frozenset({InspectionState.REPORTED, InspectionState.DELIVERED})

STATE_COLOURS = {
    InspectionState.PLANNED: "#555555",
    InspectionState.IN_PROGRESS: "#1d6fb8",
    InspectionState.ENDED: "#b35900",
    InspectionState.REPORTED: "#6b4fa3",
    InspectionState.DELIVERED: "#1e7b34",
}


class RecommendationKind(models.TextChoices):
    """What a recommendation asks for (R15.3c)."""

    URGE = "urge", _("Urge the implementation")
    ADJUST_TASK = "adjust_task", _("Adjust the task")
    HANDLE_VIOLATION = "handle_violation", _("Handle a violation")


class FollowUp(models.TextChoices):
    """The follow-up state of a recommendation, tracked like a task."""

    OPEN = "open", _("Being followed up")
    DONE = "done", _("Done")
    NOT_DONE = "not_done", _("Not done")


class FollowUpStatus(models.TextChoices):
    """The derived time status of a recommendation on a given day (words and colour)."""

    ON_TIME = "on_time", _("Open, on time")
    OVERDUE = "overdue", _("Open, overdue")
    DONE = "done", _("Done")
    NOT_DONE = "not_done", _("Not done")
