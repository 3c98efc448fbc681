"""The Chairman's Working Group, its inspection plans, inspections and their findings,
recommendations, invited parties and the documents units provide (R10–R15).

An inspection plan lists its inspections: each `Inspection` row of a draft plan is one line
of the plan (unit, dates, contents). Once the group's leader approves the plan the lines can
be opened. A surprise inspection has no plan and carries its reason (R12).

The dossier an inspection opens with is frozen as JSON on the row (`dossier`), so what the
group walked in with stays on record whatever the tasks do afterwards.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from nhiemvu.core import clock
from nhiemvu.core.models import TenantModel

from .enums import (
    Content,
    FollowUp,
    FollowUpStatus,
    InspectionKind,
    InspectionState,
    MemberRole,
    PlanState,
    RecommendationKind,
)

User = settings.AUTH_USER_MODEL


class WorkingGroup(TenantModel):
    """The Working Group set up by the Chairman's decision (R13), with its operating rules."""

    name = models.CharField(_("name"), max_length=200, default="Tổ Công tác của Chủ tịch UBND tỉnh")
    decision_number = models.CharField(_("number of the Chairman's decision"), max_length=60)
    decision_date = models.DateField(_("date of the decision"))
    rules_file = models.FileField(
        _("operating rules"), upload_to="inspections/rules/%Y/", blank=True
    )
    rules_name = models.CharField(_("file name of the rules"), max_length=255, blank=True)
    issuing_body = models.CharField(
        _("issuing body on its reports"),
        max_length=120,
        default="TỔ CÔNG TÁC",
        help_text=_("e.g. TỔ CÔNG TÁC"),
    )
    symbol = models.CharField(
        _("symbol of its reports"), max_length=40, default="BC-TCT", help_text=_("e.g. BC-TCT")
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"), default=clock.now)

    class Meta:
        verbose_name = _("working group")
        verbose_name_plural = _("working groups")
        ordering = ["-decision_date", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.decision_number})"

    @property
    def leader(self) -> GroupMember | None:
        return next((m for m in self.members.all() if m.role == MemberRole.LEADER), None)


class GroupMember(models.Model):
    """A member of the Working Group and their role in it."""

    group = models.ForeignKey(
        WorkingGroup, on_delete=models.CASCADE, related_name="members", verbose_name=_("group")
    )
    user = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=_("official")
    )
    role = models.CharField(_("role in the group"), max_length=20, choices=MemberRole.choices)

    class Meta:
        verbose_name = _("group member")
        verbose_name_plural = _("group members")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["group", "user"], name="group_member_once"),
            models.UniqueConstraint(
                fields=["group"], condition=models.Q(role="leader"), name="group_one_leader"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} ({self.role})"


class InspectionPlan(TenantModel):
    """A plan of regular inspections for a period (R10.1a, R12); the group's leader approves
    it (R13). Its lines are the `Inspection` rows that point to it."""

    group = models.ForeignKey(
        WorkingGroup, on_delete=models.PROTECT, related_name="plans", verbose_name=_("group")
    )
    title = models.CharField(_("title"), max_length=255)
    period_start = models.DateField(_("plan covers from"))
    period_end = models.DateField(_("plan covers until"))
    state = models.CharField(
        _("state"), max_length=10, choices=PlanState.choices, default=PlanState.DRAFT
    )
    approved_by = models.ForeignKey(
        User,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    created_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"), default=clock.now)

    class Meta:
        verbose_name = _("inspection plan")
        verbose_name_plural = _("inspection plans")
        ordering = ["-period_start", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="plan_period_order",
            )
        ]

    def __str__(self) -> str:
        return self.title


