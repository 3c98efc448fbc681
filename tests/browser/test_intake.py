"""Issue #4 end to end in a real browser: the Office uploads seed 004's text (the Nghệ An
Project 06 notice, in English), the workbench proposes its tasks beside their sentences, the
Office corrects one, accepts some, rejects the rest and transfers them; each unit then finds
its task in its workspace.

The clock is frozen on Monday 22/4/2024, two days after the notice, so its May deadlines are
still ahead."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from nhiemvu.core import clock
from nhiemvu.documents.models import Document, IntakeProposal
from nhiemvu.tasks.models import Task

PASSWORD = "pw-123456"
SEED_004 = Path(__file__).parents[1] / "data" / "extraction" / "e02_seed004_nghean_de_an_06.txt"


@pytest.fixture
def monday(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path
    with clock.frozen(dt.datetime(2024, 4, 22, 9, 0)):
        yield


def test_the_office_uploads_seed_004_and_the_units_get_its_tasks(
    session: Any, cast: Any, monday: Any
) -> None:
    office = session()
    page = office.sign_in("office", PASSWORD)
    page.locator("#upload-link").click()
    page.locator('input[name="file"]').set_input_files(str(SEED_004))
    page.locator('button[name="read"]').click()

    # The review page: every proposed task under the sentence it came from.
    proposal = IntakeProposal.objects.get()
    expect(page).to_have_url(f"{office.base}/documents/proposals/{proposal.pk}/")
    rows = page.locator("[data-proposal-row]")
    expect(rows).to_have_count(len(proposal.tasks))
    assert len(proposal.tasks) >= 10
    office_row, health_row, labour_row = rows.nth(0), rows.nth(1), rows.nth(3)
    expect(office_row.locator("blockquote")).to_contain_text(
        "Committee Office to review and re-evaluate all features"
    )
    expect(office_row.locator('input[name$="-lead"]')).to_have_value("Văn phòng UBND tỉnh")
    expect(office_row.locator('input[name$="-deadline"]')).to_have_value("2024-05-15")
    expect(health_row.locator('input[name$="-lead"]')).to_have_value("Sở Y tế")
    expect(health_row.locator('input[name$="-deadline"]')).to_have_value("2024-05-31")
    finance_row = rows.filter(has=page.locator('input[name$="-lead"][value="Sở Tài chính"]'))
    finance_row = finance_row.filter(
        has=page.locator('input[name$="-deadline"][value="2024-05-15"]')
    )
    expect(finance_row).to_have_count(1)

    # The notice has no Vietnamese header: the Office types it in.
    page.get_by_label("Số, ký hiệu").fill("1234/TB-UBND")
    page.get_by_label("Loại văn bản").select_option("notice")
    page.get_by_label("Ngày ban hành").fill("2024-04-20")
    page.get_by_label("Trích yếu").fill("Kết luận về triển khai Đề án 06 năm 2024")

    # Accept three as proposed, correct the lead of a fourth (a unit the registry lacks under
    # its old English name), reject the rest by leaving them unticked.
    for row in (office_row, health_row, finance_row):
        row.locator('input[name$="-accept"]').check()
    labour_row.locator('input[name$="-lead"]').fill("so xay dung")
    labour_row.locator('input[name$="-accept"]').check()
    expect(page.locator('input[name="transfer"]')).to_be_checked()
    page.locator('button[name="save"]').click()

    document = Document.objects.get()
    expect(page).to_have_url(f"{office.base}/documents/{document.pk}/")
    expect(page.get_by_text("4 nhiệm vụ").first).to_be_visible()
    tasks = list(Task.objects.select_related("lead_unit").order_by("id"))
    assert [(t.lead_unit.name, t.deadline, t.state) for t in tasks] == [
        ("Văn phòng UBND tỉnh", dt.date(2024, 5, 15), "assigned"),
        ("Sở Y tế", dt.date(2024, 5, 31), "assigned"),
        ("Sở Xây dựng", dt.date(2024, 5, 31), "assigned"),
        ("Sở Tài chính", dt.date(2024, 5, 15), "assigned"),
    ]
    assert (document.source, document.number) == ("upload", "1234/TB-UBND")
    assert IntakeProposal.objects.get().status == "reviewed"

    # Each unit finds its task in its workspace; the Office's queue is empty again.
    for username, task in (("lead", tasks[3]), ("outsider", tasks[1]), ("coord", tasks[2])):
        unit = session()
        unit.sign_in(username, PASSWORD)
        workspace = unit.go("/tasks/workspace/")
        expect(workspace.locator(f'a[href="/tasks/{task.pk}/"]').first).to_be_visible()
        unit.close()
    workbench = office.go("/workbench/")
    expect(workbench.locator("[data-proposal]")).to_have_count(0)
