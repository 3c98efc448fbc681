"""Every workflow event tells the people concerned at once, in the transaction of the event,
each in their own language; the person who acted is not told."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction

from nhiemvu.accounts.models import User
from nhiemvu.core import clock
from nhiemvu.notifications.events import muted
from nhiemvu.notifications.models import Notification
from nhiemvu.tasks import workflow
from nhiemvu.tasks.enums import AdjustmentOutcome
from tests.conftest import Cast, d

from .conftest import assigned

pytestmark = pytest.mark.django_db
DAY = d("2025-04-21")


def told(rule: str) -> list[str]:
    return sorted(n.recipient.username for n in Notification.objects.filter(rule=rule))


def test_assigning_tells_the_lead_unit_and_the_coordinating_units(cast: Cast, lead2: User) -> None:
    task = assigned(
        cast,
        d("2025-05-15"),
        DAY,
        content="Rà soát thủ tục hành chính",
        coordinating_units=[cast.construction],
        responsible=cast.lead,
    )
    assert told("task.assigned") == ["coord", "lead", "lead2"]
    note = Notification.objects.get(rule="task.assigned", recipient=cast.lead)
    assert note.subject == "Nhiệm vụ mới: Rà soát thủ tục hành chính"
    assert note.body == (
        "Nhiệm vụ “Rà soát thủ tục hành chính” đã được giao cho Sở Tài chính (đơn vị chủ trì) "
        "và chuyển theo dõi. Thời hạn: 15/05/2025."
    )
    assert note.link == f"/tasks/{task.pk}/"
    assert note.task_id == task.pk
    coordinator = Notification.objects.get(rule="task.assigned", recipient=cast.coord)
    assert coordinator.subject == "Nhiệm vụ mới cần phối hợp: Rà soát thủ tục hành chính"


def test_each_recipient_reads_it_in_their_own_language(cast: Cast) -> None:
    cast.coord.language = "en"
    cast.coord.save()
    assigned(
        cast, d("2025-05-15"), DAY, content="Số hóa hồ sơ", coordinating_units=[cast.construction]
    )
    english = Notification.objects.get(rule="task.assigned", recipient=cast.coord)
    assert english.language == "en"
    assert english.subject == "New task to coordinate: Số hóa hồ sơ"
    assert english.body.startswith("The task “Số hóa hồ sơ” was transferred to Sở Tài chính")


def test_the_notifications_are_written_in_the_events_transaction(cast: Cast) -> None:
    with clock.frozen(DAY):
        task = workflow.create_task(
            workflow.TaskInput(
                content="Nhiệm vụ", lead_unit=cast.finance, deadline=d("2025-05-15")
            ),
            by=cast.office,
        )
        with pytest.raises(RuntimeError), transaction.atomic():
            workflow.assign(task, by=cast.office)
            assert told("task.assigned") == ["lead"]
            raise RuntimeError("the request fails after the transition")
    assert told("task.assigned") == []


def test_a_submitted_result_tells_the_office_specialists_not_the_unit(
    cast: Cast, lead2: User
) -> None:
    task = assigned(cast, d("2025-05-15"), DAY)
    with clock.frozen(DAY):
        workflow.submit_result(task, by=cast.lead, text="Đã hoàn thành")
    assert told("task.result_submitted") == ["office"]
    note = Notification.objects.get(rule="task.result_submitted")
    assert note.body == (
        "Sở Tài chính đã báo cáo kết quả nhiệm vụ “Rà soát thủ tục”. "
        "Đề nghị kiểm tra, xác nhận hoặc trả lại."
    )


def test_a_returned_or_confirmed_result_tells_the_lead_unit_and_its_head(
    cast: Cast, lead2: User
) -> None:
    task = assigned(cast, d("2025-05-15"), DAY)
    with clock.frozen(DAY):
        workflow.submit_result(task, by=cast.lead, text="Đã hoàn thành")
        workflow.return_for_rework(task, by=cast.office, reason="Thiếu số liệu quý I")
        workflow.submit_result(task, by=cast.lead, text="Bổ sung số liệu")
        workflow.confirm(task, by=cast.office)
    assert told("task.returned") == ["lead", "lead2", "lead_head"]
    assert told("task.confirmed") == ["lead", "lead2", "lead_head"]
    returned = Notification.objects.get(rule="task.returned", recipient=cast.lead_head)
    assert returned.body.endswith("Lý do: Thiếu số liệu quý I")
    confirmed = Notification.objects.get(rule="task.confirmed", recipient=cast.lead)
    assert confirmed.body == (
        "Kết quả thực hiện nhiệm vụ “Rà soát thủ tục” đã được xác nhận: Hoàn thành đúng hạn."
    )


def test_an_extension_request_goes_to_the_office_and_the_decision_back_to_the_unit(
    cast: Cast,
) -> None:
    task = assigned(cast, d("2025-05-15"), DAY)
    with clock.frozen(DAY):
        request = workflow.request_extension(
            task, by=cast.lead, proposed_deadline=d("2025-06-16"), reason="Chờ hướng dẫn"
        )
        workflow.decide_extension(request, by=cast.office, approve=False, note="Không có căn cứ")
    assert told("task.extension_requested") == ["office"]
    assert told("task.extension_rejected") == ["lead", "lead_head"]
    asked = Notification.objects.get(rule="task.extension_requested")
    assert asked.body == (
        "Sở Tài chính đề nghị gia hạn nhiệm vụ “Rà soát thủ tục” từ 15/05/2025 đến "
        "16/06/2025. Lý do: Chờ hướng dẫn"
    )


def test_a_reassignment_tells_the_old_and_the_new_lead_unit(cast: Cast) -> None:
    task = assigned(cast, d("2025-05-15"), DAY)
    with clock.frozen(DAY):
        request = workflow.request_adjustment(
            task,
            by=cast.lead,
            kind="not_our_function",
            reason="Thuộc chức năng Sở Xây dựng",
            proposed_unit=cast.construction,
        )
        workflow.resolve_adjustment(request, by=cast.office, outcome=AdjustmentOutcome.REASSIGNED)
    assert told("task.adjustment_requested") == ["office"]
    assert told("task.adjustment_reassigned") == ["coord", "lead", "lead_head"]


def test_a_sub_tasks_result_goes_to_the_unit_that_gave_it(cast: Cast) -> None:
    parent = assigned(cast, d("2025-06-30"), DAY)
    with clock.frozen(DAY):
        sub = workflow.create_task(
            workflow.TaskInput(
                content="Phần việc của phòng", lead_unit=cast.division, deadline=d("2025-05-15")
            ),
            by=cast.lead,
            parent=parent,
        )
        workflow.assign(sub, by=cast.lead)
        workflow.submit_result(sub, by=cast.division_staff, text="Xong phần việc")
    assert told("task.assigned") == ["division_staff", "lead"]  # lead's own parent task
    assert [
        n.recipient.username
        for n in Notification.objects.filter(rule="task.result_submitted").order_by("id")
    ] == ["lead", "lead_head"]


def test_muted_records_history_without_telling_anyone(cast: Cast, monkeypatch: Any) -> None:
    with muted():
        assigned(cast, d("2025-05-15"), DAY)
    assert Notification.objects.count() == 0
