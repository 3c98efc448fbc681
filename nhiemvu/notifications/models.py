"""Notifications: the in-app item and the email outbox in one row, each tenant's reminder
rules, each user's email preference, and the urging letters the Office issues (R16.4).

A `Notification` is written once per (recipient, rule, object, occurrence): the unique
constraint is what makes a rerun, a crash and rerun, or two workers at once harmless. Its
`email_*` columns are the outbox: the worker takes due rows by the indexed
`email_next_attempt_at`, claims them, sends, and records the outcome (healthchecks' `Flip`
is both history and queue in the same way).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, validate_comma_separated_integer_list
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from nhiemvu.core import clock
from nhiemvu.core.models import Tenant, TenantModel

from .enums import EmailMode, EmailStatus, Rule


class RuleSettings(models.Model):
    """A tenant's reminder thresholds, all in working days, and its urging-letter header.

    `rules_for(tenant)` creates the row with the defaults on first use.
    """

    tenant = models.OneToOneField(
        Tenant,
        on_delete=models.CASCADE,
        related_name="notification_rules",
        verbose_name=_("tenant"),
    )
    due_soon_days = models.CharField(
        _("remind before the deadline (working days)"),
        max_length=40,
        default="3,1",
        validators=[validate_comma_separated_integer_list],
        help_text=_("Comma-separated, e.g. 3,1: a reminder 3 and 1 working days before."),
    )
    remind_on_due_day = models.BooleanField(_("remind on the day it is due"), default=True)
    remind_when_overdue = models.BooleanField(
        _("remind on the first working day overdue"), default=True
    )
    escalate_to_head_after = models.PositiveSmallIntegerField(
        _("overdue days before the unit head is told"), default=5
    )
    escalate_to_office_after = models.PositiveSmallIntegerField(
        _("overdue days before the Office is told"), default=10
    )
    cycle_remind_days = models.PositiveSmallIntegerField(
        _("remind of a missing periodic update (working days before the cutoff)"), default=5
    )
    awaiting_days = models.PositiveSmallIntegerField(
        _("days a result or request may wait before the Office is reminded"), default=2
    )
    awaiting_leader_days = models.PositiveSmallIntegerField(
        _("days a result or request may wait before the Office leader is told"), default=4
    )
    morning_hour = models.PositiveSmallIntegerField(
        _("hour reminders and digests go out"),
        default=7,
        validators=[MaxValueValidator(23)],
    )
    letter_parent_body = models.CharField(
        _("letters: parent body"), max_length=120, blank=True, help_text=_("UBND TỈNH …")
    )
    letter_issuer = models.CharField(
        _("letters: issuing body"), max_length=120, default="VĂN PHÒNG"
    )
    letter_place = models.CharField(_("letters: place name"), max_length=80, blank=True)
    letter_symbol = models.CharField(_("letters: symbol"), max_length=40, default="VP-TH")
    letter_basis = models.CharField(
        _("letters: the regulation they cite"),
        max_length=255,
        default="Quy chế ban hành kèm theo Quyết định số 131/2025/QĐ-UBND của UBND tỉnh",
    )
    letter_reply_days = models.PositiveSmallIntegerField(
        _("letters: working days the unit has to reply"), default=5
    )

    class Meta:
        verbose_name = _("reminder rules")
        verbose_name_plural = _("reminder rules")

    def __str__(self) -> str:
        return str(self.tenant)

    @classmethod
    def for_tenant(cls, tenant: Tenant) -> RuleSettings:
        """The tenant's rules, created with the defaults on first use. The first reminder
        defaults to the tenant's due-soon window, so it comes the day the task turns orange."""
        found = cls.objects.filter(tenant=tenant).first()
        if found is not None:
            return found
        first = tenant.due_soon_working_days or 3
        defaults = {
            "due_soon_days": ",".join(str(d) for d in sorted({first, 1}, reverse=True)),
            "letter_parent_body": tenant.name.upper().replace("ỦY BAN NHÂN DÂN", "UBND"),
            "letter_place": place_name(tenant.name),
        }
        found, _created = cls.objects.get_or_create(tenant=tenant, defaults=defaults)
        return found

    @property
    def reminder_days(self) -> list[int]:
        """The due-soon thresholds, largest first, without zeros or repeats."""
        days = {int(part) for part in self.due_soon_days.split(",") if part.strip()}
        return sorted((d for d in days if d > 0), reverse=True)

    def clean(self) -> None:
        if not self.reminder_days and self.due_soon_days.strip():
            raise ValidationError({"due_soon_days": _("Give whole numbers above zero.")})
        if self.escalate_to_office_after and (
            self.escalate_to_office_after <= self.escalate_to_head_after
        ):
            raise ValidationError(
                {"escalate_to_office_after": _("The Office is told after the unit head.")}
            )
        if self.awaiting_leader_days <= self.awaiting_days:
            raise ValidationError(
                {"awaiting_leader_days": _("The Office leader is told after the specialists.")}
            )


