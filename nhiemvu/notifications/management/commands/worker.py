"""`manage.py worker [--once]`: the background worker. No broker, no other server.

Loop (healthchecks' `sendalerts` pattern):
1. every `--sweep-every` seconds, sweep each tenant whose morning hour has come (a sweep that
   already ran today writes nothing new, so restarts and several workers are harmless);
2. send due emails one claim at a time until none is due;
3. sleep `--sleep` seconds when idle; stop cleanly on SIGTERM or Ctrl-C, after the current item.

Several workers may run at once, on PostgreSQL or SQLite: rows are claimed, never shared.
"""

from __future__ import annotations

import signal
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections, connection

from nhiemvu.notifications import jobs
from nhiemvu.notifications.channels import email_channel


class Command(BaseCommand):
    help = "Run the reminder sweep and send notification emails (--once: one round, then exit)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="one sweep and send, then exit")
        parser.add_argument(
            "--sleep", type=float, default=5.0, help="seconds to wait when idle (default 5)"
        )
        parser.add_argument(
            "--sweep-every",
            type=float,
            default=600.0,
            help="seconds between sweeps (default 600)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self.stopping = False
        previous = {sig: signal.signal(sig, self.stop) for sig in (signal.SIGTERM, signal.SIGINT)}
        channel = email_channel()
        last_sweep = float("-inf")
        try:
            while not self.stopping:
                if not connection.in_atomic_block:  # (never, except under a test's transaction)
                    close_old_connections()
                if time.monotonic() - last_sweep >= options["sweep_every"]:
                    written = jobs.sweep_due()
                    last_sweep = time.monotonic()
                    if written:
                        self.stdout.write(f"sweep: {written} notifications")
                sent = 0
                while not self.stopping and jobs.handle_one_due(channel):
                    sent += 1
                if sent:
                    self.stdout.write(f"sent: {sent}")
                if options["once"]:
                    break
                self.idle(options["sleep"])
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    def stop(self, signum: int, frame: Any) -> None:
        self.stdout.write("stopping after the current item")
        self.stopping = True

    def idle(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while not self.stopping and time.monotonic() < deadline:
            time.sleep(min(0.5, seconds))
