from django.db import models
from django.utils.translation import gettext_lazy as _


class TaskState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ASSIGNED = "assigned", _("In progress")
    ADJUSTMENT_REQUESTED = "adjustment_requested", _("Adjustment requested")
    AWAITING_CONFIRMATION = "awaiting_confirmation", _("Awaiting confirmation")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


#: States in which the unit is still working on the task (deadline clock running).
OPEN_STATES = frozenset({TaskState.ASSIGNED, TaskState.ADJUSTMENT_REQUESTED})
#: States that are tracked (shown in lists and counted), i.e. not draft or cancelled.
TRACKED_STATES = frozenset({*OPEN_STATES, TaskState.AWAITING_CONFIRMATION, TaskState.COMPLETED})


class TimeStatus(models.TextChoices):
    """The derived time status users see on every list (colour in `COLOURS`)."""

    ON_TIME = "on_time", _("In progress, on time")
    DUE_SOON = "due_soon", _("Due soon")
    OVERDUE = "overdue", _("Overdue")
    AWAITING_CONFIRMATION = "awaiting_confirmation", _("Awaiting confirmation")
    COMPLETED_ON_TIME = "completed_on_time", _("Completed on time")
    COMPLETED_LATE = "completed_late", _("Completed late")
    CYCLE_UPDATED = "cycle_updated", _("No deadline: this cycle's update is in")
    CYCLE_MISSING = "cycle_missing", _("No deadline: this cycle's update is missing")


COLOURS = {
    TimeStatus.ON_TIME: "#1d6fb8",
    TimeStatus.DUE_SOON: "#b35900",
    TimeStatus.OVERDUE: "#b3261e",
    TimeStatus.AWAITING_CONFIRMATION: "#6b4fa3",
    TimeStatus.COMPLETED_ON_TIME: "#1e7b34",
    TimeStatus.COMPLETED_LATE: "#7a5c00",
    TimeStatus.CYCLE_UPDATED: "#1e7b34",
    TimeStatus.CYCLE_MISSING: "#b3261e",
}


class ReportingCycle(models.TextChoices):
    """How often a task without a deadline must be updated (R6.2b)."""

    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    SEMIANNUAL = "semiannual", _("Every 6 months")
    ANNUAL = "annual", _("Yearly")


class UpdateKind(models.TextChoices):
    PROGRESS = "progress", _("Progress update")
    CONTRIBUTION = "contribution", _("Coordinating unit's contribution")
    RESULT = "result", _("Result submitted")


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class AdjustmentKind(models.TextChoices):
    MISSING_TASK = "missing_task", _("A task is missing")
    WRONG_CONTENT = "wrong_content", _("The content is wrong")
    NOT_OUR_FUNCTION = "not_our_function", _("Not within our functions")


class AdjustmentOutcome(models.TextChoices):
    CORRECTED = "corrected", _("Corrected")
    REASSIGNED = "reassigned", _("Reassigned to another unit")
    DECLINED = "declined", _("Declined")
