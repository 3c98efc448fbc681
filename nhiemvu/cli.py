"""The `nhiemvu` console script: what an operator does, over Django's management commands.

nhiemvu run [--bind 127.0.0.1:8000] [--no-demo]   migrate, load demo data if empty, serve,
            [--no-worker]                            and run the background worker beside it
nhiemvu worker [--once]                              reminder sweep and email sender
nhiemvu demo [--tasks N] [--reset]                   load or regenerate demo data
nhiemvu createuser USERNAME --unit NAME --role R     create a user
nhiemvu calendar add-workdays 2025-01-24 1           working-day arithmetic
nhiemvu calendar holidays 2026                       the year's days off
nhiemvu calendar recount                             recount stored dates after an upgrade
nhiemvu <any manage.py command>                      e.g. migrate, createsuperuser
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nhiemvu.settings")
    import django
    from django.core.management import call_command, execute_from_command_line

    if not argv or argv[0] in {"-h", "--help", "help"}:
        print(__doc__)
        return
    django.setup()
    if argv[0] == "run":
        bind = "127.0.0.1:8000"
        if "--bind" in argv:
            bind = argv[argv.index("--bind") + 1]
        call_command("buildmessages")
        call_command("migrate", interactive=False, verbosity=0)
        if "--no-demo" not in argv:
            call_command("demo", if_empty=True)
        print(f"nhiemvu: http://{bind}/  (demo users: README.md)", flush=True)
        # Reminders and emails run beside the web server, with no other server needed.
        worker = None
        if "--no-worker" not in argv:
            worker = subprocess.Popen([sys.executable, "-m", "nhiemvu.cli", "worker"])
            # A SIGTERM to `nhiemvu run` stops the worker too (through the `finally` below).
            signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
        try:
            execute_from_command_line(["nhiemvu", "runserver", bind, "--noreload"])
        finally:
            if worker is not None:
                worker.terminate()
                worker.wait(timeout=30)
        return
    execute_from_command_line(["nhiemvu", *argv])


if __name__ == "__main__":
    main()
