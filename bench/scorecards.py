"""Benchmark: scorecards of every unit of a tenant with N tasks (default 1,000,000).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/nhiemvu_bench_scorecards \\
        .venv/bin/python bench/scorecards.py [--tasks 1000000] [--runs 20] [--reload]

1. Unless the demo tenant already holds N tasks (or --reload), load it with
   `manage.py demo --reset --documents 20 --tasks N` into the database DATABASE_URL names
   (it must exist and be migrated: `manage.py migrate`).
2. The demo's bulk tasks are all stamped as assigned at load time; move each assignment to
   its document's issuing day (and no completion before it) so periods see a realistic spread.
3. Count the bulk-loaded tasks into the scorecard ledger (`ledger.rebuild`, once).
4. Time `scorecards.figures(tenant, window, "unit")` (what every scorecard page runs) for the
   current quarter, the previous quarter and the year, RUNS times each: median and worst;
   then the single GROUP BY over the tasks once, for comparison, and check both agree.
"""

from __future__ import annotations

import argparse
import calendar
import datetime as dt
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nhiemvu.settings")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tasks", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--reload", action="store_true", help="reload the demo data")
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    from nhiemvu.core import clock, demo
    from nhiemvu.core.models import Tenant
    from nhiemvu.reports import ledger, scorecards
    from nhiemvu.reports.scorecards import Window
    from nhiemvu.tasks.models import Task

    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    tenant = Tenant.objects.filter(code=demo.TENANT_CODE).first()
    have = Task.objects.filter(tenant=tenant).count() if tenant else 0
    if args.reload or have < args.tasks:
        print(f"loading {args.tasks} tasks with manage.py demo (about 10 minutes per million)…")
        started = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                str(ROOT / "manage.py"),
                "demo",
                "--reset",
                "--documents",
                "20",
                "--tasks",
                str(args.tasks),
            ],
            check=True,
        )
        print(f"  loaded in {time.perf_counter() - started:.0f} s")
        tenant = Tenant.objects.get(code=demo.TENANT_CODE)
    assert tenant is not None
    tenant_id = tenant.pk

    with connection.cursor() as cursor:
        # Step 2: bulk tasks ("Nhiệm vụ số …") assigned on their document's issuing day.
        started = time.perf_counter()
        if connection.vendor == "postgresql":
            cursor.execute(
                """
                UPDATE tasks_task t
                   SET assigned_at = (d.issued_on + time '09:00') AT TIME ZONE %s,
                       submitted_on = CASE WHEN t.submitted_on IS NOT NULL
                                      THEN GREATEST(t.submitted_on, d.issued_on) END,
                       completed_on = CASE WHEN t.completed_on IS NOT NULL
                                      THEN GREATEST(t.completed_on, d.issued_on) END
                  FROM documents_document d
                 WHERE t.document_id = d.id AND t.tenant_id = %s
                   AND t.content LIKE 'Nhiệm vụ số %%'
                   AND t.assigned_at::date > d.issued_on + 1
                """,
                [settings.TIME_ZONE, tenant_id],
            )
            moved = cursor.rowcount
            # VACUUM too: the update left a dead copy of nearly every row, and until they are
            # vacuumed the API's index-only counts read the table (0.6 s for the overdue list).
            cursor.execute("VACUUM ANALYZE tasks_task")
        else:
            moved = 0
        if moved:
            took = time.perf_counter() - started
            print(f"  moved {moved} assignments to their documents' days in {took:.0f} s")

    behind = sum(1 for _ in ledger.uncounted(tenant_id))
    if moved or behind:
        print(f"counting {Task.objects.filter(tenant_id=tenant_id).count()} tasks into the ledger…")
        started = time.perf_counter()
        ledger.rebuild(tenant_id)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE reports_scorebucket")
        print(f"  rebuilt in {time.perf_counter() - started:.0f} s")

    today = clock.today()
    quarter = (today.month - 1) // 3
    q_start = dt.date(today.year, quarter * 3 + 1, 1)
    q_end = dt.date(
        today.year, quarter * 3 + 3, calendar.monthrange(today.year, quarter * 3 + 3)[1]
    )
    prev_end = q_start - dt.timedelta(days=1)
    prev_start = dt.date(prev_end.year, prev_end.month - 2, 1)
    windows = {
        "this quarter": Window(q_start, q_end, min(q_end, today)),
        "last quarter": Window(prev_start, prev_end, prev_end),
        "this year": Window(dt.date(today.year, 1, 1), dt.date(today.year, 12, 31), today),
    }
    tasks = Task.objects.filter(tenant_id=tenant_id).count()
    print(f"tenant {tenant.code}: {tasks} tasks; today {today}")
    started = time.perf_counter()
    scorecards.figures(tenant_id, windows["this quarter"], "unit")
    print(f"first call, cold caches: {(time.perf_counter() - started) * 1000:.0f} ms")
    for name, w in windows.items():
        timings = []
        for _i in range(args.runs):
            started = time.perf_counter()
            rows = scorecards.figures(tenant_id, w, "unit")
            timings.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        direct = scorecards.direct_figures(tenant_id, w, "unit")
        direct_ms = (time.perf_counter() - started) * 1000
        same = "equal" if direct == rows else "DIFFERENT"
        print(
            f"{name:13} {len(rows)} units: median {statistics.median(timings):.0f} ms, "
            f"worst {max(timings):.0f} ms (ledger) | one GROUP BY over the tasks "
            f"{direct_ms:.0f} ms, {same}"
        )
    task = Task.objects.filter(tenant_id=tenant_id, state="assigned").order_by("pk").first()
    if task is not None:
        started = time.perf_counter()
        task.save(update_fields=["updated_at"])  # the signal re-counts it
        took = (time.perf_counter() - started) * 1000
        print(f"keeping the ledger current on one task save: {took:.1f} ms")


if __name__ == "__main__":
    main()
