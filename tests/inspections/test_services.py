"""The inspection work as domain functions: plans, the dossier, findings, recommendations,
the report's deadline across a holiday, delivery and follow-up."""

from __future__ import annotations

import pytest

from nhiemvu.core import clock
from nhiemvu.core.errors import Conflict, DomainError, NotAllowed
from nhiemvu.core.models import Event
from nhiemvu.inspections import report, services
from nhiemvu.inspections.enums import (
    Content,
    FollowUp,
    FollowUpStatus,
    InspectionState,
    MemberRole,
    PlanState,
)
from nhiemvu.inspections.models import Finding, Inspection, Recommendation
from nhiemvu.notifications.models import Notification
from nhiemvu.tasks.enums import TaskState, TimeStatus
from nhiemvu.tasks.models import AdjustmentRequest, Task
from nhiemvu.workcalendar.calendar import calendar_for
from tests.conftest import d

from .conftest import World, approved_inspection, delivered_inspection


def test_the_group_leader_must_be_an_office_leader(world: World) -> None:
    cast = world.cast
    with pytest.raises(DomainError) as error:
        services.set_up_group(
            cast.tenant,
            by=cast.office,
            decision_number="99/QĐ-UBND",
            decision_date=d("2026-02-01"),
            leader=cast.inspector,
        )
    assert error.value.field == "user"
    with pytest.raises(NotAllowed):
        services.set_up_group(
            cast.tenant,
            by=cast.inspector,
            decision_number="99/QĐ-UBND",
            decision_date=d("2026-02-01"),
            leader=cast.office_leader,
        )
    with pytest.raises(DomainError):
        services.add_member(world.group, by=cast.office, user=cast.lead, role=MemberRole.LEADER)
    with pytest.raises(Conflict):
        services.remove_member(world.group.members.get(role="leader"), by=cast.office)


def test_only_the_group_leader_approves_the_plan_and_units_are_then_notified(
    world: World,
) -> None:
    cast = world.cast
    with clock.frozen(d("2026-04-01")):
        plan = services.create_plan(
            world.group,
            by=cast.office,
            title="Kế hoạch quý II",
            period_start=d("2026-04-01"),
            period_end=d("2026-06-30"),
        )
        with pytest.raises(DomainError):
            services.approve_plan(plan, by=cast.office_leader)  # no unit yet
        with pytest.raises(DomainError) as outside:
            services.add_to_plan(
                plan,
                by=cast.office,
                unit=cast.commune,
                starts_on=d("2026-07-02"),
                ends_on=d("2026-07-03"),
                contents=["updating"],
            )
        assert outside.value.field == "starts_on"
        line = services.add_to_plan(
            plan,
            by=cast.office,
            unit=cast.commune,
            starts_on=d("2026-04-28"),
            ends_on=d("2026-04-29"),
            contents=["implementation", "updating"],
        )
        assert (line.review_start, line.review_end) == (d("2026-01-01"), d("2026-04-28"))
        with pytest.raises(NotAllowed):
            services.approve_plan(plan, by=cast.office)  # a member, not the leader
        with pytest.raises(NotAllowed):
            services.add_to_plan(
                plan,
                by=cast.inspector,
                unit=cast.health,
                starts_on=d("2026-05-04"),
                ends_on=d("2026-05-05"),
                contents=["updating"],
            )
        assert not Notification.objects.filter(rule__startswith="inspection").exists()
        services.approve_plan(plan, by=cast.office_leader)
    plan.refresh_from_db()
    assert plan.state == PlanState.APPROVED
    told = Notification.objects.filter(object_key=f"inspection:{line.pk}", rule="inspection.notice")
    assert sorted(n.recipient.username for n in told) == ["commune_head", "commune_staff"]
    assert told.first().link == f"/inspections/{line.pk}/"  # type: ignore[union-attr]
    with pytest.raises(Conflict):
        services.approve_plan(plan, by=cast.office_leader)


