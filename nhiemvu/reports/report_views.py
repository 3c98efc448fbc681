"""Report pages for the Office and leaders (periods, scorecards, drill-down, consolidated
report, publication) and for units (their periodic report). Short views: an access check
that gives outsiders a 404, a form, a domain call, a redirect or a render."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from nhiemvu.core import clock
from nhiemvu.core.access import me
from nhiemvu.core.errors import DomainError
from nhiemvu.tasks.rules import is_unit_member
from nhiemvu.units.models import Unit

from . import charts, exports, forms, periods, publication, scorecards, snapshot, unit_reports
from .models import (
    ConsolidatedReport,
    ReportingPeriod,
    ReportingSettings,
    UnitReport,
    UnitReportState,
)
from .rules import can_manage, can_view_report, can_view_results, can_write_report

#: Columns of the scorecard tables, in order.
TABLE_COLUMNS = (
    "active",
    "assigned",
    "due",
    "done_on_time",
    "done_late",
    "overdue",
    "in_progress",
    "awaiting",
    "no_deadline",
    "cycle_missed",
    "returned",
    "returned2",
    "extensions",
)
FORMATS = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


def _results_viewer(request: HttpRequest) -> Any:
    user = me(request)
    if not can_view_results(user):
        raise Http404
    return user


def _period(request: HttpRequest, pk: int) -> ReportingPeriod:
    """The period of the user's own tenant, or 404."""
    user = me(request)
    if user.tenant_id is None:
        raise Http404
    found = (
        ReportingPeriod.objects.select_related("tenant")
        .filter(pk=pk, tenant_id=user.tenant_id)
        .first()
    )
    if found is None:
        raise Http404
    return found


def columns() -> list[tuple[str, Any]]:
    return [(name, scorecards.METRICS[name]) for name in TABLE_COLUMNS]


def table_rows(
    rows: list[dict[str, Any]], name_of: Any, link_of: Any = None
) -> list[dict[str, Any]]:
    """Rows ready for `reports/_figures.html`: each count with the link to its tasks."""
    return [
        {
            "name": name_of(row),
            "rank": row.get("rank"),
            "score": row.get("score"),
            "rate": row.get("rate"),
            "cells": [
                {
                    "value": row[name],
                    "link": link_of(row, name) if link_of and row[name] else None,
                    "label": scorecards.METRICS[name],
                }
                for name in TABLE_COLUMNS
            ],
        }
        for row in rows
    ]


def _drill(period: ReportingPeriod, dimension: str) -> Any:
    base = reverse("reports:period_tasks", args=[period.pk])

    def link(row: dict[str, Any], metric: str) -> str:
        return base + "?" + urlencode({"metric": metric, "by": dimension, "id": row["id"]})

    return link


def _leader_name(row: dict[str, Any]) -> str:
    if not row["id"]:
        return _("The People's Committee")
    return f"{row['title']} {row['name']}".strip()


def _document_name(row: dict[str, Any]) -> str:
    return row["number"] or _("No document")


NAMES = {
    "unit": lambda r: r["name"],
    "leader": _leader_name,
    "field": lambda r: r["name"] or _("No field"),
    "document": _document_name,
}
SECTIONS = {"unit": "units", "leader": "leaders", "field": "fields", "document": "documents"}


# --- periods -----------------------------------------------------------------------------


@login_required
def period_list(request: HttpRequest) -> HttpResponse:
    """Periods, newest first; the Office opens new ones. Unit staff see their reports."""
    user = me(request)
    viewer = can_view_results(user)
    if not viewer and not is_unit_member(user):
        raise Http404
    form = forms.NewPeriodForm(request.POST or None)
    if request.method == "POST":
        if not can_manage(user):
            raise Http404
        if form.is_valid():
            data = form.cleaned_data
            try:
                period = periods.create_period(
                    user.tenant,  # type: ignore[arg-type]
                    by=user,
                    kind=data["kind"],
                    year=data.get("year") or 0,
                    number=data.get("number") or 1,
                    start=data.get("start"),
                    end=data.get("end"),
                    name=data.get("name") or "",
                )
            except DomainError as error:
                form.add_error(error.field if error.field in form.fields else None, str(error))
            else:
                messages.success(request, _("The period was opened."))
                return redirect("reports:period", period.pk)
    items = ReportingPeriod.objects.filter(tenant_id=user.tenant_id or 0).prefetch_related(
        "publications"
    )
    reports = {}
    if user.unit_id:
        reports = {r.period_id: r for r in UnitReport.objects.filter(unit_id=user.unit_id)}
    rows = [{"period": p, "report": reports.get(p.pk)} for p in items]
    return render(
        request,
        "reports/periods.html",
        {
            "rows": rows,
            "form": form if can_manage(user) else None,
            "viewer": viewer,
            "unit_member": is_unit_member(user),
            "today": clock.today(),
        },
    )


