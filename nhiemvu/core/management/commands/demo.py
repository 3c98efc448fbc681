import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from nhiemvu.core import demo
from nhiemvu.core.models import Tenant


class Command(BaseCommand):
    help = (
        "Load (or regenerate) the Thanh Hóa demo tenant: its units, a user for every role "
        f"(password {demo.DEMO_PASSWORD}) and two years of documents and tasks; "
        "--tasks N adds N tasks for benchmarks."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--reset", action="store_true", help="replace the demo tenant")
        parser.add_argument("--if-empty", action="store_true", help="do nothing if it exists")
        parser.add_argument(
            "--documents",
            type=int,
            default=100,
            help="documents to simulate over two years (default 100, about 4 tasks each)",
        )
        parser.add_argument("--tasks", type=int, default=0, help="extra bulk tasks")

    def handle(self, *args: Any, **o: Any) -> None:
        exists = Tenant.objects.filter(code=demo.TENANT_CODE).exists()
        if exists and o["if_empty"]:
            return
        started = time.perf_counter()
        if exists and not o["reset"]:
            if o["tasks"]:
                demo.bulk_tasks(
                    Tenant.objects.get(code=demo.TENANT_CODE), o["tasks"], self.stdout.write
                )
                return
            self.stdout.write("The demo tenant exists; use --reset to replace it.")
            return
        demo.reset()
        demo.load(log=self.stdout.write, documents=o["documents"], tasks=o["tasks"])
        self.stdout.write(f"Done in {time.perf_counter() - started:.1f} s.")
