"""A commune with a record to inspect, and the Working Group that inspects it.

The record (all in 2026, on the tenant's calendar):
- "Overdue": due 31/3, never finished → overdue in April;
- "Late": due 27/2, submitted, returned once, completed 6/3 → completed late, returned;
- "No deadline": quarterly updates, none since 1/4 → periodic update missing in Q2;
- "Open": due 30/6, in progress → the task an inspection may ask to adjust;
- the Q1 periodic report (units report by 20/3) never written → missing.
The group: the Office leader leads it, the Office specialist is its secretary.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

from nhiemvu.accounts.models import Role, User
from nhiemvu.core import clock
from nhiemvu.inspections import services
from nhiemvu.inspections.enums import Content, MemberRole
from nhiemvu.inspections.models import Inspection, WorkingGroup
from nhiemvu.reports import periods
from nhiemvu.tasks import workflow
from nhiemvu.tasks.models import Task
from tests.conftest import Cast, d, make_user


@dataclass
class World:
    cast: Cast
    group: WorkingGroup
    commune_staff: User
    commune_head: User
    tasks: dict[str, Task]


def _task(cast: Cast, content: str, on: str, deadline: str | None) -> Task:
    with clock.frozen(d(on)):
        task = workflow.create_task(
            workflow.TaskInput(
                content=content,
                lead_unit=cast.commune,
                deadline=d(deadline) if deadline else None,
                reporting_cycle="" if deadline else "quarterly",
            ),
            by=cast.office,
        )
        return workflow.assign(task, by=cast.office)


def build_world(cast: Cast) -> World:
    staff = make_user(
        "commune_staff", cast.commune, Role.UNIT_STAFF, first_name="Lê Văn", last_name="An"
    )
    head = make_user("commune_head", cast.commune, Role.UNIT_HEAD)
    cast.office_leader.first_name, cast.office_leader.last_name = "Trần", "Bình"
    cast.office_leader.title = "Phó Chánh Văn phòng UBND tỉnh"
    cast.office_leader.save()
    tasks = {
        "overdue": _task(cast, "Hoàn thành rà soát hồ sơ đất đai", "2026-01-12", "2026-03-31"),
        "late": _task(cast, "Báo cáo số liệu dân cư", "2026-01-12", "2026-02-27"),
        "cycle": _task(cast, "Duy trì cải cách hành chính", "2026-01-12", None),
        "open": _task(cast, "Xây dựng nhà văn hóa thôn", "2026-01-12", "2026-06-30"),
    }
    late = tasks["late"]
    with clock.frozen(d("2026-02-25")):
        workflow.submit_result(late, by=staff, text="Đã gửi báo cáo")
    with clock.frozen(d("2026-02-26")):
        workflow.return_for_rework(late, by=cast.office, reason="Thiếu số liệu")
    with clock.frozen(d("2026-03-05")):
        workflow.submit_result(late, by=staff, text="Bổ sung số liệu")
    with clock.frozen(d("2026-03-06")):
        workflow.confirm(late, by=cast.office)
    with clock.frozen(d("2026-01-12")):
        periods.create_period(cast.tenant, by=cast.office, kind="quarter", year=2026, number=1)
        group = services.set_up_group(
            cast.tenant,
            by=cast.office,
            decision_number="1234/QĐ-UBND",
            decision_date=d("2026-01-05"),
            leader=cast.office_leader,
        )
        services.add_member(group, by=cast.office, user=cast.office, role=MemberRole.SECRETARY)
    tasks = {k: Task.objects.get(pk=t.pk) for k, t in tasks.items()}
    return World(cast, group, staff, head, tasks)


@pytest.fixture
def world(cast: Cast) -> World:
    return build_world(cast)


def approved_inspection(
    w: World, starts: str = "2026-04-28", ends: str = "2026-04-29"
) -> Inspection:
    """A plan for Q2 2026 with the commune in it, approved by the group's leader."""
    with clock.frozen(d("2026-04-01")):
        plan = services.create_plan(
            w.group,
            by=w.cast.office,
            title="Kế hoạch kiểm tra quý II năm 2026",
            period_start=d("2026-04-01"),
            period_end=d("2026-06-30"),
        )
        inspection = services.add_to_plan(
            plan,
            by=w.cast.office,
            unit=w.cast.commune,
            starts_on=d(starts),
            ends_on=d(ends),
            contents=list(Content.values),
        )
        services.approve_plan(plan, by=w.cast.office_leader)
    return Inspection.objects.get(pk=inspection.pk)


def delivered_inspection(w: World) -> Inspection:
    """Opened 28/4, one finding and two recommendations, ended 29/4, reported and
    delivered 5/5/2026."""
    inspection = approved_inspection(w)
    office = w.cast.office
    with clock.frozen(d("2026-04-28")):
        services.open_inspection(inspection, by=office)
        finding = services.add_finding(
            inspection,
            by=office,
            task=w.tasks["overdue"],
            nature="Chậm thực hiện nhiệm vụ",
            extent="Quá hạn 28 ngày",
            cause="Thiếu cán bộ địa chính",
            responsible="Chủ tịch UBND xã Hoằng Hóa",
        )
        services.add_recommendation(
            inspection,
            by=office,
            kind="urge",
            text="Khẩn trương hoàn thành rà soát hồ sơ đất đai",
            due_on=d("2026-05-15"),
            finding=finding,
        )
        services.add_recommendation(
            inspection,
            by=office,
            kind="adjust_task",
            text="Điều chỉnh thời hạn xây dựng nhà văn hóa thôn",
            due_on=d("2026-05-29"),
            task=w.tasks["open"],
        )
    with clock.frozen(d("2026-04-29")):
        services.end_inspection(inspection, by=office)
        services.save_assessment(
            inspection,
            by=office,
            implementation="Xã đã triển khai phần lớn nhiệm vụ.",
            updating="Cập nhật chưa đầy đủ.",
            reporting="Chưa gửi báo cáo quý I.",
        )
    with clock.frozen(d("2026-05-05")):
        services.issue_report(inspection, by=office)
        services.deliver_report(inspection, by=office)
    return Inspection.objects.get(pk=inspection.pk)


@pytest.fixture
def fixed() -> Any:
    return clock.frozen


def at(day: str) -> dt.date:
    return d(day)
