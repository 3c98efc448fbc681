"""Working-day arithmetic against the official notices, worked out by hand from the notices:

- 2025 Tết (TB 6150/TB-BLĐTBXH): off Sat 25/1 to Sun 2/2; weekdays off Mon 27/1 to Fri 31/1.
- 2025 30/4-1/5: off Wed 30/4 to Sun 4/5, Fri 2/5 swapped with Sat 26/4 (worked).
- 2026 Tết Dương lịch (CV 12729/VPCP-KGVX 25/12/2025): off Thu 1/1 to Sun 4/1, Fri 2/1
  swapped with Sat 10/1 (worked).
- 2026 Tết (TB 9441/TB-BNV 16/10/2025): off Sat 14/2 to Sun 22/2; weekdays off Mon 16 to Fri 20/2.
- 2026 Giỗ Tổ Hùng Vương (10/3 lunar) on Sun 26/4, day in lieu Mon 27/4; 30/4 Thu, 1/5 Fri.
- 2026 Quốc khánh: off Sat 29/8 to Wed 2/9, Mon 31/8 swapped with Sat 22/8 (worked).
"""

from __future__ import annotations

import datetime as dt
import random
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import translation

from nhiemvu.core.models import Tenant
from nhiemvu.workcalendar import services
from nhiemvu.workcalendar.calendar import WorkCalendar, calendar_for, default_calendar
from nhiemvu.workcalendar.enums import DayKind
from nhiemvu.workcalendar.models import CalendarDay

D = dt.date


def off(cal: WorkCalendar, *days: D) -> list[D]:
    """The given days that the calendar counts as working (expected: none)."""
    return [day for day in days if cal.is_working_day(day)]


def span(first: D, last: D) -> list[D]:
    return [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]


# --- The national calendar -------------------------------------------------------------


def test_tet_2025_moves_one_working_day_from_friday_24_january_to_monday_3_february(
    tenant: Tenant,
) -> None:
    cal = calendar_for(tenant)
    assert cal.add_working_days(D(2025, 1, 24), 1) == D(2025, 2, 3)
    assert off(cal, *span(D(2025, 1, 25), D(2025, 2, 2))) == []
    assert cal.is_working_day(D(2025, 1, 24))
    assert cal.is_working_day(D(2025, 2, 3))
    assert cal.add_working_days(D(2025, 2, 3), -1) == D(2025, 1, 24)


def test_tet_2026_civil_servants_are_off_from_saturday_14_to_sunday_22_february(
    tenant: Tenant,
) -> None:
    cal = calendar_for(tenant)
    assert off(cal, *span(D(2026, 2, 16), D(2026, 2, 20))) == []
    assert off(cal, *span(D(2026, 2, 14), D(2026, 2, 22))) == []
    assert cal.is_working_day(D(2026, 2, 13))
    assert cal.is_working_day(D(2026, 2, 23))
    assert cal.add_working_days(D(2026, 2, 13), 1) == D(2026, 2, 23)
    days_off = dict(cal.days_off(2026))
    assert [day for day in span(D(2026, 2, 14), D(2026, 2, 22)) if day not in days_off] == []
    assert days_off[D(2026, 2, 17)] == "Tết Nguyên Đán"


def test_reunification_and_labour_day_2025_swap_friday_2_may_for_saturday_26_april(
    tenant: Tenant,
) -> None:
    cal = calendar_for(tenant)
    assert off(cal, D(2025, 4, 30), D(2025, 5, 1), D(2025, 5, 2)) == []
    assert cal.is_working_day(D(2025, 4, 26))
    assert cal.add_working_days(D(2025, 4, 25), 1) == D(2025, 4, 26)
    assert cal.add_working_days(D(2025, 4, 29), 1) == D(2025, 5, 5)
    # (25/4, 5/5]: Sat 26/4, Mon 28/4, Tue 29/4, Mon 5/5.
    assert cal.working_days_between(D(2025, 4, 25), D(2025, 5, 5)) == 4


def test_national_day_2026_swaps_monday_31_august_for_saturday_22_august(tenant: Tenant) -> None:
    cal = calendar_for(tenant)
    assert off(cal, D(2026, 8, 31), D(2026, 9, 1), D(2026, 9, 2)) == []
    assert cal.is_working_day(D(2026, 8, 22))
    assert cal.is_working_day(D(2026, 9, 3))
    assert cal.add_working_days(D(2026, 8, 21), 1) == D(2026, 8, 22)
    assert cal.add_working_days(D(2026, 8, 28), 1) == D(2026, 9, 3)


def test_hung_kings_2026_on_a_sunday_gives_monday_27_april_off(tenant: Tenant) -> None:
    cal = calendar_for(tenant)
    assert not cal.is_working_day(D(2026, 4, 27))
    assert cal.add_working_days(D(2026, 4, 24), 1) == D(2026, 4, 28)
    assert cal.add_working_days(D(2026, 4, 29), 1) == D(2026, 5, 4)


