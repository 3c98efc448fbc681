"""The inspection report (R15): its countdown, and the .docx in the Decree 30/2020 layout.

The document is built as a `reports.exports.Outline` (national heading, number and symbol,
place and date, title "BÁO CÁO" and subject, "Kính gửi", body with tables, "Nơi nhận" and the
signature block) and rendered by the same `to_docx` as the Office's consolidated report, so
the administrative layout lives in one place. Like every administrative document, its
wording is Vietnamese whatever the reader's interface language.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from nhiemvu.reports.exports import Outline, Table, to_docx, vn_date
from nhiemvu.reports.models import ReportingSettings
from nhiemvu.workcalendar.calendar import calendar_for

from .enums import Content, InspectionState, MemberRole, RecommendationKind
from .models import Inspection

MEMBER_ROLES_VI = {
    MemberRole.LEADER: "Tổ trưởng",
    MemberRole.DEPUTY: "Tổ phó",
    MemberRole.MEMBER: "Thành viên",
    MemberRole.SECRETARY: "Thư ký",
}
KIND_VI = {
    RecommendationKind.URGE: "Đôn đốc thực hiện",
    RecommendationKind.ADJUST_TASK: "Điều chỉnh nhiệm vụ",
    RecommendationKind.HANDLE_VIOLATION: "Xử lý vi phạm",
}
CONTENT_VI = {
    Content.IMPLEMENTATION: "Việc tổ chức triển khai, kết quả thực hiện nhiệm vụ",
    Content.UPDATING: "Việc cập nhật thông tin, tiến độ trên Hệ thống",
    Content.REPORTING: "Việc chấp hành chế độ báo cáo",
}


@dataclass(frozen=True)
class Countdown:
    """Where the report stands against its deadline, in words and as a colour class."""

    due: dt.date
    days: int  # working days left; negative when overdue
    done: bool
    words: str
    css: str


def countdown(inspection: Inspection, today: dt.date) -> Countdown | None:
    """The report's countdown on `today` in working days (None before the inspection ends)."""
    due = inspection.report_due_on
    if due is None:
        return None
    if inspection.state in (InspectionState.REPORTED, InspectionState.DELIVERED):
        issued = inspection.report_date or today
        on_time = issued <= due
        words = (
            _("Report issued on %(day)s, on time (due %(due)s).")
            if on_time
            else _("Report issued on %(day)s, late (due %(due)s).")
        ) % {"day": issued.strftime("%d/%m/%Y"), "due": due.strftime("%d/%m/%Y")}
        return Countdown(due, 0, True, words, "st-completed_on_time" if on_time else "st-overdue")
    days = calendar_for(inspection.tenant).working_days_between(today, due)
    if days > 0:
        words = ngettext(
            "%(days)s working day left: the report is due on %(due)s.",
            "%(days)s working days left: the report is due on %(due)s.",
            days,
        )
        css = "st-due_soon" if days <= 3 else "st-on_time"
    elif days == 0:
        words = _("The report is due today, %(due)s.")
        css = "st-due_soon"
    else:
        words = ngettext(
            "The report is %(days)s working day late: it was due on %(due)s.",
            "The report is %(days)s working days late: it was due on %(due)s.",
            -days,
        )
        css = "st-overdue"
    return Countdown(
        due, days, False, words % {"days": abs(days), "due": due.strftime("%d/%m/%Y")}, css
    )


