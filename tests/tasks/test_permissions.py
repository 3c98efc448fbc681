"""Who may do what, as a matrix of role × action × owner. Enforced in `tasks/rules.py` and
`tasks/workflow.EDGES`; this test drives the domain functions directly so that every cell is
checked the same way the API and pages reach it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from nhiemvu.core import clock
from nhiemvu.core.errors import Conflict, NotAllowed
from nhiemvu.tasks import workflow
from nhiemvu.tasks.models import Task
from nhiemvu.tasks.rules import can_view, visible_tasks
from tests.conftest import Cast

DAY = dt.date(2025, 3, 10)


def new_task(cast: Cast, state: str = "assigned") -> Task:
    with clock.frozen(DAY):
        task = workflow.create_task(
            workflow.TaskInput(
                content="Xây dựng kế hoạch chuyển đổi số",
                lead_unit=cast.finance,
                coordinating_units=[cast.construction],
                deadline=dt.date(2025, 6, 30),
            ),
            by=cast.office,
        )
        if state in {"assigned", "awaiting_confirmation", "adjustment_requested"}:
            workflow.assign(task, by=cast.office)
        if state == "awaiting_confirmation":
            workflow.submit_result(task, by=cast.lead, text="Đã xong")
        if state == "adjustment_requested":
            workflow.request_adjustment(task, by=cast.lead, kind="wrong_content", reason="Sai")
    return Task.objects.get(pk=task.pk)


# action → (state it needs, call)
ACTIONS: dict[str, tuple[str, Callable[[Task, Any, Cast], Any]]] = {
    "assign": ("draft", lambda t, u, c: workflow.assign(t, by=u)),
    "request_adjustment": (
        "assigned",
        lambda t, u, c: workflow.request_adjustment(t, by=u, kind="wrong_content", reason="r"),
    ),
    "resolve_adjustment": (
        "adjustment_requested",
        lambda t, u, c: workflow.resolve_adjustment(
            t.adjustment_requests.get(), by=u, outcome="declined", note="n"
        ),
    ),
    "post_progress": ("assigned", lambda t, u, c: workflow.post_progress(t, by=u, text="t")),
    "request_extension": (
        "assigned",
        lambda t, u, c: workflow.request_extension(
            t, by=u, proposed_deadline=dt.date(2025, 7, 31), reason="r"
        ),
    ),
    "submit_result": ("assigned", lambda t, u, c: workflow.submit_result(t, by=u, text="t")),
    "confirm": ("awaiting_confirmation", lambda t, u, c: workflow.confirm(t, by=u)),
    "return_for_rework": (
        "awaiting_confirmation",
        lambda t, u, c: workflow.return_for_rework(t, by=u, reason="r"),
    ),
    "cancel": ("assigned", lambda t, u, c: workflow.cancel(t, by=u, reason="r")),
    "create_subtask": (
        "assigned",
        lambda t, u, c: workflow.create_task(
            workflow.TaskInput(
                content="Phần việc", lead_unit=c.division, deadline=dt.date(2025, 6, 1)
            ),
            by=u,
            parent=t,
        ),
    ),
}

ACTORS = [
    "office",
    "office_leader",
    "lead",
    "lead_head",
    "coord",
    "outsider",
    "division_staff",
    "chairman",
    "inspector",
    "admin",
    "foreign_office",
]

ALLOWED = {
    "assign": {"office", "office_leader"},
    "request_adjustment": {"lead", "lead_head"},
    "resolve_adjustment": {"office", "office_leader"},
    "post_progress": {"lead", "lead_head", "coord"},
    "request_extension": {"lead", "lead_head"},
    "submit_result": {"lead", "lead_head"},
    "confirm": {"office", "office_leader"},
    "return_for_rework": {"office", "office_leader"},
    "cancel": {"office", "office_leader", "chairman"},
    "create_subtask": {"lead", "lead_head"},
}


@pytest.mark.parametrize("action", sorted(ACTIONS))
@pytest.mark.parametrize("actor", ACTORS)
def test_permission_matrix(cast: Cast, action: str, actor: str) -> None:
    state, call = ACTIONS[action]
    task = new_task(cast, state)
    user = getattr(cast, actor)
    with clock.frozen(DAY):
        if actor in ALLOWED[action]:
            call(task, user, cast)
        else:
            with pytest.raises(NotAllowed):
                call(task, user, cast)


VISIBLE = {
    "office",
    "office_leader",
    "lead",
    "lead_head",
    "coord",
    "chairman",
    "inspector",
    "admin",
}


@pytest.mark.parametrize("actor", ACTORS)
def test_who_sees_an_assigned_task(cast: Cast, actor: str) -> None:
    task = new_task(cast)
    user = getattr(cast, actor)
    expected = actor in VISIBLE
    assert can_view(user, task) is expected
    assert visible_tasks(user).filter(pk=task.pk).exists() is expected


def test_a_department_sees_its_divisions_subtasks_and_the_division_sees_only_its_own(
    cast: Cast,
) -> None:
    parent = new_task(cast)
    with clock.frozen(DAY):
        sub = workflow.create_task(
            workflow.TaskInput(
                content="Tổng hợp số liệu", lead_unit=cast.division, deadline=dt.date(2025, 6, 15)
            ),
            by=cast.lead,
            parent=parent,
        )
        assert not can_view(cast.division_staff, sub)  # still a draft of the department
        workflow.assign(sub, by=cast.lead)
        sub.refresh_from_db()
        assert can_view(cast.division_staff, sub)
        assert not can_view(cast.division_staff, parent)
        assert set(visible_tasks(cast.lead_head).values_list("pk", flat=True)) == {
            parent.pk,
            sub.pk,
        }
        # The department confirms its division's work; the Office does not (R20.2).
        workflow.submit_result(sub, by=cast.division_staff, text="Xong")
        with pytest.raises(NotAllowed):
            workflow.confirm(sub, by=cast.office)
        workflow.confirm(sub, by=cast.lead_head)


def test_an_action_in_the_wrong_state_is_a_conflict_not_a_silent_change(cast: Cast) -> None:
    task = new_task(cast, "awaiting_confirmation")
    with clock.frozen(DAY), pytest.raises(Conflict):
        workflow.submit_result(task, by=cast.lead, text="again")
    assert Task.objects.get(pk=task.pk).updates.count() == 1
