"""On SQLite, a full-text table with the trigram tokenizer indexes `search_text`, so the
accent-free word search finds its candidates through the index instead of reading every task
(PostgreSQL has its trigram index, migration 0005). Triggers keep it in step with the tasks."""

from django.db import migrations

SQLITE = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS task_search USING fts5("
    "search_text, content='tasks_task', content_rowid='id', tokenize='trigram')",
    "CREATE TRIGGER IF NOT EXISTS task_search_insert AFTER INSERT ON tasks_task BEGIN "
    "INSERT INTO task_search(rowid, search_text) VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER IF NOT EXISTS task_search_delete AFTER DELETE ON tasks_task BEGIN "
    "INSERT INTO task_search(task_search, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); END",
    "CREATE TRIGGER IF NOT EXISTS task_search_update AFTER UPDATE OF search_text ON tasks_task "
    "BEGIN INSERT INTO task_search(task_search, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); "
    "INSERT INTO task_search(rowid, search_text) VALUES (new.id, new.search_text); END",
    "INSERT INTO task_search(task_search) VALUES ('rebuild')",
]


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE:
            schema_editor.execute(statement)


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "sqlite":
        for name in ("insert", "delete", "update"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS task_search_{name}")
        schema_editor.execute("DROP TABLE IF EXISTS task_search")


class Migration(migrations.Migration):
    dependencies = [("tasks", "0005_search_trigram_index")]
    operations = [migrations.RunPython(forwards, backwards)]
