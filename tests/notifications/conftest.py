"""Shared helpers for the notification tests: a task walked through the workflow, the sweep
run day by day under a frozen clock, and the notifications as (rule, occurrence, user)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from nhiemvu.accounts.models import Role, User
from nhiemvu.core import clock
from nhiemvu.notifications import jobs
from nhiemvu.notifications.enums import EVENT_RULES
from nhiemvu.notifications.models import Notification
from nhiemvu.tasks import workflow
from nhiemvu.tasks.models import Task
from tests.conftest import Cast, make_user


@pytest.fixture
def lead2(cast: Cast) -> User:
    """A second officer of the lead unit (Sở Tài chính)."""
    return make_user("lead2", cast.finance, Role.UNIT_STAFF, email="lead2@stc.vn")


def assigned(
    cast: Cast, deadline: dt.date | None, on: dt.date, content: str = "Rà soát thủ tục", **kw: Any
) -> Task:
    with clock.frozen(on):
        task = workflow.create_task(
            workflow.TaskInput(
                content=content,
                lead_unit=kw.pop("lead_unit", cast.finance),
                deadline=deadline,
                reporting_cycle="" if deadline else kw.pop("reporting_cycle", "quarterly"),
                **kw,
            ),
            by=cast.office,
        )
        return workflow.assign(task, by=cast.office)


def swept(notifications: Any = None) -> list[tuple[str, str, str]]:
    """The sweep's notifications (not the workflow events') as (rule, occurrence, user)."""
    qs = notifications if notifications is not None else Notification.objects.all()
    return sorted(
        (n.rule, n.occurrence, n.recipient.username)
        for n in qs.exclude(rule__in=EVENT_RULES).select_related("recipient")
    )


def walk(cast: Cast, first: dt.date, last: dt.date) -> dict[dt.date, list[tuple[str, str, str]]]:
    """Sweep every calendar day from `first` to `last` at 09:00; what each day wrote."""
    found = {}
    day = first
    while day <= last:
        before = Notification.objects.order_by("-id").values_list("id", flat=True).first() or 0
        with clock.frozen(day):
            jobs.sweep(cast.tenant, day)
        new = swept(Notification.objects.filter(id__gt=before))
        if new:
            found[day] = new
        day += dt.timedelta(days=1)
    return found
