"""Reporting periods: their ranges, their regulation cutoffs (R18), and creating them.

A quarter, the first or second 6 months, a year, or a custom range. The cutoffs come from the
tenant's `ReportingSettings` (defaults: units by the 20th of the quarter's last month, 20 May
and 20 November; the Office by the 25th of the quarter's last month, 25 June and 25 December).
"Before the 20th" is read as "on or before the 20th": the day itself is the last day.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from nhiemvu.core.errors import Conflict, DomainError, NotAllowed
from nhiemvu.core.history import record
from nhiemvu.core.models import Tenant

from .models import PeriodKind, ReportingPeriod, ReportingSettings

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


def _day(year: int, month: int, day: int) -> dt.date:
    """The date, with the day clamped to the month's length (31 → 30 in June)."""
    return dt.date(year, month, min(day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class PeriodDates:
    start: dt.date
    end: dt.date
    unit_report_due: dt.date
    office_report_due: dt.date


def dates_for(kind: str, year: int, number: int, rules: ReportingSettings) -> PeriodDates:
    """The range and the default cutoffs of a standard period."""
    if kind == PeriodKind.QUARTER:
        if number not in (1, 2, 3, 4):
            raise DomainError(_("A quarter is numbered 1 to 4."), field="number")
        last_month = number * 3
        return PeriodDates(
            dt.date(year, last_month - 2, 1),
            _day(year, last_month, 31),
            _day(year, last_month, rules.quarter_unit_day),
            _day(year, last_month, rules.quarter_office_day),
        )
    if kind == PeriodKind.HALF:
        if number not in (1, 2):
            raise DomainError(_("A half-year is numbered 1 or 2."), field="number")
        if number == 1:
            return PeriodDates(
                dt.date(year, 1, 1),
                dt.date(year, 6, 30),
                _day(year, rules.half_unit_month, rules.half_unit_day),
                _day(year, rules.half_office_month, rules.half_office_day),
            )
        # The second half is reported with the year (R18 names no separate cutoff).
        return PeriodDates(
            dt.date(year, 7, 1),
            dt.date(year, 12, 31),
            _day(year, rules.year_unit_month, rules.year_unit_day),
            _day(year, rules.year_office_month, rules.year_office_day),
        )
    if kind == PeriodKind.YEAR:
        return PeriodDates(
            dt.date(year, 1, 1),
            dt.date(year, 12, 31),
            _day(year, rules.year_unit_month, rules.year_unit_day),
            _day(year, rules.year_office_month, rules.year_office_day),
        )
    raise DomainError(_("Unknown kind of period."), field="kind")


def default_name(kind: str, year: int, number: int) -> str:
    """The period's name as Vietnamese reports write it: "Quý III năm 2025"."""
    if kind == PeriodKind.QUARTER:
        return f"Quý {ROMAN[number]} năm {year}"
    if kind == PeriodKind.HALF:
        return f"6 tháng đầu năm {year}" if number == 1 else f"6 tháng cuối năm {year}"
    return f"Năm {year}"


def _can_manage(user: object) -> bool:
    from nhiemvu.tasks.rules import is_office

    return is_office(user)  # type: ignore[arg-type]


@transaction.atomic
def create_period(
    tenant: Tenant,
    *,
    by: object,
    kind: str,
    year: int,
    number: int = 1,
    start: dt.date | None = None,
    end: dt.date | None = None,
    name: str = "",
    unit_report_due: dt.date | None = None,
    office_report_due: dt.date | None = None,
) -> ReportingPeriod:
    """Open a reporting period with the tenant's default cutoffs (any date given overrides).

    A custom range needs `start` and `end`; its cutoffs default to its last day.
    """
    if not _can_manage(by):
        raise NotAllowed(_("Only the Office manages reporting periods."))
    rules = ReportingSettings.of(tenant)
    if kind == PeriodKind.CUSTOM:
        if start is None or end is None:
            raise DomainError(_("Give the first and the last day."), field="start")
        if end < start:
            raise DomainError(_("The last day is before the first day."), field="end")
        dates = PeriodDates(start, end, end, end)
        year, number = start.year, 0
        name = name.strip() or f"Từ {start:%d/%m/%Y} đến {end:%d/%m/%Y}"
    else:
        dates = dates_for(kind, year, number, rules)
        name = name.strip() or default_name(kind, year, number)
    period = ReportingPeriod(
        tenant=tenant,
        kind=kind,
        year=year,
        number=number,
        name=name,
        start=dates.start,
        end=dates.end,
        unit_report_due=unit_report_due or dates.unit_report_due,
        office_report_due=office_report_due or dates.office_report_due,
    )
    try:
        with transaction.atomic():
            period.save()
    except IntegrityError:
        raise Conflict(_("This period already exists.")) from None
    record(period, "period.created", actor=by, name=name, start=period.start, end=period.end)
    return period


@transaction.atomic
def edit_cutoffs(
    period: ReportingPeriod,
    *,
    by: object,
    name: str,
    unit_report_due: dt.date,
    office_report_due: dt.date,
) -> ReportingPeriod:
    """Change a period's name or cutoffs (the range of a period never changes)."""
    if not _can_manage(by):
        raise NotAllowed(_("Only the Office manages reporting periods."))
    name = name.strip()
    if not name:
        raise DomainError(_("This field is required."), field="name")
    before = {
        "name": period.name,
        "unit_report_due": period.unit_report_due.isoformat(),
        "office_report_due": period.office_report_due.isoformat(),
    }
    period.name = name
    period.unit_report_due = unit_report_due
    period.office_report_due = office_report_due
    period.save(update_fields=["name", "unit_report_due", "office_report_due"])
    after = {
        "name": name,
        "unit_report_due": unit_report_due.isoformat(),
        "office_report_due": office_report_due.isoformat(),
    }
    changes = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
    record(period, "period.edited", actor=by, changes=changes)
    return period
