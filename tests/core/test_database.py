"""How the app talks to its database."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL setting")
def test_the_apps_postgresql_connections_run_queries_without_parallel_workers(db: Any) -> None:
    """Starting parallel workers costs more than a page's short queries take to run
    (`DB_PARALLEL_WORKERS`, default 0, see the README)."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW max_parallel_workers_per_gather")
        assert cursor.fetchone() == ("0",)
