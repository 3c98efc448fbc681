"""The monthly summary for the committee's regular meeting (R10.1đ): the inspections that
ended in the month, their findings, and the recommendations open and closed."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone

from .enums import FollowUp, FollowUpStatus
from .models import Inspection, Recommendation


@dataclass
class MonthSummary:
    start: dt.date
    end: dt.date
    inspections: list[Inspection] = field(default_factory=list)
    findings: int = 0
    open_recommendations: list[Recommendation] = field(default_factory=list)
    closed_recommendations: list[Recommendation] = field(default_factory=list)

    @property
    def overdue(self) -> int:
        return sum(
            1
            for r in self.open_recommendations
            if getattr(r, "status_now", None) == FollowUpStatus.OVERDUE
        )

    @property
    def done(self) -> int:
        return sum(1 for r in self.closed_recommendations if r.state == FollowUp.DONE)

    @property
    def not_done(self) -> int:
        return sum(1 for r in self.closed_recommendations if r.state == FollowUp.NOT_DONE)


def month_range(year: int, month: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def monthly(tenant_id: int, year: int, month: int, today: dt.date) -> MonthSummary:
    """1. Inspections that ended in the month, with their findings and recommendations counted.
    2. Recommendations delivered by the month's end and still open at its end (or today, for
       the current month).
    3. Recommendations closed, done or not done, during the month."""
    start, end = month_range(year, month)
    as_of = min(end, today)
    summary = MonthSummary(start, end)
    summary.inspections = list(
        Inspection.objects.filter(tenant_id=tenant_id, ended_on__gte=start, ended_on__lte=end)
        .select_related("unit")
        .annotate(
            finding_count=Count("findings", distinct=True),
            recommendation_count=Count("recommendations", distinct=True),
        )
        .order_by("ended_on", "id")
    )
    summary.findings = sum(i.finding_count for i in summary.inspections)  # type: ignore[attr-defined]
    next_day = timezone.make_aware(dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time.min))
    recommendations = Recommendation.objects.filter(
        inspection__tenant_id=tenant_id, inspection__delivered_at__isnull=False
    ).select_related("inspection__unit", "addressee", "task", "adjustment")
    summary.open_recommendations = list(
        recommendations.filter(inspection__delivered_at__lt=next_day)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gt=as_of))
        .order_by("due_on", "id")
    )
    summary.closed_recommendations = list(
        recommendations.filter(closed_on__gte=start, closed_on__lte=end).order_by("closed_on", "id")
    )
    for r in summary.open_recommendations:
        r.status_now = FollowUpStatus.OVERDUE if r.due_on < as_of else FollowUpStatus.ON_TIME  # type: ignore[attr-defined]
    for r in summary.closed_recommendations:
        r.status_now = r.status(as_of)  # type: ignore[attr-defined]
    return summary
