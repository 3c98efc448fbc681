"""The daily sweep: which reminders go out on which days, to whom, counted in working days
across Tết 2025 and 30/4–1/5/2025; and each exactly once, whatever happens to the sweep."""

from __future__ import annotations

from typing import Any

import pytest

from nhiemvu.accounts.models import User
from nhiemvu.core import clock
from nhiemvu.notifications import jobs, outbox
from nhiemvu.notifications.models import Notification, RuleSettings
from nhiemvu.tasks import workflow
from tests.conftest import Cast, d

from .conftest import assigned, swept, walk

pytestmark = pytest.mark.django_db

STAFF = ["lead", "lead2"]


def told(rule: str, occurrence: str, *users: str) -> list[tuple[str, str, str]]:
    return [(rule, occurrence, user) for user in sorted(users)]


def test_a_task_due_before_tet_is_reminded_and_escalated_across_the_holiday(
    cast: Cast, lead2: User
) -> None:
    # Due Fri 24/1/2025. Tết: 25/1–2/2 off (27–31/1 weekdays off); work resumes Mon 3/2.
    assigned(cast, d("2025-01-24"), d("2025-01-10"), responsible=cast.lead)
    days = walk(cast, d("2025-01-20"), d("2025-02-20"))
    assert days == {
        d("2025-01-21"): told("task.due_soon", "3:2025-01-24", *STAFF),  # 22, 23, 24
        d("2025-01-23"): told("task.due_soon", "1:2025-01-24", *STAFF),
        d("2025-01-24"): told("task.due_today", "2025-01-24", *STAFF),
        d("2025-02-03"): told("task.overdue", "1:2025-01-24", *STAFF),  # first day after Tết
        d("2025-02-07"): told("task.overdue", "5:2025-01-24", *STAFF, "lead_head"),
        d("2025-02-14"): told("task.overdue", "10:2025-01-24", *STAFF, "lead_head", "office"),
    }


def test_a_task_due_before_30_april_counts_the_make_up_saturday_and_the_holidays(
    cast: Cast, lead2: User
) -> None:
    # Due Tue 29/4/2025. Sat 26/4 is a working day (it pays for Fri 2/5); 30/4–4/5 off.
    assigned(cast, d("2025-04-29"), d("2025-04-01"))
    days = walk(cast, d("2025-04-21"), d("2025-05-20"))
    assert days == {
        d("2025-04-25"): told("task.due_soon", "3:2025-04-29", *STAFF),  # Sat 26, 28, 29
        d("2025-04-28"): told("task.due_soon", "1:2025-04-29", *STAFF),
        d("2025-04-29"): told("task.due_today", "2025-04-29", *STAFF),
        d("2025-05-05"): told("task.overdue", "1:2025-04-29", *STAFF),
        d("2025-05-09"): told("task.overdue", "5:2025-04-29", *STAFF, "lead_head"),
        d("2025-05-16"): told("task.overdue", "10:2025-04-29", *STAFF, "lead_head", "office"),
    }


def test_nothing_is_swept_on_a_day_off(cast: Cast) -> None:
    assigned(cast, d("2025-01-24"), d("2025-01-10"))
    for day_off in ("2025-01-26", "2025-01-29", "2025-04-30", "2025-05-02"):
        with clock.frozen(d(day_off)):
            assert jobs.sweep(cast.tenant, d(day_off)) == 0


def test_a_second_sweep_on_the_same_day_writes_nothing(cast: Cast, lead2: User) -> None:
    assigned(cast, d("2025-04-29"), d("2025-04-01"))
    with clock.frozen(d("2025-04-25")):
        assert jobs.sweep(cast.tenant, d("2025-04-25")) == 2
        assert jobs.sweep(cast.tenant, d("2025-04-25")) == 0
    assert len(swept()) == 2


