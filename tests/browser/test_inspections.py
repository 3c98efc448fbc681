"""An inspection by the Chairman's Working Group in a real browser (issue #7): a plan →
approval by the group's leader → the inspection of a commune with its dossier → a finding →
recommendations → the report, counted down in working days across the 30/4–1/5/2026
holidays, issued as a .docx and delivered → the commune sees it on a phone and opens the
task adjustment the report asks for → the follow-up shows in the monthly summary."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from docx import Document as Docx
from playwright.sync_api import expect

from nhiemvu.core import clock
from nhiemvu.inspections.models import Inspection, InspectionPlan, Recommendation
from nhiemvu.notifications.models import Notification
from nhiemvu.tasks.models import Task
from tests.inspections.conftest import build_world

PASSWORD = "pw-123456"


def at(day: str) -> Any:
    return clock.frozen(dt.datetime.fromisoformat(day + "T09:00"))


def open_details(page: Any, summary: str) -> None:
    page.locator("summary", has_text=summary).click()


def test_an_inspection_from_plan_to_monthly_summary(session: Any, cast: Any) -> None:
    world = build_world(cast)

    # The group's secretary (an Office specialist) drafts the Q2 plan with the commune in it.
    with at("2026-04-01"):
        office = session()
        page = office.sign_in("office", PASSWORD)
        office.go("/inspections/")
        expect(page.get_by_role("heading", name="Kế hoạch kiểm tra")).to_be_visible()
        open_details(page, "Xây dựng kế hoạch mới")
        page.get_by_label("Tên kế hoạch").fill("Kế hoạch kiểm tra quý II năm 2026")
        page.get_by_label("Kế hoạch từ ngày").fill("2026-04-01")
        page.get_by_label("Kế hoạch đến ngày").fill("2026-06-30")
        page.get_by_role("button", name="Tạo kế hoạch").click()
        expect(
            page.get_by_role("heading", name="Kế hoạch kiểm tra quý II năm 2026")
        ).to_be_visible()
        page.get_by_role("combobox", name="Đơn vị được kiểm tra").select_option(
            label="xã Hoằng Hóa"
        )
        page.get_by_label("Ngày bắt đầu kiểm tra").fill("2026-04-28")
        page.get_by_label("Ngày kết thúc kiểm tra").fill("2026-04-29")
        page.get_by_role("button", name="Thêm vào kế hoạch").click()
        expect(page.get_by_text("Đã thêm đơn vị vào kế hoạch.")).to_be_visible()
        expect(page.get_by_role("button", name="Phê duyệt kế hoạch")).to_have_count(0)
        plan = InspectionPlan.objects.get()

        # Only the group's leader approves it.
        leader = session()
        page_l = leader.sign_in("office_leader", PASSWORD)
        leader.go(f"/inspections/plans/{plan.pk}/")
        page_l.get_by_role("button", name="Phê duyệt kế hoạch").click()
        expect(
            page_l.get_by_text("Đã phê duyệt kế hoạch; các đơn vị đã được thông báo.")
        ).to_be_visible()
    inspection = Inspection.objects.get()
    assert Notification.objects.filter(
        rule="inspection.notice", recipient=world.commune_staff
    ).exists()

    # On site: the secretary starts the inspection; the dossier shows the commune's record.
    with at("2026-04-28"):
        office.go(f"/inspections/{inspection.pk}/")
        page.get_by_role("button", name="Bắt đầu kiểm tra").click()
        expect(page.get_by_role("heading", name="Hồ sơ kiểm tra")).to_be_visible()
        dossier = page.locator("#dossier-tasks")
        expect(dossier.get_by_text("4 nhiệm vụ trong kỳ")).to_be_visible()
        overdue_row = dossier.locator("tr", has_text="Hoàn thành rà soát hồ sơ đất đai")
        expect(overdue_row.get_by_text("Quá hạn")).to_be_visible()
        open_details(page, "Báo cáo định kỳ của đơn vị đến hạn trong kỳ")
        expect(page.locator("#dossier-reports").get_by_text("Chưa gửi")).to_be_visible()

        open_details(page, "Ghi kết luận")
        form = page.locator("#findings form").last
        form.get_by_label("Nhiệm vụ", exact=True).select_option(
            label="Hoàn thành rà soát hồ sơ đất đai"
        )
        form.get_by_label("Tính chất").fill("Chậm thực hiện nhiệm vụ")
        form.get_by_label("Mức độ").fill("Quá hạn 28 ngày")
        form.get_by_label("Nguyên nhân").fill("Thiếu cán bộ địa chính")
        form.get_by_label("Trách nhiệm của tập thể, cá nhân").fill("Chủ tịch UBND xã Hoằng Hóa")
        form.get_by_role("button", name="Lưu kết luận").click()
        expect(page.get_by_text("Đã lưu kết luận.")).to_be_visible()

        for kind, text, due, task in [
            ("urge", "Khẩn trương hoàn thành rà soát hồ sơ đất đai", "2026-05-15", None),
            (
                "adjust_task",
                "Điều chỉnh thời hạn xây dựng nhà văn hóa thôn",
                "2026-05-29",
                "Xây dựng nhà văn hóa thôn",
            ),
        ]:
            open_details(page, "Ghi kiến nghị")
            form = page.locator("#recommendations > details form")
            form.get_by_label("Hình thức kiến nghị").select_option(kind)
            form.get_by_label("Kiến nghị", exact=True).fill(text)
            form.get_by_label("Thời hạn thực hiện").fill(due)
            if task:
                form.get_by_label("Nhiệm vụ (cần điều chỉnh)").select_option(label=task)
            form.get_by_role("button", name="Lưu kiến nghị").click()
            expect(page.get_by_text("Đã lưu kiến nghị.")).to_be_visible()

        # A bad input is refused in Vietnamese and nothing is written.
        open_details(page, "Ghi kiến nghị")
        form = page.locator("#recommendations > details form")
        form.get_by_label("Hình thức kiến nghị").select_option("adjust_task")
        form.get_by_label("Kiến nghị", exact=True).fill("Điều chỉnh gì đó")
        form.get_by_label("Thời hạn thực hiện").fill("2026-05-29")
        form.get_by_role("button", name="Lưu kiến nghị").click()
        expect(page.get_by_text("Chọn nhiệm vụ cần điều chỉnh.")).to_be_visible()
    assert Recommendation.objects.count() == 2

    # The inspection ends on Wed 29/4: 10 working days skip 30/4, 1/5 and the weekends.
    with at("2026-04-29"):
        office.go(f"/inspections/{inspection.pk}/")
        page.get_by_role("button", name="Kết thúc kiểm tra").click()
        countdown = page.locator("#countdown")
        expect(countdown).to_contain_text("Còn 10 ngày làm việc: hạn báo cáo là ngày 15/05/2026.")
        expect(countdown).to_contain_text("Hạn báo cáo")
    with at("2026-05-14"):
        office.go(f"/inspections/{inspection.pk}/")
        expect(page.locator("#countdown")).to_contain_text("Còn 1 ngày làm việc")

    # The report: assessments, issued (numbered, .docx), delivered.
    with at("2026-05-14"):
        page.get_by_label("Đánh giá: việc tổ chức thực hiện và kết quả").fill(
            "Xã đã triển khai phần lớn nhiệm vụ."
        )
        page.get_by_label("Đánh giá: việc cập nhật trên Hệ thống").fill("Cập nhật chưa đầy đủ.")
        page.get_by_label("Đánh giá: việc chấp hành chế độ báo cáo").fill("Chưa gửi báo cáo quý I.")
        page.get_by_role("button", name="Lưu đánh giá").click()
        expect(page.get_by_text("Đã lưu đánh giá.")).to_be_visible()
        page.get_by_role("button", name="Ban hành báo cáo").click()
        expect(page.get_by_text("Báo cáo số 01/BC-TCT ngày 14/05/2026")).to_be_visible()
        expect(page.locator("#countdown")).to_contain_text("Ban hành đúng hạn")
        with page.expect_download() as download:
            page.get_by_role("button", name="Tải báo cáo (.docx)").click()
        word = Docx(str(download.value.path()))
        assert "Kết quả kiểm tra việc thực hiện nhiệm vụ của UBND xã Hoằng Hóa" in [
            p.text for p in word.paragraphs
        ]
        page.get_by_role("button", name="Gửi UBND tỉnh và đơn vị").click()
        expect(
            page.get_by_text("Đã gửi báo cáo đến UBND tỉnh và đơn vị được kiểm tra.")
        ).to_be_visible()

    # The commune, on a phone, sees the delivered report and opens the task adjustment.
    with at("2026-05-15"):
        commune = session(width=360, height=740)
        page_c = commune.sign_in("commune_staff", PASSWORD)
        assert Notification.objects.filter(
            rule="inspection.report_delivered", recipient=world.commune_staff
        ).exists()
        commune.go("/inspections/")
        expect(page_c.get_by_role("heading", name="Các cuộc kiểm tra đơn vị")).to_be_visible()
        page_c.get_by_role("link", name="UBND xã Hoằng Hóa").click()
        expect(page_c.get_by_text("Chậm thực hiện nhiệm vụ")).to_be_visible()
        expect(page_c.locator("#dossier")).to_have_count(0)
        expect(page_c.get_by_role("button", name="Tải báo cáo (.docx)")).to_be_visible()
        open_details(page_c, "Gửi đề nghị điều chỉnh nhiệm vụ")
        page_c.get_by_label("Loại điều chỉnh").select_option("wrong_content")
        page_c.get_by_label("Nội dung cụ thể").fill("Đề nghị lùi thời hạn đến 30/9")
        page_c.get_by_role("button", name="Gửi đề nghị điều chỉnh").click()
        expect(
            page_c.get_by_text("Đã gửi đề nghị điều chỉnh đến Văn phòng UBND tỉnh.")
        ).to_be_visible()
    assert Task.objects.get(pk=world.tasks["open"].pk).state == "adjustment_requested"

    # The group records the urging done; the May summary shows it closed, the other open.
    with at("2026-05-20"):
        office.go(f"/inspections/{inspection.pk}/")
        urge = page.locator("#recommendations article", has_text="Khẩn trương hoàn thành")
        urge.locator("summary", has_text="Ghi nhận kết quả thực hiện").click()
        urge.get_by_label("Kết quả theo dõi").select_option("done")
        urge.get_by_role("button", name="Ghi nhận", exact=True).click()
        expect(page.get_by_text("Đã ghi nhận kết quả thực hiện.")).to_be_visible()
        office.go("/inspections/summary/?month=2026-05")
        closed = page.locator("#closed")
        expect(closed.get_by_text("Khẩn trương hoàn thành rà soát hồ sơ đất đai")).to_be_visible()
        expect(closed.get_by_text("Đã thực hiện")).to_be_visible()
        expect(page.locator("#open").get_by_text("Điều chỉnh thời hạn xây dựng")).to_be_visible()
        office.go("/inspections/summary/?month=2026-04")
        expect(page.locator("#done").get_by_role("link", name="UBND xã Hoằng Hóa")).to_be_visible()

    # Another unit never sees it.
    other = session()
    page_o = other.sign_in("outsider", PASSWORD)
    other.go(f"/inspections/{inspection.pk}/")
    expect(page_o.get_by_role("heading", name=re.compile("Không có quyền"))).to_be_visible()
    # Chromium logs the page's 404 status itself as a console error: that one is expected.
    assert other.errors == [
        "Failed to load resource: the server responded with a status of 404 (Not Found)"
    ]
    other.errors.clear()