class Preference(models.Model):
    """How one user wants notifications by email. No row means one email per notification."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preference",
        verbose_name=_("user"),
    )
    email_mode = models.CharField(
        _("email"), max_length=10, choices=EmailMode.choices, default=EmailMode.EACH
    )

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.email_mode}"


class Notification(TenantModel):
    """One notice to one user: shown in the notification centre and queued for email.

    `object_key` names what it is about ("task:12", "document:3", "letter:5") so that the
    unique constraint holds whichever object it is; `task`, `document` and `letter` are the
    same link as foreign keys, for the pages. `occurrence` tells apart the times one rule
    fires for one object (e.g. "3:2025-04-29": 3 days before the deadline of 29/4).
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
        db_index=False,  # the unique constraint and the inbox index start with it
    )
    rule = models.CharField(_("rule"), max_length=40, choices=Rule.choices)
    object_key = models.CharField(_("about"), max_length=40)
    occurrence = models.CharField(_("occurrence"), max_length=60)
    task = models.ForeignKey(
        "tasks.Task",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("task"),
    )
    document = models.ForeignKey(
        "documents.Document",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("document"),
        db_index=False,  # a partial index below: most rows are about a task
    )
    letter = models.ForeignKey(
        "UrgingLetter",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("urging letter"),
        db_index=False,
    )
    language = models.CharField(_("language"), max_length=5, default="vi")
    subject = models.CharField(_("subject"), max_length=255)
    body = models.TextField(_("text"))
    link = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), default=clock.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    email_status = models.CharField(
        _("email"), max_length=10, choices=EmailStatus.choices, default=EmailStatus.PENDING
    )
    email_attempts = models.PositiveSmallIntegerField(_("email attempts"), default=0)
    email_next_attempt_at = models.DateTimeField(_("next email attempt"), null=True, blank=True)
    email_sent_at = models.DateTimeField(_("email sent at"), null=True, blank=True)
    email_last_error = models.TextField(_("last email error"), blank=True)
    email_claim = models.CharField(max_length=32, blank=True, editable=False)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "rule", "object_key", "occurrence"], name="notification_once"
            )
        ]
        indexes = [
            models.Index(fields=["recipient", "-id"], name="notification_inbox"),
            models.Index(
                fields=["recipient"],
                condition=Q(read_at__isnull=True),
                name="notification_unread",
            ),
            models.Index(
                fields=["email_next_attempt_at"],
                condition=Q(email_status="pending"),
                name="notification_email_due",
            ),
            # "Which tasks were already told this?" (the sweep, one rule and occurrence).
            models.Index(fields=["rule", "occurrence", "task"], name="notification_told"),
            models.Index(
                fields=["document"],
                condition=Q(document__isnull=False),
                name="notification_document",
            ),
            models.Index(
                fields=["letter"], condition=Q(letter__isnull=False), name="notification_letter"
            ),
            models.Index(
                fields=["email_claim"], condition=~Q(email_claim=""), name="notification_claim"
            ),
        ]

    def __str__(self) -> str:
        return self.subject

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class UrgingLetter(TenantModel):
    """A formal urging letter (văn bản đôn đốc, R16.4) from the Office to one unit about its
    overdue tasks. `rows` keeps the table as it was on the day, so the letter can be printed
    again unchanged whatever the tasks do afterwards."""

    unit = models.ForeignKey(
        "units.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("addressee")
    )
    number = models.CharField(_("number and symbol"), max_length=60)
    issued_on = models.DateField(_("date"))
    reply_by = models.DateField(_("reply by"))
    tasks = models.ManyToManyField(
        "tasks.Task", related_name="urging_letters", blank=True, verbose_name=_("tasks")
    )
    rows = models.JSONField(_("overdue tasks on the day"), default=list, blank=True)
    signer_authority = models.CharField(
        _("signing authority"), max_length=120, blank=True, help_text=_("e.g. KT. CHÁNH VĂN PHÒNG")
    )
    signer_title = models.CharField(_("signer's title"), max_length=120)
    signer_name = models.CharField(_("signer's name"), max_length=120)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("prepared by"),
    )
    created_at = models.DateTimeField(_("created at"), default=clock.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("sent by"),
    )

    class Meta:
        verbose_name = _("urging letter")
        verbose_name_plural = _("urging letters")
        ordering = ["-issued_on", "-id"]
        indexes = [models.Index(fields=["tenant", "unit", "-issued_on"], name="letter_unit")]

    def __str__(self) -> str:
        return self.number

    @property
    def is_sent(self) -> bool:
        return self.sent_at is not None

    @property
    def table(self) -> list[dict[str, object]]:
        """`rows` with the deadlines as dates, for pages."""
        return [
            {**row, "deadline": dt.date.fromisoformat(row["deadline"]) if row["deadline"] else None}
            for row in self.rows
        ]

    def filename(self) -> str:
        return f"van-ban-don-doc-{self.number.replace('/', '-')}-{self.issued_on:%Y%m%d}.docx"


def place_name(authority: str) -> str:
    """ "UBND tỉnh Thanh Hóa" → "Thanh Hóa": the place written before the date of a letter."""
    lowered = authority.lower()
    for marker in ("thành phố ", "tỉnh ", "xã ", "phường "):
        index = lowered.find(marker)
        if index >= 0:
            return authority[index + len(marker) :].strip()
    return authority.strip()


def next_letter_number(tenant_id: int, symbol: str, on: dt.date) -> str:
    """The next number of the year, zero-padded below 10 (Decree 30): "05/VP-TH"."""
    count = UrgingLetter.objects.filter(tenant_id=tenant_id, issued_on__year=on.year).count()
    return f"{count + 1:02d}/{symbol}"
