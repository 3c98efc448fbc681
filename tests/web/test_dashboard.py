"""The dashboard reads completed work from the completion tally: it must agree with a count
over the tasks themselves, and the tally kept by `confirm` with a full recount."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from nhiemvu.core import clock
from nhiemvu.reports.dashboard import figures
from nhiemvu.tasks import tallies, workflow
from nhiemvu.tasks.models import CompletionTally, Task

pytestmark = pytest.mark.django_db


def assigned(cast: Any, deadline: dt.date, lead: Any) -> Task:
    task = workflow.create_task(
        workflow.TaskInput(
            content="Nhiệm vụ", lead_unit=lead, deadline=deadline, assigner=cast.chairman
        ),
        by=cast.office,
    )
    return workflow.assign(task, by=cast.office)


def tally_rows(tenant_id: int) -> list[tuple[Any, ...]]:
    return sorted(
        CompletionTally.objects.filter(tenant_id=tenant_id).values_list(
            "lead_unit_id", "field_key", "assigner_key", "month", "final_time_status", "count"
        )
    )


def test_the_tally_agrees_with_the_tasks(cast: Any) -> None:
    with clock.frozen(dt.datetime(2025, 4, 21, 9)):
        on_time = assigned(cast, dt.date(2025, 4, 25), cast.finance)
        late = assigned(cast, dt.date(2025, 4, 22), cast.health)
        open_ = assigned(cast, dt.date(2025, 4, 23), cast.finance)
        workflow.submit_result(on_time, by=cast.lead, text="Xong")
        workflow.confirm(on_time, by=cast.office)
    with clock.frozen(dt.datetime(2025, 5, 5, 9)):  # after 30/4–1/5 and Friday 2/5 in lieu
        workflow.submit_result(late, by=cast.outsider, text="Xong muộn")
        workflow.confirm(late, by=cast.office)
        kept = tally_rows(cast.tenant.pk)
        tallies.rebuild(cast.tenant.pk)
        assert tally_rows(cast.tenant.pk) == kept
        everyone = Task.objects.filter(tenant=cast.tenant)
        from_tally = figures(everyone, cast.tenant.pk, clock.today(), whole_tenant=True)
        counted = figures(everyone, cast.tenant.pk, clock.today(), whole_tenant=False)
    assert from_tally.totals == counted.totals
    assert from_tally.totals["completed_on_time"] == 1
    assert from_tally.totals["completed_late"] == 1
    assert from_tally.totals["overdue"] == 1  # `open_` was due 23/4
    finance = next(u for u in from_tally.units if u["lead_unit_id"] == cast.finance.pk)
    assert (finance["on_time"], finance["overdue"], finance["rate"]) == (1, 1, 50.0)
    assert [m["on_time"] + m["late"] for m in from_tally.trend[-2:]] == [1, 1]  # April, May
    assert open_.pk