def outline(inspection: Inspection) -> Outline:
    """The report as blocks for `reports.exports.to_docx` (Vietnamese, Decree 30 wording)."""
    settings = ReportingSettings.of(inspection.tenant)
    group = inspection.group
    unit = inspection.unit
    report_date = inspection.report_date or inspection.ended_on or inspection.starts_on
    place = settings.place or inspection.tenant.name
    doc = Outline(
        parent_body=settings.parent_body or inspection.tenant.name.upper(),
        issuing_body=group.issuing_body.upper(),
        number_line=f"Số: {inspection.report_number or '.../' + group.symbol}",
        place_date=f"{place}, {vn_date(report_date)}",
        subject=f"Kết quả kiểm tra việc thực hiện nhiệm vụ của {unit.name}",
        addressees=["Chủ tịch UBND tỉnh"],
    )
    add = doc.blocks.append
    members = [
        f"{m.user.get_full_name() or m.user.username} ({MEMBER_ROLES_VI[MemberRole(m.role)]})"
        for m in group.members.select_related("user").order_by("id")
    ]
    basis = (
        f"Thực hiện Quyết định số {group.decision_number} ngày "
        f"{group.decision_date:%d/%m/%Y} của Chủ tịch UBND tỉnh về việc thành lập {group.name}"
    )
    if inspection.plan_id and inspection.plan:
        basis += f" và {inspection.plan.title}"
    add(("heading", "I. KHÁI QUÁT CHUNG"))
    add(
        (
            "para",
            f"{basis}, từ ngày {inspection.starts_on:%d/%m/%Y} đến ngày "
            f"{inspection.ends_on:%d/%m/%Y}, {group.name} đã kiểm tra việc thực hiện "
            f"nhiệm vụ được giao của {unit.name} trong thời gian từ ngày "
            f"{inspection.review_start:%d/%m/%Y} đến ngày {inspection.review_end:%d/%m/%Y}.",
        )
    )
    if inspection.surprise_reason:
        add(("para", f"Đây là đợt kiểm tra đột xuất. Lý do: {inspection.surprise_reason}"))
    add(
        (
            "para",
            "Nội dung kiểm tra: "
            + "; ".join(CONTENT_VI[Content(c)].lower() for c in inspection.contents)
            + ".",
        )
    )
    if members:
        add(("para", "Thành phần Tổ Công tác: " + "; ".join(members) + "."))
    invited = [str(p) for p in inspection.invited.select_related("unit")]
    if invited:
        add(("para", "Thành phần mời tham dự: " + "; ".join(invited) + "."))

    add(("heading", "II. KẾT QUẢ KIỂM TRA"))
    figures = (inspection.dossier or {}).get("figures") or {}
    if figures:
        rate = figures.get("rate")
        add(
            (
                "para",
                f"Theo dữ liệu trên Hệ thống tại thời điểm kiểm tra, trong kỳ {unit.name} có "
                f"{figures.get('active', 0)} nhiệm vụ; hoàn thành đúng hạn "
                f"{figures.get('done_on_time', 0)}, hoàn thành quá hạn "
                f"{figures.get('done_late', 0)}, quá hạn chưa hoàn thành "
                f"{figures.get('overdue', 0)}, đang thực hiện trong hạn "
                f"{figures.get('in_progress', 0)}, không thời hạn chưa cập nhật định kỳ "
                f"{figures.get('cycle_missed', 0)}, bị trả lại {figures.get('returned', 0)}"
                + (f"; tỷ lệ hoàn thành đúng hạn {rate:.1f}%." if rate is not None else "."),
            )
        )
    assessments = (
        (Content.IMPLEMENTATION, inspection.assessment_implementation),
        (Content.UPDATING, inspection.assessment_updating),
        (Content.REPORTING, inspection.assessment_reporting),
    )
    number = 0
    for content, text in assessments:
        if content not in inspection.contents:
            continue
        number += 1
        add(("heading", f"{number}. {CONTENT_VI[content]}"))
        for line in text.splitlines() or ["…"]:
            if line.strip():
                add(("para", line.strip()))

    add(("heading", "III. KẾT LUẬN"))
    findings = list(inspection.findings.order_by("id"))
    if findings:
        add(
            (
                "table",
                Table(
                    caption="Bảng 1. Các tồn tại, hạn chế",
                    headers=[
                        "TT",
                        "Nội dung",
                        "Tính chất",
                        "Mức độ",
                        "Nguyên nhân",
                        "Trách nhiệm",
                    ],
                    rows=[
                        [str(i), f.subject, f.nature, f.extent, f.cause, f.responsible]
                        for i, f in enumerate(findings, start=1)
                    ],
                    widths=[0.6, 3.4, 2.2, 2, 2.4, 2],
                    sheet="Ket luan",
                ),
            )
        )
    else:
        add(("para", "Qua kiểm tra, không phát hiện tồn tại, hạn chế."))

    add(("heading", "IV. KIẾN NGHỊ"))
    recommendations = list(inspection.recommendations.select_related("addressee").order_by("id"))
    if recommendations:
        add(
            (
                "table",
                Table(
                    caption="Bảng 2. Kiến nghị",
                    headers=[
                        "TT",
                        "Nội dung kiến nghị",
                        "Hình thức",
                        "Đơn vị thực hiện",
                        "Thời hạn",
                    ],
                    rows=[
                        [
                            str(i),
                            r.text,
                            KIND_VI[RecommendationKind(r.kind)],
                            r.addressee.name,
                            f"{r.due_on:%d/%m/%Y}",
                        ]
                        for i, r in enumerate(recommendations, start=1)
                    ],
                    widths=[0.6, 5, 2.2, 2.6, 1.8],
                    sheet="Kien nghi",
                ),
            )
        )
        add(
            (
                "para",
                f"Đề nghị {unit.name} thực hiện các kiến nghị nêu trên, cập nhật kết quả trên "
                f"Hệ thống và báo cáo {group.name} đúng thời hạn.",
            )
        )
    else:
        add(("para", "Không có kiến nghị."))
    add(("para", f"Trên đây là báo cáo kết quả kiểm tra của {group.name}./."))

    doc.recipients = [
        "Như trên",
        "Các Phó Chủ tịch UBND tỉnh (để b/c)",
        "Văn phòng UBND tỉnh",
        f"{unit.name} (để thực hiện)",
        f"Lưu: VT, {group.symbol.split('-')[-1]}",
    ]
    doc.signer = ["TM. " + group.issuing_body.upper(), inspection.signer_title or "TỔ TRƯỞNG"]
    doc.signer_name = inspection.signer_name
    return doc


def build_docx(inspection: Inspection) -> bytes:
    return to_docx(outline(inspection))
