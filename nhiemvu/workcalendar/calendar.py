"""Vietnamese working days for one tenant: `calendar_for(tenant)` and `WorkCalendar`.

A day's status comes from three layers; for any date the last layer that names it wins:
1. `holidays.VN` (in Vietnamese): the statutory holidays, days in lieu and the swaps it knows;
2. `official.OFFICIAL_DAYS`: the days the library misses, each with its notice;
3. the tenant's own `CalendarDay` rows (the Office's swaps and corrections).
A date no layer names is a working day from Monday to Friday.

Caching: `calendar_for` runs on every request, so each tenant's calendar is built once per
process and kept while `Tenant.calendar_version` stays the same. Every change to a
`CalendarDay` bumps that version (see `models.py`) and calls `forget()` here.
"""

from __future__ import annotations

import datetime as dt
import threading
from bisect import bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import TYPE_CHECKING

import holidays
from django.db import transaction

from .enums import DayKind
from .official import OFFICIAL_DAYS, SpecialDay

if TYPE_CHECKING:
    from nhiemvu.core.models import Tenant

__all__ = ["SpecialDay", "WorkCalendar", "calendar_for", "clear_cache", "default_calendar"]

ONE_DAY = dt.timedelta(days=1)
SATURDAY = 5
#: Up to this many working days, `add_working_days` steps instead of bisecting.
SHORT_STEPS = 10


def _by_year(days: Iterable[SpecialDay]) -> dict[int, list[SpecialDay]]:
    grouped: dict[int, list[SpecialDay]] = {}
    for day in days:
        grouped.setdefault(day.date.year, []).append(day)
    return grouped


_OFFICIAL_BY_YEAR = _by_year(OFFICIAL_DAYS)


@cache
def _library_year(year: int) -> tuple[SpecialDay, ...]:
    """The days off and make-up Saturdays that `holidays.VN` gives for one year."""
    vn = holidays.VN(years=year, language="vi")
    days = [
        SpecialDay(date, DayKind.DAY_OFF.value, str(name))
        for date, name in sorted(vn.items())
        if date.year == year
    ]
    for date in sorted(getattr(vn, "weekend_workdays", ())):
        if date.year == year:
            days.append(SpecialDay(date, DayKind.WORKING_DAY.value, _make_up_name(date, days)))
    return tuple(days)


def _make_up_name(worked: dt.date, days_off: list[SpecialDay]) -> str:
    """Name a make-up day after the day off it pays for (the library names only the latter,
    e.g. "Ngày nghỉ (thay cho ngày 26/04/2025)" on 2/5/2025)."""
    for day in days_off:
        if f"{worked:%d/%m/%Y}" in day.name:
            return f"Làm bù cho ngày {day.date:%d/%m/%Y}"
    return "Ngày làm việc bù"


def _weekdays_through(date: dt.date) -> int:
    """How many Mondays-to-Fridays there are from 1/1/0001 (a Monday) to `date` inclusive."""
    weeks, rest = divmod(date.toordinal(), 7)
    return weeks * 5 + min(rest, 5)


def _smallest(enough: Callable[[int], bool], guess: int) -> int:
    """The smallest k >= 1 with `enough(k)`, for a predicate false at 0 that stays true once
    true: double an upper bound until it holds, then bisect."""
    low, high = 0, max(guess, 1)
    while not enough(high):
        low, high = high, high * 2
    while high - low > 1:
        middle = (low + high) // 2
        if enough(middle):
            high = middle
        else:
            low = middle
    return high


class _Year:
    """One year of a calendar: every named day, plus the exceptions to the weekday rule
    (days off from Monday to Friday, working Saturdays and Sundays) sorted for counting."""

    __slots__ = ("days", "off_weekdays", "worked_weekends")

    def __init__(self, days: dict[dt.date, SpecialDay]) -> None:
        self.days = days
        self.off_weekdays = sorted(
            date for date, day in days.items() if day.is_day_off and date.weekday() < SATURDAY
        )
        self.worked_weekends = sorted(
            date for date, day in days.items() if not day.is_day_off and date.weekday() >= SATURDAY
        )