@login_required
def settings_view(request: HttpRequest) -> HttpResponse:
    """The tenant's cutoffs, ranking weights and document header (Office only)."""
    user = me(request)
    if not can_manage(user) or user.tenant is None:
        raise Http404
    instance = ReportingSettings.of(user.tenant)
    form = forms.SettingsForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        saved = form.save(commit=False)
        saved.tenant = user.tenant
        saved.save()
        messages.success(request, _("Reporting settings saved."))
        return redirect("reports:settings")
    return render(request, "reports/settings.html", {"form": form})


@login_required
def period_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = me(request)
    if not can_manage(user):
        raise Http404
    period = _period(request, pk)
    form = forms.CutoffsForm(
        request.POST or None,
        initial={
            "name": period.name,
            "unit_report_due": period.unit_report_due,
            "office_report_due": period.office_report_due,
        },
    )
    if request.method == "POST" and form.is_valid():
        periods.edit_cutoffs(period, by=user, **form.cleaned_data)
        messages.success(request, _("Saved."))
        return redirect("reports:period", period.pk)
    return render(request, "reports/period_edit.html", {"period": period, "form": form})


@login_required
def period_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A period's scorecards by unit (ranked), leader, field or document, each figure a link
    to its tasks; who must explain; who reported; publications; downloads."""
    user = _results_viewer(request)
    period = _period(request, pk)
    dimension = request.GET.get("by", "unit")
    if dimension not in scorecards.DIMENSIONS:
        dimension = "unit"
    data = snapshot.build(period, documents=dimension == "document")
    rows = table_rows(data[SECTIONS[dimension]], NAMES[dimension], _drill(period, dimension))
    expected = unit_reports.who_reported(period, clock.today())
    return render(
        request,
        "reports/period.html",
        {
            "period": period,
            "data": data,
            "as_of": dt.date.fromisoformat(data["as_of"]),
            "dimension": dimension,
            "dimensions": scorecards.DIMENSIONS,
            "ranked": dimension == "unit",
            "name_label": scorecards.DIMENSIONS[dimension],
            "columns": columns(),
            "rows": rows,
            "totals": data["totals"],
            "must_explain": data["must_explain"],
            "submitted": sum(1 for e in expected if e.state == UnitReportState.SUBMITTED),
            "expected": len(expected),
            "publications": period.publications.select_related("published_by"),
            "can_manage": can_manage(user),
            "publish_form": forms.PublishForm(),
            "formula": scorecards.weights_text(scorecards.Formula(**data["formula"])),
        },
    )


@login_required
def period_tasks(request: HttpRequest, pk: int) -> HttpResponse:
    """The tasks behind one figure (the drill-down)."""
    _results_viewer(request)
    period = _period(request, pk)
    metric = request.GET.get("metric", "")
    dimension = request.GET.get("by") or None
    if metric not in scorecards.COUNTS or (
        dimension is not None and dimension not in scorecards.DIMENSIONS
    ):
        raise Http404
    try:
        dim_id = int(request.GET.get("id", "0") or 0) if dimension else None
    except ValueError:
        raise Http404 from None
    today = clock.today()
    window = scorecards.Window.of(period, today)
    from nhiemvu.tasks.views import annotate, with_list_data

    qs = scorecards.tasks_behind(period.tenant_id, window, metric, dimension, dim_id)
    page = Paginator(with_list_data(qs.order_by("deadline", "id")), 50).get_page(
        request.GET.get("page")
    )
    annotate(list(page.object_list), today)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "reports/period_tasks.html",
        {
            "period": period,
            "metric": scorecards.METRICS[metric],
            "label": _dimension_label(period, dimension, dim_id),
            "page": page,
            "tasks": page.object_list,
            "query": query.urlencode(),
            "as_of": window.as_of,
        },
    )


def _dimension_label(period: ReportingPeriod, dimension: str | None, dim_id: int | None) -> str:
    if dimension is None or dim_id is None:
        return ""
    if dimension == "unit":
        unit = Unit.objects.filter(tenant_id=period.tenant_id, pk=dim_id).first()
        return unit.name if unit else ""
    if dimension == "leader":
        from nhiemvu.accounts.models import User

        person = User.objects.filter(tenant_id=period.tenant_id, pk=dim_id).first()
        return person.display_name if person else _("The People's Committee")
    if dimension == "field":
        from nhiemvu.tasks.models import Field

        found = Field.objects.filter(tenant_id=period.tenant_id, pk=dim_id).first()
        return found.name if found else _("No field")
    from nhiemvu.documents.models import Document

    doc = Document.objects.filter(tenant_id=period.tenant_id, pk=dim_id).first()
    return doc.number if doc else _("No document")


def chart_labels() -> dict[str, dict[str, str]]:
    return {
        "units": {
            "title": _("Completion by unit"),
            "on_time": _("Completed on time"),
            "late": _("Completed late"),
            "overdue": _("Overdue, not done"),
        },
        "trend": {
            "title": _("Tasks completed per month"),
            "on_time": _("On time"),
            "late": _("Late"),
            "rate": _("On-time share (%)"),
        },
    }


def png(data: dict[str, Any], name: str) -> HttpResponse:
    if name not in ("units", "trend"):
        raise Http404
    draw = charts.units_png if name == "units" else charts.trend_png
    response = HttpResponse(draw(data, chart_labels()[name]), content_type="image/png")
    response["Cache-Control"] = "private, max-age=60"
    return response


@login_required
def chart(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    _results_viewer(request)
    return png(snapshot.build(_period(request, pk), documents=False), name)


# --- unit reports ------------------------------------------------------------------------


@login_required
def unit_report_list(request: HttpRequest, pk: int) -> HttpResponse:
    """Who has and has not submitted the period's report."""
    _results_viewer(request)
    period = _period(request, pk)
    return render(
        request,
        "reports/unit_reports.html",
        {"period": period, "expected": unit_reports.who_reported(period, clock.today())},
    )


