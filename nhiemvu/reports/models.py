"""Reporting periods and their cutoffs, the ranking formula, units' periodic reports, the
Office's consolidated-report header, and publications (frozen snapshots of the figures).

Figures themselves are not stored for live use: `scorecards.py` computes them from the tasks
with aggregate queries. They are frozen in two places only: a unit report keeps the figures
it was submitted with, and a publication keeps the whole snapshot it published.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nhiemvu.core import clock
from nhiemvu.core.models import Tenant, TenantModel

User = settings.AUTH_USER_MODEL
DAY = [MinValueValidator(1), MaxValueValidator(31)]
MONTH = [MinValueValidator(1), MaxValueValidator(12)]


class PeriodKind(models.TextChoices):
    QUARTER = "quarter", _("Quarter")
    HALF = "half", _("6 months")
    YEAR = "year", _("Year")
    CUSTOM = "custom", _("Custom range")


class UnitReportState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")


class ReportingSettings(models.Model):
    """A tenant's reporting defaults: the cutoffs of R18 and the ranking formula of R21.

    Cutoffs: units report by the `*_unit_*` day, the Office compiles by the `*_office_*` day.
    A quarter's cutoffs fall in the quarter's last month; the 6-month and yearly ones on a
    fixed day and month. The defaults are the regulation's (R18.1, R18.2); a new period takes
    them, and each period's dates can then be edited on their own.

    Ranking score (docs/metrics.md): 100 × (w_on_time·on time + w_late·late + w_overdue·overdue
    + w_cycle_missed·missed updates + w_returned·returned) ÷ (on time + late + overdue + missed
    updates), clipped to 0–100.
    """

    tenant = models.OneToOneField(
        Tenant, on_delete=models.CASCADE, related_name="reporting", verbose_name=_("tenant")
    )
    quarter_unit_day = models.PositiveSmallIntegerField(
        _("quarter: units report by this day of the quarter's last month"),
        default=20,
        validators=DAY,
    )
    quarter_office_day = models.PositiveSmallIntegerField(
        _("quarter: the Office compiles by this day of the quarter's last month"),
        default=25,
        validators=DAY,
    )
    half_unit_month = models.PositiveSmallIntegerField(
        _("6 months: units report by (month)"), default=5, validators=MONTH
    )
    half_unit_day = models.PositiveSmallIntegerField(
        _("6 months: units report by (day)"), default=20, validators=DAY
    )
    half_office_month = models.PositiveSmallIntegerField(
        _("6 months: the Office compiles by (month)"), default=6, validators=MONTH
    )
    half_office_day = models.PositiveSmallIntegerField(
        _("6 months: the Office compiles by (day)"), default=25, validators=DAY
    )
    year_unit_month = models.PositiveSmallIntegerField(
        _("year: units report by (month)"), default=11, validators=MONTH
    )
    year_unit_day = models.PositiveSmallIntegerField(
        _("year: units report by (day)"), default=20, validators=DAY
    )
    year_office_month = models.PositiveSmallIntegerField(
        _("year: the Office compiles by (month)"), default=12, validators=MONTH
    )
    year_office_day = models.PositiveSmallIntegerField(
        _("year: the Office compiles by (day)"), default=25, validators=DAY
    )
    w_on_time = models.DecimalField(
        _("weight: completed on time"), max_digits=5, decimal_places=2, default=Decimal("1")
    )
    w_late = models.DecimalField(
        _("weight: completed late"), max_digits=5, decimal_places=2, default=Decimal("0.5")
    )
    w_overdue = models.DecimalField(
        _("weight: overdue, not done"), max_digits=5, decimal_places=2, default=Decimal("0")
    )
    w_cycle_missed = models.DecimalField(
        _("weight: no-deadline task whose periodic update was missed"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("0"),
    )
    w_returned = models.DecimalField(
        _("weight: returned for rework (usually negative)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("-0.5"),
    )
    min_tasks_ranked = models.PositiveSmallIntegerField(
        _("tasks assessed before a unit is ranked"), default=1
    )
    place = models.CharField(
        _("place name on documents"), max_length=80, blank=True, help_text=_("e.g. Thanh Hóa")
    )
    parent_body = models.CharField(
        _("parent body on documents"),
        max_length=120,
        blank=True,
        help_text=_("e.g. UBND TỈNH THANH HÓA"),
    )
    issuing_body = models.CharField(
        _("issuing body on documents"),
        max_length=120,
        default="VĂN PHÒNG",
        help_text=_("e.g. VĂN PHÒNG"),
    )
    symbol = models.CharField(
        _("symbol of the report"), max_length=40, default="BC-VP", help_text=_("e.g. BC-VP")
    )
    signer_authority = models.CharField(
        _("signing authority line"), max_length=120, blank=True, default="KT. CHÁNH VĂN PHÒNG"
    )
    signer_title = models.CharField(
        _("signer's title"), max_length=120, blank=True, default="PHÓ CHÁNH VĂN PHÒNG"
    )
    signer_name = models.CharField(_("signer's name"), max_length=120, blank=True)
    recipients = models.TextField(
        _("recipients (one per line)"),
        blank=True,
        default="Chủ tịch, các PCT UBND tỉnh (để b/c)\nCác sở, ban, ngành cấp tỉnh\n"
        "UBND các xã, phường\nLưu: VT, TH",
    )

    class Meta:
        verbose_name = _("reporting settings")
        verbose_name_plural = _("reporting settings")

    def __str__(self) -> str:
        return str(self.tenant)

    @classmethod
    def of(cls, tenant: Tenant) -> ReportingSettings:
        """The tenant's settings; unsaved defaults if it never changed them."""
        found = cls.objects.filter(tenant=tenant).first()
        if found is not None:
            return found
        return cls(
            tenant=tenant,
            place=_place_of(tenant.name),
            parent_body=tenant.name.replace("Ủy ban nhân dân", "UBND").upper(),
        )


