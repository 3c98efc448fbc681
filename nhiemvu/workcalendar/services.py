"""Changing a tenant's calendar: the one door for the admin, the command and (later) the pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from nhiemvu.core.errors import DomainError
from nhiemvu.core.history import diff, record
from nhiemvu.core.models import Tenant

from .enums import DayKind
from .models import CalendarDay


def _snapshot(day: CalendarDay | None) -> dict[str, Any]:
    if day is None:
        return {}
    return {
        "date": day.date,
        "kind": day.kind,
        "name": day.name,
        "source_document": day.source_document,
    }


def set_day(
    tenant: Tenant,
    date: dt.date,
    kind: str,
    *,
    name: str,
    source: str = "",
    by: Any = None,
) -> CalendarDay:
    """Make `date` a day off or a working day for `tenant`, replacing any day set before.

    1. Check the kind and the name (a swap must say what it is).
    2. In one transaction: lock the tenant's row for that date, create or update it (which
       bumps `tenant.calendar_version`), and record a `calendar_day.set` event.
    3. Refresh `tenant.calendar_version` so the caller's object sees its own change.
    """
    if kind not in DayKind.values:
        raise DomainError(_("Choose either a day off or a working day."), field="kind")
    name = (name or "").strip()
    if not name:
        raise DomainError(_("Give the day a name, e.g. the holiday it swaps."), field="name")
    source = (source or "").strip()
    with transaction.atomic():
        day = CalendarDay.objects.select_for_update().filter(tenant=tenant, date=date).first()
        before = _snapshot(day)
        if day is None:
            day = CalendarDay(tenant=tenant, date=date)
        day.kind, day.name, day.source_document = kind, name, source
        changes = diff(before, _snapshot(day))
        if changes:
            day.save()
            record(day, "calendar_day.set", actor=by, changes=changes)
    tenant.refresh_from_db(fields=["calendar_version"])
    return day


def remove_day(tenant: Tenant, date: dt.date, *, by: Any = None) -> bool:
    """Drop the tenant's own setting for `date`, so the national calendar applies again.

    One transaction: delete the row (bumping `tenant.calendar_version`) and record a
    `calendar_day.removed` event. Returns False if the tenant had nothing on that date.
    """
    with transaction.atomic():
        day = CalendarDay.objects.select_for_update().filter(tenant=tenant, date=date).first()
        if day is None:
            return False
        before = _snapshot(day)
        changes = diff(before, dict.fromkeys(before))
        record(day, "calendar_day.removed", actor=by, changes=changes)
        day.delete()
    tenant.refresh_from_db(fields=["calendar_version"])
    return True
