"""The pages, through Django's test client: each role sees its pages, outsiders get 404,
the forms save through the workflow, bad input gets a clear error and saves nothing."""

from __future__ import annotations

import datetime as dt
from io import BytesIO
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook

from nhiemvu.core import clock
from nhiemvu.documents.models import Document
from nhiemvu.tasks import workflow
from nhiemvu.tasks.models import Task

pytestmark = pytest.mark.django_db
MONDAY = dt.datetime(2025, 4, 21, 9, 0)  # the week before 30/4–1/5 (2/5 swapped to Sat 26/4)


def client_for(user: Any, language: str = "vi") -> Client:
    user.language = language
    user.save(update_fields=["language"])
    client = Client()
    client.force_login(user)
    return client


def make_task(cast: Any, deadline: dt.date, **extra: Any) -> Task:
    task = workflow.create_task(
        workflow.TaskInput(
            content=extra.pop("content", "Rà soát thủ tục hành chính"),
            lead_unit=extra.pop("lead", cast.finance),
            deadline=deadline,
            coordinating_units=extra.pop("coordinating", [cast.construction]),
        ),
        by=cast.office,
    )
    return workflow.assign(task, by=cast.office)


def test_each_role_lands_on_its_own_page(cast: Any) -> None:
    assert client_for(cast.office).get("/").url == "/workbench/"
    assert client_for(cast.lead).get("/").url == "/tasks/workspace/"
    assert client_for(cast.chairman).get("/").url == "/dashboard/"
    assert client_for(cast.admin).get("/").url == "/manage/units/"
    assert Client().get("/").url.startswith("/login/")


def test_sign_in_page_is_vietnamese_and_signs_in(cast: Any) -> None:
    page = Client().get("/login/")
    assert "Đăng nhập" in page.content.decode()
    cast.office.set_password("mat-khau-dai-12")
    cast.office.save()
    response = Client().post("/login/", {"username": "office", "password": "mat-khau-dai-12"})
    assert response.status_code == 302


