"""In a real browser: the Office opens Q3 2025 and publishes its results; an anonymous
visitor reads them on the public page and downloads the CSV; a later edit to a task does not
change what was published (issue #6)."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from nhiemvu.core import clock
from nhiemvu.tasks import workflow
from tests.conftest import Cast, d
from tests.reports.test_scorecards import AFTER_Q3, q3_story

PASSWORD = "pw-123456"


@pytest.fixture
def after_q3() -> Any:
    with clock.frozen(AFTER_Q3):
        yield


def test_the_office_publishes_q3_and_the_public_reads_it(
    session: Any, cast: Cast, after_q3: Any
) -> None:
    story = q3_story(cast)
    story.run_until(AFTER_Q3)

    office = session()
    page = office.sign_in("office", PASSWORD)
    page.goto(office.base + "/dashboard/reports/")
    page.locator("summary").click()
    page.locator("#id_kind").select_option("quarter")
    page.locator("#id_year").fill("2025")
    page.locator("#id_number").fill("3")
    page.get_by_role("button", name="Mở", exact=True).click()
    expect(page.get_by_role("heading", name="Quý III năm 2025")).to_be_visible()
    ranking = page.locator("#scorecards tbody tr")
    expect(ranking).to_have_count(3)
    expect(ranking.nth(0)).to_contain_text("Sở Y tế")
    expect(ranking.nth(2)).to_contain_text("Sở Tài chính")
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("#publications button[type=submit]").click()
    expect(page.locator("#publications li")).to_have_count(1)

    visitor = session()
    public = visitor.go("/public/")
    public.get_by_role("link", name="Quý III năm 2025").click()
    rows = public.locator("#ranking tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.nth(2)).to_contain_text("Sở Tài chính")
    before = public.locator("main").inner_text()
    with public.expect_download() as download:
        public.get_by_role("link", name="CSV").click()
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    units = {row["unit"]: row for row in csv.DictReader(io.StringIO(text))}
    assert units["Sở Tài chính"]["overdue"] == "2"

    # Later, F4 (overdue on 30/9) gets an extension: the live figures change…
    with clock.frozen(d("2025-10-12")):
        request = workflow.request_extension(
            story.tasks["F4"], by=cast.lead, proposed_deadline=d("2025-12-31"), reason="Chờ vốn"
        )
        workflow.decide_extension(request, by=cast.office, approve=True)
    page.reload()
    expect(page.locator("#scorecards tbody tr").nth(2)).to_contain_text("Sở Tài chính")
    # …the published page does not.
    public.reload()
    assert public.locator("main").inner_text() == before
