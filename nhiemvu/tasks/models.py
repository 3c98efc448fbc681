"""Tasks, their coordinating units, targets, progress updates and requests.

Time status is derived, not stored for open tasks: lists filter on the indexed `deadline`
and `due_soon_on` dates against today, so the status stays right as days pass without any
sweep. Only a completed task stores its final time status (`final_time_status`).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from nhiemvu.core import clock
from nhiemvu.core.models import TenantModel

from .enums import (
    AdjustmentKind,
    AdjustmentOutcome,
    ReportingCycle,
    RequestStatus,
    TaskState,
    TimeStatus,
    UpdateKind,
)

User = settings.AUTH_USER_MODEL


class Field(TenantModel):
    """A field (sector) that tasks are classified by, e.g. "Y tế"."""

    name = models.CharField(_("name"), max_length=150)
    code = models.SlugField(_("code"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("field")
        verbose_name_plural = _("fields")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["tenant", "name"], name="field_unique_name")]

    def __str__(self) -> str:
        return self.name


class Task(TenantModel):
    """A task given to one lead unit, with coordinating units (R3.3) and a deadline or a
    reporting cycle (R4). A sub-task (`parent` set) is assigned by the parent's lead unit to
    one of its divisions or subordinate units (R20.2)."""

    #: Set on a task read under its row lock (`workflow._lock`): its values are the row's.
    read_under_lock: bool = False

    document = models.ForeignKey(
        "documents.Document",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tasks",
        verbose_name=_("source document"),
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="subtasks",
        verbose_name=_("parent task"),
    )
    assigning_unit = models.ForeignKey(
        "units.Unit",
        on_delete=models.PROTECT,
        related_name="assigned_tasks",
        verbose_name=_("assigning unit"),
    )
    assigner = models.ForeignKey(
        User,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tasks_assigned",
        verbose_name=_("assigned by (leader)"),
        help_text=_("Empty when the committee as a whole assigned the task."),
    )
    lead_unit = models.ForeignKey(
        "units.Unit",
        on_delete=models.PROTECT,
        related_name="led_tasks",
        verbose_name=_("lead unit"),
    )
    coordinating_units = models.ManyToManyField(
        "units.Unit",
        through="TaskCoordination",
        related_name="coordinated_tasks",
        blank=True,
        verbose_name=_("coordinating units"),
    )
    responsible = models.ForeignKey(
        User,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="responsible_tasks",
        verbose_name=_("responsible official"),
    )
    content = models.TextField(_("content"))
    expected_output = models.TextField(_("expected output"), blank=True)
    field = models.ForeignKey(
        Field, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("field")
    )
    original_deadline = models.DateField(_("original deadline"), null=True, blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    due_soon_on = models.DateField(_("due soon from"), null=True, blank=True, editable=False)
    reporting_cycle = models.CharField(
        _("reporting cycle"), max_length=20, choices=ReportingCycle.choices, blank=True
    )
    state = models.CharField(
        _("state"), max_length=30, choices=TaskState.choices, default=TaskState.DRAFT
    )
    progress_percent = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    last_update_on = models.DateField(_("last update"), null=True, blank=True)
    returned_count = models.PositiveSmallIntegerField(_("times returned"), default=0)
    returned_after_deadline = models.BooleanField(_("returned after the deadline"), default=False)
    assigned_at = models.DateTimeField(_("assigned at"), null=True, blank=True)
    submitted_on = models.DateField(_("result submitted on"), null=True, blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    final_time_status = models.CharField(
        _("final time status"), max_length=30, choices=TimeStatus.choices, blank=True
    )
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    search_text = models.TextField(_("search text"), blank=True, editable=False)
    version = models.PositiveIntegerField(_("version"), default=1)
    created_by = models.ForeignKey(
        User,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), default=clock.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["deadline", "id"]
        indexes = [
            models.Index(
                fields=["lead_unit", "state", "deadline", "id"], name="task_unit_state_dl"
            ),
            models.Index(fields=["tenant", "state", "deadline", "id"], name="task_tenant_state_dl"),
            models.Index(fields=["tenant", "document"], name="task_tenant_document"),
            models.Index(fields=["tenant", "due_soon_on"], name="task_tenant_due_soon"),
            models.Index(fields=["tenant", "updated_at"], name="task_tenant_updated"),
            # Open tasks by deadline: the overdue and due-soon lists walk this in order.
            models.Index(
                fields=["tenant", "deadline", "id"],
                condition=models.Q(state__in=["adjustment_requested", "assigned"]),
                name="task_open_deadline",
            ),
        ]

    def __str__(self) -> str:
        return self.content[:80]

    @property
    def has_deadline(self) -> bool:
        return self.deadline is not None

    def time_status(self, today: dt.date) -> TimeStatus | None:
        """The time status on `today` (see the module docstring); None for drafts and
        cancelled tasks. `queries.time_status_q` is the same rule as a query filter."""
        from .queries import time_status_of

        return time_status_of(self, today)


class TaskCoordination(models.Model):
    """A coordinating unit (đơn vị phối hợp) of a task."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="coordinations")
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="coordinations")

    class Meta:
        verbose_name = _("coordinating unit")
        verbose_name_plural = _("coordinating units")
        constraints = [models.UniqueConstraint(fields=["task", "unit"], name="coordination_unique")]
        indexes = [models.Index(fields=["unit", "task"])]

    def __str__(self) -> str:
        return f"{self.task_id} ↔ {self.unit_id}"


