from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from nhiemvu.accounts.models import Role, User
from nhiemvu.core.models import Tenant
from nhiemvu.core.text import fold
from nhiemvu.units.models import Unit


class Command(BaseCommand):
    help = "Create a user in a unit with one or more roles."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--tenant", help="tenant code (default: the only tenant)")
        parser.add_argument("--unit", required=True, help="unit name, short name or alias")
        parser.add_argument("--role", action="append", required=True, choices=Role.values)
        parser.add_argument("--password", required=True)
        parser.add_argument("--name", default="")
        parser.add_argument("--email", default="")

    def handle(self, *args: Any, **o: Any) -> None:
        tenants = Tenant.objects.filter(code=o["tenant"]) if o["tenant"] else Tenant.objects.all()
        if tenants.count() != 1:
            raise CommandError("Name the tenant with --tenant CODE.")
        tenant = tenants.get()
        wanted = fold(o["unit"])
        units = [
            u
            for u in Unit.objects.filter(tenant=tenant)
            if wanted in {fold(u.name), fold(u.short_name), *map(fold, u.aliases)}
        ]
        if len(units) != 1:
            raise CommandError(f"No single unit is called {o['unit']!r} ({len(units)} found).")
        if User.objects.filter(username=o["username"]).exists():
            raise CommandError(f"User {o['username']!r} exists already.")
        first, _sep, last = o["name"].rpartition(" ")
        with transaction.atomic():
            user = User.objects.create_user(
                o["username"],
                o["email"],
                o["password"],
                tenant=tenant,
                unit=units[0],
                roles=o["role"],
                first_name=first,
                last_name=last,
                is_staff=Role.ADMINISTRATOR in o["role"],
                is_superuser=Role.ADMINISTRATOR in o["role"],
            )
        self.stdout.write(f"{user.username} ({', '.join(o['role'])}) @ {units[0].name}")
