"""The report reminder (R15.1), for the notifications worker's daily sweep to call.

`remind_reports(tenant, today)` tells the Working Group's members about every ended
inspection whose report is not issued: 3 working days before it is due, on the day, and
every working day once it is late. Each reminder's occurrence is "<offset>:<due date>", so
the outbox's unique constraint (recipient, rule, object, occurrence) makes a rerun on the
same day writes nothing twice (recipients already told are skipped first; the constraint
settles a race between several workers).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import transaction

from nhiemvu.notifications.models import Notification
from nhiemvu.workcalendar.calendar import calendar_for

from . import notify
from .enums import InspectionState
from .models import Inspection

if TYPE_CHECKING:
    from nhiemvu.core.models import Tenant

#: Working days before the due date on which the first reminder goes out.
FIRST_REMINDER = 3


def _occurrence(days: int, due: dt.date) -> str | None:
    """The reminder due today for a report `days` working days from its due date."""
    if days == FIRST_REMINDER or days == 0:
        return f"{days}:{due.isoformat()}"
    if days < 0:
        return f"{days}:{due.isoformat()}"  # late: once per working day
    return None


def remind_reports(tenant: Tenant, today: dt.date) -> int:
    """Write today's report reminders for `tenant`; returns how many notifications were
    offered (nothing on a day off). Safe to call any number of times a day."""
    calendar = calendar_for(tenant)
    if not calendar.is_working_day(today):
        return 0
    due_by = calendar.add_working_days(today, FIRST_REMINDER)
    pending = (
        Inspection.objects.filter(
            tenant_id=tenant.pk, state=InspectionState.ENDED, report_due_on__lte=due_by
        )
        .select_related("unit", "tenant")
        .prefetch_related("group__members__user")
        .order_by("id")
    )
    written = 0
    for inspection in pending:
        due = inspection.report_due_on
        assert due is not None
        days = calendar.working_days_between(today, due)
        occurrence = _occurrence(days, due)
        if occurrence is None:
            continue
        told = set(
            Notification.objects.filter(
                rule=notify.REPORT_DUE,
                object_key=f"inspection:{inspection.pk}",
                occurrence=occurrence,
            ).values_list("recipient_id", flat=True)
        )
        people = [
            m.user
            for m in inspection.group.members.all()
            if m.user.is_active and m.user_id not in told
        ]
        if not people:
            continue
        context = {"unit": inspection.unit.name, "due": due.isoformat(), "days": days}
        with transaction.atomic():
            written += notify.send(inspection, notify.REPORT_DUE, occurrence, people, context)
    return written
