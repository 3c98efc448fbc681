"""Benchmarks, apart from the tests: load N tasks over ~300 units, serve the app with gunicorn,
and time the hot endpoints through HTTP from a client on the same machine.

    python bench/run.py [--sizes 100000,1000000] [--requests 200]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test python bench/run.py

On PostgreSQL it uses its own database `nhiemvu_bench_<size>` next to the one named in
DATABASE_URL; on SQLite a file `bench/results/bench_<size>.sqlite3`. Prints median and p95 in ms.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode, urlparse

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
PY = sys.executable


def database_url(size: int) -> str:
    base = os.environ.get("DATABASE_URL", "")
    if base.startswith("postgres"):
        import psycopg

        name = f"nhiemvu_bench_{size}"
        parsed = urlparse(base)
        with psycopg.connect(base, autocommit=True) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
            if not exists:
                conn.execute(f'CREATE DATABASE "{name}"')
        return parsed._replace(path=f"/{name}").geturl()
    RESULTS.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{RESULTS / f'bench_{size}.sqlite3'}"


def manage(env: dict[str, str], *args: str) -> str:
    return subprocess.run(
        [PY, str(ROOT / "manage.py"), *args], env=env, check=True, capture_output=True, text=True
    ).stdout


SETUP = """
import json, sys
from nhiemvu.accounts.models import ApiToken, User
from nhiemvu.core.models import Tenant
from nhiemvu.tasks.models import Task
from nhiemvu.units.models import Unit
tenant = Tenant.objects.get(code="thanh-hoa")
office = User.objects.get(username="vanphong")
unit = Unit.objects.get(tenant=tenant, name="Sở Tài chính")
staff = User.objects.filter(unit=unit, roles__icontains="unit_staff").first()
tasks = list(
    Task.objects.filter(tenant=tenant, lead_unit=unit, state="assigned")
    .values_list("id", flat=True)[:400]
)
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
def session_for(user):
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key
leader = User.objects.get(username="chutich")
print(json.dumps({
  "sessions": {"office": session_for(office), "staff": session_for(staff),
               "leader": session_for(leader)},
  "office": ApiToken.issue(office, "bench")[1],
  "staff": ApiToken.issue(staff, "bench")[1],
  "unit": unit.pk, "tasks": tasks,
  "total": Task.objects.filter(tenant=tenant).count(),
  "units": Unit.objects.filter(tenant=tenant).count(),
}))
"""


def prepare(size: int, env: dict[str, str]) -> dict[str, object]:
    manage(env, "migrate", "-v", "0")
    out = manage(
        env, "shell", "-c", "from nhiemvu.tasks.models import Task; print(Task.objects.count())"
    )
    have = int(out.strip().splitlines()[-1])
    if have < size:
        print(f"  loading {size} tasks (have {have}) …", flush=True)
        started = time.perf_counter()
        manage(env, "demo", "--reset", "--documents", "40", "--tasks", str(size))
        print(f"  loaded in {time.perf_counter() - started:.0f} s", flush=True)
        if env["DATABASE_URL"].startswith("postgres"):
            manage(
                env,
                "shell",
                "-c",
                "from django.db import connection; connection.cursor().execute('VACUUM ANALYZE')",
            )
        else:
            manage(
                env,
                "shell",
                "-c",
                "from django.db import connection; connection.cursor().execute('ANALYZE')",
            )
    return json.loads(manage(env, "shell", "-c", SETUP).strip().splitlines()[-1])


class Client:
    def __init__(self, port: int, token: str, session: str = "") -> None:
        self.port, self.token, self.session = port, token, session

    def call(self, method: str, path: str, body: object = None) -> tuple[int, float, bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Authorization": f"Bearer {self.token}", "Accept-Language": "vi"}
        if self.session:  # a page, as a signed-in browser asks for it
            headers = {"Cookie": f"sessionid={self.session}", "Accept-Language": "vi"}
        data = None
        if body is not None:
            data = json.dumps(body)
            headers["Content-Type"] = "application/json"
        started = time.perf_counter()
        conn.request(method, path, body=data, headers=headers)
        response = conn.getresponse()
        payload = response.read()
        elapsed = (time.perf_counter() - started) * 1000
        conn.close()
        return response.status, elapsed, payload


def measure(name: str, fn, n: int) -> dict[str, float]:  # type: ignore[no-untyped-def]
    for i in range(10):
        fn(i)
    times = []
    for i in range(n):
        status, ms, payload = fn(i + 10)
        if status >= 300:  # a redirect to the sign-in page is a failure too
            raise SystemExit(f"{name}: HTTP {status}: {payload[:300]!r}")
        times.append(ms)
    times.sort()
    result = {"median": statistics.median(times), "p95": times[int(len(times) * 0.95) - 1]}
    print(
        f"  {name:<28} median {result['median']:7.1f} ms   p95 {result['p95']:7.1f} ms", flush=True
    )
    return result


def run_size(size: int, requests: int) -> dict[str, dict[str, float]]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url(size),
        "DEBUG": "false",
        "DJANGO_SETTINGS_MODULE": "nhiemvu.settings",
    }
    engine = "postgresql" if env["DATABASE_URL"].startswith("postgres") else "sqlite"
    print(f"\n== {engine}, {size} tasks", flush=True)
    info = prepare(size, env)
    print(f"  {info['total']} tasks over {info['units']} units", flush=True)
    port = 8765
    server = subprocess.Popen(
        [
            str(Path(PY).parent / "gunicorn"),
            "nhiemvu.wsgi:application",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            "2",
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
    )
    try:
        for _ in range(100):
            try:
                http.client.HTTPConnection("127.0.0.1", port, timeout=1).request("GET", "/healthz")
                break
            except OSError:
                time.sleep(0.1)
        office = Client(port, str(info["office"]))
        staff = Client(port, str(info["staff"]))
        tasks = list(info["tasks"])  # type: ignore[call-overload]
        unit = info["unit"]
        deadline = (dt.date.today() + dt.timedelta(days=60)).isoformat()
        results = {
            "unit open tasks": measure(
                "unit open tasks (page 1)",
                lambda i: staff.call(
                    "GET",
                    "/api/tasks?" + urlencode({"unit_id": unit, "open": "true", "page_size": 25}),
                ),
                requests,
            ),
            "tenant overdue": measure(
                "tenant overdue tasks",
                lambda i: office.call(
                    "GET", "/api/tasks?" + urlencode({"time_status": "overdue", "page_size": 25})
                ),
                requests,
            ),
            "task detail": measure(
                "task detail",
                lambda i: office.call("GET", f"/api/tasks/{tasks[i % len(tasks)]}"),
                requests,
            ),
            "create task": measure(
                "create task",
                lambda i: office.call(
                    "POST",
                    "/api/tasks",
                    {
                        "content": f"Nhiệm vụ đo hiệu năng {i}",
                        "lead_unit_id": unit,
                        "deadline": deadline,
                    },
                ),
                requests,
            ),
            "progress update": measure(
                "progress update",
                lambda i: staff.call(
                    "POST",
                    f"/api/tasks/{tasks[i % len(tasks)]}/progress",
                    {"text": f"Cập nhật {i}", "percent": i % 100},
                ),
                requests,
            ),
        }
        sessions = info["sessions"]  # type: ignore[index]
        pages = {
            "page: workbench": (sessions["office"], lambda i: "/workbench/"),
            "page: unit workspace": (sessions["staff"], lambda i: "/tasks/workspace/"),
            "page: task": (sessions["staff"], lambda i: f"/tasks/{tasks[i % len(tasks)]}/"),
            "page: task list search": (
                sessions["office"],
                lambda i: "/tasks/?" + urlencode({"q": "thu tuc hanh chinh"}),
            ),
            "page: overdue list": (sessions["office"], lambda i: "/tasks/?time_status=overdue"),
            "page: dashboard": (sessions["leader"], lambda i: "/dashboard/"),
        }
        for name, (session, path) in pages.items():
            browser = Client(port, "", session)
            results[name] = measure(
                name, lambda i, b=browser, p=path: b.call("GET", p(i)), max(20, requests // 4)
            )
    finally:
        server.terminate()
        server.wait()
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{engine}_{size}.json").write_text(json.dumps(results, indent=2))
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    for size in [int(s) for s in args.sizes.split(",")]:
        run_size(size, args.requests)


if __name__ == "__main__":
    main()