def test_a_surprise_inspection_needs_the_leader_and_a_reason(world: World) -> None:
    cast = world.cast
    data = {
        "unit": cast.commune,
        "starts_on": d("2026-05-06"),
        "ends_on": d("2026-05-06"),
        "contents": ["updating"],
    }
    with clock.frozen(d("2026-05-05")):
        with pytest.raises(NotAllowed):
            services.add_surprise(world.group, by=cast.office, reason="Phản ánh", **data)
        with pytest.raises(DomainError) as error:
            services.add_surprise(world.group, by=cast.office_leader, reason="  ", **data)
        assert error.value.field == "reason"
        inspection = services.add_surprise(
            world.group, by=cast.office_leader, reason="Có phản ánh chậm cập nhật", **data
        )
    assert inspection.plan is None and inspection.kind == "surprise"
    assert Inspection.objects.count() == 1


def test_opening_freezes_the_dossier_from_the_units_record(world: World) -> None:
    inspection = approved_inspection(world)
    with clock.frozen(d("2026-04-28")):
        services.open_inspection(inspection, by=world.cast.office)
    inspection.refresh_from_db()
    dossier = inspection.dossier
    by_content = {row["content"]: row for row in dossier["tasks"]}
    assert {k: v["time_status"] for k, v in by_content.items()} == {
        "Hoàn thành rà soát hồ sơ đất đai": TimeStatus.OVERDUE,
        "Báo cáo số liệu dân cư": TimeStatus.COMPLETED_LATE,
        "Duy trì cải cách hành chính": TimeStatus.CYCLE_MISSING,
        "Xây dựng nhà văn hóa thôn": TimeStatus.ON_TIME,
    }
    assert [r["content"] for r in dossier["missed_updates"]] == ["Duy trì cải cách hành chính"]
    assert [(r["content"], r["returned_count"]) for r in dossier["returned"]] == [
        ("Báo cáo số liệu dân cư", 1)
    ]
    assert dossier["unit_reports"] == [
        {"period": "Quý I năm 2026", "due": "2026-03-20", "submitted_on": "", "status": "missing"}
    ]
    assert dossier["figures"]["overdue"] == 1 and dossier["figures"]["done_late"] == 1
    assert "available" in dossier["feedback"]
    # Frozen: the task finishing later does not change what the group walked in with.
    with clock.frozen(d("2026-04-30")):
        Task.objects.filter(pk=world.tasks["overdue"].pk).update(state=TaskState.CANCELLED)
    inspection.refresh_from_db()
    assert len(inspection.dossier["tasks"]) == 4
    assert inspection.state == InspectionState.IN_PROGRESS


def test_a_finding_needs_nature_extent_cause_and_responsibility(world: World) -> None:
    inspection = approved_inspection(world)
    office = world.cast.office
    with clock.frozen(d("2026-04-28")):
        services.open_inspection(inspection, by=office)
        with pytest.raises(DomainError) as error:
            services.add_finding(
                inspection,
                by=office,
                task=world.tasks["overdue"],
                nature="Chậm",
                extent="Quá hạn",
                cause=" ",
                responsible="Chủ tịch UBND xã",
            )
        assert error.value.field == "cause"
        foreign = Task.objects.create(
            tenant=world.cast.tenant,
            assigning_unit=world.cast.office_unit,
            lead_unit=world.cast.finance,
            content="Việc của Sở Tài chính",
            state=TaskState.ASSIGNED,
        )
        with pytest.raises(DomainError):
            services.add_finding(
                inspection,
                by=office,
                task=foreign,
                nature="a",
                extent="b",
                cause="c",
                responsible="d",
            )
        with pytest.raises(NotAllowed):
            services.add_finding(
                inspection,
                by=world.cast.inspector,
                topic=Content.UPDATING,
                nature="a",
                extent="b",
                cause="c",
                responsible="d",
            )
        topic = services.add_finding(
            inspection,
            by=office,
            topic=Content.UPDATING,
            nature="Cập nhật không thường xuyên",
            extent="3 tháng không cập nhật",
            cause="Chưa phân công cán bộ",
            responsible="Văn phòng UBND xã",
        )
    assert Finding.objects.count() == 1
    assert topic.subject == "Việc cập nhật thông tin, tiến độ trên Hệ thống"