@login_required
def my_report(request: HttpRequest, pk: int) -> HttpResponse:
    user = me(request)
    if not is_unit_member(user) or user.unit_id is None:
        raise Http404
    period = _period(request, pk)
    return redirect("reports:unit_report", period.pk, user.unit_id)


@login_required
def unit_report(request: HttpRequest, pk: int, unit_id: int) -> HttpResponse:
    """A unit's report: the unit fills and submits it, the Office reads it."""
    user = me(request)
    period = _period(request, pk)
    unit = Unit.objects.filter(pk=unit_id, tenant_id=period.tenant_id).first()
    if unit is None:
        raise Http404
    report = unit_reports.report_for(period, unit)
    if not can_view_report(user, report):
        raise Http404
    today = clock.today()
    writable = can_write_report(user, unit) and report.state == UnitReportState.DRAFT
    listed = unit_reports.tasks_to_explain(period, unit, today) if writable else []
    form = forms.UnitReportForm(
        request.POST or None,
        task_ids=[t.task.pk for t in listed],
        initial={
            "results": report.results,
            "difficulties": report.difficulties,
            "proposals": report.proposals,
            **{f"explain_{k}": v for k, v in report.explanations.items()},
        },
    )
    if request.method == "POST":
        if not writable:
            raise Http404
        if form.is_valid():
            values = {
                "results": form.cleaned_data["results"],
                "difficulties": form.cleaned_data["difficulties"],
                "proposals": form.cleaned_data["proposals"],
                "explanations": form.explanations(),
            }
            try:
                if request.POST.get("action") == "submit":
                    unit_reports.submit(report, by=user, **values)
                    messages.success(request, _("The report was submitted to the Office."))
                else:
                    unit_reports.save_draft(report, by=user, **values)
                    messages.success(request, _("Draft saved."))
            except DomainError as error:
                form.add_error(None, str(error))
            else:
                return redirect("reports:unit_report", period.pk, unit.pk)
    for item in listed:
        item.field = form[f"explain_{item.task.pk}"]  # type: ignore[attr-defined]
    figures = (
        report.figures.get("figures")
        if report.state == UnitReportState.SUBMITTED
        else unit_reports.unit_figures(period, unit, today)
    )
    return render(
        request,
        "reports/unit_report.html",
        {
            "period": period,
            "unit": unit,
            "report": report,
            "writable": writable,
            "form": form,
            "listed": listed,
            "frozen_tasks": report.figures.get("tasks", []),
            "figures": [(scorecards.METRICS[n], (figures or {}).get(n, 0)) for n in TABLE_COLUMNS],
            "rate": (figures or {}).get("rate"),
            "can_send_back": can_manage(user) and report.state == UnitReportState.SUBMITTED,
            "reason_labels": {n: scorecards.METRICS[n] for n in unit_reports.REASONS},
        },
    )