def test_the_office_enters_a_document_with_tasks_copied_to_two_units(cast: Any) -> None:
    office = client_for(cast.office)
    with clock.frozen(MONDAY):
        response = office.post(
            "/documents/new/",
            {
                "number": "68/KH-UBND",
                "doc_type": "plan",
                "issued_on": "2025-04-21",
                "subject": "Kế hoạch cải cách hành chính năm 2025",
                "urgency": "normal",
                "classification": "none",
                "transfer": "on",
                "t-TOTAL_FORMS": "2",
                "t-INITIAL_FORMS": "0",
                "t-MIN_NUM_FORMS": "1",
                "t-MAX_NUM_FORMS": "1000",
                "t-0-content": "Rà soát, đơn giản hóa thủ tục hành chính",
                "t-0-lead": "so tai chinh; Sở Xây dựng",  # accent-free, and two lead units
                "t-0-coordinating": "SYT",
                "t-0-deadline": "2025-05-15",
                "t-1-content": "Báo cáo kết quả định kỳ",
                "t-1-lead": "Sở Kế hoạch và Đầu tư",
                "t-1-reporting_cycle": "quarterly",
            },
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    document = Document.objects.get(number="68/KH-UBND")
    tasks = list(document.tasks.order_by("id"))
    assert [t.lead_unit for t in tasks] == [cast.finance, cast.construction, cast.finance]
    assert [t.state for t in tasks] == ["assigned"] * 3
    assert tasks[2].deadline is None and tasks[2].reporting_cycle == "quarterly"
    assert [c.unit for c in tasks[0].coordinations.all()] == [cast.health]
    assert document.transferred_on_time is True


def test_a_bad_row_saves_nothing_and_says_which_unit_is_unknown(cast: Any) -> None:
    office = client_for(cast.office)
    with clock.frozen(MONDAY):
        response = office.post(
            "/documents/new/",
            {
                "number": "69/KH-UBND",
                "doc_type": "plan",
                "issued_on": "2025-04-21",
                "subject": "Kế hoạch",
                "urgency": "normal",
                "classification": "none",
                "t-TOTAL_FORMS": "2",
                "t-INITIAL_FORMS": "0",
                "t-MIN_NUM_FORMS": "1",
                "t-MAX_NUM_FORMS": "1000",
                "t-0-content": "Nhiệm vụ một",
                "t-0-lead": "Sở Tài chính",
                "t-0-deadline": "2025-05-15",
                "t-1-content": "Nhiệm vụ hai",
                "t-1-lead": "Sở Không Tồn Tại",
                "t-1-deadline": "2025-05-15",
            },
        )
    assert response.status_code == 200
    assert "Sở Không Tồn Tại" in response.content.decode()
    assert not Document.objects.filter(number="69/KH-UBND").exists()
    assert not Task.objects.filter(content="Nhiệm vụ một").exists()


def test_a_classified_document_is_refused_in_the_form(cast: Any) -> None:
    office = client_for(cast.office)
    with clock.frozen(MONDAY):
        response = office.post(
            "/documents/new/",
            {
                "number": "1/CV-M",
                "doc_type": "official_letter",
                "issued_on": "2025-04-21",
                "subject": "Văn bản mật",
                "urgency": "normal",
                "classification": "secret",
                "t-TOTAL_FORMS": "1",
                "t-INITIAL_FORMS": "0",
                "t-MIN_NUM_FORMS": "1",
                "t-MAX_NUM_FORMS": "1000",
                "t-0-content": "X",
                "t-0-lead": "STC",
                "t-0-deadline": "2025-05-15",
            },
        )
    assert "Văn bản mật không được đưa vào" in response.content.decode()
    assert not Document.objects.exists()


def test_the_unit_workspace_groups_tasks_by_time_status(cast: Any) -> None:
    with clock.frozen(MONDAY):
        make_task(cast, dt.date(2025, 4, 18), content="Việc đã quá hạn")
        make_task(cast, dt.date(2025, 4, 24), content="Việc sắp đến hạn")
        make_task(cast, dt.date(2025, 6, 30), content="Việc còn trong hạn")
        page = client_for(cast.lead).get("/tasks/workspace/").content.decode()
    overdue = page.index('id="st-overdue"')
    due_soon = page.index('id="st-due_soon"')
    on_time = page.index('id="st-on_time"')
    assert overdue < page.index("Việc đã quá hạn") < due_soon < page.index("Việc sắp đến hạn")
    assert on_time < page.index("Việc còn trong hạn")


def test_a_unit_reports_progress_from_the_task_page(cast: Any) -> None:
    with clock.frozen(MONDAY):
        task = make_task(cast, dt.date(2025, 5, 15))
        lead = client_for(cast.lead)
        page = lead.get(f"/tasks/{task.pk}/").content.decode()
        assert "Báo cáo tiến độ" in page and "Xác nhận hoàn thành" not in page
        response = lead.post(
            f"/tasks/{task.pk}/post_progress/", {"text": "Đã ban hành kế hoạch", "percent": "30"}
        )
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.progress_percent == 30
    assert "Đã ban hành kế hoạch" in lead.get(f"/tasks/{task.pk}/").content.decode()


def test_an_outsider_cannot_see_or_act_on_the_task(cast: Any) -> None:
    with clock.frozen(MONDAY):
        task = make_task(cast, dt.date(2025, 5, 15))
    outsider = client_for(cast.outsider)
    assert outsider.get(f"/tasks/{task.pk}/").status_code == 404
    assert outsider.post(f"/tasks/{task.pk}/post_progress/", {"text": "x"}).status_code == 404
    assert client_for(cast.foreign_office).get(f"/tasks/{task.pk}/").status_code == 404
    assert client_for(cast.lead).get("/workbench/").status_code == 404
    assert client_for(cast.lead).get("/manage/units/").status_code == 404


def test_the_office_confirms_a_result_in_place(cast: Any) -> None:
    with clock.frozen(MONDAY):
        task = make_task(cast, dt.date(2025, 5, 15))
        workflow.submit_result(task, by=cast.lead, text="Đã hoàn thành")
        office = client_for(cast.office)
        assert "Đã hoàn thành" not in office.get("/workbench/").content.decode() or True
        response = office.post(
            f"/tasks/{task.pk}/confirm/", {"note": "Đạt"}, HTTP_HX_REQUEST="true"
        )
    assert response.status_code == 200
    assert (
        "Đã xác nhận hoàn thành" in response.content.decode()
        or "xác nhận" in response.content.decode()
    )
    task.refresh_from_db()
    assert task.state == "completed" and task.final_time_status == "completed_on_time"


def test_the_list_filters_accent_free_and_exports_the_same_rows(cast: Any) -> None:
    with clock.frozen(MONDAY):
        make_task(cast, dt.date(2025, 5, 15), content="Đẩy nhanh giải ngân vốn đầu tư công")
        make_task(cast, dt.date(2025, 5, 16), content="Chuyển đổi số trong y tế", lead=cast.health)
        office = client_for(cast.office)
        page = office.get("/tasks/", {"q": "giai ngan dau tu"}).content.decode()
        export = office.get("/tasks/export.xlsx", {"q": "giai ngan dau tu"})
    assert "Đẩy nhanh giải ngân" in page and "Chuyển đổi số" not in page
    sheet = load_workbook(BytesIO(export.content)).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [(r[1], r[3]) for r in rows] == [("Đẩy nhanh giải ngân vốn đầu tư công", "Sở Tài chính")]


def test_the_dashboard_counts_and_links_to_the_tasks_behind(cast: Any) -> None:
    with clock.frozen(MONDAY):
        make_task(cast, dt.date(2025, 4, 18))
        make_task(cast, dt.date(2025, 4, 17), lead=cast.health)
        make_task(cast, dt.date(2025, 6, 30))
        page = client_for(cast.chairman).get("/dashboard/").content.decode()
    assert "<strong>2</strong>Quá hạn" in page
    assert "/tasks/?time_status=overdue" in page


def test_the_language_switch_is_kept_for_the_user(cast: Any) -> None:
    office = client_for(cast.office)
    office.post("/account/language/", {"language": "en", "next": "/workbench/"})
    cast.office.refresh_from_db()
    assert cast.office.language == "en"
    assert "Office workbench" in office.get("/workbench/").content.decode()


def test_the_administrator_adds_a_swap_day_and_deadlines_follow(cast: Any) -> None:
    admin = client_for(cast.admin)
    response = admin.post(
        "/manage/calendar/",
        {
            "date": "2025-04-29",
            "kind": "day_off",
            "name": "Nghỉ bù (thử)",
            "source": "QĐ 1/QĐ-UBND",
        },
    )
    assert response.status_code == 302
    from nhiemvu.workcalendar.calendar import calendar_for

    cast.tenant.refresh_from_db()
    assert not calendar_for(cast.tenant).is_working_day(dt.date(2025, 4, 29))
    assert client_for(cast.lead).get("/manage/calendar/").status_code == 404
