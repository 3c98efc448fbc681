"""Where the time of one API request goes: queries per request, their SQL, and a profile.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/nhiemvu_bench_100000 \
        python bench/profile_api.py [--endpoint detail] [--requests 50] [--profile] [--sql]

Runs in process through Django's test client (no HTTP), over a database `bench/run.py` loaded.
The CPU time of this process (Django, ninja, the driver) is printed beside the wall time: it
does not count the database server's work, and varies less when the machine is busy.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nhiemvu.settings")
os.environ.setdefault("DEBUG", "false")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from nhiemvu.accounts.models import ApiToken, User  # noqa: E402
from nhiemvu.tasks.models import Task  # noqa: E402
from nhiemvu.units.models import Unit  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--endpoint", default="all")
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--sql", action="store_true")
    args = parser.parse_args()

    office = User.objects.get(username="vanphong")
    unit = Unit.objects.get(tenant=office.tenant, name="Sở Tài chính")
    staff = User.objects.filter(unit=unit, roles__icontains="unit_staff").first()
    assert staff is not None
    tasks = list(
        Task.objects.filter(lead_unit=unit, state="assigned").values_list("id", flat=True)[:400]
    )
    office_key = ApiToken.issue(office, "profile")[1]
    staff_key = ApiToken.issue(staff, "profile")[1]
    deadline = (dt.date.today() + dt.timedelta(days=60)).isoformat()
    client = Client()

    def call(key: str, method: str, path: str, body: object = None):  # type: ignore[no-untyped-def]
        headers = {"HTTP_AUTHORIZATION": f"Bearer {key}", "HTTP_ACCEPT_LANGUAGE": "vi"}
        if method == "GET":
            return client.get(path, **headers)
        return client.post(path, body, content_type="application/json", **headers)

    endpoints = {
        "unit": lambda i: call(
            staff_key, "GET", f"/api/tasks?unit_id={unit.pk}&open=true&page_size=25"
        ),
        "overdue": lambda i: call(office_key, "GET", "/api/tasks?time_status=overdue&page_size=25"),
        "detail": lambda i: call(office_key, "GET", f"/api/tasks/{tasks[i % len(tasks)]}"),
        "create": lambda i: call(
            office_key,
            "POST",
            "/api/tasks",
            {"content": f"Nhiệm vụ đo {i}", "lead_unit_id": unit.pk, "deadline": deadline},
        ),
        "progress": lambda i: call(
            staff_key,
            "POST",
            f"/api/tasks/{tasks[i % len(tasks)]}/progress",
            {"text": f"Cập nhật {i}", "percent": i % 100},
        ),
    }
    chosen = endpoints if args.endpoint == "all" else {args.endpoint: endpoints[args.endpoint]}
    for name, fn in chosen.items():
        for i in range(5):
            fn(i)
        captured: list[tuple[float, str]] = []

        def log(execute, sql, params, many, context, captured=captured):  # type: ignore[no-untyped-def]
            started = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                captured.append(((time.perf_counter() - started) * 1000, sql))

        with connection.execute_wrapper(log):
            response = fn(5)
        assert response.status_code < 300, response.content[:300]
        times, cpu = [], []
        profiler = cProfile.Profile() if args.profile else None
        for i in range(args.requests):
            started, cpu_started = time.perf_counter(), time.process_time()
            if profiler:
                profiler.enable()
            fn(i + 6)
            if profiler:
                profiler.disable()
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - cpu_started) * 1000)
        print(
            f"{name:<10} {len(captured):3d} queries   median {statistics.median(times):6.1f} ms"
            f"   of which this process's CPU {statistics.median(cpu):6.1f} ms"
        )
        if args.sql:
            for ms, sql in captured:
                print(f"    {ms:5.2f}  {sql[:220]}")
        if profiler:
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)
    ApiToken.objects.filter(name="profile").delete()


if __name__ == "__main__":
    main()
