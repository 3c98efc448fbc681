"""Feedback between units in a real browser (issue #5): a commune files feedback about a
department's late task → the Office answers by urging, with an urging letter → the commune
sees the answer → the department sees the urging.

The clock is frozen on Monday 5/5/2025, the first working day after the 30/4–1/5 holidays:
the task was due on Friday 25/4, so it is overdue and can go into an urging letter, and the
Office's answer is due ten working days later, on Monday 19/5."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from playwright.sync_api import expect

from nhiemvu.accounts.models import Role
from nhiemvu.core import clock
from nhiemvu.feedback.models import Feedback
from nhiemvu.notifications.models import UrgingLetter
from nhiemvu.tasks import workflow
from tests.conftest import make_user

PASSWORD = "pw-123456"
MONDAY = dt.datetime(2025, 5, 5, 9, 0)
CONTENT = "Hướng dẫn các xã quyết toán ngân sách năm 2025"


@pytest.fixture
def monday() -> Any:
    with clock.frozen(MONDAY):
        yield


def test_a_commune_files_feedback_and_the_office_urges_the_department(
    session: Any, cast: Any, monday: Any
) -> None:
    make_user("commune", cast.commune, Role.UNIT_STAFF)
    with clock.frozen(dt.date(2025, 3, 3)):
        task = workflow.assign(
            workflow.create_task(
                workflow.TaskInput(
                    content=CONTENT,
                    lead_unit=cast.finance,
                    coordinating_units=[cast.commune],
                    deadline=dt.date(2025, 4, 25),
                ),
                by=cast.office,
            ),
            by=cast.office,
        )

    # The commune files feedback about the department's task.
    commune = session()
    commune.sign_in("commune", PASSWORD)
    page = commune.go(f"/feedback/task/{task.pk}/new/")
    expect(page.get_by_role("heading", name="Gửi phản hồi")).to_be_visible()
    page.get_by_label("Chậm: không thực hiện đúng thời hạn").check()
    expect(page.get_by_label("Đơn vị được phản hồi")).to_have_value(str(cast.finance.pk))
    page.get_by_label("Nội dung sự việc", exact=True).fill(
        "Đến nay Sở chưa ban hành hướng dẫn, xã chưa thể quyết toán."
    )
    page.get_by_role("button", name="Gửi Văn phòng").click()
    expect(page.get_by_text("Văn phòng trả lời trước ngày 19/05/2025")).to_be_visible()
    expect(page.locator(".badge", has_text="Chờ Văn phòng trả lời")).to_be_visible()
    feedback = Feedback.objects.get()

    # The Office sees it in its queue with the countdown, and urges with a letter.
    office = session()
    office.sign_in("office", PASSWORD)
    page = office.go("/feedback/")
    row = page.locator(f"#feedback-{feedback.pk}")
    expect(row).to_contain_text("Còn 10 ngày làm việc")
    expect(row).to_contain_text("UBND xã Hoằng Hóa phản hồi về Sở Tài chính")
    row.get_by_role("link", name=CONTENT).click()
    expect(page.get_by_text("Đến nay Sở chưa ban hành hướng dẫn")).to_be_visible()
    answer = page.locator("#answer")
    answer.get_by_label("Đôn đốc đơn vị").check()
    answer.get_by_label("Nội dung trả lời").fill(
        "Đề nghị Sở Tài chính ban hành hướng dẫn trước ngày 15/5/2025."
    )
    answer.get_by_label(re.compile("Ban hành kèm văn bản đôn đốc")).check()
    answer.get_by_role("button", name="Gửi trả lời").click()
    expect(page.locator("#answer")).to_contain_text("Đã gửi trả lời.")  # in place (HTMX)
    letter = UrgingLetter.objects.get()
    expect(page.locator("#answer")).to_contain_text(f"Văn bản đôn đốc số {letter.number}")
    expect(page.locator("#answer .badge")).to_have_text("Đã trả lời: đã đôn đốc đơn vị")
    expect(page.locator(".timeline")).to_contain_text("office: trả lời phản hồi")
    assert letter.unit == cast.finance and letter.is_sent

    # The commune is told, and sees the Office's answer.
    page = commune.go("/notifications/")
    page.get_by_role("link", name=f"Phản hồi của đơn vị đã được trả lời: {CONTENT}").click()
    expect(page).to_have_url(re.compile(rf"/feedback/{feedback.pk}/$"))
    expect(page.get_by_text("Đề nghị Sở Tài chính ban hành hướng dẫn trước ngày")).to_be_visible()
    expect(page.get_by_role("link", name="Tải văn bản (.docx)")).to_be_visible()

    # The department sees the urging: notified, and listed among the feedback about it.
    department = session(width=360, height=740)  # on a phone
    department.sign_in("lead", PASSWORD)
    page = department.go("/notifications/")
    page.get_by_role("link", name=f"Văn phòng đôn đốc: {CONTENT}").click()
    expect(page.get_by_text("Đề nghị Sở Tài chính ban hành hướng dẫn trước ngày")).to_be_visible()
    page = department.go("/feedback/unit/")
    about = page.locator("#about-us")
    expect(about).to_contain_text(CONTENT)
    expect(about.locator(".badge")).to_have_text("Đã trả lời: đã đôn đốc đơn vị")
    expect(page.get_by_text(f"Văn bản đôn đốc số {letter.number}")).to_have_count(0)

    # Another department sees nothing of it.
    outsider = session()
    outsider.sign_in("outsider", PASSWORD)
    response = outsider.page.goto(outsider.base + f"/feedback/{feedback.pk}/")
    assert response.status == 404
    outsider.errors.clear()  # the browser logs the expected 404 itself
    expect(outsider.page.get_by_text("Đến nay Sở chưa ban hành hướng dẫn")).to_have_count(0)
