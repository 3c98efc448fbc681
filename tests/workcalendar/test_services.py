from __future__ import annotations

import datetime as dt

import pytest

from nhiemvu.core.errors import DomainError
from nhiemvu.core.models import Event, Tenant
from nhiemvu.workcalendar import services
from nhiemvu.workcalendar.enums import DayKind
from nhiemvu.workcalendar.models import CalendarDay

D = dt.date


def test_set_day_records_who_changed_the_calendar_and_what(tenant: Tenant) -> None:
    day = services.set_day(
        tenant, D(2026, 12, 31), DayKind.DAY_OFF, name=" Nghỉ bù ", source="QĐ 1/QĐ-UBND"
    )
    event = Event.objects.get(tenant=tenant)
    assert (event.object_type, event.object_id, event.action) == (
        "calendarday",
        day.pk,
        "calendar_day.set",
    )
    assert event.detail["changes"] == {
        "date": [None, "2026-12-31"],
        "kind": [None, "day_off"],
        "name": [None, "Nghỉ bù"],
        "source_document": [None, "QĐ 1/QĐ-UBND"],
    }


def test_set_day_replaces_the_day_set_before_on_that_date(tenant: Tenant) -> None:
    services.set_day(tenant, D(2026, 12, 31), DayKind.DAY_OFF, name="Nghỉ")
    services.set_day(tenant, D(2026, 12, 31), DayKind.WORKING_DAY, name="Làm việc")
    assert list(CalendarDay.objects.values_list("kind", "name")) == [
        (DayKind.WORKING_DAY, "Làm việc")
    ]
    assert tenant.calendar_version == 2
    changes = Event.objects.filter(tenant=tenant).last().detail["changes"]  # type: ignore[union-attr]
    assert changes == {"kind": ["day_off", "working_day"], "name": ["Nghỉ", "Làm việc"]}


def test_setting_the_same_day_again_changes_nothing(tenant: Tenant) -> None:
    services.set_day(tenant, D(2026, 12, 31), DayKind.DAY_OFF, name="Nghỉ")
    services.set_day(tenant, D(2026, 12, 31), DayKind.DAY_OFF, name="Nghỉ")
    assert Event.objects.filter(tenant=tenant).count() == 1
    assert tenant.calendar_version == 1


def test_remove_day_records_the_removal_and_says_whether_there_was_a_day(tenant: Tenant) -> None:
    services.set_day(tenant, D(2026, 12, 31), DayKind.DAY_OFF, name="Nghỉ")
    assert services.remove_day(tenant, D(2026, 12, 31)) is True
    assert services.remove_day(tenant, D(2026, 12, 31)) is False
    assert not CalendarDay.objects.exists()
    assert Event.objects.filter(tenant=tenant).last().action == "calendar_day.removed"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("kind", "name", "field"),
    [("holiday", "Nghỉ", "kind"), (DayKind.DAY_OFF, "  ", "name")],
)
def test_set_day_refuses_an_unknown_kind_or_a_blank_name(
    tenant: Tenant, kind: str, name: str, field: str
) -> None:
    with pytest.raises(DomainError) as refused:
        services.set_day(tenant, D(2026, 12, 31), kind, name=name)
    assert refused.value.field == field
    assert not CalendarDay.objects.exists()
