"""Feedback between units (phản hồi thông tin, R16.6, R17.1–R17.3).

A unit reports that another unit's task is late or not done as required, or that a task of
its own is beyond its means. The Office answers within `ANSWER_WORKING_DAYS` working days
(`due_on`, counted with the tenant's work calendar when the feedback is filed): it urges the
unit (optionally with an urging letter), reports to the Chairman, or closes it with a reason.
`overdue_flagged_at` is set once, by the sweep, when the answer is late and the Office leader
has been told.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nhiemvu.core import clock
from nhiemvu.core.models import TenantModel

from .enums import BADGES, FeedbackKind, FeedbackState

#: R16.6: the Office checks and answers within 10 working days.
ANSWER_WORKING_DAYS = 10


class Feedback(TenantModel):
    """One unit's feedback about a task, and the Office's answer."""

    task = models.ForeignKey(
        "tasks.Task", on_delete=models.PROTECT, related_name="feedback", verbose_name=_("task")
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("filed by"),
    )
    filer_unit = models.ForeignKey(
        "units.Unit",
        on_delete=models.PROTECT,
        related_name="feedback_filed",
        verbose_name=_("filed by unit"),
    )
    about_unit = models.ForeignKey(
        "units.Unit",
        on_delete=models.PROTECT,
        related_name="feedback_received",
        verbose_name=_("about unit"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=FeedbackKind.choices)
    text = models.TextField(_("what happened"))
    state = models.CharField(
        _("state"), max_length=20, choices=FeedbackState.choices, default=FeedbackState.OPEN
    )
    created_at = models.DateTimeField(_("filed at"), default=clock.now)
    due_on = models.DateField(_("answer due by"))
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("answered by"),
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    letter = models.ForeignKey(
        "notifications.UrgingLetter",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="feedback",
        verbose_name=_("urging letter"),
    )
    overdue_flagged_at = models.DateTimeField(
        _("late answer reported to the Office leader at"), null=True, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        ordering = ["-created_at", "-id"]
        constraints = [
            # A double click, or two officers of one unit, cannot open the same feedback twice.
            models.UniqueConstraint(
                fields=["task", "filer_unit", "about_unit", "kind"],
                condition=Q(state="open"),
                name="feedback_one_open",
            )
        ]
        indexes = [
            # The Office's queue and the sweep: open feedback by due date.
            models.Index(
                fields=["tenant", "due_on", "id"],
                condition=Q(state="open"),
                name="feedback_open_due",
            ),
            models.Index(fields=["filer_unit", "-created_at"], name="feedback_filer"),
            models.Index(fields=["about_unit", "-created_at"], name="feedback_about"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text}"

    @property
    def is_open(self) -> bool:
        return self.state == FeedbackState.OPEN

    @property
    def badge(self) -> str:
        return BADGES[FeedbackState(self.state)]

    @property
    def answered_in_time(self) -> bool | None:
        """Whether the answer came by `due_on` (None while open)."""
        if self.answered_at is None:
            return None
        return timezone.localdate(self.answered_at) <= self.due_on


class FeedbackAttachment(models.Model):
    """A file that supports the feedback (minutes, photos, correspondence)."""

    feedback = models.ForeignKey(
        Feedback, on_delete=models.CASCADE, related_name="files", verbose_name=_("feedback")
    )
    file = models.FileField(_("file"), upload_to="feedback/%Y/%m/")
    name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size"), default=0)

    class Meta:
        verbose_name = _("feedback attachment")
        verbose_name_plural = _("feedback attachments")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name
