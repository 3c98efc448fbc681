"""All of a period's results as one JSON-ready dict: the form pages, documents, open data and
publications share. A publication stores exactly this dict, so a published page and its
downloads are rendered from frozen data, never from the live tasks.

Shape (schema 1): period, as_of, formula, totals, units (ranked), leaders, fields, documents,
must_explain, trend (on-time and late completions per month, last 12 months to as_of).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from nhiemvu.core import clock
from nhiemvu.tasks.enums import TaskState, TimeStatus
from nhiemvu.tasks.models import Field

from . import ledger, scorecards
from .models import ReportingSettings, ScoreBucket
from .scorecards import COUNTS, Formula, Window

if TYPE_CHECKING:
    from .models import ReportingPeriod

SCHEMA = 1


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _unit_rows(tenant_id: int, figures: dict[int, dict[str, Any]]) -> list[dict[str, Any]]:
    from nhiemvu.units.models import Unit

    units = Unit.objects.filter(tenant_id=tenant_id, pk__in=list(figures)).only(
        "name", "short_name", "kind"
    )
    rows = []
    for unit in units:
        row = {
            "id": unit.pk,
            "name": unit.name,
            "short_name": unit.short_name or unit.name,
            "kind": unit.kind,
        }
        row.update(figures[unit.pk])
        rows.append(row)
    return rows


def _leader_rows(tenant_id: int, figures: dict[int, dict[str, Any]]) -> list[dict[str, Any]]:
    from nhiemvu.accounts.models import User

    people = {u.pk: u for u in User.objects.filter(tenant_id=tenant_id, pk__in=list(figures))}
    rows = []
    for key, values in figures.items():
        person = people.get(key)
        name = (person.get_full_name() or person.username) if person else ""
        rows.append({"id": key, "name": name, "title": person.title if person else "", **values})
    return sorted(rows, key=lambda r: (r["id"] == 0, -r["active"], r["name"]))


def _field_rows(tenant_id: int, figures: dict[int, dict[str, Any]]) -> list[dict[str, Any]]:
    names = dict(Field.objects.filter(tenant_id=tenant_id).values_list("pk", "name"))
    rows = [{"id": key, "name": names.get(key, ""), **values} for key, values in figures.items()]
    return sorted(rows, key=lambda r: (r["id"] == 0, -r["active"], r["name"]))


def _document_rows(tenant_id: int, figures: dict[int, dict[str, Any]]) -> list[dict[str, Any]]:
    from nhiemvu.documents.models import Document

    docs = {
        doc.pk: doc
        for doc in Document.objects.filter(tenant_id=tenant_id, pk__in=list(figures)).only(
            "number", "subject", "issued_on", "doc_type"
        )
    }
    rows = []
    for key, values in figures.items():
        doc = docs.get(key)
        rows.append(
            {
                "id": key,
                "number": doc.number if doc else "",
                "subject": doc.subject if doc else "",
                "issued_on": _iso(doc.issued_on) if doc else None,
                **values,
            }
        )
    return sorted(rows, key=lambda r: (r["id"] == 0, -r["overdue"], -r["active"], r["number"]))


def totals(units: list[dict[str, Any]]) -> dict[str, Any]:
    """The tenant's totals: every counted task has exactly one lead unit."""
    row: dict[str, Any] = {name: sum(u[name] for u in units) for name in COUNTS}
    fell_due = row["done_on_time"] + row["done_late"] + row["overdue"]
    row["rate"] = round(100 * row["done_on_time"] / fell_due, 1) if fell_due else None
    return row


def _months(as_of: dt.date, count: int) -> list[dt.date]:
    first = as_of.replace(day=1)
    months = [first]
    for _i in range(count - 1):
        first = (first - dt.timedelta(days=1)).replace(day=1)
        months.append(first)
    return months[::-1]


def trend(tenant_id: int, as_of: dt.date, count: int = 12) -> list[dict[str, Any]]:
    """Tasks completed on time and late per month over the `count` months to `as_of`
    (the last month up to `as_of` only)."""
    months = _months(as_of, count)
    found: dict[dt.date, list[int]] = {m: [0, 0] for m in months}
    if ledger.catch_up(tenant_id):
        rows = (
            ScoreBucket.objects.filter(tenant_id=tenant_id, kind="u")
            .filter(
                Q(level="m", bucket__gte=months[0], bucket__lt=months[-1])
                | Q(level="d", bucket__gte=months[-1], bucket__lte=as_of)
            )
            .order_by()
            .values("level", "bucket")
            .annotate(on_time=Sum("done_on_time"), late=Sum("done_late"))
        )
        for r in rows:
            month = r["bucket"].replace(day=1)
            found[month][0] += r["on_time"]
            found[month][1] += r["late"]
    else:
        direct = (
            scorecards.counted_tasks(tenant_id)
            .filter(state=TaskState.COMPLETED, completed_on__gte=months[0], completed_on__lte=as_of)
            .annotate(month=TruncMonth("completed_on"))
            .order_by()
            .values("month")
            .annotate(
                on_time=Count("pk", filter=Q(final_time_status=TimeStatus.COMPLETED_ON_TIME)),
                late=Count("pk", filter=Q(final_time_status=TimeStatus.COMPLETED_LATE)),
            )
        )
        for found_row in direct:
            values: dict[str, Any] = dict(found_row)
            month = values["month"]
            month = month.date() if isinstance(month, dt.datetime) else month
            found[month] = [values["on_time"], values["late"]]
    return [{"month": f"{m:%Y-%m}", "on_time": found[m][0], "late": found[m][1]} for m in months]


def build(
    period: ReportingPeriod, today: dt.date | None = None, *, documents: bool = True
) -> dict[str, Any]:
    """Every figure of `period` as seen today (as-of day = min(period end, today))."""
    today = today or clock.today()
    tenant_id = period.tenant_id
    w = Window.of(period, today)
    rules = ReportingSettings.of(period.tenant)
    formula = Formula.of(rules)
    units = scorecards.rank(
        _unit_rows(tenant_id, scorecards.figures(tenant_id, w, "unit")), formula
    )
    result: dict[str, Any] = {
        "schema": SCHEMA,
        "tenant": {"code": period.tenant.code, "name": period.tenant.name},
        "period": {
            "id": period.pk,
            "name": period.name,
            "kind": period.kind,
            "start": _iso(period.start),
            "end": _iso(period.end),
            "unit_report_due": _iso(period.unit_report_due),
            "office_report_due": _iso(period.office_report_due),
        },
        "as_of": _iso(w.as_of),
        "computed_at": timezone.localtime(clock.now()).isoformat(timespec="seconds"),
        "formula": formula.as_dict(),
        "totals": totals(units),
        "units": units,
        "leaders": _leader_rows(tenant_id, scorecards.figures(tenant_id, w, "leader")),
        "fields": _field_rows(tenant_id, scorecards.figures(tenant_id, w, "field")),
        "documents": (
            _document_rows(tenant_id, scorecards.figures(tenant_id, w, "document"))
            if documents
            else []
        ),
        "must_explain": [
            {
                "id": u["id"],
                "name": u["name"],
                "overdue": u["overdue"],
                "cycle_missed": u["cycle_missed"],
                "returned2": u["returned2"],
            }
            for u in scorecards.must_explain(units)
        ],
        "trend": trend(tenant_id, w.as_of),
    }
    return result
