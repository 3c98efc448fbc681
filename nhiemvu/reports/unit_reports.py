"""Units' periodic reports (R17.4, R18.1): pre-filled figures and tasks, the unit's own
explanations, difficulties and proposals; submitted once, then frozen. The Office sees who
has and has not submitted, and can send a report back for correction (R7.1)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext as _

from nhiemvu.core import clock
from nhiemvu.core.errors import Conflict, DomainError, NotAllowed
from nhiemvu.core.history import record
from nhiemvu.tasks.models import Task
from nhiemvu.units.models import Unit

from . import scorecards
from .models import ReportingPeriod, UnitReport, UnitReportState
from .rules import can_manage, can_write_report
from .scorecards import Window

if TYPE_CHECKING:
    from nhiemvu.accounts.models import User

#: Why a task is on the unit's list to explain (R17.4), in the order they are shown.
REASONS = ("overdue", "done_late", "cycle_missed", "returned")


@dataclass
class TaskToExplain:
    task: Task
    reasons: list[str] = field(default_factory=list)


def report_for(period: ReportingPeriod, unit: Unit) -> UnitReport:
    """The unit's report for the period; a new unsaved draft if it has not started one."""
    found = UnitReport.objects.filter(period=period, unit=unit).first()
    return found or UnitReport(tenant_id=period.tenant_id, period=period, unit=unit)


def unit_figures(period: ReportingPeriod, unit: Unit, today: dt.date) -> dict[str, Any]:
    """The unit's scorecard row for the period (zeros if it had no task)."""
    w = Window.of(period, today)
    row = scorecards.figures(period.tenant_id, w, "unit").get(unit.pk)
    if row is None:
        row = dict.fromkeys(scorecards.COUNTS, 0)
        row["rate"] = None
    return row


def tasks_to_explain(period: ReportingPeriod, unit: Unit, today: dt.date) -> list[TaskToExplain]:
    """The unit's tasks it must explain: overdue, completed late, periodic update missed,
    returned for rework. One query per reason, each the same filter as the figure."""
    w = Window.of(period, today)
    found: dict[int, TaskToExplain] = {}
    for reason in REASONS:
        qs = scorecards.tasks_behind(period.tenant_id, w, reason, "unit", unit.pk)
        for task in qs.select_related("document").order_by("deadline", "id"):
            found.setdefault(task.pk, TaskToExplain(task)).reasons.append(reason)
    return sorted(found.values(), key=lambda t: (t.task.deadline or dt.date.max, t.task.pk))


def _check_writer(report: UnitReport, by: User) -> None:
    if not can_write_report(by, report.unit):
        raise NotAllowed(_("Only the unit's own staff write its report."))
    if report.state != UnitReportState.DRAFT:
        raise Conflict(_("This report has been submitted and can no longer be changed."))


def _fill(
    report: UnitReport,
    *,
    results: str,
    difficulties: str,
    proposals: str,
    explanations: dict[str, str],
) -> None:
    report.results = results.strip()
    report.difficulties = difficulties.strip()
    report.proposals = proposals.strip()
    report.explanations = {str(k): v.strip() for k, v in explanations.items() if v.strip()}
    report.updated_at = clock.now()


@transaction.atomic
def save_draft(
    report: UnitReport,
    *,
    by: User,
    results: str = "",
    difficulties: str = "",
    proposals: str = "",
    explanations: dict[str, str] | None = None,
) -> UnitReport:
    """Keep the unit's text without submitting it."""
    if report.pk:
        report = UnitReport.objects.select_for_update().get(pk=report.pk)
    _check_writer(report, by)
    _fill(
        report,
        results=results,
        difficulties=difficulties,
        proposals=proposals,
        explanations=explanations or {},
    )
    report.save()
    return report


@transaction.atomic
def submit(
    report: UnitReport,
    *,
    by: User,
    results: str = "",
    difficulties: str = "",
    proposals: str = "",
    explanations: dict[str, str] | None = None,
) -> UnitReport:
    """Submit the report: its figures and task list are frozen as they are now.

    1. Every overdue task needs an explanation (R17.4); otherwise refuse, naming none saved.
    2. Freeze the unit's figures and the tasks with their reasons and explanations.
    3. Record `unit_report.submitted` in the history.
    """
    if report.pk:
        report = UnitReport.objects.select_for_update().get(pk=report.pk)
    _check_writer(report, by)
    today = clock.today()
    _fill(
        report,
        results=results,
        difficulties=difficulties,
        proposals=proposals,
        explanations=explanations or {},
    )
    listed = tasks_to_explain(report.period, report.unit, today)
    missing = [
        t for t in listed if "overdue" in t.reasons and not report.explanations.get(str(t.task.pk))
    ]
    if missing:
        raise DomainError(
            _("Explain every overdue task before submitting (%(count)s without explanation).")
            % {"count": len(missing)},
            field="explanations",
        )
    report.figures = {
        "as_of": min(report.period.end, today).isoformat(),
        "figures": unit_figures(report.period, report.unit, today),
        "tasks": [
            {
                "id": t.task.pk,
                "content": t.task.content,
                "document": t.task.document.number if t.task.document else "",
                "deadline": t.task.deadline.isoformat() if t.task.deadline else None,
                "reasons": t.reasons,
                "explanation": report.explanations.get(str(t.task.pk), ""),
            }
            for t in listed
        ],
    }
    report.state = UnitReportState.SUBMITTED
    report.submitted_at = clock.now()
    report.submitted_by = by
    report.save()
    record(report, "unit_report.submitted", actor=by, period=report.period.name)
    return report


@transaction.atomic
def send_back(report: UnitReport, *, by: User, reason: str) -> UnitReport:
    """The Office returns a submitted report for correction (R7.1), with a reason."""
    if not can_manage(by) or by.tenant_id != report.tenant_id:
        raise NotAllowed(_("Only the Office can send a report back."))
    report = UnitReport.objects.select_for_update().get(pk=report.pk)
    if report.state != UnitReportState.SUBMITTED:
        raise Conflict(_("Only a submitted report can be sent back."))
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("This field is required."), field="reason")
    report.state = UnitReportState.DRAFT
    report.updated_at = clock.now()
    report.save(update_fields=["state", "updated_at"])
    record(report, "unit_report.sent_back", actor=by, reason=reason)
    return report


@dataclass
class Expected:
    unit: Unit
    report: UnitReport | None
    active: int

    @property
    def state(self) -> str:
        return self.report.state if self.report else "missing"

    @property
    def on_time(self) -> bool | None:
        return self.report.submitted_on_time if self.report else None


def who_reported(period: ReportingPeriod, today: dt.date) -> list[Expected]:
    """Every unit expected to report (it had tasks in the period, or started a report),
    with its report if any: submitted first, then drafts, then missing."""
    w = Window.of(period, today)
    figures = scorecards.figures(period.tenant_id, w, "unit")
    reports = {r.unit_id: r for r in period.unit_reports.select_related("unit", "submitted_by")}
    units = Unit.objects.filter(tenant_id=period.tenant_id, pk__in=set(figures) | set(reports))
    rows = [
        Expected(unit, reports.get(unit.pk), figures.get(unit.pk, {}).get("active", 0))
        for unit in units
    ]
    order = {UnitReportState.SUBMITTED: 0, UnitReportState.DRAFT: 1, "missing": 2}
    return sorted(rows, key=lambda e: (order[e.state], e.unit.name))
