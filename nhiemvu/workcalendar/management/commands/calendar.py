"""`manage.py calendar`: working-day arithmetic and a tenant's special days from the shell.

    calendar add-workdays 2025-01-24 1 [--tenant CODE]    -> 2025-02-03
    calendar between 2025-01-20 2025-02-07                -> 9
    calendar holidays 2026                                -> each named day of 2026
    calendar add-day 2026-12-31 day_off "Nghỉ ..." --source "CV ..." --tenant CODE
    calendar remove-day 2026-12-31 --tenant CODE
    calendar recount [--tenant CODE]   -> after an upgrade that brings new official days

Without --tenant the only tenant is used if there is exactly one; otherwise the arithmetic
uses the national calendar alone, and add-day / remove-day refuse to guess.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from nhiemvu.core.errors import DomainError
from nhiemvu.core.models import Tenant
from nhiemvu.workcalendar import services
from nhiemvu.workcalendar.calendar import calendar_for
from nhiemvu.workcalendar.enums import DayKind
from nhiemvu.workcalendar.models import touch_calendar


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(
            _("%(value)s is not a date; write it as YYYY-MM-DD.") % {"value": text}
        ) from None


def _int(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise CommandError(_("%(value)s is not a whole number.") % {"value": text}) from None


def _tenant(code: str | None, *, required: bool) -> Tenant | None:
    """The tenant named by --tenant, else the only tenant, else None (or an error if required)."""
    if code:
        try:
            return Tenant.objects.get(code=code)
        except Tenant.DoesNotExist:
            raise CommandError(
                _("There is no tenant with the code %(code)s.") % {"code": code}
            ) from None
    tenants = list(Tenant.objects.all()[:2])
    if len(tenants) == 1:
        return tenants[0]
    if required:
        raise CommandError(_("Say which tenant with --tenant CODE."))
    return None


class Command(BaseCommand):
    help = "Working days: add-workdays, between, holidays, add-day, remove-day, recount."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")

        def action(name: str, help: str) -> CommandParser:
            sub: CommandParser = actions.add_parser(name, help=help)
            sub.add_argument("--tenant", metavar="CODE", help="the tenant's code")
            return sub

        add = action("add-workdays", "the date N working days after DATE (before it if N < 0)")
        add.add_argument("date", metavar="DATE")
        add.add_argument("n", metavar="N")
        between = action("between", "the number of working days in (START, END]")
        between.add_argument("start", metavar="START")
        between.add_argument("end", metavar="END")
        year = action("holidays", "the days off and make-up working days of YEAR")
        year.add_argument("year", metavar="YEAR")
        day = action("add-day", "make DATE a day off or a working day for the tenant")
        day.add_argument("date", metavar="DATE")
        day.add_argument("kind", choices=DayKind.values)
        day.add_argument("name", metavar="NAME")
        day.add_argument("--source", default="", help="the notice, e.g. CV 12729/VPCP-KGVX")
        remove = action("remove-day", "drop the tenant's own setting for DATE")
        remove.add_argument("date", metavar="DATE")
        action("recount", "recount stored due-soon days and intake deadlines (after an upgrade)")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        code = options.get("tenant")
        if action == "add-workdays":
            cal = calendar_for(_tenant(code, required=False))
            result = cal.add_working_days(_date(options["date"]), _int(options["n"]))
            self.stdout.write(result.isoformat())
        elif action == "between":
            cal = calendar_for(_tenant(code, required=False))
            count = cal.working_days_between(_date(options["start"]), _date(options["end"]))
            self.stdout.write(str(count))
        elif action == "holidays":
            self._holidays(_tenant(code, required=False), _int(options["year"]))
        elif action == "add-day":
            tenant = _tenant(code, required=True)
            assert tenant is not None
            try:
                day = services.set_day(
                    tenant,
                    _date(options["date"]),
                    options["kind"],
                    name=options["name"],
                    source=options["source"],
                )
            except DomainError as error:
                raise CommandError(str(error.message)) from None
            self.stdout.write(_("Saved for %(tenant)s: %(day)s") % {"tenant": tenant, "day": day})
        elif action == "recount":
            self._recount(code)
        elif action == "remove-day":
            tenant = _tenant(code, required=True)
            assert tenant is not None
            date = _date(options["date"])
            if not services.remove_day(tenant, date):
                raise CommandError(
                    _("%(tenant)s has no day of its own on %(date)s.")
                    % {"tenant": tenant, "date": date.isoformat()}
                )
            self.stdout.write(
                _("Removed %(date)s for %(tenant)s.") % {"tenant": tenant, "date": date.isoformat()}
            )

    def _recount(self, code: str | None) -> None:
        """The national layers of the calendar (the `holidays` package, the official days)
        come with a release: recount what was stored under the previous one."""
        tenants = [_tenant(code, required=True)] if code else list(Tenant.objects.all())
        for tenant in tenants:
            assert tenant is not None
            with transaction.atomic():
                moved = touch_calendar([tenant.pk])
            self.stdout.write(
                _("%(tenant)s: dates recounted, %(count)s changed.")
                % {"tenant": tenant, "count": moved}
            )

    def _holidays(self, tenant: Tenant | None, year: int) -> None:
        """One line per named day: date, weekday, name, and the notice when there is one."""
        if not dt.MINYEAR < year < dt.MAXYEAR:
            raise CommandError(_("%(value)s is not a year.") % {"value": year})
        for day in calendar_for(tenant).special_days(year):
            weekday = date_format(day.date, "D")
            line = f"{day.date.isoformat()}  {weekday}  {day.name}"
            if not day.is_day_off:
                line = _("%(date)s  %(weekday)s  working day: %(name)s") % {
                    "date": day.date.isoformat(),
                    "weekday": weekday,
                    "name": day.name,
                }
            if day.source:
                line += f"  [{day.source}]"
            self.stdout.write(line)
