"""Domain rules that the lifecycle walk does not spell out."""

from __future__ import annotations

import base64
import datetime as dt
from typing import Any

import pytest

from nhiemvu.core import clock
from nhiemvu.core.errors import DomainError
from nhiemvu.core.models import Event, ImmutableError
from nhiemvu.tasks import workflow
from nhiemvu.tasks.enums import TimeStatus
from nhiemvu.tasks.models import Task
from nhiemvu.tasks.queries import time_status_q
from tests.conftest import Api, Cast, d


def assigned(cast: Cast, deadline: dt.date | None, day: dt.date, **kw: Any) -> Task:
    with clock.frozen(day):
        task = workflow.create_task(
            workflow.TaskInput(
                content="Triển khai Đề án 06",
                lead_unit=cast.finance,
                deadline=deadline,
                reporting_cycle="" if deadline else "quarterly",
                **kw,
            ),
            by=cast.office,
        )
        return workflow.assign(task, by=cast.office)


def test_deadlines_are_inclusive_a_result_on_the_day_is_on_time(cast: Cast) -> None:
    task = assigned(cast, d("2025-05-15"), d("2025-05-02"))
    with clock.frozen(d("2025-05-15")):
        assert task.time_status(clock.today()) == TimeStatus.DUE_SOON
        workflow.submit_result(task, by=cast.lead, text="Xong")
    with clock.frozen(d("2025-05-19")):
        done = workflow.confirm(task, by=cast.office)
    assert done.final_time_status == TimeStatus.COMPLETED_ON_TIME


def test_a_result_submitted_after_the_deadline_is_completed_late(cast: Cast) -> None:
    task = assigned(cast, d("2025-05-15"), d("2025-05-02"))
    with clock.frozen(d("2025-05-16")):
        workflow.submit_result(task, by=cast.lead, text="Xong")
        assert workflow.confirm(task, by=cast.office).final_time_status == TimeStatus.COMPLETED_LATE


def test_due_soon_counts_working_days_across_the_april_holidays(cast: Cast) -> None:
    # Due Tue 6/5/2025. Three working days back: 5/5, (30/4–4/5 off), 29/4, 28/4 → due soon
    # from 28/4. Sat 26/4/2025 was a make-up working day, not counted here as it is earlier.
    task = assigned(cast, d("2025-05-06"), d("2025-04-01"))
    assert task.due_soon_on == d("2025-04-28")
    assert task.time_status(d("2025-04-26")) == TimeStatus.ON_TIME
    assert task.time_status(d("2025-04-28")) == TimeStatus.DUE_SOON
    assert task.time_status(d("2025-05-06")) == TimeStatus.DUE_SOON
    assert task.time_status(d("2025-05-07")) == TimeStatus.OVERDUE


@pytest.mark.parametrize(
    "day",
    [
        "2025-01-02",
        "2025-01-27",
        "2025-02-03",
        "2025-04-29",
        "2025-05-02",
        "2025-05-06",
        "2025-07-01",
        "2025-09-01",
        "2025-09-03",
        "2026-02-16",
    ],
)
def test_the_time_status_filter_agrees_with_each_task(cast: Cast, day: str) -> None:
    """The SQL form of the rule (`time_status_q`) and the Python form give the same answer."""
    tasks = [
        assigned(cast, d(x), d("2024-12-02"))
        for x in [
            "2025-01-03",
            "2025-01-31",
            "2025-02-05",
            "2025-05-05",
            "2025-05-06",
            "2025-09-02",
            "2026-02-23",
        ]
    ]
    tasks.append(assigned(cast, None, d("2024-12-02")))
    with clock.frozen(d("2025-01-15")):
        workflow.post_progress(tasks[-1], by=cast.lead, text="Q1")
    today = d(day)
    for status in TimeStatus:
        by_sql = set(Task.objects.filter(time_status_q(status, today)).values_list("pk", flat=True))
        by_python = {t.pk for t in Task.objects.all() if t.time_status(today) == status}
        assert by_sql == by_python, status


def test_the_parent_shows_the_rollup_of_its_subtasks(cast: Cast) -> None:
    parent = assigned(cast, d("2025-06-30"), d("2025-03-03"))
    office = Api(cast.office)
    with clock.frozen(d("2025-03-04")):
        for share in (30, 70):
            sub = workflow.create_task(
                workflow.TaskInput(
                    content=f"Phần {share}", lead_unit=cast.division, deadline=d("2025-06-15")
                ),
                by=cast.lead,
                parent=parent,
            )
            workflow.assign(sub, by=cast.lead)
            workflow.post_progress(sub, by=cast.division_staff, text="x", percent=share)
        detail = office.get(f"/tasks/{parent.pk}").json_body
    assert detail["rollup"] == {"total": 2, "by_state": {"assigned": 2}, "average_progress": 50.0}
    assert [s["progress_percent"] for s in detail["subtasks"]] == [30, 70]
    with clock.frozen(d("2025-03-04")), pytest.raises(DomainError) as late:
        workflow.create_task(
            workflow.TaskInput(
                content="Quá hạn cha", lead_unit=cast.division, deadline=d("2025-07-15")
            ),
            by=cast.lead,
            parent=parent,
        )
    assert late.value.field == "deadline"