def test_a_sweep_killed_midway_and_run_again_tells_everyone_once(
    cast: Cast, lead2: User, monkeypatch: Any
) -> None:
    for n in range(3):
        assigned(cast, d("2025-04-29"), d("2025-04-01"), content=f"Nhiệm vụ {n}")
    real_write = outbox.write
    writes = []

    def dies_after_one(*args: Any, **kwargs: Any) -> int:
        if writes:
            raise SystemExit("killed")
        writes.append(1)
        return real_write(*args, **kwargs)

    monkeypatch.setattr(jobs, "TASKS_PER_WRITE", 1)
    monkeypatch.setattr(outbox, "write", dies_after_one)
    with clock.frozen(d("2025-04-25")), pytest.raises(SystemExit):
        jobs.sweep(cast.tenant, d("2025-04-25"))
    assert len(swept()) == 2  # the first task's two officers, nobody else

    monkeypatch.setattr(outbox, "write", real_write)
    with clock.frozen(d("2025-04-25")):
        assert jobs.sweep(cast.tenant, d("2025-04-25")) == 4
    rows = swept()
    assert len(rows) == 6
    assert (
        len(
            {(n.task_id, n.recipient_id) for n in Notification.objects.filter(rule="task.due_soon")}
        )
        == 6
    )


def test_two_sweeps_racing_on_the_same_rows_do_not_duplicate(
    cast: Cast, lead2: User, monkeypatch: Any
) -> None:
    # Both workers read before either wrote: neither query filters the other's rows out;
    # the unique constraint drops the second worker's copies.
    assigned(cast, d("2025-04-29"), d("2025-04-01"))
    monkeypatch.setattr(jobs, "told", lambda rule, occurrence: set())
    with clock.frozen(d("2025-04-25")):
        jobs.sweep(cast.tenant, d("2025-04-25"))
        jobs.sweep(cast.tenant, d("2025-04-25"))
    assert swept() == told("task.due_soon", "3:2025-04-29", *STAFF)


def test_a_day_the_worker_missed_is_caught_up_the_next_working_day(cast: Cast, lead2: User) -> None:
    assigned(cast, d("2025-04-29"), d("2025-04-01"))
    with clock.frozen(d("2025-04-26")):  # nobody swept on Fri 25/4
        jobs.sweep(cast.tenant, d("2025-04-26"))
    assert swept() == told("task.due_soon", "3:2025-04-29", *STAFF)
    text = Notification.objects.get(recipient=lead2, rule="task.due_soon")
    assert "2 ngày làm việc" in text.subject


def test_an_extension_restarts_the_reminders_for_the_new_deadline(cast: Cast, lead2: User) -> None:
    task = assigned(cast, d("2025-04-29"), d("2025-04-01"))
    walk(cast, d("2025-04-25"), d("2025-04-25"))
    with clock.frozen(d("2025-04-25")):
        request = workflow.request_extension(
            task, by=cast.lead, proposed_deadline=d("2025-05-09"), reason="Chờ số liệu"
        )
        workflow.decide_extension(request, by=cast.office, approve=True)
    days = walk(cast, d("2025-04-26"), d("2025-05-09"))
    assert days == {
        d("2025-05-06"): told("task.due_soon", "3:2025-05-09", *STAFF),
        d("2025-05-08"): told("task.due_soon", "1:2025-05-09", *STAFF),
        d("2025-05-09"): told("task.due_today", "2025-05-09", *STAFF),
    }


def test_thresholds_are_the_tenants_own(cast: Cast, lead2: User) -> None:
    rules = RuleSettings.for_tenant(cast.tenant)
    rules.due_soon_days = "5"
    rules.remind_on_due_day = False
    rules.save()
    assigned(cast, d("2025-04-29"), d("2025-04-01"))
    days = walk(cast, d("2025-04-21"), d("2025-04-29"))
    assert days == {d("2025-04-23"): told("task.due_soon", "5:2025-04-29", *STAFF)}


