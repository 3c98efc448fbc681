"""Report pages: who may see them, the drill-down, the unit report, the downloads."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from nhiemvu.accounts.models import User
from nhiemvu.core import clock
from nhiemvu.reports import periods
from nhiemvu.reports.models import ReportingPeriod, UnitReport
from tests.conftest import Cast, d
from tests.reports.test_scorecards import AFTER_Q3, q3_story


def client(user: User | None) -> Client:
    c = Client(HTTP_ACCEPT_LANGUAGE="en")
    if user is not None:
        user.language = "en"
        user.save(update_fields=["language"])
        c.force_login(user)
    return c


@pytest.fixture
def q3(cast: Cast) -> ReportingPeriod:
    q3_story(cast).run_until(AFTER_Q3)
    return periods.create_period(cast.tenant, by=cast.office, kind="quarter", year=2025, number=3)


@pytest.fixture(autouse=True)
def fixed_day() -> Any:
    with clock.frozen(AFTER_Q3):
        yield


def test_a_quarter_gets_the_regulation_cutoffs(cast: Cast) -> None:
    q = periods.create_period(cast.tenant, by=cast.office, kind="quarter", year=2025, number=3)
    assert (q.start, q.end, q.unit_report_due, q.office_report_due) == (
        d("2025-07-01"),
        d("2025-09-30"),
        d("2025-09-20"),
        d("2025-09-25"),
    )
    assert q.name == "Quý III năm 2025"
    half = periods.create_period(cast.tenant, by=cast.office, kind="half", year=2025, number=1)
    assert (half.unit_report_due, half.office_report_due) == (d("2025-05-20"), d("2025-06-25"))
    year = periods.create_period(cast.tenant, by=cast.office, kind="year", year=2025)
    assert (year.unit_report_due, year.office_report_due) == (d("2025-11-20"), d("2025-12-25"))


def test_the_tenant_can_change_the_default_cutoffs(cast: Cast) -> None:
    from nhiemvu.reports.models import ReportingSettings

    rules = ReportingSettings.of(cast.tenant)
    rules.quarter_unit_day = 15
    rules.save()
    q = periods.create_period(cast.tenant, by=cast.office, kind="quarter", year=2026, number=1)
    assert q.unit_report_due == d("2026-03-15")


def test_only_the_office_opens_periods(cast: Cast) -> None:
    from nhiemvu.core.errors import NotAllowed

    with pytest.raises(NotAllowed):
        periods.create_period(cast.tenant, by=cast.lead, kind="year", year=2025)
    response = client(cast.office).post(
        "/dashboard/reports/", {"kind": "quarter", "year": "2025", "number": "4"}
    )
    assert response.status_code == 302
    assert ReportingPeriod.objects.filter(tenant=cast.tenant, number=4).exists()


def test_anonymous_visitors_are_sent_to_sign_in(q3: ReportingPeriod) -> None:
    anonymous = client(None)
    for url in (
        "/dashboard/reports/",
        f"/dashboard/reports/{q3.pk}/",
        f"/dashboard/reports/{q3.pk}/report.docx",
        f"/dashboard/reports/{q3.pk}/tasks/?metric=overdue",
    ):
        response = anonymous.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/login/")
    assert anonymous.post(f"/dashboard/reports/{q3.pk}/publish/").status_code == 302
    assert not q3.publications.exists()


def test_outsiders_never_see_the_office_pages(cast: Cast, q3: ReportingPeriod) -> None:
    for user in (cast.outsider, cast.lead, cast.foreign_office):
        c = client(user)
        assert c.get(f"/dashboard/reports/{q3.pk}/").status_code == 404
        assert c.get(f"/dashboard/reports/{q3.pk}/report.pdf").status_code == 404
        assert c.get(f"/dashboard/reports/{q3.pk}/tasks/?metric=overdue").status_code == 404
        assert c.post(f"/dashboard/reports/{q3.pk}/publish/").status_code == 404
    assert (
        client(cast.outsider)
        .get(f"/dashboard/reports/{q3.pk}/units/{cast.finance.pk}/")
        .status_code
        == 404
    )


def test_the_period_page_shows_the_ranking_with_links_to_the_tasks(
    cast: Cast, q3: ReportingPeriod
) -> None:
    page = client(cast.chairman).get(f"/dashboard/reports/{q3.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert html.index("Sở Y tế") < html.index("Sở Xây dựng") < html.index("Sở Tài chính")
    link = f"/dashboard/reports/{q3.pk}/tasks/?metric=overdue&amp;by=unit&amp;id={cast.finance.pk}"
    assert link in html
    drill = client(cast.chairman).get(link.replace("&amp;", "&"))
    assert drill.status_code == 200
    assert "Nhiệm vụ F4" in drill.content.decode()
    assert "Nhiệm vụ F11" in drill.content.decode()
    assert "Nhiệm vụ F5" not in drill.content.decode()
    for by in ("leader", "field", "document"):
        assert client(cast.chairman).get(f"/dashboard/reports/{q3.pk}/?by={by}").status_code == 200


def test_downloads_and_charts(cast: Cast, q3: ReportingPeriod) -> None:
    c = client(cast.office)
    for fmt, start in (("docx", b"PK"), ("xlsx", b"PK"), ("pdf", b"%PDF")):
        response = c.get(f"/dashboard/reports/{q3.pk}/report.{fmt}")
        assert response.status_code == 200
        assert response.content.startswith(start)
    for name in ("units", "trend"):
        response = c.get(f"/dashboard/reports/{q3.pk}/chart-{name}.png")
        assert response["Content-Type"] == "image/png"
        assert response.content.startswith(b"\x89PNG")


def test_a_unit_explains_its_overdue_tasks_and_submits_its_report(
    cast: Cast, q3: ReportingPeriod
) -> None:
    c = client(cast.lead)
    assert c.get("/dashboard/reports/").status_code == 200
    my = c.get(f"/dashboard/reports/{q3.pk}/my-report/")
    url = f"/dashboard/reports/{q3.pk}/units/{cast.finance.pk}/"
    assert my["Location"] == url
    page = c.get(url).content.decode()
    # Finance must explain F4, F11 (overdue), F2 (late), F8 (update missed), F3 (returned).
    for name in ("F4", "F11", "F2", "F8", "F3"):
        assert f"Nhiệm vụ {name}" in page
    ids = [int(part.split('"')[0]) for part in page.split('name="explain_')[1:]]
    refused = c.post(url, {"action": "submit", "difficulties": "Thiếu vốn"})
    assert refused.status_code == 200
    assert "Explain every overdue task" in refused.content.decode()
    # Refused as a whole (the form shows what was typed again): nothing half-submitted.
    assert not UnitReport.objects.filter(unit=cast.finance).exists()
    data = {"action": "submit", "difficulties": "Thiếu vốn", "proposals": "Bổ sung kinh phí"}
    data.update({f"explain_{i}": "Chờ ý kiến của Bộ" for i in ids})
    assert c.post(url, data).status_code == 302
    report = UnitReport.objects.get(unit=cast.finance)
    assert report.state == "submitted"
    assert report.figures["figures"]["overdue"] == 2
    assert len(report.figures["tasks"]) == 5
    # The Office sees who reported: Finance yes (late: due 20/9, sent 10/10), others not.
    listing = client(cast.office).get(f"/dashboard/reports/{q3.pk}/units/").content.decode()
    assert listing.index("Sở Tài chính") < listing.index("Sở Xây dựng")
    assert "(late)" in listing
    assert listing.count("Not started") == 2
    # Submitted reports are frozen.
    assert c.post(url, {"action": "save", "proposals": "x"}).status_code == 404


def test_the_office_sends_a_report_back(cast: Cast, q3: ReportingPeriod) -> None:
    report = UnitReport.objects.create(
        tenant=cast.tenant, period=q3, unit=cast.health, state="submitted"
    )
    url = f"/dashboard/reports/{q3.pk}/units/{cast.health.pk}/send-back/"
    assert client(cast.outsider).post(url, {"reason": "x"}).status_code == 404
    assert client(cast.office).post(url, {"reason": "Thiếu số liệu"}).status_code == 302
    report.refresh_from_db()
    assert report.state == "draft"


def test_the_period_list_costs_the_same_queries_for_one_or_three_periods(
    cast: Cast, django_assert_num_queries: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    c = client(cast.office)
    periods.create_period(cast.tenant, by=cast.office, kind="year", year=2024)
    c.get("/dashboard/reports/")
    with CaptureQueriesContext(connection) as one:
        c.get("/dashboard/reports/")
    for number in (1, 2):
        periods.create_period(cast.tenant, by=cast.office, kind="quarter", year=2024, number=number)
    with django_assert_num_queries(len(one.captured_queries)):
        c.get("/dashboard/reports/")


def test_the_pages_speak_vietnamese(cast: Cast, q3: ReportingPeriod) -> None:
    c = Client(HTTP_ACCEPT_LANGUAGE="vi")
    c.force_login(cast.office)  # users read Vietnamese by default
    html = c.get(f"/dashboard/reports/{q3.pk}/").content.decode()
    assert "Xếp hạng đơn vị phục vụ thi đua" in html
    assert "Quá hạn chưa hoàn thành" in html
    assert "số liệu tính đến 30/09/2025" in html