@login_required
@require_POST
def send_back(request: HttpRequest, pk: int, unit_id: int) -> HttpResponse:
    user = me(request)
    if not can_manage(user):
        raise Http404
    period = _period(request, pk)
    report = period.unit_reports.filter(unit_id=unit_id).first()
    if report is None:
        raise Http404
    try:
        unit_reports.send_back(report, by=user, reason=request.POST.get("reason", ""))
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The report was sent back to the unit."))
    return redirect("reports:unit_report", period.pk, unit_id)


# --- consolidated report and publication --------------------------------------------------


@login_required
def consolidated(request: HttpRequest, pk: int) -> HttpResponse:
    """The consolidated report's header (number, date, signer, assessment) and downloads."""
    user = _results_viewer(request)
    period = _period(request, pk)
    header = ConsolidatedReport.objects.filter(period=period).first() or ConsolidatedReport(
        tenant_id=period.tenant_id, period=period
    )
    form = forms.ConsolidatedForm(request.POST or None, instance=header)
    if request.method == "POST":
        if not can_manage(user):
            raise Http404
        if form.is_valid():
            saved = form.save(commit=False)
            saved.updated_at = clock.now()
            saved.save()
            messages.success(request, _("Saved."))
            return redirect("reports:consolidated", period.pk)
    return render(
        request,
        "reports/consolidated.html",
        {
            "period": period,
            "form": form,
            "can_manage": can_manage(user),
            "published": publication.latest(period),
        },
    )


@login_required
def export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The consolidated report as .docx, .xlsx or .pdf: from the live figures, or from the
    latest publication with ?source=published."""
    _results_viewer(request)
    period = _period(request, pk)
    if fmt not in FORMATS:
        raise Http404
    published = publication.latest(period) if request.GET.get("source") == "published" else None
    data = published.snapshot if published else snapshot.build(period)
    header = ConsolidatedReport.objects.filter(period=period).first()
    doc = exports.outline(data, ReportingSettings.of(period.tenant), header)
    if fmt == "docx":
        content = exports.to_docx(doc)
    elif fmt == "pdf":
        content = exports.to_pdf(doc)
    else:
        content = exports.to_xlsx(doc, f"{exports.TITLE} {period.name}")
    response = HttpResponse(content, content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="bao-cao-{period.pk}.{fmt}"'
    return response


@login_required
@require_POST
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    user = me(request)
    if not can_manage(user):
        raise Http404
    period = _period(request, pk)
    form = forms.PublishForm(request.POST)
    form.is_valid()
    try:
        done = publication.publish(period, by=user, note=form.cleaned_data.get("note", ""))
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("Version %(version)s was published.") % {"version": done.version},
        )
    return redirect(reverse("reports:period", args=[period.pk]) + "#publications")