class Inspection(TenantModel):
    """The inspection of one unit: a line of a plan, or a surprise inspection (R12).

    `review_start`–`review_end` is the period whose record is inspected; `starts_on`–`ends_on`
    the planned days on site. `report_due_on` is set when the inspection ends: 10 working days
    later on the tenant's calendar (R15.1).
    """

    group = models.ForeignKey(
        WorkingGroup, on_delete=models.PROTECT, related_name="inspections", verbose_name=_("group")
    )
    plan = models.ForeignKey(
        InspectionPlan,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="inspections",
        verbose_name=_("plan"),
    )
    unit = models.ForeignKey(
        "units.Unit",
        on_delete=models.PROTECT,
        related_name="inspections",
        verbose_name=_("inspected unit"),
    )
    kind = models.CharField(
        _("kind"), max_length=10, choices=InspectionKind.choices, default=InspectionKind.REGULAR
    )
    surprise_reason = models.TextField(_("reason for the surprise inspection"), blank=True)
    contents = models.JSONField(_("contents"), default=list, blank=True)
    starts_on = models.DateField(_("first day on site"))
    ends_on = models.DateField(_("last day on site"))
    review_start = models.DateField(_("period inspected from"))
    review_end = models.DateField(_("period inspected until"))
    state = models.CharField(
        _("state"),
        max_length=20,
        choices=InspectionState.choices,
        default=InspectionState.PLANNED,
    )
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    dossier = models.JSONField(_("dossier at opening"), default=dict, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    report_due_on = models.DateField(_("report due"), null=True, blank=True, db_index=True)
    # The report (R15.3): assessments, then its number, date and signer once issued.
    assessment_implementation = models.TextField(
        _("assessment: implementation and results"), blank=True
    )
    assessment_updating = models.TextField(_("assessment: updating on the system"), blank=True)
    assessment_reporting = models.TextField(_("assessment: reporting compliance"), blank=True)
    report_number = models.CharField(_("report number and symbol"), max_length=60, blank=True)
    report_date = models.DateField(_("report date"), null=True, blank=True)
    signer_title = models.CharField(_("signer's title"), max_length=120, blank=True)
    signer_name = models.CharField(_("signer's name"), max_length=120, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    created_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"), default=clock.now)

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        ordering = ["starts_on", "id"]
        indexes = [
            models.Index(fields=["tenant", "unit", "state"], name="inspection_unit_state"),
            models.Index(fields=["tenant", "ended_on"], name="inspection_ended"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="inspection_days"
            ),
            models.CheckConstraint(
                condition=models.Q(review_end__gte=models.F("review_start")),
                name="inspection_review_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} ({self.starts_on:%d/%m/%Y})"

    @property
    def content_labels(self) -> list[str]:
        return [str(Content(c).label) for c in self.contents if c in Content.values]

    def report_filename(self) -> str:
        number = (self.report_number or str(self.pk)).replace("/", "-")
        return f"bao-cao-kiem-tra-{number}.docx"


class InvitedParty(models.Model):
    """A unit or person invited to the inspection (R14.2)."""

    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, related_name="invited", verbose_name=_("inspection")
    )
    unit = models.ForeignKey(
        "units.Unit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("unit"),
    )
    name = models.CharField(_("name"), max_length=255, blank=True)
    note = models.CharField(_("why invited"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("invited party")
        verbose_name_plural = _("invited parties")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name or str(self.unit)


class ProvidedDocument(models.Model):
    """A document the inspected unit provides (R14.3)."""

    inspection = models.ForeignKey(
        Inspection,
        on_delete=models.CASCADE,
        related_name="documents",
        verbose_name=_("inspection"),
    )
    file = models.FileField(_("file"), upload_to="inspections/documents/%Y/%m/")
    name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size"), default=0)
    description = models.CharField(_("description"), max_length=255, blank=True)
    uploaded_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=clock.now)

    class Meta:
        verbose_name = _("provided document")
        verbose_name_plural = _("provided documents")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class Finding(models.Model):
    """A conclusion on one shortfall, about a task or a topic: its nature, extent, cause and
    who is responsible (R15.3b). `subject` keeps the task's text as it was."""

    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, related_name="findings", verbose_name=_("inspection")
    )
    task = models.ForeignKey(
        "tasks.Task",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("task"),
    )
    topic = models.CharField(_("topic"), max_length=20, choices=Content.choices, blank=True)
    subject = models.TextField(_("about"))
    nature = models.TextField(_("nature"))
    extent = models.TextField(_("extent"))
    cause = models.TextField(_("cause"))
    responsible = models.CharField(_("responsible person or unit"), max_length=255)
    created_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"), default=clock.now)

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.subject[:80]


class Recommendation(models.Model):
    """A recommendation of the report (R15.3c) whose follow-up is tracked like a task: a due
    date, open until the group records it done or not done. A task adjustment is carried out
    by the unit opening an adjustment request on the task (`adjustment`)."""

    inspection = models.ForeignKey(
        Inspection,
        on_delete=models.CASCADE,
        related_name="recommendations",
        verbose_name=_("inspection"),
    )
    finding = models.ForeignKey(
        Finding,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="recommendations",
        verbose_name=_("finding"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=RecommendationKind.choices)
    text = models.TextField(_("recommendation"))
    task = models.ForeignKey(
        "tasks.Task",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("task to adjust"),
    )
    addressee = models.ForeignKey(
        "units.Unit",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("unit to act"),
    )
    due_on = models.DateField(_("due"))
    state = models.CharField(
        _("follow-up"), max_length=10, choices=FollowUp.choices, default=FollowUp.OPEN
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closed_by = models.ForeignKey(
        User,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("closed by"),
    )
    outcome_note = models.TextField(_("follow-up note"), blank=True)
    adjustment = models.ForeignKey(
        "tasks.AdjustmentRequest",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("adjustment request"),
    )
    created_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"), default=clock.now)

    class Meta:
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["state", "due_on"], name="recommendation_follow_up")]

    def __str__(self) -> str:
        return self.text[:80]

    def status(self, today: dt.date) -> FollowUpStatus:
        """The follow-up status on `today`, like a task's time status."""
        if self.state == FollowUp.DONE:
            return FollowUpStatus.DONE
        if self.state == FollowUp.NOT_DONE:
            return FollowUpStatus.NOT_DONE
        return FollowUpStatus.OVERDUE if today > self.due_on else FollowUpStatus.ON_TIME
