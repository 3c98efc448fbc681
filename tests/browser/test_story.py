"""The whole story in a real browser, as the real roles (issue #3):
the Office enters a document with three tasks → the unit updates one, asks to extend another,
submits the third → the Office returns the result with a reason → the unit resubmits → the
Office confirms and approves the extension → the leader's dashboard counts follow.

The domain clock is frozen on Monday 21/4/2025, the week of the 30/4–1/5 holidays (with Friday
2/5 swapped to Saturday 26/4), so every deadline and count is known in advance."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from playwright.sync_api import expect

from nhiemvu.core import clock
from nhiemvu.tasks.models import Task

PASSWORD = "pw-123456"
MONDAY = dt.datetime(2025, 4, 21, 9, 0)


def overdue_count(page: Any) -> int:
    card = page.locator(".counts a", has_text="Quá hạn").first
    return int(card.locator("strong").inner_text())


@pytest.fixture
def monday() -> Any:
    with clock.frozen(MONDAY):
        yield


def test_the_whole_story(session: Any, cast: Any, monday: Any) -> None:
    # The Office enters a document with three tasks, typing unit names without accents.
    office = session()
    page = office.sign_in("office", PASSWORD)
    expect(page.get_by_role("heading", name="Bàn làm việc của Văn phòng")).to_be_visible()
    page.get_by_role("button", name=re.compile("Nhập văn bản")).click()
    page.get_by_label("Số, ký hiệu").fill("75/KH-UBND")
    page.get_by_label("Loại văn bản").select_option("plan")
    page.get_by_label("Ngày ban hành").fill("2025-04-21")
    page.get_by_label("Trích yếu").fill("Kế hoạch triển khai chuyển đổi số năm 2025")
    rows = [
        ("Xây dựng kho dữ liệu dùng chung của tỉnh", "so tai chinh", "2025-05-30"),
        ("Rà soát danh mục dịch vụ công trực tuyến", "STC", "2025-04-25"),
        ("Báo cáo kết quả số hóa hồ sơ", "Sở Kế hoạch và Đầu tư", "2025-05-09"),
    ]
    for index, (content, lead, deadline) in enumerate(rows):
        if index:
            page.get_by_role("button", name="Thêm nhiệm vụ").click()
        row = page.locator("[data-row]").nth(index)
        row.get_by_label(re.compile("Nhiệm vụ$")).fill(content)
        row.get_by_label("Đơn vị chủ trì").fill(lead)
        row.get_by_label("Thời hạn").fill(deadline)
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_text("3 nhiệm vụ")).to_be_visible()
    tasks = {t.content: t for t in Task.objects.all()}
    assert len(tasks) == 3 and {t.state for t in tasks.values()} == {"assigned"}
    build, review, report = (tasks[r[0]] for r in rows)

    # The leader's dashboard before the units act: nothing overdue yet.
    leader = session()
    dash = leader.sign_in("chairman", PASSWORD)
    expect(dash.get_by_role("heading", name=re.compile("Bảng điều hành"))).to_be_visible()
    assert overdue_count(dash) == 0

    # The unit updates one task, asks to extend another, submits the third.
    unit = session(width=360, height=740)  # on a phone
    page = unit.sign_in("lead", PASSWORD)
    expect(page.get_by_role("heading", name="Sở Tài chính")).to_be_visible()
    page.get_by_role("link", name=build.content).first.click()
    page.get_by_label("Nội dung đã thực hiện").fill("Đã khảo sát hiện trạng dữ liệu")
    page.get_by_label("Tiến độ (%)").fill("20")
    page.get_by_role("button", name="Gửi").first.click()
    expect(page.get_by_text("Đã khảo sát hiện trạng dữ liệu").first).to_be_visible()

    unit.go(f"/tasks/{review.pk}/")
    page.locator("summary", has_text="Đề nghị gia hạn").click()
    form = page.locator("#form-request_extension")
    form.get_by_label("Thời hạn mới đề nghị").fill("2025-05-16")
    form.get_by_label("Lý do").fill("Chờ ý kiến các sở, ngành")
    form.get_by_role("button", name="Gửi").click()
    expect(page.get_by_text("Chờ ý kiến các sở, ngành").first).to_be_visible()

    unit.go(f"/tasks/{report.pk}/")
    page.locator("summary", has_text="Báo cáo kết quả").click()
    form = page.locator("#form-submit_result")
    form.get_by_label("Kết quả").fill("Đã số hóa 12.000 hồ sơ")
    form.get_by_role("button", name="Gửi").click()
    expect(page.locator(".badge", has_text="Chờ xác nhận")).to_be_visible()

    # The Office returns the result with a reason, in place on its workbench.
    page = office.go("/workbench/")
    item = page.locator(f"#queue-{report.pk}")
    item.get_by_label("Lý do trả lại").fill("Thiếu số liệu từng huyện")
    item.get_by_role("button", name="Trả lại").click()
    expect(page.locator(f"#queue-{report.pk}")).to_contain_text("Đã trả lại nhiệm vụ cho đơn vị")
    report.refresh_from_db()
    assert report.state == "assigned" and report.returned_count == 1

    # The unit sees the reason and resubmits.
    page = unit.go(f"/tasks/{report.pk}/")
    expect(page.get_by_text("Thiếu số liệu từng huyện").first).to_be_visible()
    page.locator("summary", has_text="Báo cáo kết quả").click()
    form = page.locator("#form-submit_result")
    form.get_by_label("Kết quả").fill("Đã bổ sung số liệu từng xã, phường")
    form.get_by_role("button", name="Gửi").click()

    # The Office confirms it and approves the extension, both in place.
    page = office.go("/workbench/")
    page.locator(f"#queue-{report.pk}").get_by_role("button", name="Xác nhận hoàn thành").click()
    expect(page.locator(f"#queue-{report.pk}")).to_contain_text("Đã xác nhận hoàn thành")
    extension = page.locator(".queue-item", has_text=review.content)
    extension.get_by_role("button", name="Chấp thuận", exact=True).click()
    expect(extension).to_contain_text("thời hạn mới là ngày 16/05/2025")
    review.refresh_from_db()
    report.refresh_from_db()
    assert review.deadline == dt.date(2025, 5, 16) and report.state == "completed"

    # Tuesday 13/5: without the extension `review` (due 25/4) would be overdue; with it, due
    # Friday 16/5, it is due soon (3 working days left: 14, 15, 16/5). `build` (30/5) is on
    # time, `report` completed on time.
    with clock.frozen(dt.datetime(2025, 5, 13, 9, 0)):
        dash = leader.go("/dashboard/")
        assert overdue_count(dash) == 0
        expect(
            dash.locator(".counts a", has_text="Hoàn thành đúng hạn").locator("strong")
        ).to_have_text("1")
        expect(dash.locator(".counts a", has_text="Sắp đến hạn").locator("strong")).to_have_text(
            "1"
        )
    with clock.frozen(dt.datetime(2025, 5, 19, 9, 0)):
        dash = leader.go("/dashboard/")
        assert overdue_count(dash) == 1  # `review` passed its extended deadline
        dash.locator(".counts a", has_text="Quá hạn").first.click()
        expect(dash.get_by_role("link", name=review.content)).to_be_visible()


def test_a_unit_cannot_open_another_units_task(session: Any, cast: Any, monday: Any) -> None:
    from nhiemvu.tasks import workflow

    task = workflow.assign(
        workflow.create_task(
            workflow.TaskInput(
                content="Nhiệm vụ của Sở Tài chính",
                lead_unit=cast.finance,
                deadline=dt.date(2025, 5, 30),
            ),
            by=cast.office,
        ),
        by=cast.office,
    )
    outsider = session()
    outsider.sign_in("outsider", PASSWORD)
    response = outsider.page.goto(outsider.base + f"/tasks/{task.pk}/")
    assert response.status == 404
    outsider.errors.clear()  # the browser logs the expected 404 itself
    expect(outsider.page.get_by_role("heading")).to_contain_text("Không có quyền truy cập")
    expect(outsider.page.get_by_text("Nhiệm vụ của Sở Tài chính")).to_have_count(0)