def ended_on_29_april(world: World) -> Inspection:
    """An inspection opened on Tuesday 28/4/2026 and ended on Wednesday 29/4/2026."""
    inspection = approved_inspection(world)
    with clock.frozen(d("2026-04-28")):
        services.open_inspection(inspection, by=world.cast.office)
    with clock.frozen(d("2026-04-29")):
        services.end_inspection(inspection, by=world.cast.office)
    inspection.refresh_from_db()
    return inspection


def test_report_is_due_ten_working_days_after_the_end_across_the_april_holidays(
    world: World,
) -> None:
    """Ends Wed 29/4/2026; 30/4 and 1/5 are holidays and the weekends don't count:
    4, 5, 6, 7, 8, 11, 12, 13, 14, 15 May → due Fri 15/5 (13/5 without the holidays)."""
    inspection = ended_on_29_april(world)
    assert inspection.ended_on == d("2026-04-29")
    assert inspection.report_due_on == d("2026-05-15")
    calendar = calendar_for(inspection.tenant)
    assert not calendar.is_working_day(d("2026-04-30"))
    assert not calendar.is_working_day(d("2026-05-01"))
    with clock.frozen(d("2026-04-29")):
        cd = report.countdown(inspection, clock.today())
        assert cd is not None and cd.days == 10
        assert cd.words == "Còn 10 ngày làm việc: hạn báo cáo là ngày 15/05/2026."
    cd = report.countdown(inspection, d("2026-05-14"))
    assert cd is not None and (cd.days, cd.css) == (1, "st-due_soon")
    assert cd.words == "Còn 1 ngày làm việc: hạn báo cáo là ngày 15/05/2026."
    cd = report.countdown(inspection, d("2026-05-15"))
    assert cd is not None and cd.words == "Hôm nay (15/05/2026) là hạn báo cáo."
    cd = report.countdown(inspection, d("2026-05-19"))
    assert cd is not None and (cd.days, cd.css) == (-2, "st-overdue")
    assert cd.words == "Báo cáo đã quá hạn 2 ngày làm việc: hạn là ngày 15/05/2026."


def test_issuing_needs_the_assessments_and_numbers_the_report(world: World) -> None:
    inspection = approved_inspection(world)
    office = world.cast.office
    with clock.frozen(d("2026-04-28")):
        services.open_inspection(inspection, by=office)
        with pytest.raises(Conflict):
            services.issue_report(inspection, by=office)  # not ended yet
    with clock.frozen(d("2026-04-29")):
        services.end_inspection(inspection, by=office)
        with pytest.raises(DomainError) as error:
            services.issue_report(inspection, by=office)
        assert error.value.field == "assessment_implementation"
        services.save_assessment(
            inspection, by=office, implementation="Tốt", updating="Chậm", reporting="Thiếu"
        )
        issued = services.issue_report(inspection, by=office)
    assert issued.report_number == "01/BC-TCT"
    assert issued.state == InspectionState.REPORTED
    assert issued.signer_name == "Trần Bình" and issued.signer_title == "TỔ TRƯỞNG"
    cd = report.countdown(issued, d("2026-05-20"))
    assert cd is not None and cd.done
    assert cd.words == "Đã ban hành báo cáo ngày 29/04/2026, đúng hạn (hạn 15/05/2026)."