def _place_of(name: str) -> str:
    """ "Thanh Hóa" from "UBND tỉnh Thanh Hóa" (the place line of a document)."""
    for marker in ("tỉnh ", "thành phố ", "Tỉnh ", "Thành phố "):
        if marker in name:
            return name.split(marker, 1)[1].strip()
    return name


class ReportingPeriod(TenantModel):
    """A reporting period (kỳ báo cáo): a quarter, 6 months, a year or a custom range, with
    the dates by which units report (R18.1) and the Office compiles (R18.2)."""

    kind = models.CharField(_("kind"), max_length=10, choices=PeriodKind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveSmallIntegerField(
        _("number"), default=1, help_text=_("The quarter (1–4) or the half (1–2).")
    )
    name = models.CharField(_("name"), max_length=120)
    start = models.DateField(_("first day"))
    end = models.DateField(_("last day"))
    unit_report_due = models.DateField(_("units report by"))
    office_report_due = models.DateField(_("the Office compiles by"))
    created_at = models.DateTimeField(_("created at"), default=clock.now)

    class Meta:
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")
        ordering = ["-end", "kind", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "kind", "year", "number"],
                condition=~models.Q(kind="custom"),
                name="period_unique_standard",
            ),
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")), name="period_order"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class UnitReport(TenantModel):
    """A unit's periodic report (R17.4, R18.1): its figures and task list, pre-filled, plus
    its own explanations, difficulties and proposals. Frozen when submitted."""

    period = models.ForeignKey(
        ReportingPeriod,
        on_delete=models.CASCADE,
        related_name="unit_reports",
        verbose_name=_("period"),
    )
    unit = models.ForeignKey(
        "units.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    state = models.CharField(
        _("state"), max_length=10, choices=UnitReportState.choices, default=UnitReportState.DRAFT
    )
    figures = models.JSONField(_("figures when submitted"), default=dict, blank=True)
    explanations = models.JSONField(
        _("explanations per task"),
        default=dict,
        blank=True,
        help_text=_("{task id: explanation} for late, overdue or returned tasks."),
    )
    results = models.TextField(_("main results"), blank=True)
    difficulties = models.TextField(_("difficulties and obstacles"), blank=True)
    proposals = models.TextField(_("proposals"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        User,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    updated_at = models.DateTimeField(_("updated at"), default=clock.now)

    class Meta:
        verbose_name = _("unit report")
        verbose_name_plural = _("unit reports")
        ordering = ["period", "unit__name"]
        constraints = [
            models.UniqueConstraint(fields=["period", "unit"], name="unit_report_unique")
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.period}"

    @property
    def submitted_on_time(self) -> bool | None:
        if self.submitted_at is None:
            return None
        return timezone.localdate(self.submitted_at) <= self.period.unit_report_due


class ConsolidatedReport(TenantModel):
    """The header of the Office's consolidated report for a period (R16.2, R18.2): number,
    date, signer and the Office's own assessment. The figures come from the scorecards (or the
    latest publication) each time the document is generated."""

    period = models.OneToOneField(
        ReportingPeriod,
        on_delete=models.CASCADE,
        related_name="consolidated",
        verbose_name=_("period"),
    )
    number = models.CharField(_("number"), max_length=20, blank=True)
    issued_on = models.DateField(_("date"), null=True, blank=True)
    addressees = models.TextField(
        _("addressed to (one per line)"), blank=True, default="Chủ tịch UBND tỉnh"
    )
    assessment = models.TextField(_("general assessment"), blank=True)
    proposals = models.TextField(_("proposals and recommendations"), blank=True)
    signer_name = models.CharField(_("signer's name"), max_length=120, blank=True)
    updated_at = models.DateTimeField(_("updated at"), default=clock.now)

    class Meta:
        verbose_name = _("consolidated report")
        verbose_name_plural = _("consolidated reports")

    def __str__(self) -> str:
        return f"{self.number} · {self.period}"


class Publication(TenantModel):
    """One published version of a period's results (R16.2, S1): a frozen JSON snapshot of
    every figure. Never edited; a correction is a new version with a note, and every version
    stays visible."""

    period = models.ForeignKey(
        ReportingPeriod,
        on_delete=models.PROTECT,
        related_name="publications",
        verbose_name=_("period"),
    )
    version = models.PositiveSmallIntegerField(_("version"))
    snapshot = models.JSONField(_("snapshot"))
    note = models.TextField(_("note (what was corrected)"), blank=True)
    published_at = models.DateTimeField(_("published at"), default=clock.now)
    published_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=_("published by")
    )

    class Meta:
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        ordering = ["period", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["period", "version"], name="publication_unique_version")
        ]

    def __str__(self) -> str:
        return f"{self.period} v{self.version}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            from nhiemvu.core.models import ImmutableError

            raise ImmutableError("A publication cannot be changed; publish a new version.")
        super().save(*args, **kwargs)  # type: ignore[arg-type]