def test_a_task_without_a_deadline_missing_its_update_is_reminded_before_the_cutoff(
    cast: Cast, lead2: User
) -> None:
    # Quarterly task; cutoff 20/6/2025 (Fri). 5 working days before: 13/6.
    task = assigned(cast, None, d("2025-04-02"))
    updated = assigned(cast, None, d("2025-04-02"), content="Báo cáo định kỳ")
    with clock.frozen(d("2025-05-05")):
        workflow.post_progress(updated, by=cast.lead, text="Đã triển khai")
    days = walk(cast, d("2025-06-01"), d("2025-06-30"))
    assert days == {d("2025-06-13"): told("task.cycle_missing", "2025-06-20", *STAFF)}
    assert {n.task_id for n in Notification.objects.filter(rule="task.cycle_missing")} == {task.pk}


def test_a_semiannual_task_is_reminded_before_20_may(cast: Cast, lead2: User) -> None:
    assigned(cast, None, d("2025-01-06"), reporting_cycle="semiannual")
    days = walk(cast, d("2025-05-01"), d("2025-05-31"))
    assert days == {d("2025-05-13"): told("task.cycle_missing", "2025-05-20", *STAFF)}


def test_results_and_requests_waiting_for_a_decision_remind_the_office_then_its_leader(
    cast: Cast, lead2: User
) -> None:
    waiting = assigned(cast, d("2025-06-30"), d("2025-04-01"), content="Kết quả chờ")
    asking = assigned(cast, d("2025-06-30"), d("2025-04-01"), content="Xin gia hạn")
    with clock.frozen(d("2025-04-24")):
        workflow.submit_result(waiting, by=cast.lead, text="Đã xong")
        workflow.request_extension(
            asking, by=cast.lead, proposed_deadline=d("2025-07-30"), reason="Thiếu kinh phí"
        )
    days = walk(cast, d("2025-04-24"), d("2025-05-20"))
    # Asked Thu 24/4: 2 working days later is Sat 26/4 (a make-up working day); 4 is Tue 29/4.
    assert days == {
        d("2025-04-26"): sorted(
            told("task.awaiting_confirmation", "2:2025-04-24", "office")
            + told("task.extension_pending", f"2:{asking.extension_requests.get().pk}", "office")
        ),
        d("2025-04-29"): sorted(
            told("task.awaiting_confirmation", "4:2025-04-24", "office", "office_leader")
            + told(
                "task.extension_pending",
                f"4:{asking.extension_requests.get().pk}",
                "office",
                "office_leader",
            )
        ),
    }


def test_a_document_not_transferred_by_its_intake_deadline_reminds_the_office(
    cast: Cast,
) -> None:
    from nhiemvu.documents.services import DocumentInput, create_document

    with clock.frozen(d("2025-04-29")):
        document = create_document(
            DocumentInput(
                number="12/KH-UBND",
                doc_type="plan",
                issued_on=d("2025-04-29"),
                subject="Kế hoạch chuyển đổi số",
            ),
            by=cast.office,
        )
    assert document.intake_due_on == d("2025-05-05")  # 1 working day after Tue 29/4
    days = walk(cast, d("2025-04-29"), d("2025-05-12"))
    assert days == {
        d("2025-05-05"): [("document.intake_due", "2025-05-05", "office")],
        d("2025-05-06"): [
            ("document.intake_late", "2025-05-05", "office"),
            ("document.intake_late", "2025-05-05", "office_leader"),
        ],
    }


def test_completed_and_cancelled_tasks_are_not_reminded(cast: Cast, lead2: User) -> None:
    done = assigned(cast, d("2025-04-29"), d("2025-04-01"))
    gone = assigned(cast, d("2025-04-29"), d("2025-04-01"))
    with clock.frozen(d("2025-04-22")):
        workflow.submit_result(done, by=cast.lead, text="Xong")
        workflow.confirm(done, by=cast.office)
        workflow.cancel(gone, by=cast.office, reason="Không còn cần thiết")
    assert walk(cast, d("2025-04-23"), d("2025-05-20")) == {}