class Target(models.Model):
    """A quantitative target of a task (S3), e.g. 70 % of applications online."""

    task = models.ForeignKey(
        Task, on_delete=models.CASCADE, related_name="targets", verbose_name=_("task")
    )
    name = models.CharField(_("name"), max_length=255)
    unit_of_measure = models.CharField(_("unit of measure"), max_length=40, blank=True)
    target_value = models.DecimalField(_("target value"), max_digits=18, decimal_places=4)
    actual_value = models.DecimalField(
        _("latest actual value"), max_digits=18, decimal_places=4, null=True, blank=True
    )

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class ProgressUpdate(models.Model):
    """A progress update, a coordinating unit's contribution, or a submitted result."""

    task = models.ForeignKey(
        Task, on_delete=models.CASCADE, related_name="updates", verbose_name=_("task")
    )
    unit = models.ForeignKey(
        "units.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    author = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=_("author")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=UpdateKind.choices)
    text = models.TextField(_("text"))
    percent = models.PositiveSmallIntegerField(_("progress (%)"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=clock.now)

    class Meta:
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")
        ordering = ["id"]
        indexes = [models.Index(fields=["task", "id"])]

    def __str__(self) -> str:
        return f"{self.task_id}: {self.text[:40]}"


class TargetValue(models.Model):
    """An actual value of a target reported with an update."""

    update = models.ForeignKey(ProgressUpdate, on_delete=models.CASCADE, related_name="values")
    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="values")
    value = models.DecimalField(_("value"), max_digits=18, decimal_places=4)

    class Meta:
        verbose_name = _("target value")
        verbose_name_plural = _("target values")

    def __str__(self) -> str:
        return f"{self.target_id} = {self.value}"


class Attachment(models.Model):
    """A file attached to a progress update or result."""

    update = models.ForeignKey(ProgressUpdate, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(_("file"), upload_to="updates/%Y/%m/")
    name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size"), default=0)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.name


class ExtensionRequest(models.Model):
    """A request for a new deadline (xin gia hạn). Never closes the task (R5.2c)."""

    task = models.ForeignKey(
        Task, on_delete=models.CASCADE, related_name="extension_requests", verbose_name=_("task")
    )
    requested_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=_("requested by")
    )
    current_deadline = models.DateField(_("deadline when requested"))
    proposed_deadline = models.DateField(_("proposed deadline"))
    reason = models.TextField(_("reason"))
    status = models.CharField(
        _("status"), max_length=20, choices=RequestStatus.choices, default=RequestStatus.PENDING
    )
    decided_by = models.ForeignKey(
        User,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=clock.now)

    class Meta:
        verbose_name = _("extension request")
        verbose_name_plural = _("extension requests")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["task"],
                condition=models.Q(status="pending"),
                name="one_pending_extension_per_task",
            )
        ]

    def __str__(self) -> str:
        return f"{self.task_id} → {self.proposed_deadline}"


class AdjustmentRequest(models.Model):
    """A unit's request to correct or move a task it was given (R5.2a)."""

    task = models.ForeignKey(
        Task, on_delete=models.CASCADE, related_name="adjustment_requests", verbose_name=_("task")
    )
    requested_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=_("requested by")
    )
    kind = models.CharField(_("kind"), max_length=30, choices=AdjustmentKind.choices)
    reason = models.TextField(_("reason"))
    proposed_unit = models.ForeignKey(
        "units.Unit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("proposed unit"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=RequestStatus.choices, default=RequestStatus.PENDING
    )
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=AdjustmentOutcome.choices, blank=True
    )
    decided_by = models.ForeignKey(
        User,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=clock.now)

    class Meta:
        verbose_name = _("adjustment request")
        verbose_name_plural = _("adjustment requests")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.task_id}: {self.kind}"


class CompletionTally(TenantModel):
    """How many tasks were completed, per lead unit, field, assigner, month and final time
    status. A completed task never changes again, so `workflow.confirm` adds one here in the
    same transaction and the dashboard reads completed work from this small table instead of
    scanning every task ever completed. `tallies.rebuild` recounts it from the tasks."""

    lead_unit = models.ForeignKey(
        "units.Unit", on_delete=models.CASCADE, related_name="+", verbose_name=_("lead unit")
    )
    field_key = models.PositiveIntegerField(_("field"), default=0)  # 0: none
    assigner_key = models.PositiveIntegerField(_("assigned by"), default=0)  # 0: the committee
    month = models.DateField(_("month"))
    final_time_status = models.CharField(
        _("final time status"), max_length=30, choices=TimeStatus.choices
    )
    count = models.PositiveIntegerField(_("tasks"), default=0)

    class Meta:
        verbose_name = _("completion tally")
        verbose_name_plural = _("completion tallies")
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "tenant",
                    "lead_unit",
                    "field_key",
                    "assigner_key",
                    "month",
                    "final_time_status",
                ],
                name="completion_tally_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.lead_unit_id} {self.month:%Y-%m} {self.final_time_status}: {self.count}"