def test_new_year_2026_swaps_friday_2_january_for_saturday_10_january(tenant: Tenant) -> None:
    cal = calendar_for(tenant)
    assert off(cal, D(2026, 1, 1), D(2026, 1, 2)) == []
    assert cal.is_working_day(D(2026, 1, 10))
    assert cal.add_working_days(D(2025, 12, 31), 1) == D(2026, 1, 5)
    assert cal.add_working_days(D(2026, 1, 9), 1) == D(2026, 1, 10)
    assert cal.add_working_days(D(2026, 1, 10), 1) == D(2026, 1, 12)
    assert cal.next_working_day(D(2026, 1, 1)) == D(2026, 1, 5)
    assert cal.next_working_day(D(2026, 1, 10)) == D(2026, 1, 10)


def test_working_days_between_counts_across_tet(tenant: Tenant) -> None:
    cal = calendar_for(tenant)
    # (20/1, 7/2/2025]: 21-24/1 and 3-7/2.
    assert cal.working_days_between(D(2025, 1, 20), D(2025, 2, 7)) == 9
    assert cal.working_days_between(D(2025, 2, 7), D(2025, 1, 20)) == -9
    assert cal.working_days_between(D(2025, 2, 7), D(2025, 2, 7)) == 0
    # (9/2, 27/2/2026]: 10-13/2 and 23-27/2.
    assert cal.working_days_between(D(2026, 2, 9), D(2026, 2, 27)) == 9


def test_a_whole_year_of_working_days(tenant: Tenant) -> None:
    cal = calendar_for(tenant)
    # 2025: 261 weekdays; 12 of them off (1/1, 27-31/1, 7/4, 30/4, 1/5, 2/5, 1/9, 2/9);
    # plus Sat 26/4.
    assert cal.working_days_between(D(2024, 12, 31), D(2025, 12, 31)) == 250
    # 2026: 261 weekdays; 14 off (1/1, 2/1, 16-20/2, 27/4, 30/4, 1/5, 31/8, 1/9, 2/9, and
    # Tue 24/11, which holidays.VN counts from 2026, see below); plus Sat 10/1 and Sat 22/8.
    assert cal.working_days_between(D(2025, 12, 31), D(2026, 12, 31)) == 249
    # Two years at once is the sum.
    assert cal.working_days_between(D(2024, 12, 31), D(2026, 12, 31)) == 499


def test_vietnam_culture_day_2026_follows_holidays_vn_until_a_tenant_overrides_it(
    tenant: Tenant,
) -> None:
    # NQ 80-NQ/TW makes 24/11 a paid day off "in principle"; Art. 112 BLLĐ is being amended.
    # The library counts it; a tenant that must work that day says so with its own row.
    assert not calendar_for(tenant).is_working_day(D(2026, 11, 24))
    services.set_day(
        tenant, D(2026, 11, 24), DayKind.WORKING_DAY, name="Làm việc bình thường", source="x"
    )
    assert calendar_for(tenant).is_working_day(D(2026, 11, 24))


def test_arithmetic_agrees_with_counting_day_by_day() -> None:
    """The bisecting `add_working_days` and the counting `working_days_between` against the
    definition, on random dates over four years."""
    cal = default_calendar()
    rng = random.Random(112)
    one = dt.timedelta(days=1)

    def slow_add(day: D, n: int) -> D:
        step = one if n > 0 else -one
        left = abs(n)
        while left:
            day += step
            left -= cal.is_working_day(day)
        return day

    for _ in range(400):
        day = D(2024, 1, 1) + rng.randrange(4 * 365) * one
        n = rng.choice([rng.randint(-12, 12), rng.randint(-300, 300)])
        result = cal.add_working_days(day, n)
        assert result == slow_add(day, n), (day, n)
        other = day + rng.randint(-400, 400) * one
        low, high = min(day, other), max(day, other)
        slow = sum(cal.is_working_day(low + i * one) for i in range(1, (high - low).days + 1))
        assert cal.working_days_between(low, high) == slow
        assert cal.working_days_between(high, low) == -slow


def test_add_working_days_of_zero_returns_the_day_itself_even_on_a_holiday() -> None:
    assert default_calendar().add_working_days(D(2026, 2, 17), 0) == D(2026, 2, 17)
    assert default_calendar().add_working_days(D(2026, 2, 17), 1) == D(2026, 2, 23)
    assert default_calendar().add_working_days(D(2026, 2, 17), -1) == D(2026, 2, 13)


# --- A tenant's own days and the cache -----------------------------------------------


