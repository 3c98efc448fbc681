"""Feedback between units (R16.6, R17.1–R17.3): filing, the 10-working-day due date over
the holidays, the Office's answer, and the late-answer flag to the Office leader."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import translation

from nhiemvu.core import clock
from nhiemvu.core.errors import Conflict, DomainError, NotAllowed
from nhiemvu.core.history import timeline
from nhiemvu.core.models import Event
from nhiemvu.feedback import jobs, services
from nhiemvu.feedback.models import Feedback
from nhiemvu.feedback.queries import countdown
from nhiemvu.notifications.models import Notification, UrgingLetter
from nhiemvu.workcalendar.calendar import calendar_for
from tests.conftest import Cast, d

from .conftest import department_task

pytestmark = pytest.mark.django_db


def told(prefix: str = "feedback.") -> list[tuple[str, str, str]]:
    """The notifications of this app (or another prefix) as (rule, occurrence, user)."""
    return sorted(
        (n.rule, n.occurrence, n.recipient.username)
        for n in Notification.objects.filter(rule__startswith=prefix).select_related("recipient")
    )


def counts() -> tuple[int, int, int, int]:
    return (
        Feedback.objects.count(),
        Event.objects.count(),
        Notification.objects.count(),
        UrgingLetter.objects.count(),
    )


def file_late(cast: Cast, by: Any, on: dt.date, task: Any = None, **kw: Any) -> Feedback:
    task = task or department_task(cast, deadline=d("2025-04-25"), on=d("2025-03-03"))
    with clock.frozen(on):
        return services.file_feedback(
            task, by=by, kind=kw.pop("kind", "late"), text=kw.pop("text", "Chưa có hướng dẫn"), **kw
        )


# --- the due date --------------------------------------------------------------------------


def test_the_answer_is_due_ten_working_days_later_counting_tet_2026_as_days_off(
    cast: Cast, commune: Any
) -> None:
    # Thursday 12/2/2026; Tết runs from Saturday 14/2 to Sunday 22/2. Working days after
    # filing: 13/2, then 23–27/2 and 2–5/3: the tenth is Thursday 5/3 (not 26/2).
    task = department_task(cast, deadline=d("2026-02-10"), on=d("2026-01-05"))
    feedback = file_late(cast, commune, d("2026-02-12"), task=task)
    assert feedback.due_on == d("2026-03-05")
    assert feedback.state == "open" and feedback.about_unit == cast.finance


def test_the_answer_is_due_ten_working_days_later_across_30_4_and_1_5(
    cast: Cast, commune: Any
) -> None:
    # Friday 25/4/2025: Saturday 26/4 is worked (swapped with Friday 2/5); 30/4, 1/5 and 2/5
    # are off. 26/4, 28/4, 29/4, 5/5 … 9/5, 12/5, 13/5: due Tuesday 13/5.
    feedback = file_late(cast, commune, d("2025-04-25"))
    assert feedback.due_on == d("2025-05-13")


def test_the_countdown_counts_working_days_left_then_late(cast: Cast, commune: Any) -> None:
    task = department_task(cast, deadline=d("2026-02-10"), on=d("2026-01-05"))
    feedback = file_late(cast, commune, d("2026-02-12"), task=task)
    calendar = calendar_for(cast.tenant)
    seen = []
    for day in ("2026-02-13", "2026-02-20", "2026-03-04", "2026-03-05", "2026-03-06"):
        (row,) = countdown([feedback], calendar, d(day))
        seen.append((day, row.days_left, row.days_late))  # type: ignore[attr-defined]
    assert seen == [
        ("2026-02-13", 9, 0),
        ("2026-02-20", 9, 0),  # Tết: no working day passes
        ("2026-03-04", 1, 0),
        ("2026-03-05", 0, 0),  # due today
        ("2026-03-06", 0, 1),  # one working day late
    ]


# --- filing --------------------------------------------------------------------------------


def test_filing_is_recorded_and_the_office_is_told(cast: Cast, commune: Any) -> None:
    feedback = file_late(cast, commune, d("2025-05-05"))
    (event,) = timeline(feedback)
    assert event.action == "feedback.filed" and event.actor == commune
    assert event.detail["kind"] == "late" and event.detail["due_on"] == "2025-05-19"
    assert event.detail["about_unit"]["id"] == cast.finance.pk
    assert told() == [("feedback.filed", "filed", "office")]
    notification = Notification.objects.get(rule="feedback.filed")
    assert notification.link == f"/feedback/{feedback.pk}/"
    assert notification.object_key == f"feedback:{feedback.pk}"
    assert notification.subject == (
        "Phản hồi cần kiểm tra: Hướng dẫn các xã quyết toán ngân sách năm 2025"
    )
    assert notification.body == (
        "UBND xã Hoằng Hóa phản ánh Sở Tài chính chưa thực hiện đúng thời hạn nhiệm vụ "
        "“Hướng dẫn các xã quyết toán ngân sách năm 2025”: Chưa có hướng dẫn Văn phòng trả "
        "lời trước ngày 19/05/2025."
    )


def test_a_department_reports_a_commune_that_coordinates_its_task(cast: Cast, commune: Any) -> None:
    # R17.2: the lead unit reports a coordinating unit.
    task = department_task(cast, deadline=d("2025-06-30"), on=d("2025-03-03"))
    feedback = file_late(
        cast, cast.lead, d("2025-05-05"), task=task, kind="not_as_required", about_unit=cast.commune
    )
    assert (feedback.filer_unit, feedback.about_unit) == (cast.finance, cast.commune)


def test_a_task_beyond_a_units_means_is_reported_to_the_office_and_related_units(
    cast: Cast, commune: Any
) -> None:
    # R17.1: the commune reports its part of the task; the Office and the other units of the
    # task (the lead unit, the other coordinating unit) are told.
    task = department_task(cast, deadline=d("2025-06-30"), on=d("2025-03-03"))
    feedback = file_late(cast, commune, d("2025-05-05"), task=task, kind="beyond_means")
    assert feedback.about_unit == cast.commune
    assert told() == [
        ("feedback.filed", "filed", "coord"),
        ("feedback.filed", "filed", "lead"),
        ("feedback.filed", "filed", "lead_head"),
        ("feedback.filed", "filed", "office"),
    ]
    body = Notification.objects.filter(rule="feedback.filed").first().body  # type: ignore[union-attr]
    assert body.startswith("UBND xã Hoằng Hóa báo cáo nhiệm vụ “Hướng dẫn các xã")


# --- bad input writes nothing --------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "kwargs", "error", "message"),
    [
        (
            "commune",
            {"kind": "late", "text": "   "},
            DomainError,
            "Hãy mô tả nội dung sự việc.",
        ),
        (
            "lead",
            {"kind": "late", "text": "Chậm"},
            DomainError,
            "Đây là nhiệm vụ của chính đơn vị bạn: phản hồi về việc chậm hoặc không đúng yêu "
            "cầu chỉ gửi về đơn vị khác. Nếu nhiệm vụ vượt khả năng của đơn vị, hãy chọn loại "
            "phản hồi đó.",
        ),
        (
            "commune",
            {"kind": "late", "text": "Chậm", "about_unit": "health"},
            DomainError,
            "Hãy chọn đơn vị chủ trì hoặc một đơn vị phối hợp của nhiệm vụ.",
        ),
        (
            "commune",
            {"kind": "unknown", "text": "Chậm"},
            DomainError,
            "Hãy chọn nội dung phản hồi.",
        ),
        (
            "outsider",
            {"kind": "late", "text": "Chậm"},
            NotAllowed,
            "Đơn vị của bạn không thể gửi phản hồi về nhiệm vụ này.",
        ),
        (
            "office",
            {"kind": "late", "text": "Chậm"},
            NotAllowed,
            "Chỉ cán bộ của đơn vị mới được gửi phản hồi thay mặt đơn vị.",
        ),
    ],
)
def test_bad_feedback_is_refused_in_vietnamese_and_writes_nothing(
    cast: Cast, commune: Any, who: str, kwargs: dict[str, Any], error: type, message: str
) -> None:
    task = department_task(cast, deadline=d("2025-04-25"), on=d("2025-03-03"))
    user = commune if who == "commune" else getattr(cast, who)
    if "about_unit" in kwargs:
        kwargs["about_unit"] = getattr(cast, kwargs["about_unit"])
    before = counts()
    with translation.override("vi"), clock.frozen(d("2025-05-05")), pytest.raises(error) as exc:
        services.file_feedback(task, by=user, **kwargs)
    assert str(exc.value.message) == message
    assert counts() == before


def test_the_same_open_feedback_cannot_be_filed_twice(cast: Cast, commune: Any) -> None:
    first = file_late(cast, commune, d("2025-05-05"))
    before = counts()
    with translation.override("vi"), pytest.raises(Conflict) as exc:
        file_late(cast, commune, d("2025-05-06"), task=first.task)
    assert str(exc.value.message) == (
        "Đơn vị đã gửi phản hồi loại này về nhiệm vụ này và đang chờ trả lời."
    )
    assert counts() == before


# --- the Office's answer -------------------------------------------------------------------


def test_the_office_urges_the_unit_with_an_urging_letter(cast: Cast, commune: Any) -> None:
    feedback = file_late(cast, commune, d("2025-05-05"))
    with clock.frozen(d("2025-05-06")):
        answered = services.answer(
            feedback,
            by=cast.office,
            action="urge",
            text="Đề nghị Sở Tài chính ban hành hướng dẫn trước ngày 15/5/2025.",
            with_letter=True,
        )
    assert answered.state == "urged" and answered.answered_by == cast.office
    assert answered.answered_in_time is True
    letter = answered.letter
    assert letter is not None and letter.unit == cast.finance and letter.is_sent
    assert [row["task_id"] for row in letter.rows] == [feedback.task_id]
    assert [e.action for e in timeline(feedback.task)][-1] == "task.urged"
    assert [e.action for e in timeline(feedback)] == ["feedback.filed", "feedback.answered"]
    assert told() == [
        ("feedback.answered", "answered", "commune"),
        ("feedback.filed", "filed", "office"),
        ("feedback.urged", "answered", "lead"),
        ("feedback.urged", "answered", "lead_head"),
    ]
    assert told("letter.") == [
        ("letter.sent", "sent", "lead"),
        ("letter.sent", "sent", "lead_head"),
    ]
    urged = Notification.objects.get(rule="feedback.urged", recipient=cast.lead)
    assert urged.body == (
        "Theo phản hồi của UBND xã Hoằng Hóa, Văn phòng đề nghị Sở Tài chính khẩn trương thực "
        "hiện nhiệm vụ “Hướng dẫn các xã quyết toán ngân sách năm 2025”. Ý kiến của Văn phòng: "
        "Đề nghị Sở Tài chính ban hành hướng dẫn trước ngày 15/5/2025. Văn bản đôn đốc số "
        f"{letter.number}."
    )


def test_urging_without_a_letter_is_recorded_on_the_task(cast: Cast, commune: Any) -> None:
    feedback = file_late(cast, commune, d("2025-05-05"))
    with clock.frozen(d("2025-05-06")):
        services.answer(feedback, by=cast.office_leader, action="urge", text="Đề nghị khẩn trương")
    event = list(timeline(feedback.task))[-1]
    assert (event.action, event.detail) == ("task.urged", {"feedback_id": feedback.pk})
    assert UrgingLetter.objects.count() == 0


def test_the_office_escalates_to_the_chairman(cast: Cast, commune: Any) -> None:
    feedback = file_late(cast, commune, d("2025-05-05"), kind="not_as_required")
    with clock.frozen(d("2025-05-06")):
        services.answer(feedback, by=cast.office, action="escalate", text="Xin ý kiến chỉ đạo")
    assert told() == [
        ("feedback.answered", "answered", "commune"),
        ("feedback.escalated", "answered", "chairman"),
        ("feedback.filed", "filed", "office"),
    ]


def test_dismissing_tells_the_filer_only(cast: Cast, commune: Any, commune_head: Any) -> None:
    feedback = file_late(cast, commune, d("2025-05-05"))
    with clock.frozen(d("2025-05-06")):
        services.answer(
            feedback, by=cast.office, action="dismiss", text="Sở đã ban hành hướng dẫn ngày 2/5"
        )
    assert told() == [
        ("feedback.answered", "answered", "commune"),
        ("feedback.answered", "answered", "commune_head"),
        ("feedback.filed", "filed", "office"),
    ]
    body = Notification.objects.filter(rule="feedback.answered").first().body  # type: ignore[union-attr]
    assert body == (
        "Văn phòng đã trả lời phản hồi của đơn vị về nhiệm vụ “Hướng dẫn các xã quyết toán "
        "ngân sách năm 2025”: Đã trả lời: kết thúc, không xử lý thêm. Sở đã ban hành hướng dẫn "
        "ngày 2/5"
    )


def _answered(cast: Cast, commune: Any) -> Feedback:
    feedback = file_late(cast, commune, d("2025-05-05"))
    with clock.frozen(d("2025-05-06")):
        return services.answer(feedback, by=cast.office, action="dismiss", text="Đã xử lý")


@pytest.mark.parametrize(
    ("setup", "who", "kwargs", "error", "message"),
    [
        (
            "answered",
            "office",
            {"action": "urge", "text": "Lần hai"},
            Conflict,
            "Phản hồi này đã được trả lời (“Đã trả lời: kết thúc, không xử lý thêm”).",
        ),
        (
            "open",
            "office",
            {"action": "urge", "text": " "},
            DomainError,
            "Hãy nhập nội dung trả lời.",
        ),
        (
            "open",
            "lead",
            {"action": "urge", "text": "Tự trả lời"},
            NotAllowed,
            "Chỉ Văn phòng mới được trả lời phản hồi.",
        ),
        (
            "open",
            "chairman",
            {"action": "dismiss", "text": "Không"},
            NotAllowed,
            "Chỉ Văn phòng mới được trả lời phản hồi.",
        ),
        (
            "open",
            "office",
            {"action": "escalate", "text": "Xin ý kiến", "with_letter": True},
            DomainError,
            "Chỉ ban hành văn bản đôn đốc khi chọn đôn đốc đơn vị.",
        ),
        (
            "beyond",
            "office",
            {"action": "urge", "text": "Đôn đốc"},
            DomainError,
            "Không đôn đốc đơn vị tự báo cáo nhiệm vụ vượt khả năng: hãy báo cáo Chủ tịch UBND "
            "tỉnh hoặc trả lời đơn vị.",
        ),
        (
            "not_overdue",
            "office",
            {"action": "urge", "text": "Đôn đốc", "with_letter": True},
            DomainError,
            "Văn bản đôn đốc chỉ liệt kê các nhiệm vụ quá hạn do đơn vị chủ trì, nhiệm vụ này "
            "không thuộc số đó. Hãy đôn đốc đơn vị mà không kèm văn bản.",
        ),
    ],
)
def test_a_wrong_answer_is_refused_in_vietnamese_and_writes_nothing(
    cast: Cast,
    commune: Any,
    setup: str,
    who: str,
    kwargs: dict[str, Any],
    error: type,
    message: str,
) -> None:
    if setup == "answered":
        feedback = _answered(cast, commune)
    elif setup == "beyond":
        feedback = file_late(cast, commune, d("2025-05-05"), kind="beyond_means")
    elif setup == "not_overdue":
        task = department_task(cast, deadline=d("2025-06-30"), on=d("2025-03-03"))
        feedback = file_late(cast, commune, d("2025-05-05"), task=task, kind="not_as_required")
    else:
        feedback = file_late(cast, commune, d("2025-05-05"))
    state = Feedback.objects.get(pk=feedback.pk).state
    before = counts()
    with translation.override("vi"), clock.frozen(d("2025-05-07")), pytest.raises(error) as exc:
        services.answer(feedback, by=getattr(cast, who), **kwargs)
    assert str(exc.value.message) == message
    assert counts() == before
    assert Feedback.objects.get(pk=feedback.pk).state == state


# --- the late-answer flag ------------------------------------------------------------------


def test_a_late_answer_is_flagged_to_the_office_leader_once(cast: Cast, commune: Any) -> None:
    task = department_task(cast, deadline=d("2026-02-10"), on=d("2026-01-05"))
    feedback = file_late(cast, commune, d("2026-02-12"), task=task)  # due 5/3/2026
    written = {}
    for day in ("2026-02-27", "2026-03-05", "2026-03-06", "2026-03-06", "2026-03-07", "2026-03-09"):
        with clock.frozen(d(day)):
            written.setdefault(day, []).append(jobs.sweep(cast.tenant, d(day)))
    assert written == {
        "2026-02-27": [0],
        "2026-03-05": [0],  # the last day to answer
        "2026-03-06": [1, 0],  # the first working day late; the rerun writes nothing
        "2026-03-07": [0],
        "2026-03-09": [0],
    }
    assert told("feedback.overdue") == [("feedback.overdue", "overdue:2026-03-05", "office_leader")]
    overdue = Notification.objects.get(rule="feedback.overdue")
    assert overdue.subject == (
        "Phản hồi chưa được trả lời đúng hạn: Hướng dẫn các xã quyết toán ngân sách năm 2025"
    )
    assert [e.action for e in timeline(feedback)] == ["feedback.filed", "feedback.answer_late"]
    feedback.refresh_from_db()
    assert feedback.overdue_flagged_at is not None

    # A late answer is still taken, and marked late.
    with clock.frozen(d("2026-03-09")):
        answered = services.answer(feedback, by=cast.office, action="urge", text="Đôn đốc")
    assert answered.answered_in_time is False


def test_a_feedback_answered_in_time_is_never_flagged(cast: Cast, commune: Any) -> None:
    feedback = file_late(cast, commune, d("2025-05-05"))  # due 19/5/2025
    with clock.frozen(d("2025-05-19")):
        services.answer(feedback, by=cast.office, action="escalate", text="Xin ý kiến")
    with clock.frozen(d("2025-05-20")):
        assert jobs.sweep_all(d("2025-05-20")) == 0
    assert told("feedback.overdue") == []


def test_a_flag_claimed_by_another_worker_is_not_written_again(cast: Cast, commune: Any) -> None:
    feedback = file_late(cast, commune, d("2025-05-05"))
    # Another worker claimed the row but has not written its notifications yet.
    Feedback.objects.filter(pk=feedback.pk).update(overdue_flagged_at=clock.now())
    with clock.frozen(d("2025-05-20")):
        assert jobs.sweep(cast.tenant) == 0
    assert told("feedback.overdue") == []


def test_a_day_off_announced_after_filing_moves_the_answer_deadline(
    cast: Cast, commune: Any
) -> None:
    from nhiemvu.workcalendar import services as calendar_services

    # Filed Friday 25/4/2025, due Tuesday 13/5 (see above). The province then gives Monday
    # 12/5 off: the tenth working day becomes Wednesday 14/5.
    feedback = file_late(cast, commune, d("2025-04-25"))
    answered = file_late(cast, commune, d("2025-04-25"), kind="not_as_required")
    Feedback.objects.filter(pk=answered.pk).update(state="dismissed")
    calendar_services.set_day(cast.tenant, d("2025-05-12"), "day_off", name="Nghỉ")
    feedback.refresh_from_db()
    answered.refresh_from_db()
    assert feedback.due_on == d("2025-05-14")
    assert answered.due_on == d("2025-05-13")  # answered: its deadline is history