def test_a_progress_update_keeps_its_attachment_and_target_values(cast: Cast) -> None:
    task = assigned(
        cast,
        d("2025-06-30"),
        d("2025-03-03"),
        targets=[{"name": "Hồ sơ số hóa", "unit_of_measure": "%", "target_value": 100}],
    )
    target_id = task.targets.get().pk
    lead = Api(cast.lead)
    pdf = base64.b64encode(b"%PDF-1.4 bao cao").decode()
    with clock.frozen(d("2025-03-10")):
        lead.post(
            f"/tasks/{task.pk}/progress", {"text": "Tháng 3", "target_values": {target_id: 40}}
        )
        detail = lead.post(
            f"/tasks/{task.pk}/progress",
            {
                "text": "Tháng 4",
                "target_values": {target_id: 65},
                "files": [{"name": "bao-cao.pdf", "content_base64": pdf}],
            },
        ).json_body
    assert [u["values"] for u in detail["updates"]] == [
        {str(target_id): "40.0000"},
        {str(target_id): "65.0000"},
    ]
    assert detail["targets"][0]["actual_value"] == "65.0000"
    file = detail["updates"][1]["files"][0]
    assert (file["name"], file["size"]) == ("bao-cao.pdf", 16)
    with clock.frozen(d("2025-03-10")):
        bad = lead.post(f"/tasks/{task.pk}/progress", {"text": "x", "target_values": {"999": 1}})
    assert bad.status_code == 400
    assert bad.json_body["errors"][0]["field"] == "target_values.999"
    for raw, message in (("1e15", "too large"), ("-1e20", "too large")):
        with clock.frozen(d("2025-03-10")):
            bad = lead.post(
                f"/tasks/{task.pk}/progress", {"text": "x", "target_values": {target_id: raw}}
            )
        assert bad.status_code == 400, raw
        assert message in bad.json_body["errors"][0]["message"]
    assert Task.objects.get(pk=task.pk).updates.count() == 2


def test_history_cannot_be_edited_or_deleted(cast: Cast) -> None:
    assigned(cast, d("2025-06-30"), d("2025-03-03"))
    event = Event.objects.first()
    assert event is not None
    event.action = "task.forged"
    with pytest.raises(ImmutableError):
        event.save()
    with pytest.raises(ImmutableError):
        event.delete()
    assert Event.objects.get(pk=event.pk).action == "task.created"


def test_editing_a_draft_records_before_and_after(cast: Cast) -> None:
    with clock.frozen(d("2025-03-03")):
        task = workflow.create_task(
            workflow.TaskInput(
                content="Bản nháp", lead_unit=cast.finance, deadline=d("2025-04-30")
            ),
            by=cast.office,
        )
        workflow.edit_task(
            task,
            workflow.TaskInput(
                content="Bản nháp",
                lead_unit=cast.health,
                deadline=d("2025-05-30"),
                coordinating_units=[cast.finance],
            ),
            by=cast.office,
        )
    edited = Event.objects.filter(action="task.edited").get()
    assert edited.detail["changes"]["deadline"] == ["2025-04-30", "2025-05-30"]
    assert edited.detail["changes"]["lead_unit"][1]["label"] == "SYT"
    assert edited.detail["changes"]["coordinating_units"] == [[], ["STC"]]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"deadline": None, "reporting_cycle": ""}, "deadline"),
        ({"reporting_cycle": "quarterly"}, "reporting_cycle"),
        ({"content": "   "}, "content"),
    ],
)
def test_bad_task_input_names_the_field_and_writes_nothing(
    cast: Cast, change: dict[str, Any], field: str
) -> None:
    data = {"content": "Nhiệm vụ", "lead_unit": cast.finance, "deadline": d("2025-04-30"), **change}
    with clock.frozen(d("2025-03-03")), pytest.raises(DomainError) as error:
        workflow.create_task(workflow.TaskInput(**data), by=cast.office)
    assert error.value.field == field
    assert Task.objects.count() == 0
    assert Event.objects.count() == 0


def test_the_lead_unit_cannot_also_coordinate(cast: Cast) -> None:
    with clock.frozen(d("2025-03-03")), pytest.raises(DomainError) as error:
        workflow.create_task(
            workflow.TaskInput(
                content="x",
                lead_unit=cast.finance,
                deadline=d("2025-04-30"),
                coordinating_units=[cast.finance],
            ),
            by=cast.office,
        )
    assert error.value.field == "coordinating_units"
