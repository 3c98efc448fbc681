"""Benchmark of the reminder sweep (notifications/jobs.py) over the demo tenant.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/nhiemvu_bench \\
        python bench/sweep.py --tasks 1000000 [--load] [--day 2026-11-24]

The database must hold the demo tenant with at least N tasks: `--load` makes it with
`manage.py demo --reset --tasks N` (slow for a million; do it once). Two days are measured:
an ordinary working day and the worst day of a quarter, when the tasks without a deadline
that miss their update are reminded too. On each day: the first sweep (writes the day's
reminders, after removing any the bench wrote before) and a second one (writes nothing;
what every later run of the worker costs that day). Prints seconds and rows written.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nhiemvu.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.urls import reverse  # noqa: E402

from nhiemvu.core import clock, demo  # noqa: E402
from nhiemvu.core.models import Tenant  # noqa: E402
from nhiemvu.notifications import jobs  # noqa: E402
from nhiemvu.notifications.enums import EVENT_RULES  # noqa: E402
from nhiemvu.notifications.models import Notification, RuleSettings  # noqa: E402
from nhiemvu.tasks.enums import OPEN_STATES  # noqa: E402
from nhiemvu.tasks.models import Task  # noqa: E402
from nhiemvu.workcalendar.calendar import calendar_for  # noqa: E402


def cutoff_day(tenant: Tenant, today: dt.date) -> dt.date:
    """The first day reminders of missing periodic updates go out before the next quarterly
    cutoff: the worst day of the quarter for the sweep."""
    calendar = calendar_for(tenant)
    cutoff = jobs.next_cutoff(jobs.CUTOFF_MONTHS["quarterly"], today)
    days = RuleSettings.for_tenant(tenant).cycle_remind_days
    return calendar.add_working_days(calendar.next_working_day(cutoff), -days)


def measure(tenant: Tenant, day: dt.date) -> tuple[float, int, float, int]:
    Notification.objects.filter(tenant=tenant).exclude(rule__in=EVENT_RULES).delete()
    with clock.frozen(dt.datetime.combine(day, dt.time(7, 0))):
        started = time.perf_counter()
        first = jobs.sweep(tenant, day)
        middle = time.perf_counter()
        second = jobs.sweep(tenant, day)
        ended = time.perf_counter()
    return middle - started, first, ended - middle, second


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=1_000_000)
    parser.add_argument("--load", action="store_true", help="(re)load the demo with N tasks")
    parser.add_argument("--day", type=dt.date.fromisoformat, help="the ordinary day to sweep")
    args = parser.parse_args()

    tenant = Tenant.objects.filter(code=demo.TENANT_CODE).first()
    count = Task.objects.filter(tenant=tenant).count() if tenant else 0
    if count < args.tasks:
        if not args.load:
            sys.exit(
                f"The demo tenant has {count} tasks; run `manage.py demo --reset --tasks "
                f"{args.tasks}` or pass --load."
            )
        call_command("demo", "--reset", "--tasks", str(args.tasks))
        tenant = Tenant.objects.get(code=demo.TENANT_CODE)
        count = Task.objects.filter(tenant=tenant).count()
    assert tenant is not None
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    reverse("tasks:detail", args=[1])  # import the URLconf: once per process, not per sweep
    calendar = calendar_for(tenant)
    day = calendar.next_working_day(args.day or clock.today())
    open_tasks = Task.objects.filter(tenant=tenant, state__in=list(OPEN_STATES)).count()
    print(f"{connection.vendor}: {count} tasks of the demo tenant, {open_tasks} open")
    for label, date in (
        ("ordinary day", day),
        ("quarter's cutoff window", cutoff_day(tenant, day)),
    ):
        first, written, second, again = measure(tenant, date)
        print(
            f"{label} {date:%a %d/%m/%Y}: first sweep {first:.2f} s ({written} notifications), "
            f"second sweep {second:.2f} s ({again})"
        )


if __name__ == "__main__":
    main()
