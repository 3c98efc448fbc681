"""The floor under the API's speed targets (issue #2): what this machine takes for a request
that does the least each measured operation needs, beside what the app takes.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test python bench/floor.py [--requests 100]

Over the 100,000-task database `bench/run.py` loaded, through gunicorn and HTTP as `run.py`
measures, it times:
- `/healthz`: Django and gunicorn, no database;
- `/api/me`: plus token authentication and one small JSON answer (the API's floor);
- two bench-only endpoints, served from this file and never part of the app, that skip the
  ORM and the domain code: a unit's open tasks in hand-written SQL (count, rows, units,
  coordinating units and people of a page in three statements), and a progress update as the
  fewest statements that can record one (lock, insert, update, history, commit);
- the app's own endpoints for the same two operations.
If a bench-only endpoint alone misses a target, no ORM or domain code could meet it here.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

if __name__ != "__main__":  # imported by gunicorn: the app's URLs plus the bench-only ones
    from django.conf import settings

    settings.ROOT_URLCONF = __name__

    from django.core.wsgi import get_wsgi_application
    from django.db import connection, transaction
    from django.http import HttpRequest, HttpResponse, JsonResponse
    from django.urls import include, path
    from django.views.decorators.csrf import csrf_exempt

    application = get_wsgi_application()  # sets Django up: the models import after it

    from nhiemvu.accounts.models import ApiToken
    from nhiemvu.core import clock

    UNIT_LIST = """
        SELECT t.id, t.content, t.state, t.deadline, t.reporting_cycle, t.parent_id,
               t.progress_percent, t.version, t.assigner_id, t.responsible_id,
               t.lead_unit_id, lu.name, lu.short_name, t.document_id, d.number, t.field_id,
               f.name, COUNT(*) OVER ()
        FROM tasks_task t
        JOIN units_unit lu ON lu.id = t.lead_unit_id
        LEFT JOIN documents_document d ON d.id = t.document_id
        LEFT JOIN tasks_field f ON f.id = t.field_id
        WHERE t.tenant_id = %s
          AND t.state IN ('assigned', 'adjustment_requested', 'awaiting_confirmation')
          AND t.id IN (SELECT id FROM tasks_task WHERE lead_unit_id = %s
                       UNION SELECT task_id FROM tasks_taskcoordination WHERE unit_id = %s)
        ORDER BY t.deadline, t.id LIMIT 25"""

    def _user(request: HttpRequest) -> Any:
        auth = request.headers.get("Authorization", "")
        return ApiToken.authenticate(auth.removeprefix("Bearer "))

    def raw_unit_list(request: HttpRequest, unit_id: int) -> HttpResponse:
        user = _user(request)
        if user is None:
            return HttpResponse(status=401)
        with connection.cursor() as cursor:
            cursor.execute(UNIT_LIST, [user.tenant_id, unit_id, unit_id])
            rows = cursor.fetchall()
            ids = [r[0] for r in rows]
            cursor.execute(
                "SELECT c.task_id, c.unit_id, u.name, u.short_name FROM tasks_taskcoordination c"
                " JOIN units_unit u ON u.id = c.unit_id WHERE c.task_id = ANY(%s) ORDER BY c.id",
                [ids],
            )
            coordinating: dict[int, list[dict[str, Any]]] = {}
            for task_id, uid, name, short in cursor.fetchall():
                coordinating.setdefault(task_id, []).append(
                    {"id": uid, "name": name, "short_name": short}
                )
            cursor.execute(
                "SELECT id, first_name, last_name, username FROM accounts_user WHERE id = ANY(%s)",
                [list({r[8] for r in rows} | {r[9] for r in rows})],
            )
            people = {
                r[0]: {"id": r[0], "name": f"{r[2]} {r[1]}".strip() or r[3]}
                for r in cursor.fetchall()
            }
        results = [
            {
                "id": r[0],
                "content": r[1],
                "state": r[2],
                "deadline": r[3],
                "reporting_cycle": r[4],
                "parent_id": r[5],
                "progress_percent": r[6],
                "version": r[7],
                "assigner": people.get(r[8]),
                "responsible": people.get(r[9]),
                "lead_unit": {"id": r[10], "name": r[11], "short_name": r[12]},
                "document": {"id": r[13], "name": r[14]} if r[13] else None,
                "field": {"id": r[15], "name": r[16]} if r[15] else None,
                "coordinating_units": coordinating.get(r[0], []),
            }
            for r in rows
        ]
        return JsonResponse({"count": rows[0][-1] if rows else 0, "results": results})

    @csrf_exempt  # a token request, as the API's are
    def raw_progress(request: HttpRequest, task_id: int) -> HttpResponse:
        user = _user(request)
        if user is None:
            return HttpResponse(status=401)
        body = json.loads(request.body)
        now, today = clock.now(), clock.today()
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "SELECT tenant_id, lead_unit_id, version FROM tasks_task WHERE id = %s FOR UPDATE",
                [task_id],
            )
            tenant_id, lead_unit_id, version = cursor.fetchone()
            cursor.execute(
                "INSERT INTO tasks_progressupdate (task_id, unit_id, author_id, kind, text,"
                " percent, created_at) VALUES (%s, %s, %s, 'progress', %s, %s, %s) RETURNING id",
                [task_id, lead_unit_id, user.pk, body["text"], body["percent"], now],
            )
            (update_id,) = cursor.fetchone()
            cursor.execute(
                "UPDATE tasks_task SET progress_percent = %s, last_update_on = %s,"
                " version = %s, updated_at = %s WHERE id = %s",
                [body["percent"], today, version + 1, now, task_id],
            )
            cursor.execute(
                "INSERT INTO core_event (tenant_id, object_type, object_id, action, actor_id,"
                " at, detail) VALUES (%s, 'task', %s, 'task.progress_posted', %s, %s, %s)",
                [tenant_id, task_id, user.pk, now, json.dumps({"update_id": update_id})],
            )
        return JsonResponse({"id": update_id, "task_id": task_id, "version": version + 1})

    urlpatterns = [
        path("bench/raw/unit/<int:unit_id>", raw_unit_list),
        path("bench/raw/progress/<int:task_id>", raw_progress),
        path("", include("nhiemvu.urls")),
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=100)
    args = parser.parse_args()
    root = Path(__file__).resolve().parent
    sys.path.insert(0, str(root))
    import run

    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("Set DATABASE_URL to the PostgreSQL server (the targets are for it).")
    env = {
        **os.environ,
        "DATABASE_URL": run.database_url(100_000),
        "DEBUG": "false",
        "DJANGO_SETTINGS_MODULE": "nhiemvu.settings",
    }
    info = run.prepare(100_000, env)
    port = 8767
    server = subprocess.Popen(
        [str(Path(run.PY).parent / "gunicorn"), "bench.floor:application"]
        + ["-b", f"127.0.0.1:{port}", "-w", "2", "--log-level", "warning"],
        env=env,
        cwd=run.ROOT,
    )
    try:
        for _ in range(100):
            try:
                run.http.client.HTTPConnection("127.0.0.1", port, timeout=1).request(
                    "GET", "/healthz"
                )
                break
            except OSError:
                time.sleep(0.1)
        office = run.Client(port, str(info["office"]))
        staff = run.Client(port, str(info["staff"]))
        tasks, unit, n = list(info["tasks"]), info["unit"], args.requests  # type: ignore[call-overload]
        unit_query = urlencode({"unit_id": unit, "open": "true", "page_size": 25})
        print("\n== floor, PostgreSQL, 100,000 tasks")
        run.measure("healthz (no database)", lambda i: office.call("GET", "/healthz"), n)
        run.measure("api/me (token, 1 query)", lambda i: office.call("GET", "/api/me"), n)
        run.measure(
            "unit open tasks: raw SQL", lambda i: staff.call("GET", f"/bench/raw/unit/{unit}"), n
        )
        run.measure(
            "unit open tasks: the app", lambda i: staff.call("GET", f"/api/tasks?{unit_query}"), n
        )
        run.measure(
            "progress update: raw SQL",
            lambda i: staff.call(
                "POST",
                f"/bench/raw/progress/{tasks[i % len(tasks)]}",
                {"text": f"Cập nhật {i}", "percent": i % 100},
            ),
            n,
        )
        run.measure(
            "progress update: the app",
            lambda i: staff.call(
                "POST",
                f"/api/tasks/{tasks[i % len(tasks)]}/progress",
                {"text": f"Cập nhật {i}", "percent": i % 100},
            ),
            n,
        )
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
