"""The report reminder for the worker's sweep, the generated .docx, and the monthly summary."""

from __future__ import annotations

import io

from docx import Document as Docx

from nhiemvu.core import clock
from nhiemvu.inspections import report, services, summary
from nhiemvu.inspections.jobs import remind_reports
from nhiemvu.inspections.models import Recommendation
from nhiemvu.notifications.models import Notification
from tests.conftest import d

from .conftest import World, approved_inspection, delivered_inspection


def _reminders() -> list[tuple[str, str]]:
    return sorted(
        Notification.objects.filter(rule="inspection.report_due").values_list(
            "recipient__username", "occurrence"
        )
    )


def test_the_report_reminder_fires_on_its_days_once_each(world: World) -> None:
    inspection = approved_inspection(world)
    with clock.frozen(d("2026-04-28")):
        services.open_inspection(inspection, by=world.cast.office)
    with clock.frozen(d("2026-04-29")):
        services.end_inspection(inspection, by=world.cast.office)  # due 15/5
    tenant = world.cast.tenant
    assert remind_reports(tenant, d("2026-05-11")) == 0  # 4 working days before
    assert remind_reports(tenant, d("2026-05-12")) == 2  # 3 working days before
    assert remind_reports(tenant, d("2026-05-12")) == 0  # a rerun writes nothing new
    assert remind_reports(tenant, d("2026-05-16")) == 0  # Saturday
    assert remind_reports(tenant, d("2026-05-15")) == 2  # the day
    assert remind_reports(tenant, d("2026-05-18")) == 2  # late
    assert _reminders() == [
        ("office", "-1:2026-05-15"),
        ("office", "0:2026-05-15"),
        ("office", "3:2026-05-15"),
        ("office_leader", "-1:2026-05-15"),
        ("office_leader", "0:2026-05-15"),
        ("office_leader", "3:2026-05-15"),
    ]
    note = Notification.objects.get(recipient=world.cast.office, occurrence="0:2026-05-15")
    assert note.link == f"/inspections/{inspection.pk}/"
    with clock.frozen(d("2026-05-18")):
        services.save_assessment(
            inspection, by=world.cast.office, implementation="a", updating="b", reporting="c"
        )
        services.issue_report(inspection, by=world.cast.office)
    assert remind_reports(tenant, d("2026-05-19")) == 0  # issued: no more reminders


def test_the_report_docx_has_the_decree_30_layout(world: World) -> None:
    inspection = delivered_inspection(world)
    word = Docx(io.BytesIO(report.build_docx(inspection)))
    header = word.tables[0].rows[0].cells
    left = [p.text for p in header[0].paragraphs if p.text.strip()]
    right = [p.text for p in header[1].paragraphs if p.text.strip()]
    assert left[0] == "UBND TỈNH THANH HÓA"
    assert left[1] == "TỔ CÔNG TÁC"
    assert left[-1] == "Số: 01/BC-TCT"
    assert right[0] == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert right[1] == "Độc lập - Tự do - Hạnh phúc"
    assert right[-1] == "Thanh Hóa, ngày 05 tháng 5 năm 2026"
    body = [p.text for p in word.paragraphs]
    assert "BÁO CÁO" in body
    assert "Kết quả kiểm tra việc thực hiện nhiệm vụ của UBND xã Hoằng Hóa" in body
    assert "III. KẾT LUẬN" in body and "IV. KIẾN NGHỊ" in body
    findings = word.tables[1]
    assert [c.text for c in findings.rows[0].cells] == [
        "TT",
        "Nội dung",
        "Tính chất",
        "Mức độ",
        "Nguyên nhân",
        "Trách nhiệm",
    ]
    assert [c.text for c in findings.rows[1].cells] == [
        "1",
        "Hoàn thành rà soát hồ sơ đất đai",
        "Chậm thực hiện nhiệm vụ",
        "Quá hạn 28 ngày",
        "Thiếu cán bộ địa chính",
        "Chủ tịch UBND xã Hoằng Hóa",
    ]
    recommendations = word.tables[2]
    assert len(recommendations.rows) == 3
    assert recommendations.rows[2].cells[2].text == "Điều chỉnh nhiệm vụ"
    footer = word.tables[-1].rows[0].cells
    recipients = [p.text for p in footer[0].paragraphs if p.text.strip()]
    signature = [p.text for p in footer[1].paragraphs if p.text.strip()]
    assert recipients[0] == "Nơi nhận:"
    assert "- UBND xã Hoằng Hóa (để thực hiện);" in recipients
    assert recipients[-1] == "- Lưu: VT, TCT."
    assert signature == ["TM. TỔ CÔNG TÁC", "TỔ TRƯỞNG", "Trần Bình"]


def test_the_monthly_summary_counts_inspections_findings_and_follow_up(world: World) -> None:
    inspection = delivered_inspection(world)
    urge = Recommendation.objects.get(inspection=inspection, kind="urge")
    with clock.frozen(d("2026-05-12")):
        services.close_recommendation(urge, by=world.cast.office, done=True)
    tenant_id = world.cast.tenant.pk
    april = summary.monthly(tenant_id, 2026, 4, d("2026-06-01"))
    assert [i.unit.name for i in april.inspections] == ["UBND xã Hoằng Hóa"]
    assert april.findings == 1
    assert april.open_recommendations == []  # delivered only in May
    may = summary.monthly(tenant_id, 2026, 5, d("2026-06-01"))
    assert may.inspections == []
    assert [r.kind for r in may.open_recommendations] == ["adjust_task"]
    assert [(r.kind, r.state) for r in may.closed_recommendations] == [("urge", "done")]
    assert (may.done, may.not_done, may.overdue) == (1, 0, 1)  # 29/5 passed by 31/5
    june = summary.monthly(tenant_id, 2026, 6, d("2026-06-10"))
    assert june.overdue == 1  # the adjustment was due 29/5