def test_delivery_tells_the_unit_and_the_committee(world: World) -> None:
    inspection = delivered_inspection(world)
    assert inspection.state == InspectionState.DELIVERED
    told = Notification.objects.filter(rule="inspection.report_delivered")
    assert sorted(n.recipient.username for n in told) == [
        "chairman",
        "commune_head",
        "commune_staff",
        "office_leader",
    ]
    staff_note = told.get(recipient=world.commune_staff)
    assert staff_note.subject == "Báo cáo kiểm tra 01/BC-TCT về UBND xã Hoằng Hóa"
    assert Event.objects.filter(action="inspection.report_delivered").count() == 1


def test_an_adjust_recommendation_opens_an_adjustment_on_the_task(world: World) -> None:
    inspection = delivered_inspection(world)
    rec = Recommendation.objects.get(inspection=inspection, kind="adjust_task")
    with clock.frozen(d("2026-05-06")):
        with pytest.raises(NotAllowed):  # the workflow: only the lead unit asks
            services.open_adjustment(rec, by=world.cast.lead, kind="wrong_content")
        assert AdjustmentRequest.objects.count() == 0
        request = services.open_adjustment(
            rec, by=world.commune_staff, kind="wrong_content", reason="Cần lùi thời hạn"
        )
        with pytest.raises(Conflict):
            services.open_adjustment(rec, by=world.commune_staff, kind="wrong_content")
    task = Task.objects.get(pk=world.tasks["open"].pk)
    assert task.state == TaskState.ADJUSTMENT_REQUESTED
    assert request.reason.startswith("Theo kiến nghị tại Báo cáo kiểm tra số 01/BC-TCT")
    rec.refresh_from_db()
    assert rec.adjustment_id == request.pk


def test_follow_up_is_tracked_like_a_task(world: World) -> None:
    inspection = delivered_inspection(world)
    urge = Recommendation.objects.get(inspection=inspection, kind="urge")
    assert urge.status(d("2026-05-15")) == FollowUpStatus.ON_TIME
    assert urge.status(d("2026-05-18")) == FollowUpStatus.OVERDUE
    with clock.frozen(d("2026-05-12")):
        with pytest.raises(NotAllowed):
            services.close_recommendation(urge, by=world.cast.inspector, done=True)
        with pytest.raises(DomainError):
            services.close_recommendation(urge, by=world.cast.office, done=False, note="")
        services.close_recommendation(urge, by=world.cast.office, done=True)
        with pytest.raises(Conflict):
            services.close_recommendation(urge, by=world.cast.office, done=True)
    urge.refresh_from_db()
    assert (urge.state, urge.closed_on) == (FollowUp.DONE, d("2026-05-12"))
    assert urge.status(d("2026-06-01")) == FollowUpStatus.DONE


def test_nothing_is_half_written_when_a_step_fails(world: World) -> None:
    inspection = approved_inspection(world)
    with clock.frozen(d("2026-04-28")):
        services.open_inspection(inspection, by=world.cast.office)
        before = Event.objects.count()
        with pytest.raises(DomainError):
            services.add_recommendation(
                inspection,
                by=world.cast.office,
                kind="adjust_task",
                text="Điều chỉnh",
                due_on=d("2026-05-29"),
            )
        with pytest.raises(DomainError):
            services.add_recommendation(
                inspection, by=world.cast.office, kind="urge", text="x", due_on=d("2026-04-01")
            )
    assert Recommendation.objects.count() == 0
    assert Event.objects.count() == before


def test_a_day_off_announced_after_the_end_moves_the_report_deadline(world: World) -> None:
    """Ended Wed 29/4/2026, due Fri 15/5 (see above); Thursday 14/5 made a day off: the
    tenth working day is then Monday 18/5."""
    from nhiemvu.workcalendar import services as calendar_services

    inspection = ended_on_29_april(world)
    calendar_services.set_day(world.cast.tenant, d("2026-05-14"), "day_off", name="Nghỉ")
    inspection.refresh_from_db()
    assert inspection.report_due_on == d("2026-05-18")