# --- the scorecard ledger (see ledger.py) ----------------------------------------------------


class TaskFacts(models.Model):
    """The facts of one task that the ledger last counted (what `ledger.contributions` read).

    Kept so that a change to a task can be applied to the ledger as a difference: subtract
    what these facts gave, add what the task's new facts give."""

    task = models.OneToOneField(
        "tasks.Task", primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    counted = models.BooleanField(default=False)  # top-level and tracked
    state = models.CharField(max_length=30, blank=True)
    lead_unit_id = models.BigIntegerField(null=True)
    assigner_id = models.BigIntegerField(null=True)
    field_id = models.BigIntegerField(null=True)
    assigned_on = models.DateField(null=True)
    deadline = models.DateField(null=True)
    submitted_on = models.DateField(null=True)
    completed_on = models.DateField(null=True)
    final_time_status = models.CharField(max_length=30, blank=True)
    returned_count = models.PositiveSmallIntegerField(default=0)
    last_update_on = models.DateField(null=True)
    reporting_cycle = models.CharField(max_length=20, blank=True)

    class Meta:
        verbose_name = _("counted task facts")
        verbose_name_plural = _("counted task facts")
        indexes = [models.Index(fields=["tenant", "task"], name="facts_tenant_task")]

    def __str__(self) -> str:
        return f"facts of task {self.task_id}"


class ScoreBucket(models.Model):
    """One bucket of the scorecard ledger: the sum of the contributions of a tenant's tasks to
    one unit (kind "u"), assigning leader ("l") or field ("f"), over one year ("y"), month
    ("m") or day ("d"). A figure on day X is a prefix sum: the years before X's year, the
    months before X's month, the days of X's month up to X: a few dozen rows per unit."""

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=1)
    dim_id = models.BigIntegerField()  # 0: none (the committee as a whole, no field)
    level = models.CharField(max_length=1)
    bucket = models.DateField()
    assigned = models.IntegerField(default=0)
    due = models.IntegerField(default=0)
    done_on_time = models.IntegerField(default=0)
    done_late = models.IntegerField(default=0)
    done_returned = models.IntegerField(default=0)
    done_returned2 = models.IntegerField(default=0)
    overdue = models.IntegerField(default=0)
    in_progress = models.IntegerField(default=0)
    awaiting = models.IntegerField(default=0)
    no_deadline = models.IntegerField(default=0)
    cycle_missed = models.IntegerField(default=0)
    open_returned = models.IntegerField(default=0)
    open_returned2 = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("scorecard ledger bucket")
        verbose_name_plural = _("scorecard ledger buckets")
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "kind", "dim_id", "level", "bucket"], name="bucket_unique"
            )
        ]
        indexes = [
            models.Index(fields=["tenant", "kind", "level", "bucket"], name="bucket_by_date")
        ]

    def __str__(self) -> str:
        return f"{self.kind}{self.dim_id} {self.level} {self.bucket}"
