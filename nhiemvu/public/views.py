"""The public portal (R16.2, S1): published results, open without sign-in, read-only.

Everything here is rendered from stored publications (frozen snapshots), never from live
tasks: what was published stays what the public sees, and each correction is a new version
shown next to the earlier ones.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Max
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from nhiemvu.core.models import Tenant
from nhiemvu.reports import publication as publishing
from nhiemvu.reports.models import Publication, ReportingPeriod
from nhiemvu.reports.report_views import NAMES, columns, png, table_rows

CACHE = "public, max-age=300"


def _tenant(code: str) -> Tenant:
    found = Tenant.objects.filter(code=code).first()
    if found is None:
        raise Http404
    return found


def _publication(code: str, period_id: int, version: int | None) -> Publication:
    tenant = _tenant(code)
    qs = Publication.objects.select_related("period", "tenant").filter(
        tenant=tenant, period_id=period_id
    )
    found = qs.filter(version=version).first() if version else qs.order_by("-version").first()
    if found is None:
        raise Http404
    return found


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """Authorities that have published results (straight to the only one, if one)."""
    tenants = list(Tenant.objects.filter(pk__in=Publication.objects.values("tenant_id")))
    if len(tenants) == 1:
        return redirect("public:tenant", tenants[0].code)
    return render(request, "public/index.html", {"tenants": tenants})


@require_GET
def tenant_page(request: HttpRequest, code: str) -> HttpResponse:
    """An authority's published periods, newest first, with their latest version."""
    tenant = _tenant(code)
    periods = (
        ReportingPeriod.objects.filter(tenant=tenant, publications__isnull=False)
        .annotate(last_version=Max("publications__version"))
        .order_by("-end", "-id")
    )
    return render(request, "public/tenant.html", {"tenant": tenant, "periods": periods})


@require_GET
def publication_page(
    request: HttpRequest, code: str, period_id: int, version: int | None = None
) -> HttpResponse:
    """One published version: the ranking, every unit's figures, leaders, fields, charts and
    the downloads; the other versions listed with what each corrected."""
    shown = _publication(code, period_id, version)
    data: dict[str, Any] = shown.snapshot
    versions = Publication.objects.filter(period_id=shown.period_id).order_by("-version")
    response = render(
        request,
        "public/publication.html",
        {
            "tenant": shown.tenant,
            "publication": shown,
            "data": data,
            "as_of": dt.date.fromisoformat(data["as_of"]),
            "versions": versions,
            "latest": versions[0].version,
            "columns": columns(),
            "units": table_rows(data["units"], NAMES["unit"]),
            "leaders": table_rows(data["leaders"], NAMES["leader"]),
            "fields": table_rows(data["fields"], NAMES["field"]),
            "name_unit": _("Unit"),
            "name_leader": _("Assigning leader"),
            "name_field": _("Field"),
        },
    )
    response["Cache-Control"] = CACHE
    return response


@require_GET
def data_csv(request: HttpRequest, code: str, period_id: int, version: int) -> HttpResponse:
    shown = _publication(code, period_id, version)
    response = HttpResponse(
        publishing.to_csv(shown.snapshot), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{code}-{period_id}-v{version}.csv"'
    response["Cache-Control"] = CACHE
    return response


@require_GET
def data_json(request: HttpRequest, code: str, period_id: int, version: int) -> HttpResponse:
    shown = _publication(code, period_id, version)
    response = HttpResponse(publishing.to_json(shown), content_type="application/json")
    response["Content-Disposition"] = f'inline; filename="{code}-{period_id}-v{version}.json"'
    response["Cache-Control"] = CACHE
    return response


@require_GET
def chart(request: HttpRequest, code: str, period_id: int, version: int, name: str) -> HttpResponse:
    response = png(_publication(code, period_id, version).snapshot, name)
    response["Cache-Control"] = CACHE
    return response
