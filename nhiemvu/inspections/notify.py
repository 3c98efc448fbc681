"""Inspection notifications, written through the notifications outbox (`outbox.write`).

The outbox knows tasks, documents and letters; an inspection notice names its object
"inspection:<id>" and links to the inspection page through `InspectionDraft`. Its texts are
registered in the outbox's composers when the app is ready (`apps.py`), until the
notifications app lists these rules itself.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from nhiemvu.accounts.models import Role, User
from nhiemvu.notifications import outbox
from nhiemvu.notifications.outbox import Draft, link_to

if TYPE_CHECKING:
    from .models import Inspection

NOTICE = "inspection.notice"
DELIVERED = "inspection.report_delivered"
REPORT_DUE = "inspection.report_due"


@dataclass
class InspectionDraft(Draft):
    """A notification about an inspection rather than a task."""

    inspection_id: int = 0

    @property
    def object_key(self) -> str:
        return f"inspection:{self.inspection_id}"

    @property
    def link(self) -> str:
        return link_to("inspections:detail", self.inspection_id)


def _day(value: Any) -> str:
    if isinstance(value, str) and value:
        value = dt.date.fromisoformat(value)
    return value.strftime("%d/%m/%Y") if isinstance(value, dt.date) else ""


def _notice(c: dict[str, Any]) -> tuple[str, str]:
    subject = _("Inspection of %(unit)s by the Working Group") % {"unit": c["unit"]}
    body = _(
        "The Chairman's Working Group will inspect %(unit)s from %(start)s to %(end)s. "
        "Prepare a report and provide the documents it asks for on the inspection page."
    ) % {"unit": c["unit"], "start": _day(c["start"]), "end": _day(c["end"])}
    return subject, body


def _delivered(c: dict[str, Any]) -> tuple[str, str]:
    subject = _("Inspection report %(number)s on %(unit)s") % {
        "number": c["number"],
        "unit": c["unit"],
    }
    body = _(
        "The Working Group delivered its report %(number)s on the inspection of %(unit)s, "
        "with %(count)s recommendations to follow up."
    ) % {"number": c["number"], "unit": c["unit"], "count": c["count"]}
    return subject, body


def _report_due(c: dict[str, Any]) -> tuple[str, str]:
    subject = _("Inspection report on %(unit)s due %(due)s") % {
        "unit": c["unit"],
        "due": _day(c["due"]),
    }
    if c["days"] > 0:
        body = _(
            "The report on the inspection of %(unit)s is due in %(days)s working days, "
            "on %(due)s (10 working days after the inspection ended)."
        )
    elif c["days"] == 0:
        body = _("The report on the inspection of %(unit)s is due today, %(due)s.")
    else:
        body = _(
            "The report on the inspection of %(unit)s was due on %(due)s and is not issued yet."
        )
    return subject, body % {"unit": c["unit"], "due": _day(c["due"]), "days": abs(c["days"])}


COMPOSERS = {NOTICE: _notice, DELIVERED: _delivered, REPORT_DUE: _report_due}


def register() -> None:
    """Add these texts to the outbox's composers (called from `InspectionsConfig.ready`)."""
    from nhiemvu.notifications import texts

    for rule, composer in COMPOSERS.items():
        texts.COMPOSERS.setdefault(rule, composer)  # type: ignore[arg-type]


def unit_people(unit_id: int) -> list[User]:
    return list(
        User.objects.filter(unit_id=unit_id, is_active=True)
        .filter(roles__icontains=f'"{Role.UNIT_STAFF}"')
        .union(
            User.objects.filter(unit_id=unit_id, is_active=True).filter(
                roles__icontains=f'"{Role.UNIT_HEAD}"'
            )
        )
        .order_by("id")
    )


def committee_people(tenant_id: int) -> list[User]:
    """The Chairman and Vice Chairmen, and the Office's leaders (the report goes to them)."""
    qs = User.objects.filter(tenant_id=tenant_id, is_active=True)
    leaders = qs.filter(roles__icontains=f'"{Role.LEADER}"')
    office = qs.filter(roles__icontains=f'"{Role.OFFICE_LEADER}"')
    return list(leaders.union(office).order_by("id"))


def send(
    inspection: Inspection,
    rule: str,
    occurrence: str,
    people: Iterable[User],
    context: dict[str, Any],
    *,
    exclude: int | None = None,
) -> int:
    drafts = [
        InspectionDraft(person, rule, occurrence, context, inspection_id=inspection.pk)
        for person in outbox.unique_people(people, exclude=exclude)
    ]
    return outbox.write(inspection.tenant, drafts)
