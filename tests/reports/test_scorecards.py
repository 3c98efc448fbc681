"""Scorecard figures for a hand-built quarter, checked against numbers worked out by hand.

The tasks live their lives through the workflow functions on a frozen clock, so every stored
date (assigned, submitted, completed, extended, returned) is the one a real user would leave.
The period is Q3 2025 = 1/7/2025 – 30/9/2025. Figures are computed on 10/10/2025, so the
as-of day is the period's last day, 30/9/2025 (A below); one test also computes them on
15/9/2025, in the middle of the quarter.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from nhiemvu.accounts.models import Role
from nhiemvu.core import clock
from nhiemvu.reports import ledger, scorecards
from nhiemvu.reports.scorecards import Formula, Window
from nhiemvu.tasks import workflow
from nhiemvu.tasks.enums import TimeStatus
from nhiemvu.tasks.models import Field, Task
from nhiemvu.tasks.queries import time_status_q
from tests.conftest import Cast, d

Q3 = Window(d("2025-07-01"), d("2025-09-30"), d("2025-09-30"))
AFTER_Q3 = d("2025-10-10")

#: Every figure by hand. Days: a assigned, d deadline, c submitted, k confirmed; A = 30/9.
HAND: dict[str, dict[str, Any]] = {
    # Finance (STC):
    # F1  a 10/6 d 15/7 c 14/7 k 16/7  on time, due in Q3, confirmed in Q3
    # F2  a 1/7  d 2/9 (National Day, a public holiday) c 3/9 k 5/9: late. The deadline is
    #     inclusive and is not moved off the holiday by the task rule, so 3/9 is late.
    # F3  a 10/7 d 15/8 c 10/8, returned 12/8 (before the deadline), c 14/8 k 20/8: on time,
    #     returned once
    # F4  a 5/7  d 1/8, never submitted: overdue on A (leader-assigned, field Y tế)
    # F5  a 5/7  d 10/9, extension granted 3/9 to 31/10: in progress on A, not due in Q3
    #     (its deadline is now 31/10), one extension granted in Q3. Its sub-task for the
    #     division (due 1/8, overdue) is not counted: scorecards count top-level tasks.
    # F6  a 20/9 d 5/10 c 3/10 k 6/10: on A it was still open, in progress (rewound)
    # F7  a 1/8  d 15/9 c 12/9, not confirmed: awaiting confirmation
    # F8  no deadline, quarterly, a 1/4, last update 10/5: Q3 began 1/7, update missed
    # F9  no deadline, monthly, a 1/7, last update 5/9: September's update is in
    # F10 a 1/5  d 20/6 c 18/6 k 25/6: finished before Q3, counts nowhere
    # F11 a 2/7  d 8/8 c 5/8 returned 6/8, c 7/8 returned 11/8 (after the deadline), never
    #     resubmitted: overdue, returned twice
    # F12 a 3/7  d 1/8 cancelled 20/7: never counted
    "STC": {
        "assigned": 8,  # F2 F3 F4 F5 F6 F7 F9 F11
        "due": 6,  # F1 F2 F3 F4 F7 F11
        "done_on_time": 2,  # F1 F3
        "done_late": 1,  # F2
        "overdue": 2,  # F4 F11
        "in_progress": 2,  # F5 F6
        "awaiting": 1,  # F7
        "no_deadline": 2,  # F8 F9
        "cycle_missed": 1,  # F8
        "returned": 2,  # F3 F11
        "returned2": 1,  # F11
        "extensions": 1,  # F5
        "active": 10,  # done 3 + overdue 2 + in progress 2 + no deadline 2 + awaiting 1
        "rate": 40.0,  # 2 / (2 + 1 + 2)
        # assessed = OT 2 + L 1 + OD 2 + CM 1 = 6; points = 1·2 + 0.5·1 + 0·2 + 0·1 − 0.5·2
        # = 1.5; 100 × 1.5 / 6 = 25.0
        "score": 25.0,
        "rank": 3,
    },
    # Construction (SXD):
    # C1 a 1/7 d 30/9 c 30/9 k 2/10: on A submitted, not yet confirmed: awaiting; due in Q3
    # C2 a 25/9 d 3/10 (due soon from 30/9: 3 working days back): in progress on time
    # C3 a 1/6 d 30/6 c 2/7 k 3/7: completed late within Q3, not due in Q3
    "SXD": {
        "assigned": 2,  # C1 C2
        "due": 1,  # C1
        "done_on_time": 0,
        "done_late": 1,  # C3
        "overdue": 0,
        "in_progress": 1,  # C2
        "awaiting": 1,  # C1
        "no_deadline": 0,
        "cycle_missed": 0,
        "returned": 0,
        "returned2": 0,
        "extensions": 0,
        "active": 3,
        "rate": 0.0,  # 0 / (0 + 1 + 0)
        "score": 50.0,  # 100 × 0.5·1 / 1
        "rank": 2,
    },
    # Health (SYT): H1 a 7/7 d 31/7 c 30/7 k 31/7, assigned by the Chairman, field Y tế
    "SYT": {
        "assigned": 1,
        "due": 1,
        "done_on_time": 1,
        "done_late": 0,
        "overdue": 0,
        "in_progress": 0,
        "awaiting": 0,
        "no_deadline": 0,
        "cycle_missed": 0,
        "returned": 0,
        "returned2": 0,
        "extensions": 0,
        "active": 1,
        "rate": 100.0,
        "score": 100.0,
        "rank": 1,
    },
}


class Story:
    """Runs dated actions in order, up to a given day."""

    def __init__(self, cast: Cast) -> None:
        self.cast = cast
        self.tasks: dict[str, Task] = {}
        self.actions: list[tuple[dt.date, int, Callable[[], Any]]] = []
        self.done = 0
        self.field = Field.objects.create(tenant=cast.tenant, name="Y tế")
        self.staff = {
            cast.finance.pk: cast.lead,
            cast.construction.pk: cast.coord,
            cast.health.pk: cast.outsider,
        }

    def on(self, day: str, action: Callable[[], Any]) -> None:
        self.actions.append((d(day), len(self.actions), action))

    def run_until(self, day: dt.date) -> None:
        pending = sorted(self.actions)[self.done :]
        for when, _order, action in pending:
            if when > day:
                break
            with clock.frozen(when):
                action()
            self.done += 1

    # the verbs --------------------------------------------------------------------------

    def task(self, name: str, unit: Any, day: str, deadline: str | None, **kw: Any) -> None:
        def act() -> None:
            data = workflow.TaskInput(
                content=f"Nhiệm vụ {name}",
                lead_unit=unit,
                deadline=d(deadline) if deadline else None,
                reporting_cycle=kw.pop("cycle", "") if not deadline else "",
                **kw,
            )
            task = workflow.create_task(data, by=self.cast.office)
            self.tasks[name] = workflow.assign(task, by=self.cast.office)

        self.on(day, act)

    def _staff(self, name: str) -> Any:
        return self.staff[self.tasks[name].lead_unit_id]

    def submit(self, name: str, day: str) -> None:
        self.on(
            day, lambda: workflow.submit_result(self.tasks[name], by=self._staff(name), text="Xong")
        )

    def confirm(self, name: str, day: str) -> None:
        self.on(day, lambda: workflow.confirm(self.tasks[name], by=self.cast.office))

    def give_back(self, name: str, day: str) -> None:
        self.on(
            day,
            lambda: workflow.return_for_rework(
                self.tasks[name], by=self.cast.office, reason="Chưa đạt"
            ),
        )

    def progress(self, name: str, day: str) -> None:
        self.on(
            day,
            lambda: workflow.post_progress(self.tasks[name], by=self._staff(name), text="Đang làm"),
        )

    def extend(self, name: str, asked: str, granted: str, to: str) -> None:
        box: dict[str, Any] = {}

        def ask() -> None:
            box["request"] = workflow.request_extension(
                self.tasks[name], by=self._staff(name), proposed_deadline=d(to), reason="Chờ ý kiến"
            )

        self.on(asked, ask)
        self.on(
            granted,
            lambda: workflow.decide_extension(box["request"], by=self.cast.office, approve=True),
        )


def q3_story(cast: Cast) -> Story:
    s = Story(cast)
    f, c, h = cast.finance, cast.construction, cast.health
    s.task("F1", f, "2025-06-10", "2025-07-15", assigner=cast.chairman)
    s.submit("F1", "2025-07-14")
    s.confirm("F1", "2025-07-16")
    s.task("F2", f, "2025-07-01", "2025-09-02")
    s.submit("F2", "2025-09-03")
    s.confirm("F2", "2025-09-05")
    s.task("F3", f, "2025-07-10", "2025-08-15")
    s.submit("F3", "2025-08-10")
    s.give_back("F3", "2025-08-12")
    s.submit("F3", "2025-08-14")
    s.confirm("F3", "2025-08-20")
    s.task("F4", f, "2025-07-05", "2025-08-01", assigner=cast.chairman, field=s.field)
    s.task("F5", f, "2025-07-05", "2025-09-10")
    s.on(
        "2025-07-06",
        lambda: workflow.assign(
            workflow.create_task(
                workflow.TaskInput(
                    content="Phần việc của phòng", lead_unit=cast.division, deadline=d("2025-08-01")
                ),
                by=cast.lead,
                parent=s.tasks["F5"],
            ),
            by=cast.lead,
        ),
    )
    s.extend("F5", "2025-09-01", "2025-09-03", "2025-10-31")
    s.task("F6", f, "2025-09-20", "2025-10-05")
    s.submit("F6", "2025-10-03")
    s.confirm("F6", "2025-10-06")
    s.task("F7", f, "2025-08-01", "2025-09-15")
    s.submit("F7", "2025-09-12")
    s.task("F8", f, "2025-04-01", None, cycle="quarterly")
    s.progress("F8", "2025-05-10")
    s.task("F9", f, "2025-07-01", None, cycle="monthly")
    s.progress("F9", "2025-09-05")
    s.task("F10", f, "2025-05-01", "2025-06-20")
    s.submit("F10", "2025-06-18")
    s.confirm("F10", "2025-06-25")
    s.task("F11", f, "2025-07-02", "2025-08-08")
    s.submit("F11", "2025-08-05")
    s.give_back("F11", "2025-08-06")
    s.submit("F11", "2025-08-07")
    s.give_back("F11", "2025-08-11")
    s.task("F12", f, "2025-07-03", "2025-08-01")
    s.on(
        "2025-07-20",
        lambda: workflow.cancel(s.tasks["F12"], by=cast.office, reason="Không còn phù hợp"),
    )
    s.task("C1", c, "2025-07-01", "2025-09-30")
    s.submit("C1", "2025-09-30")
    s.confirm("C1", "2025-10-02")
    s.task("C2", c, "2025-09-25", "2025-10-03")
    s.task("C3", c, "2025-06-01", "2025-06-30")
    s.submit("C3", "2025-07-02")
    s.confirm("C3", "2025-07-03")
    s.task("H1", h, "2025-07-07", "2025-07-31", assigner=cast.chairman, field=s.field)
    s.submit("H1", "2025-07-30")
    s.confirm("H1", "2025-07-31")
    return s


def by_short_name(cast: Cast, rows: dict[int, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    names = {u.pk: u.short_name for u in (cast.finance, cast.construction, cast.health)}
    return {names[k]: v for k, v in rows.items()}


def ranked(cast: Cast, w: Window) -> dict[str, dict[str, Any]]:
    rows = by_short_name(cast, scorecards.figures(cast.tenant.pk, w, "unit"))
    for name, row in rows.items():
        row["name"] = name
    scorecards.rank(list(rows.values()), Formula())
    for row in rows.values():
        del row["name"]
    return rows


@pytest.fixture
def story(cast: Cast) -> Story:
    s = q3_story(cast)
    s.run_until(AFTER_Q3)
    return s


def test_every_figure_of_the_quarter_matches_the_hand_calculation(cast: Cast, story: Story) -> None:
    assert ranked(cast, Q3) == HAND


def test_the_ledger_and_the_task_filters_give_the_same_figures(cast: Cast, story: Story) -> None:
    for dimension in ("unit", "leader", "field"):
        assert scorecards.ledger_figures(
            cast.tenant.pk, Q3, dimension
        ) == scorecards.direct_figures(cast.tenant.pk, Q3, dimension)


def test_each_figure_lists_exactly_the_tasks_it_counts(cast: Cast, story: Story) -> None:
    figures = scorecards.direct_figures(cast.tenant.pk, Q3, "unit")
    for unit_id, row in figures.items():
        for name in scorecards.COUNTS:
            listed = scorecards.tasks_behind(cast.tenant.pk, Q3, name, "unit", unit_id)
            assert listed.count() == row[name], (unit_id, name)
    overdue = scorecards.tasks_behind(cast.tenant.pk, Q3, "overdue", "unit", cast.finance.pk)
    assert sorted(t.content for t in overdue) == ["Nhiệm vụ F11", "Nhiệm vụ F4"]


def test_figures_per_leader_and_per_field(cast: Cast, story: Story) -> None:
    leaders = scorecards.figures(cast.tenant.pk, Q3, "leader")
    # The Chairman gave F1 (a 10/6, done on time 16/7), F4 (a 5/7, overdue), H1 (on time).
    chairman = leaders[cast.chairman.pk]
    assert {k: chairman[k] for k in ("assigned", "due", "done_on_time", "overdue", "active")} == {
        "assigned": 2,
        "due": 3,
        "done_on_time": 2,
        "overdue": 1,
        "active": 3,
    }
    assert chairman["rate"] == 66.7  # 2 / 3
    # The committee as a whole (key 0) gave the other 11 of the 14 active tasks (10 + 3 + 1).
    assert leaders[0]["active"] == 11
    fields = scorecards.figures(cast.tenant.pk, Q3, "field")
    y_te = next(v for k, v in fields.items() if k == story.field.pk)
    assert (y_te["assigned"], y_te["due"], y_te["done_on_time"], y_te["overdue"]) == (2, 2, 1, 1)
    assert y_te["rate"] == 50.0


def test_figures_per_document_group_tasks_without_a_document_together(
    cast: Cast, story: Story
) -> None:
    documents = scorecards.figures(cast.tenant.pk, Q3, "document")
    assert list(documents) == [0]
    assert documents[0]["active"] == 10 + 3 + 1


def test_units_that_must_explain_overdue_missed_updates_or_repeated_returns(
    cast: Cast, story: Story
) -> None:
    rows = ranked(cast, Q3)
    for name, row in rows.items():
        row["name"] = name
    assert [u["name"] for u in scorecards.must_explain(list(rows.values()))] == ["STC"]


def test_the_scoring_weights_are_the_tenants(cast: Cast, story: Story) -> None:
    rows = scorecards.figures(cast.tenant.pk, Q3, "unit")
    finance = rows[cast.finance.pk]
    # Overdue now costs a full point and returns nothing: (2 + 0.5 − 2) / 6 → 8.3.
    strict = Formula(on_time=1, late=0.5, overdue=-1, cycle_missed=0, returned=0)
    assert strict.score(finance) == 8.3
    assert Formula(min_tasks=7).score(finance) is None  # 6 assessed: not ranked


def test_mid_quarter_figures_match_the_live_time_status(cast: Cast) -> None:
    """On 15/9 (A = 15/9), with only the history up to that day."""
    s = q3_story(cast)
    day = d("2025-09-15")
    s.run_until(day)
    w = Window(Q3.start, Q3.end, day)
    with clock.frozen(day):
        live = by_short_name(cast, scorecards.figures(cast.tenant.pk, w, "unit"))
    # Finance on 15/9: F4, F11 overdue; F5 (now due 31/10) in progress; F7 awaiting (c 12/9);
    # F8 missed, F9 updated 5/9; F6 not yet assigned. C1 in progress (d 30/9); C2 not yet.
    assert (live["STC"]["overdue"], live["STC"]["in_progress"], live["STC"]["awaiting"]) == (
        2,
        1,
        1,
    )
    assert (live["SXD"]["in_progress"], live["SXD"]["assigned"]) == (1, 1)
    counted = scorecards.counted_tasks(cast.tenant.pk).filter(lead_unit=cast.finance)
    for name, status in (
        ("overdue", TimeStatus.OVERDUE),
        ("awaiting", TimeStatus.AWAITING_CONFIRMATION),
        ("cycle_missed", TimeStatus.CYCLE_MISSING),
    ):
        assert live["STC"][name] == counted.filter(time_status_q(status, day)).count()
    on_time = time_status_q(TimeStatus.ON_TIME, day) | time_status_q(TimeStatus.DUE_SOON, day)
    assert live["STC"]["in_progress"] == counted.filter(on_time).count()

    # Computed again later, the same day's figures come out the same (rewound).
    s.run_until(AFTER_Q3)
    later = by_short_name(cast, scorecards.figures(cast.tenant.pk, w, "unit"))
    assert later == live


def test_the_ledger_catches_up_with_tasks_inserted_without_save(cast: Cast, story: Story) -> None:
    f4 = story.tasks["F4"]
    copy = Task.objects.get(pk=f4.pk)
    copy.pk = None
    Task.objects.bulk_create([copy])  # no signal: the ledger has not seen it
    assert list(ledger.uncounted(cast.tenant.pk)) == [copy.pk]
    rows = scorecards.figures(cast.tenant.pk, Q3, "unit")
    assert rows[cast.finance.pk]["overdue"] == 3
    assert list(ledger.uncounted(cast.tenant.pk)) == []
    assert rows == scorecards.direct_figures(cast.tenant.pk, Q3, "unit")


def test_a_rebuilt_ledger_equals_the_one_kept_up_to_date(cast: Cast, story: Story) -> None:
    before = scorecards.ledger_figures(cast.tenant.pk, Q3, "unit")
    assert ledger.rebuild(cast.tenant.pk) == Task.objects.filter(tenant=cast.tenant).count()
    assert scorecards.ledger_figures(cast.tenant.pk, Q3, "unit") == before


def test_other_tenants_tasks_are_never_counted(cast: Cast, story: Story) -> None:
    other = cast.foreign_office.tenant_id
    assert other is not None
    assert scorecards.figures(other, Q3, "unit") == {}
    assert Role.OFFICE_SPECIALIST in cast.foreign_office.roles


def test_the_rebuild_command_recounts_every_tenant(cast: Cast, story: Story) -> None:
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("rebuild_scorecards", "th", stdout=out)
    assert out.getvalue().startswith("th: ")
    assert ranked(cast, Q3) == HAND