class WorkCalendar:
    """Working-day arithmetic over one tenant's calendar.

    Built from the tenant's own special days (`overrides`); the library and the official days
    come underneath. Each year is worked out on first use and kept. Working one out twice at
    once gives the same result, so one instance can be shared by every thread.
    """

    def __init__(self, overrides: Iterable[SpecialDay] = (), *, version: int | None = None):
        self.version = version
        self._overrides = _by_year(overrides)
        self._years: dict[int, _Year] = {}

    def __repr__(self) -> str:
        return f"<WorkCalendar version={self.version}>"

    def _year(self, year: int) -> _Year:
        found = self._years.get(year)
        if found is None:
            days = {day.date: day for day in _library_year(year)}
            days.update((day.date, day) for day in _OFFICIAL_BY_YEAR.get(year, ()))
            days.update((day.date, day) for day in self._overrides.get(year, ()))
            found = self._years[year] = _Year(days)
        return found

    def is_working_day(self, date: dt.date) -> bool:
        special = self._year(date.year).days.get(date)
        if special is not None:
            return not special.is_day_off
        return date.weekday() < SATURDAY

    def next_working_day(self, date: dt.date) -> dt.date:
        """`date` itself if it is a working day, else the first working day after it."""
        while not self.is_working_day(date):
            date += ONE_DAY
        return date

    def _count(self, after: dt.date, through: dt.date) -> int:
        """Working days in (after, through], for after <= through: the weekdays, minus the
        weekdays off, plus the weekend days worked. A few binary searches per year."""
        total = _weekdays_through(through) - _weekdays_through(after)
        for year in range(after.year, through.year + 1):
            known = self._year(year)
            total -= bisect_right(known.off_weekdays, through) - bisect_right(
                known.off_weekdays, after
            )
            total += bisect_right(known.worked_weekends, through) - bisect_right(
                known.worked_weekends, after
            )
        return total

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days in (start, end]; negative, counting (end, start], if end < start."""
        if end >= start:
            return self._count(start, end)
        return -self._count(end, start)

    def add_working_days(self, date: dt.date, n: int) -> dt.date:
        """The date `n` working days after `date` (before it if n < 0; `date` if n == 0).

        `date` itself is never counted, so it need not be a working day.
        1. For the usual few days, step day by day (cheapest).
        2. Else: forwards, the answer is the first day e with n working days in (date, e];
           backwards, the last day e with -n working days in [e, date). Both counts only grow
           with the distance k = |e - date|, so `_smallest` finds k by doubling and bisecting,
           each step one `_count`: cheap even years ahead.
        """
        if abs(n) <= SHORT_STEPS:
            step = ONE_DAY if n > 0 else -ONE_DAY
            left = abs(n)
            while left:
                date += step
                if self.is_working_day(date):
                    left -= 1
            return date
        if n > 0:
            k = _smallest(lambda k: self._count(date, date + k * ONE_DAY) >= n, n + n // 2)
            return date + k * ONE_DAY
        wanted = -n
        k = _smallest(
            lambda k: self._count(date - (k + 1) * ONE_DAY, date - ONE_DAY) >= wanted,
            wanted + wanted // 2,
        )
        return date - k * ONE_DAY

    def special_days(self, year: int) -> list[SpecialDay]:
        """Every day of `year` that a notice, the law or the tenant names, by date."""
        return sorted(self._year(year).days.values(), key=lambda day: day.date)

    def days_off(self, year: int) -> list[tuple[dt.date, str]]:
        """The named days off of `year` with their Vietnamese names, by date (weekends of the
        long breaks included when the notice lists them)."""
        return [(day.date, day.name) for day in self.special_days(year) if day.is_day_off]


@lru_cache(maxsize=1)
def default_calendar() -> WorkCalendar:
    """The calendar without any tenant's own days: library plus official days."""
    return WorkCalendar()


_entries: dict[int, WorkCalendar] = {}
_local = threading.local()


@dataclass
class _OpenChange:
    """A tenant's calendar changed by this thread in a transaction not yet ended: that
    transaction's outermost atomic block (a new block means it ended), and the calendar read
    since the last change with the atomic blocks open when it was read (once one of them
    ends, a savepoint may have rolled the change back: it is read again)."""

    block: object
    calendar: WorkCalendar | None = None
    read_in: tuple[object, ...] = ()


def _open_changes() -> dict[int, _OpenChange]:
    changes: dict[int, _OpenChange] | None = getattr(_local, "changes", None)
    if changes is None:
        changes = _local.changes = {}
    return changes


def _open_change(tenant_id: int) -> _OpenChange | None:
    changes = _open_changes()
    change = changes.get(tenant_id)
    if change is None:
        return None
    blocks = transaction.get_connection().atomic_blocks
    if blocks and blocks[0] is change.block:
        return change
    del changes[tenant_id]
    return None


def forget(tenant_id: int) -> None:
    """Drop the cached calendar of a tenant whose days just changed.

    Inside a transaction the change may still be rolled back, and a calendar cached now would
    then be kept under a version number that the next real change reuses. So until that
    transaction ends this thread keeps the tenant's calendar for that transaction only (read
    again after each change), not in the shared cache.
    """
    _entries.pop(tenant_id, None)
    connection = transaction.get_connection()
    if connection.in_atomic_block and connection.atomic_blocks:
        _open_changes()[tenant_id] = _OpenChange(connection.atomic_blocks[0])


def clear_cache() -> None:
    """Forget every cached tenant calendar (tests)."""
    _entries.clear()
    _open_changes().clear()


def _load(tenant_id: int) -> WorkCalendar:
    """Build a tenant's calendar from one query: the tenant's version and its special days,
    read together so that the version always describes exactly these rows."""
    from nhiemvu.core.models import Tenant

    version: int | None = None
    days: list[SpecialDay] = []
    rows = Tenant.objects.filter(pk=tenant_id).values_list(
        "calendar_version",
        "calendarday__date",
        "calendarday__kind",
        "calendarday__name",
        "calendarday__source_document",
    )
    for row_version, date, kind, name, source in rows:
        version = row_version
        if date is not None:
            days.append(SpecialDay(date, kind, name, source))
    return WorkCalendar(days, version=version)


def calendar_for(tenant: Tenant | None) -> WorkCalendar:
    """The working-day calendar of `tenant` (the default calendar for None).

    No query while the cached calendar's version equals `tenant.calendar_version`; else one
    query, and the result is cached. The version is read from the object passed in, which is
    current for a tenant loaded in this request. A tenant object held for long (a worker loop)
    sees another process's changes only once it is reloaded; changes made in this process
    evict the cache at once, so even a stale object then gets the new days (at one query per
    call until it is reloaded).
    """
    if tenant is None or tenant.pk is None:
        return default_calendar()
    tenant_id: int = tenant.pk
    change = _open_change(tenant_id)
    if change is not None:
        blocks = tuple(transaction.get_connection().atomic_blocks)
        if change.calendar is None or change.read_in != blocks:
            change.calendar, change.read_in = _load(tenant_id), blocks
        return change.calendar
    cached = _entries.get(tenant_id)
    if cached is not None and cached.version == tenant.calendar_version:
        return cached
    loaded = _load(tenant_id)
    if loaded.version is not None:
        _entries[tenant_id] = loaded
    return loaded