def test_a_sub_task_escalates_to_the_unit_that_gave_it(cast: Cast) -> None:
    parent = assigned(cast, d("2025-06-30"), d("2025-04-01"))
    with clock.frozen(d("2025-04-02")):
        sub = workflow.create_task(
            workflow.TaskInput(
                content="Phần việc của phòng", lead_unit=cast.division, deadline=d("2025-04-29")
            ),
            by=cast.lead,
            parent=parent,
        )
        workflow.assign(sub, by=cast.lead)
    days = walk(cast, d("2025-05-16"), d("2025-05-16"))
    assert days == {
        d("2025-05-16"): told(
            "task.overdue", "10:2025-04-29", "division_staff", "lead", "lead_head"
        )
    }


def test_a_deadline_on_a_holiday_is_due_on_the_last_working_day_before_it(
    cast: Cast, lead2: User
) -> None:
    assigned(cast, d("2025-05-01"), d("2025-04-01"))  # 1/5 is a holiday; 30/4 too
    days = walk(cast, d("2025-04-24"), d("2025-05-06"))
    assert days == {
        d("2025-04-25"): told("task.due_soon", "3:2025-05-01", *STAFF),  # Sat 26/4, 28, 29
        d("2025-04-28"): told("task.due_soon", "1:2025-05-01", *STAFF),
        d("2025-04-29"): told("task.due_today", "2025-05-01", *STAFF),
        d("2025-05-05"): told("task.overdue", "1:2025-05-01", *STAFF),
    }
    note = Notification.objects.get(rule="task.due_today", recipient=lead2)
    assert note.body == (
        "Nhiệm vụ “Rà soát thủ tục” (đơn vị chủ trì: Sở Tài chính) có thời hạn ngày 01/05/2025 "
        "là ngày nghỉ: hôm nay là ngày làm việc cuối cùng để báo cáo kết quả hoặc đề nghị gia hạn."
    )


def test_without_the_due_day_reminders_a_due_soon_reminder_is_never_late(
    cast: Cast, lead2: User
) -> None:
    rules = RuleSettings.for_tenant(cast.tenant)
    rules.remind_on_due_day = rules.remind_when_overdue = False
    rules.save()
    assigned(cast, d("2025-04-29"), d("2025-04-01"))
    with clock.frozen(d("2025-04-29")):  # nobody swept on 28/4, the 1-day reminder's day
        assert jobs.sweep(cast.tenant, d("2025-04-29")) == 0


def test_large_batches_are_written_once_whichever_way_they_go(
    cast: Cast, lead2: User, monkeypatch: Any
) -> None:
    # On PostgreSQL, batches from COPY_FROM rows on go by COPY; make every batch one.
    monkeypatch.setattr(outbox, "COPY_FROM", 1)
    for n in range(3):
        assigned(cast, d("2025-04-29"), d("2025-04-01"), content=f"Nhiệm vụ {n}")
    with clock.frozen(d("2025-04-25")):
        assert jobs.sweep(cast.tenant, d("2025-04-25")) == 6
        assert jobs.sweep(cast.tenant, d("2025-04-25")) == 0
    monkeypatch.setattr(jobs, "told", lambda rule, occurrence: set())
    with clock.frozen(d("2025-04-25")):
        jobs.sweep(cast.tenant, d("2025-04-25"))
    rows = Notification.objects.filter(rule="task.due_soon")
    assert rows.count() == 6
    note = rows.get(recipient=lead2, task__content="Nhiệm vụ 0")
    assert (note.email_status, note.email_attempts, note.email_claim, note.read_at) == (
        "pending",
        0,
        "",
        None,
    )
    assert note.subject == "Còn 3 ngày làm việc đến hạn: Nhiệm vụ 0"
