"""A task's "due soon" day and a document's intake deadline are counted in working days and
stored (lists filter on them). When the calendar changes after they were counted (a day off
announced late, a swap removed) or the tenant widens its due-soon window, they move with it."""

from __future__ import annotations

from io import StringIO
from typing import Any

from django.core.management import call_command
from django.test import Client

from nhiemvu.accounts.models import Role
from nhiemvu.core import clock
from nhiemvu.documents.models import Document
from nhiemvu.tasks import workflow
from nhiemvu.tasks.models import Task
from nhiemvu.workcalendar import services
from nhiemvu.workcalendar.enums import DayKind
from tests.conftest import Api, Cast, d, make_user

# Due Monday 4/1/2027, after the New Year holiday (Friday 1/1) and a weekend. Three working
# days before it: Thursday 31/12, Wednesday 30/12, Tuesday 29/12/2026.
DEADLINE = d("2027-01-04")


def assigned_task(cast: Cast) -> Task:
    with clock.frozen(d("2026-12-14")):
        task = workflow.create_task(
            workflow.TaskInput(
                content="Báo cáo kết quả thực hiện Kế hoạch năm 2026",
                lead_unit=cast.finance,
                deadline=DEADLINE,
            ),
            by=cast.office,
        )
        return workflow.assign(task, by=cast.office)


def due_soon_on(day: str, cast: Cast) -> list[int]:
    """The ids in the Office's "due soon" list on `day`."""
    with clock.frozen(d(day)):
        response = Api(cast.office).get("/tasks", time_status="due_soon")
    assert response.status_code == 200
    return [row["id"] for row in response.json_body["results"]]


def admin_page(cast: Cast) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="vi")
    client.force_login(cast.admin)
    return client


def test_a_day_off_added_later_makes_the_task_due_soon_a_working_day_earlier(cast: Cast) -> None:
    task = assigned_task(cast)
    assert task.due_soon_on == d("2026-12-29")
    assert task.pk not in due_soon_on("2026-12-28", cast)

    # The province gives Thursday 31/12 off, on the administrator's calendar page.
    response = admin_page(cast).post(
        "/manage/calendar/",
        {"date": "2026-12-31", "kind": DayKind.DAY_OFF, "name": "Nghỉ bù", "source": "QĐ 9"},
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.due_soon_on == d("2026-12-28")
    assert task.pk in due_soon_on("2026-12-28", cast)
    assert task.pk not in due_soon_on("2026-12-25", cast)

    # Removing the day puts it back.
    response = admin_page(cast).post("/manage/calendar/2026-12-31/remove/")
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.due_soon_on == d("2026-12-29")
    assert task.pk not in due_soon_on("2026-12-28", cast)


def test_a_make_up_working_day_moves_due_soon_later(cast: Cast) -> None:
    task = assigned_task(cast)
    # Saturday 2/1/2027 made a working day: it is now the last working day before the
    # deadline, so the window starts on Wednesday 30/12.
    services.set_day(cast.tenant, d("2027-01-02"), DayKind.WORKING_DAY, name="Làm bù")
    task.refresh_from_db()
    assert task.due_soon_on == d("2026-12-30")
    assert task.pk not in due_soon_on("2026-12-29", cast)
    assert task.pk in due_soon_on("2026-12-30", cast)


def test_a_change_far_from_the_deadline_leaves_the_task_alone(cast: Cast) -> None:
    task = assigned_task(cast)
    before = Task.objects.filter(pk=task.pk).values_list("due_soon_on", "version").get()
    services.set_day(cast.tenant, d("2027-03-05"), DayKind.DAY_OFF, name="Nghỉ")
    services.set_day(cast.tenant, d("2026-12-01"), DayKind.DAY_OFF, name="Nghỉ")
    assert Task.objects.filter(pk=task.pk).values_list("due_soon_on", "version").get() == before


def test_a_wider_due_soon_window_set_in_the_admin_applies_to_existing_tasks(cast: Cast) -> None:
    task = assigned_task(cast)
    root = make_user("root", cast.office_unit, Role.ADMINISTRATOR, is_staff=True)
    root.is_superuser = True
    root.save()
    client = Client()
    client.force_login(root)
    response = client.post(
        f"/admin/core/tenant/{cast.tenant.pk}/change/",
        {
            "code": cast.tenant.code,
            "name": cast.tenant.name,
            "due_soon_working_days": 5,
            "many_tasks_threshold": cast.tenant.many_tasks_threshold,
        },
    )
    assert response.status_code == 302, response.content[:500]
    task.refresh_from_db()
    # Five working days before 4/1/2027: 31/12, 30/12, 29/12, 28/12, 25/12/2026.
    assert task.due_soon_on == d("2026-12-25")
    assert task.pk in due_soon_on("2026-12-25", cast)


def test_the_intake_deadline_of_a_document_not_yet_transferred_moves_too(
    cast: Cast, api: Any
) -> None:
    with clock.frozen(d("2026-12-30")):
        created = api(cast.office).post(
            "/documents",
            {
                "number": "215/KH-UBND",
                "doc_type": "plan",
                "issued_on": "2026-12-30",
                "subject": "Kế hoạch tổng kết năm 2026",
            },
        )
    assert created.status_code == 201, created.json_body
    assert created.json_body["intake_due_on"] == "2026-12-31"  # one working day
    services.set_day(cast.tenant, d("2026-12-31"), DayKind.DAY_OFF, name="Nghỉ bù")
    document = Document.objects.get(pk=created.json_body["id"])
    assert document.intake_due_on == d("2027-01-04")  # after 31/12, 1/1 and the weekend


def test_recount_after_an_upgrade_fixes_dates_counted_under_the_old_calendar(cast: Cast) -> None:
    """A release may bring days the previous one did not know (a newer `holidays`, a new
    notice in `official.py`): `nhiemvu calendar recount` brings stored dates up to date."""
    task = assigned_task(cast)
    Task.objects.filter(pk=task.pk).update(due_soon_on=d("2026-12-30"))  # counted before
    out = StringIO()
    with clock.frozen(d("2026-12-14")):
        call_command("calendar", "recount", stdout=out)
    task.refresh_from_db()
    assert task.due_soon_on == d("2026-12-29")
    assert f"{cast.tenant}: dates recounted, 1 changed." in out.getvalue().splitlines()
