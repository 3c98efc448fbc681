"""Reading feedback for the pages: the related rows every list shows, and the countdown."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import QuerySet

from nhiemvu.workcalendar.calendar import WorkCalendar

from .enums import FeedbackState
from .models import Feedback

RELATED = ("task", "filer_unit", "about_unit", "filed_by", "answered_by", "letter")


def with_related(qs: QuerySet[Feedback]) -> QuerySet[Feedback]:
    return qs.select_related(*RELATED)


def working_days_late(calendar: WorkCalendar, due_on: dt.date, today: dt.date) -> int:
    """Working days begun after `due_on` by `today` (0: not late). The one rule for the
    countdown and the late-answer flag."""
    return max(0, calendar.working_days_between(due_on, today))


def countdown(items: Iterable[Feedback], calendar: WorkCalendar, today: dt.date) -> list[Feedback]:
    """Attach the answer countdown each row shows, in working days (as the workbench's R6.1
    countdown): `days_late` > 0 once a working day has begun after the due date, else
    `days_left` (0: due today)."""
    found = list(items)
    for feedback in found:
        late = 0
        left = 0
        if feedback.state == FeedbackState.OPEN:
            late = working_days_late(calendar, feedback.due_on, today)
            left = 0 if late else max(0, calendar.working_days_between(today, feedback.due_on))
        feedback.days_late = late  # type: ignore[attr-defined]
        feedback.days_left = left  # type: ignore[attr-defined]
    return found
