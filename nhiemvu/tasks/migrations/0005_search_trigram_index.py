"""On PostgreSQL, a trigram index makes the accent-free word search (`search_text LIKE
%word%`) an index lookup instead of a scan. Needs the pg_trgm extension; where the database
user may not create it, the search still works, only slower (and a warning says so)."""

import logging

from django.db import migrations, transaction

log = logging.getLogger(__name__)


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except Exception as exc:  # noqa: BLE001 - permission denied is the expected failure
        log.warning("pg_trgm not available (%s): task search will scan", exc)
        return
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS task_search_trgm ON tasks_task "
        "USING gin (search_text gin_trgm_ops)"
    )


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS task_search_trgm")


class Migration(migrations.Migration):
    dependencies = [("tasks", "0004_updated_index")]
    operations = [migrations.RunPython(forwards, backwards)]