def test_calendar_for_answers_from_its_cache_without_a_query(
    tenant: Tenant, django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(1):
        calendar_for(tenant)
    with django_assert_num_queries(0):
        for _ in range(5):
            assert calendar_for(tenant).add_working_days(D(2025, 1, 24), 1) == D(2025, 2, 3)


def test_a_tenant_swap_day_changes_results_at_once_and_only_for_that_tenant(
    tenant: Tenant, other_tenant: Tenant
) -> None:
    stale = Tenant.objects.get(pk=tenant.pk)  # loaded before the change, never refreshed
    for t in (tenant, other_tenant, stale):
        assert calendar_for(t).add_working_days(D(2026, 12, 30), 1) == D(2026, 12, 31)

    services.set_day(
        tenant,
        D(2026, 12, 31),
        DayKind.DAY_OFF,
        name="Nghỉ bù Tết Dương lịch",
        source="QĐ 1/QĐ-UBND",
    )

    # Thu 31/12 off, Fri 1/1/2027 a holiday, then the weekend.
    assert tenant.calendar_version == 1
    assert calendar_for(tenant).add_working_days(D(2026, 12, 30), 1) == D(2027, 1, 4)
    assert calendar_for(stale).add_working_days(D(2026, 12, 30), 1) == D(2027, 1, 4)
    assert calendar_for(other_tenant).add_working_days(D(2026, 12, 30), 1) == D(2026, 12, 31)
    assert (D(2026, 12, 31), "Nghỉ bù Tết Dương lịch") in calendar_for(tenant).days_off(2026)

    services.set_day(tenant, D(2027, 1, 9), DayKind.WORKING_DAY, name="Làm bù cho 31/12/2026")
    assert calendar_for(tenant).add_working_days(D(2026, 12, 30), 1) == D(2027, 1, 4)
    assert calendar_for(tenant).add_working_days(D(2027, 1, 8), 1) == D(2027, 1, 9)
    assert calendar_for(other_tenant).add_working_days(D(2027, 1, 8), 1) == D(2027, 1, 11)

    assert services.remove_day(tenant, D(2026, 12, 31))
    assert calendar_for(tenant).add_working_days(D(2026, 12, 30), 1) == D(2026, 12, 31)


def test_a_tenant_day_wins_over_the_official_days(tenant: Tenant) -> None:
    services.set_day(tenant, D(2026, 1, 10), DayKind.DAY_OFF, name="Không làm bù")
    assert not calendar_for(tenant).is_working_day(D(2026, 1, 10))
    assert calendar_for(tenant).add_working_days(D(2026, 1, 9), 1) == D(2026, 1, 12)


def test_every_kind_of_write_bumps_the_calendar_version(tenant: Tenant) -> None:
    day = CalendarDay.objects.create(
        tenant=tenant, date=D(2027, 1, 9), kind=DayKind.WORKING_DAY, name="Làm bù"
    )
    assert calendar_for(tenant).is_working_day(D(2027, 1, 9))
    CalendarDay.objects.filter(pk=day.pk).update(kind=DayKind.DAY_OFF)
    assert not calendar_for(tenant).is_working_day(D(2027, 1, 9))
    CalendarDay.objects.bulk_create(
        [CalendarDay(tenant=tenant, date=D(2027, 1, 8), kind=DayKind.DAY_OFF, name="Nghỉ")]
    )
    assert not calendar_for(tenant).is_working_day(D(2027, 1, 8))
    CalendarDay.objects.filter(tenant=tenant).delete()  # as the demo reset does
    assert calendar_for(tenant).is_working_day(D(2027, 1, 8))
    tenant.refresh_from_db()
    assert tenant.calendar_version == 5  # create, update, bulk_create, and one per deleted row


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_a_change_is_cached_and_reaches_stale_tenant_objects(
    django_assert_num_queries: Any,
) -> None:
    tenant = Tenant.objects.create(code="t1", name="T1")
    other = Tenant.objects.create(code="t2", name="T2")
    stale = Tenant.objects.get(pk=tenant.pk)
    assert calendar_for(stale).is_working_day(D(2026, 12, 31))
    assert calendar_for(other).is_working_day(D(2026, 12, 31))

    services.set_day(tenant, D(2026, 12, 31), DayKind.DAY_OFF, name="Nghỉ")

    with django_assert_num_queries(1):
        assert not calendar_for(tenant).is_working_day(D(2026, 12, 31))
    with django_assert_num_queries(0):
        assert not calendar_for(tenant).is_working_day(D(2026, 12, 31))
        assert calendar_for(other).is_working_day(D(2026, 12, 31))
    assert not calendar_for(stale).is_working_day(D(2026, 12, 31))


def test_a_rolled_back_change_leaves_nothing_behind_in_the_cache(tenant: Tenant) -> None:
    calendar_for(tenant)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.set_day(tenant, D(2026, 12, 31), DayKind.DAY_OFF, name="Nghỉ")
        assert not calendar_for(tenant).is_working_day(D(2026, 12, 31))
        raise RuntimeError
    fresh = Tenant.objects.get(pk=tenant.pk)
    assert fresh.calendar_version == 0
    assert calendar_for(fresh).is_working_day(D(2026, 12, 31))
    assert calendar_for(tenant).is_working_day(D(2026, 12, 31))  # claims version 1: reloads

    # The next real change reuses version 1 and must not meet the rolled-back calendar.
    services.set_day(fresh, D(2026, 12, 30), DayKind.DAY_OFF, name="Nghỉ")
    assert fresh.calendar_version == 1
    assert not calendar_for(fresh).is_working_day(D(2026, 12, 30))
    assert calendar_for(fresh).is_working_day(D(2026, 12, 31))


def test_no_tenant_means_the_national_calendar() -> None:
    assert calendar_for(None) is default_calendar()
    assert calendar_for(None).add_working_days(D(2025, 1, 24), 1) == D(2025, 2, 3)


# --- The command -----------------------------------------------------------------------


def run(*args: str) -> str:
    out = StringIO()
    with translation.override("en"):
        call_command("calendar", *args, stdout=out)
    return out.getvalue()


def test_cli_adds_working_days(db: Any) -> None:
    assert run("add-workdays", "2025-01-24", "1") == "2025-02-03\n"
    assert run("add-workdays", "2025-02-03", "-1") == "2025-01-24\n"


def test_cli_counts_working_days_between_two_dates(db: Any) -> None:
    assert run("between", "2025-01-20", "2025-02-07") == "9\n"


def test_cli_lists_a_years_days_off_with_their_names_and_notices(db: Any) -> None:
    lines = run("holidays", "2026").splitlines()
    assert "2026-01-02  Fri  Ngày nghỉ (thay cho ngày 10/01/2026)  [CV 12729/VPCP-KGVX]" in lines
    assert "2026-01-10  Sat  working day: Làm bù cho ngày 02/01/2026  [CV 12729/VPCP-KGVX]" in lines
    assert "2026-02-14  Sat  Nghỉ Tết Nguyên Đán  [TB 9441/TB-BNV]" in lines
    assert "2026-04-27  Mon  Ngày Giỗ Tổ Hùng Vương (nghỉ bù)" in lines


def test_cli_adds_a_swap_day_for_a_tenant(tenant: Tenant, other_tenant: Tenant) -> None:
    out = run(
        "add-day",
        "2026-12-31",
        "day_off",
        "Nghỉ bù Tết Dương lịch",
        "--source",
        "QĐ 1/QĐ-UBND",
        "--tenant",
        "t1",
    )
    assert out == "Saved for T1: 31/12/2026 (Day off): Nghỉ bù Tết Dương lịch\n"
    day = CalendarDay.objects.get(tenant=tenant)
    assert (day.date, day.kind, day.source_document) == (
        D(2026, 12, 31),
        DayKind.DAY_OFF,
        "QĐ 1/QĐ-UBND",
    )
    assert run("add-workdays", "2026-12-30", "1", "--tenant", "t1") == "2027-01-04\n"
    assert run("add-workdays", "2026-12-30", "1", "--tenant", "t2") == "2026-12-31\n"
    # Two tenants and no --tenant: the national calendar.
    assert run("add-workdays", "2026-12-30", "1") == "2026-12-31\n"


def test_cli_uses_the_only_tenant_when_none_is_named(tenant: Tenant) -> None:
    run("add-day", "2026-12-31", "day_off", "Nghỉ")
    assert run("add-workdays", "2026-12-30", "1") == "2027-01-04\n"
    assert run("remove-day", "2026-12-31") == "Removed 2026-12-31 for T1.\n"
    assert run("add-workdays", "2026-12-30", "1") == "2026-12-31\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("add-workdays", "24/01/2025", "1"), "24/01/2025 is not a date; write it as YYYY-MM-DD."),
        (("add-workdays", "2025-01-24", "one"), "one is not a whole number."),
        (("between", "2025-01-20", "2025-02-07", "--tenant", "zz"), "no tenant with the code zz"),
        (("add-day", "2026-12-31", "day_off", "Nghỉ"), "Say which tenant with --tenant CODE."),
        (("add-day", "2026-12-31", "day_off", " ", "--tenant", "t1"), "Give the day a name"),
        (("remove-day", "2026-12-31", "--tenant", "t1"), "T1 has no day of its own on 2026-12-31"),
    ],
)
def test_cli_refuses_bad_input_with_a_clear_message(
    tenant: Tenant, other_tenant: Tenant, args: tuple[str, ...], message: str
) -> None:
    with pytest.raises(CommandError, match=message):
        run(*args)
