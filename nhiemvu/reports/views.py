"""The leader dashboard: live totals, unit ranking, overdue by unit and assigner, fields,
monthly trend. Every figure links to the task list that shows the tasks behind it."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from nhiemvu.core import clock
from nhiemvu.core.access import me, tenant_id
from nhiemvu.tasks.enums import COLOURS, TimeStatus
from nhiemvu.tasks.rules import sees_whole_tenant, visible_tasks

from .dashboard import cached_figures


def _link(**params: Any) -> str:
    return reverse("tasks:list") + "?" + urlencode(params, doseq=True)


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    today = clock.today()
    user = me(request)
    whole = sees_whole_tenant(user)
    scope = "all" if whole else f"unit:{user.unit_id}"
    found = cached_figures(visible_tasks(user), tenant_id(user), today, whole, scope)
    cards: list[dict[str, Any]] = [
        {
            "status": TimeStatus(s),
            "count": n,
            "colour": COLOURS[TimeStatus(s)],
            "link": _link(time_status=s),
        }
        for s, n in found.totals.items()
    ]
    units = found.units
    ranked = sorted((u for u in units if u["due"]), key=lambda u: (-u["rate"], -u["due"]))
    for u in units:
        u["link"] = _link(unit=u["lead_unit__name"], role="lead")
        u["overdue_link"] = _link(unit=u["lead_unit__name"], role="lead", time_status="overdue")
    overdue_units = sorted((u for u in units if u["overdue"]), key=lambda u: -u["overdue"])[:15]
    assigners = found.assigners
    for a in assigners:
        a["name"] = a["name"] or _("The People's Committee")
        a["link"] = _link(
            time_status="overdue", **({"assigner_id": a["assigner_id"]} if a["assigner_id"] else {})
        )
    fields = found.fields
    for f in fields:
        f["name"] = f["field__name"] or _("No field")
        f["link"] = _link(field_id=f["field_id"]) if f["field_id"] else _link()
    trend = found.trend
    charts = {
        "status": {
            "type": "doughnut",
            "labels": [str(c["status"].label) for c in cards],
            "datasets": [
                {
                    "label": _("Tasks"),
                    "data": [c["count"] for c in cards],
                    "colors": [c["colour"] for c in cards],
                }
            ],
            "links": [c["link"] for c in cards],
        },
        "overdue_units": {
            "type": "bar",
            "horizontal": True,
            "labels": [u["name"] for u in overdue_units],
            "datasets": [
                {
                    "label": str(TimeStatus.OVERDUE.label),
                    "data": [u["overdue"] for u in overdue_units],
                    "color": COLOURS[TimeStatus.OVERDUE],
                }
            ],
            "links": [u["overdue_link"] for u in overdue_units],
        },
        "trend": {
            "type": "bar",
            "stacked": True,
            "labels": [f"{m['month']:%m/%Y}" for m in trend],
            "datasets": [
                {
                    "label": str(TimeStatus.COMPLETED_ON_TIME.label),
                    "data": [m["on_time"] for m in trend],
                    "color": COLOURS[TimeStatus.COMPLETED_ON_TIME],
                },
                {
                    "label": str(TimeStatus.COMPLETED_LATE.label),
                    "data": [m["late"] for m in trend],
                    "color": COLOURS[TimeStatus.COMPLETED_LATE],
                },
            ],
        },
    }
    return render(
        request,
        "reports/dashboard.html",
        {
            "cards": cards,
            "ranked": ranked[:20],
            "bottom": ranked[-10:][::-1] if len(ranked) > 20 else [],
            "overdue_units": overdue_units,
            "assigners": assigners,
            "fields": fields,
            "trend": trend,
            "charts": charts,
            "today": today,
        },
    )
