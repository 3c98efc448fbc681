from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Rule(models.TextChoices):
    """Why a notification was made. Event rules carry the history event's action name; the
    sweep's rules are named after what they watch."""

    # Workflow events (sent at once, in the transaction of the event).
    ASSIGNED = "task.assigned", _("Task assigned")
    RETURNED = "task.returned", _("Result returned for rework")
    CONFIRMED = "task.confirmed", _("Result confirmed")
    EXTENSION_APPROVED = "task.extension_approved", _("Extension approved")
    EXTENSION_REJECTED = "task.extension_rejected", _("Extension rejected")
    ADJUSTMENT_CORRECTED = "task.adjustment_corrected", _("Task corrected")
    ADJUSTMENT_REASSIGNED = "task.adjustment_reassigned", _("Task reassigned")
    ADJUSTMENT_DECLINED = "task.adjustment_declined", _("Adjustment request declined")
    CANCELLED = "task.cancelled", _("Task cancelled")
    RESULT_SUBMITTED = "task.result_submitted", _("Result submitted")
    EXTENSION_REQUESTED = "task.extension_requested", _("Extension requested")
    ADJUSTMENT_REQUESTED = "task.adjustment_requested", _("Adjustment requested")
    # The daily sweep.
    DUE_SOON = "task.due_soon", _("Due soon")
    DUE_TODAY = "task.due_today", _("Due today")
    OVERDUE = "task.overdue", _("Overdue")
    CYCLE_MISSING = "task.cycle_missing", _("Periodic update missing")
    AWAITING_CONFIRMATION = "task.awaiting_confirmation", _("Result awaiting confirmation")
    EXTENSION_PENDING = "task.extension_pending", _("Extension request awaiting a decision")
    ADJUSTMENT_PENDING = "task.adjustment_pending", _("Adjustment request awaiting a decision")
    INTAKE_DUE = "document.intake_due", _("Document to enter today")
    INTAKE_LATE = "document.intake_late", _("Document entry late")
    # Urging letters.
    LETTER_SENT = "letter.sent", _("Urging letter")
    # Feedback between units (nhiemvu.feedback).
    FEEDBACK_FILED = "feedback.filed", _("Feedback filed")
    FEEDBACK_URGED = "feedback.urged", _("Urged after feedback")
    FEEDBACK_ANSWERED = "feedback.answered", _("Feedback answered")
    FEEDBACK_ESCALATED = "feedback.escalated", _("Feedback escalated to the Chairman")
    FEEDBACK_OVERDUE = "feedback.overdue", _("Feedback answer overdue")
    # Inspections (nhiemvu.inspections).
    INSPECTION_NOTICE = "inspection.notice", _("Inspection announced")
    INSPECTION_REPORT_DELIVERED = "inspection.report_delivered", _("Inspection report delivered")
    INSPECTION_REPORT_DUE = "inspection.report_due", _("Inspection report due")


#: Rules raised by a workflow event rather than by the sweep.
EVENT_RULES = frozenset(
    {
        Rule.ASSIGNED,
        Rule.RETURNED,
        Rule.CONFIRMED,
        Rule.EXTENSION_APPROVED,
        Rule.EXTENSION_REJECTED,
        Rule.ADJUSTMENT_CORRECTED,
        Rule.ADJUSTMENT_REASSIGNED,
        Rule.ADJUSTMENT_DECLINED,
        Rule.CANCELLED,
        Rule.RESULT_SUBMITTED,
        Rule.EXTENSION_REQUESTED,
        Rule.ADJUSTMENT_REQUESTED,
    }
)


class EmailStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("email", "Pending")
    SENT = "sent", pgettext_lazy("email", "Sent")
    FAILED = "failed", pgettext_lazy("email", "Failed")
    SKIPPED = "skipped", pgettext_lazy("email", "Not sent")


class EmailMode(models.TextChoices):
    """How a user wants notifications by email (the notification centre always has them)."""

    EACH = "each", _("One email per notification")
    DIGEST = "digest", _("One daily digest")
    OFF = "off", _("No email")
