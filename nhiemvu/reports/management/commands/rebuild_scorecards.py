import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from nhiemvu.core.models import Tenant
from nhiemvu.reports import ledger


class Command(BaseCommand):
    help = (
        "Recount the scorecard ledger of one tenant (or all) from its tasks: after a bulk "
        "load of tasks, or after deleting tasks."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("tenant", nargs="?", help="tenant code (default: every tenant)")

    def handle(self, *args: Any, **options: Any) -> None:
        tenants = Tenant.objects.all()
        if options["tenant"]:
            tenants = tenants.filter(code=options["tenant"])
        for tenant in tenants:
            started = time.perf_counter()
            count = ledger.rebuild(tenant.pk)
            took = time.perf_counter() - started
            self.stdout.write(f"{tenant.code}: {count} tasks counted in {took:.1f} s")
