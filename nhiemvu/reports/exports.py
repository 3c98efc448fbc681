"""The Office's consolidated report (R16.2, R18.2) as Word (.docx, Decree 30/2020 layout),
Excel (.xlsx) and PDF, with PNG charts.

The report is a Vietnamese administrative document: its wording is fixed by Decree 30/2020
(national heading, "Số:", "Nơi nhận:", "Lưu: VT") and filed as such, so it is written in
Vietnamese whatever the reader's interface language; it is a form, not interface text.

1. `outline()` turns a snapshot (snapshot.py) and the report's header into a neutral list
   of blocks (headings, paragraphs, tables, images);
2. `to_docx`, `to_pdf` and `to_xlsx` each render those blocks.
Layout (Decree 30/2020, Appendix I): A4 portrait; margins top/bottom 20 mm, left 30 mm,
right 15 mm; Times New Roman 13–14 pt; header in two columns (issuing body and number on
the left, national heading and place-date on the right); title "BÁO CÁO" and its subject;
body; "Nơi nhận" on the left and the signature block on the right.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from . import charts

if TYPE_CHECKING:
    from .models import ConsolidatedReport, ReportingSettings

NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
TITLE = "BÁO CÁO"

#: Column headings of the figures, in Vietnamese (docs/metrics.md gives the definitions).
VI: dict[str, str] = {
    "assigned": "Giao trong kỳ",
    "due": "Đến hạn trong kỳ",
    "done_on_time": "Hoàn thành đúng hạn",
    "done_late": "Hoàn thành quá hạn",
    "overdue": "Quá hạn chưa hoàn thành",
    "in_progress": "Đang thực hiện trong hạn",
    "awaiting": "Chờ xác nhận kết quả",
    "no_deadline": "Không thời hạn, đang thực hiện",
    "cycle_missed": "Không thời hạn, chưa cập nhật định kỳ",
    "returned": "Bị trả lại",
    "returned2": "Bị trả lại từ 2 lần",
    "extensions": "Được gia hạn",
    "active": "Tổng số trong kỳ",
    "rate": "Tỷ lệ đúng hạn (%)",
    "score": "Điểm",
    "rank": "Xếp hạng",
}
#: The columns of the by-unit table (A4 portrait holds about a dozen).
UNIT_COLUMNS = (
    "active",
    "due",
    "done_on_time",
    "done_late",
    "overdue",
    "in_progress",
    "returned",
    "extensions",
    "rate",
    "score",
)
SHORT_COLUMNS = ("active", "due", "done_on_time", "done_late", "overdue", "in_progress", "rate")
CHART_LABELS_VI = {
    "units": {
        "title": "Kết quả theo đơn vị",
        "on_time": "Hoàn thành đúng hạn",
        "late": "Hoàn thành quá hạn",
        "overdue": "Quá hạn chưa hoàn thành",
    },
    "trend": {
        "title": "Nhiệm vụ hoàn thành theo tháng",
        "on_time": "Đúng hạn",
        "late": "Quá hạn",
        "rate": "Tỷ lệ đúng hạn (%)",
    },
}


def vn_date(day: dt.date) -> str:
    """ "ngày 05 tháng 01 năm 2026": day and months 1–2 with a leading zero (Decree 30)."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def _d(text: str | None) -> str:
    return dt.date.fromisoformat(text).strftime("%d/%m/%Y") if text else ""


def _num(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.1f}".replace(".", ",")
    return str(value)


@dataclass
class Table:
    caption: str
    headers: list[str]
    rows: list[list[str]]
    widths: list[float]  # relative
    sheet: str  # the Excel sheet name (≤ 31 characters, no accents needed)


@dataclass
class Outline:
    """The report as blocks any renderer can lay out."""

    parent_body: str
    issuing_body: str
    number_line: str
    place_date: str
    subject: str
    addressees: list[str]
    blocks: list[tuple[str, Any]] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)
    signer: list[str] = field(default_factory=list)
    signer_name: str = ""

    def tables(self) -> list[Table]:
        return [value for kind, value in self.blocks if kind == "table"]


def outline(
    data: dict[str, Any], rules: ReportingSettings, header: ConsolidatedReport | None
) -> Outline:
    """The consolidated report's content from a snapshot `data`."""
    issued = (header.issued_on if header and header.issued_on else None) or dt.date.fromisoformat(
        data["computed_at"][:10]
    )
    number = header.number if header and header.number else "      "
    period_name = data["period"]["name"]
    t = data["totals"]
    doc = Outline(
        parent_body=rules.parent_body.upper(),
        issuing_body=rules.issuing_body.upper(),
        number_line=f"Số: {number}/{rules.symbol}",
        place_date=f"{rules.place}, {vn_date(issued)}",
        subject="Kết quả thực hiện nhiệm vụ do Ủy ban nhân dân, Chủ tịch Ủy ban nhân dân giao "
        + period_name[:1].lower()
        + period_name[1:],
        addressees=[
            line.strip()
            for line in (header.addressees if header else "").splitlines()
            if line.strip()
        ],
        recipients=[line.strip() for line in rules.recipients.splitlines() if line.strip()],
        signer=[line for line in (rules.signer_authority, rules.signer_title) if line],
        signer_name=(header.signer_name if header and header.signer_name else rules.signer_name),
    )
    add = doc.blocks.append
    add(("heading", "I. KẾT QUẢ CHUNG"))
    add(
        (
            "para",
            f"Kỳ báo cáo từ ngày {_d(data['period']['start'])} đến ngày {_d(data['period']['end'])}"
            f", số liệu tính đến ngày {_d(data['as_of'])}. Trong kỳ theo dõi {t['active']} nhiệm vụ"
            f" (giao mới {t['assigned']}, đến hạn {t['due']}); hoàn thành đúng hạn"
            f" {t['done_on_time']}, hoàn thành quá hạn {t['done_late']}; quá hạn chưa hoàn thành"
            f" {t['overdue']}; đang thực hiện trong hạn {t['in_progress']}; chờ xác nhận kết quả"
            f" {t['awaiting']}; nhiệm vụ không thời hạn đang thực hiện {t['no_deadline']}"
            f" (chưa cập nhật định kỳ {t['cycle_missed']}). Bị trả lại {t['returned']} nhiệm vụ,"
            f" được gia hạn {t['extensions']} nhiệm vụ. Tỷ lệ hoàn thành đúng hạn:"
            f" {_num(t['rate'])}%.",
        )
    )
    add(
        (
            "table",
            Table(
                "Bảng 1. Tổng hợp kết quả",
                ["Chỉ tiêu", "Số lượng"],
                [[VI[name], _num(t[name])] for name in (*VI.keys(),) if name in t],
                [4, 1],
                "Tong hop",
            ),
        )
    )
    if header and header.assessment.strip():
        for line in header.assessment.strip().splitlines():
            if line.strip():
                add(("para", line.strip()))
    add(("image", ("units", charts.units_png(data, CHART_LABELS_VI["units"]))))
    add(("image", ("trend", charts.trend_png(data, CHART_LABELS_VI["trend"]))))
    add(("heading", "II. KẾT QUẢ THEO ĐƠN VỊ VÀ XẾP HẠNG THI ĐUA"))
    f = data["formula"]
    add(
        (
            "para",
            "Điểm xếp hạng = 100 × ("
            f"{_num(f['on_time'])} × đúng hạn + {_num(f['late'])} × quá hạn đã hoàn thành"
            f" + {_num(f['overdue'])} × quá hạn chưa hoàn thành"
            f" + {_num(f['cycle_missed'])} × không thời hạn chưa cập nhật"
            f" + {_num(f['returned'])} × bị trả lại) ÷ số nhiệm vụ được đánh giá.",
        )
    )
    add(
        (
            "table",
            Table(
                "Bảng 2. Kết quả thực hiện nhiệm vụ theo đơn vị",
                ["Hạng", "Đơn vị", *[VI[c] for c in UNIT_COLUMNS]],
                [
                    [_num(u["rank"]), u["name"], *[_num(u[c]) for c in UNIT_COLUMNS]]
                    for u in data["units"]
                ],
                [0.7, 2.6, *[1.1] * len(UNIT_COLUMNS)],
                "Don vi",
            ),
        )
    )
    add(("heading", "III. KẾT QUẢ THEO NGƯỜI GIAO, LĨNH VỰC VÀ VĂN BẢN"))
    add(
        (
            "table",
            Table(
                "Bảng 3. Theo người giao nhiệm vụ",
                ["Người giao", *[VI[c] for c in SHORT_COLUMNS]],
                [
                    [
                        (f"{r['title']} {r['name']}".strip() if r["id"] else "Ủy ban nhân dân"),
                        *[_num(r[c]) for c in SHORT_COLUMNS],
                    ]
                    for r in data["leaders"]
                ],
                [4, *[1] * len(SHORT_COLUMNS)],
                "Nguoi giao",
            ),
        )
    )
    add(
        (
            "table",
            Table(
                "Bảng 4. Theo lĩnh vực",
                ["Lĩnh vực", *[VI[c] for c in SHORT_COLUMNS]],
                [
                    [r["name"] or "Chưa phân lĩnh vực", *[_num(r[c]) for c in SHORT_COLUMNS]]
                    for r in data["fields"]
                ],
                [4, *[1] * len(SHORT_COLUMNS)],
                "Linh vuc",
            ),
        )
    )
    documents = data["documents"][:40]
    if documents:
        add(
            (
                "table",
                Table(
                    "Bảng 5. Theo văn bản chỉ đạo (các văn bản có nhiều nhiệm vụ quá hạn nhất)",
                    ["Văn bản", *[VI[c] for c in SHORT_COLUMNS]],
                    [
                        [
                            f"{r['number']} ngày {_d(r['issued_on'])}"
                            if r["id"]
                            else "Không gắn văn bản",
                            *[_num(r[c]) for c in SHORT_COLUMNS],
                        ]
                        for r in documents
                    ],
                    [4, *[1] * len(SHORT_COLUMNS)],
                    "Van ban",
                ),
            )
        )
    add(("heading", "IV. CÁC ĐƠN VỊ PHẢI GIẢI TRÌNH"))
    if data["must_explain"]:
        add(
            (
                "para",
                "Các đơn vị có nhiệm vụ quá hạn, nhiệm vụ không thời hạn chưa cập nhật định kỳ"
                " hoặc nhiệm vụ bị trả lại nhiều lần giải trình trong báo cáo định kỳ.",
            )
        )
        add(
            (
                "table",
                Table(
                    "Bảng 6. Đơn vị phải giải trình",
                    ["STT", "Đơn vị", VI["overdue"], VI["cycle_missed"], VI["returned2"]],
                    [
                        [
                            str(i),
                            u["name"],
                            _num(u["overdue"]),
                            _num(u["cycle_missed"]),
                            _num(u["returned2"]),
                        ]
                        for i, u in enumerate(data["must_explain"], start=1)
                    ],
                    [0.6, 4, 1.2, 1.2, 1.2],
                    "Giai trinh",
                ),
            )
        )
    else:
        add(("para", "Không có đơn vị phải giải trình."))
    add(("heading", "V. ĐỀ XUẤT, KIẾN NGHỊ"))
    proposals = header.proposals.strip() if header else ""
    for line in proposals.splitlines() or ["…"]:
        if line.strip():
            add(("para", line.strip()))
    return doc


def _recipient_lines(doc: Outline) -> list[str]:
    lines = []
    for index, name in enumerate(doc.recipients):
        last = index == len(doc.recipients) - 1
        name = name.rstrip(";.")
        lines.append(f"- {name}{'.' if last else ';'}")
    return lines


# --- Word ---------------------------------------------------------------------------------


def to_docx(doc: Outline) -> bytes:
    """The report in the Decree 30/2020 layout, as a .docx."""
    from docx import Document as Docx
    from docx.enum.section import WD_ORIENT
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    word = Docx()
    section = word.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin = section.bottom_margin = Cm(2)
    section.left_margin, section.right_margin = Cm(3), Cm(1.5)
    normal = word.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(14)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), "Times New Roman")
    normal.paragraph_format.space_after = Pt(6)

    def line(
        cell_or_doc: Any,
        text: str,
        *,
        bold: bool = False,
        italic: bool = False,
        size: float = 13,
        align: Any = WD_ALIGN_PARAGRAPH.CENTER,
        first: bool = False,
    ) -> Any:
        paragraph = cell_or_doc.paragraphs[0] if first else cell_or_doc.add_paragraph()
        paragraph.alignment = align
        paragraph.paragraph_format.space_after = Pt(0)
        run = paragraph.add_run(text)
        run.bold, run.italic, run.font.size = bold, italic, Pt(size)
        return paragraph

    # Header: two columns, no borders.
    head = word.add_table(rows=1, cols=2)
    head.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = head.rows[0].cells
    left.width, right.width = Cm(6.5), Cm(10)
    line(left, doc.parent_body, size=13, first=True)
    line(left, doc.issuing_body, bold=True, size=13)
    line(left, "________", size=10)
    line(left, doc.number_line, size=13)
    line(right, NATION, bold=True, size=12, first=True)
    line(right, MOTTO, bold=True, size=13)
    line(right, "______________________", size=10)
    line(right, doc.place_date, italic=True, size=14)

    title = line(word, TITLE, bold=True, size=14)
    title.paragraph_format.space_before = Pt(12)
    line(word, doc.subject, bold=True, size=14)
    line(word, "__________", size=10)
    if doc.addressees:
        if len(doc.addressees) == 1:
            line(word, f"Kính gửi: {doc.addressees[0]}.", size=14)
        else:
            line(word, "Kính gửi:", size=14)
            for name in doc.addressees:
                line(word, f"- {name};", size=14)

    for kind, value in doc.blocks:
        if kind == "heading":
            p = line(word, value, bold=True, size=14, align=WD_ALIGN_PARAGRAPH.LEFT)
            p.paragraph_format.space_before = Pt(6)
        elif kind == "para":
            p = word.add_paragraph(value)
            p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
            p.paragraph_format.first_line_indent = Cm(1.27)
        elif kind == "image":
            word.add_picture(io.BytesIO(value[1]), width=Cm(15.5))
            word.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif kind == "table":
            caption = line(word, value.caption, italic=True, size=12)
            caption.paragraph_format.space_before = Pt(6)
            table = word.add_table(rows=1, cols=len(value.headers))
            table.style = "Table Grid"
            total = sum(value.widths)
            for index, text in enumerate(value.headers):
                cell = table.rows[0].cells[index]
                cell.width = Cm(16.5 * value.widths[index] / total)
                line(cell, text, bold=True, size=9, first=True)
            for row in value.rows:
                cells = table.add_row().cells
                for index, text in enumerate(row):
                    cells[index].width = Cm(16.5 * value.widths[index] / total)
                    align = (
                        WD_ALIGN_PARAGRAPH.LEFT
                        if index == 1 or len(row) == 2 and index == 0
                        else WD_ALIGN_PARAGRAPH.CENTER
                    )
                    line(cells[index], text, size=9, align=align, first=True)

    # "Nơi nhận" on the left, the signature block on the right.
    word.add_paragraph()
    foot = word.add_table(rows=1, cols=2)
    left, right = foot.rows[0].cells
    left.width, right.width = Cm(8), Cm(8.5)
    line(
        left,
        "Nơi nhận:",
        bold=True,
        italic=True,
        size=12,
        align=WD_ALIGN_PARAGRAPH.LEFT,
        first=True,
    )
    for text in _recipient_lines(doc):
        line(left, text, size=11, align=WD_ALIGN_PARAGRAPH.LEFT)
    first = True
    for text in doc.signer:
        line(right, text, bold=True, size=13, first=first)
        first = False
    for _i in range(3):
        line(right, "", size=13)
    line(right, doc.signer_name or " ", bold=True, size=14)

    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


# --- PDF ----------------------------------------------------------------------------------

_FONTS_READY = False


def _fonts() -> tuple[str, str, str]:
    """Register DejaVu Sans (matplotlib ships it; it has every Vietnamese glyph)."""
    global _FONTS_READY
    import os

    import matplotlib
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if not _FONTS_READY:
        folder = os.path.join(matplotlib.get_data_path(), "fonts", "ttf")
        pdfmetrics.registerFont(TTFont("DejaVu", os.path.join(folder, "DejaVuSans.ttf")))
        pdfmetrics.registerFont(TTFont("DejaVu-Bold", os.path.join(folder, "DejaVuSans-Bold.ttf")))
        pdfmetrics.registerFont(
            TTFont("DejaVu-Oblique", os.path.join(folder, "DejaVuSans-Oblique.ttf"))
        )
        _FONTS_READY = True
    return "DejaVu", "DejaVu-Bold", "DejaVu-Oblique"


def to_pdf(doc: Outline) -> bytes:
    """The same report as a PDF (reportlab), A4 portrait, fonts embedded."""
    from xml.sax.saxutils import escape

    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import cm
    from reportlab.platypus import Image, Paragraph, SimpleDocTemplate, Spacer, TableStyle
    from reportlab.platypus import Table as PdfTable

    regular, bold, italic = _fonts()

    def style(
        name: str, font: str = regular, size: float = 11, align: int = TA_CENTER, **kw: Any
    ) -> ParagraphStyle:
        return ParagraphStyle(
            name, fontName=font, fontSize=size, leading=size * 1.3, alignment=align, **kw
        )

    centre = style("c")
    centre_bold = style("cb", bold)
    place = style("pd", italic)
    body = style("b", size=11, align=TA_JUSTIFY, firstLineIndent=1.0 * cm, spaceAfter=4)
    heading = style("h", bold, 11.5, TA_LEFT, spaceBefore=6, spaceAfter=4)
    cell = style("cell", size=7.5, align=TA_CENTER)
    cell_left = style("cl", size=7.5, align=TA_LEFT)
    cell_head = style("ch", bold, 7.5)
    small_left = style("sl", size=9.5, align=TA_LEFT)

    def p(text: str, s: ParagraphStyle) -> Paragraph:
        return Paragraph(escape(text), s)

    width = A4[0] - 4.5 * cm
    story: list[Any] = []
    head = PdfTable(
        [
            [p(doc.parent_body, centre), p(NATION, centre_bold)],
            [p(doc.issuing_body, centre_bold), p(MOTTO, centre_bold)],
            [p(doc.number_line, centre), p(doc.place_date, place)],
        ],
        colWidths=[width * 0.4, width * 0.6],
    )
    story += [head, Spacer(1, 0.5 * cm)]
    story += [p(TITLE, style("t", bold, 13)), p(doc.subject, style("s", bold, 11.5))]
    if doc.addressees:
        story.append(Spacer(1, 0.2 * cm))
        story.append(p("Kính gửi: " + "; ".join(doc.addressees) + ".", centre))
    story.append(Spacer(1, 0.3 * cm))
    for kind, value in doc.blocks:
        if kind == "heading":
            story.append(p(value, heading))
        elif kind == "para":
            story.append(p(value, body))
        elif kind == "image":
            image = Image(io.BytesIO(value[1]))
            ratio = image.imageHeight / image.imageWidth
            image.drawWidth, image.drawHeight = width, width * ratio
            story.append(image)
        elif kind == "table":
            story.append(p(value.caption, style("cap", italic, 9.5, spaceBefore=4, spaceAfter=2)))
            total = sum(value.widths)
            rows = [[p(h, cell_head) for h in value.headers]]
            for row in value.rows:
                rows.append(
                    [
                        p(text, cell_left if (i == 1 or len(row) == 2 and i == 0) else cell)
                        for i, text in enumerate(row)
                    ]
                )
            table = PdfTable(
                rows, colWidths=[width * w / total for w in value.widths], repeatRows=1
            )
            table.setStyle(
                TableStyle(
                    [
                        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
                    ]
                )
            )
            story.append(table)
    story.append(Spacer(1, 0.6 * cm))
    left = [p("Nơi nhận:", style("nn", bold, 10, TA_LEFT))]
    left += [p(text, small_left) for text in _recipient_lines(doc)]
    right = [p(text, centre_bold) for text in doc.signer]
    right += [Spacer(1, 1.8 * cm), p(doc.signer_name or " ", centre_bold)]
    story.append(
        PdfTable(
            [[left, right]],
            colWidths=[width * 0.5, width * 0.5],
            style=[("VALIGN", (0, 0), (-1, -1), "TOP")],
        )
    )

    out = io.BytesIO()
    SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=3 * cm,
        rightMargin=1.5 * cm,
        topMargin=2 * cm,
        bottomMargin=2 * cm,
        title=doc.subject,
        author=doc.issuing_body,
    ).build(story)
    return out.getvalue()


# --- Excel --------------------------------------------------------------------------------


def to_xlsx(doc: Outline, title: str) -> bytes:
    """Every table on its own sheet, and the charts on a last sheet."""
    from openpyxl import Workbook
    from openpyxl.drawing.image import Image as XlImage
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    first = True
    for table in doc.tables():
        if first:
            sheet = book.active
            assert sheet is not None
            sheet.title = table.sheet
            first = False
        else:
            sheet = book.create_sheet(table.sheet)
        sheet.append([title])
        sheet.append([table.caption])
        sheet["A1"].font = Font(bold=True, size=13)
        sheet["A2"].font = Font(italic=True)
        sheet.append(table.headers)
        for c in sheet[3]:
            c.font = Font(bold=True)
            c.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        for row in table.rows:
            sheet.append([_cell(v) for v in row])
        total = sum(table.widths)
        for index, w in enumerate(table.widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = max(8, 90 * w / total)
        sheet.freeze_panes = "A4"
    images = [value for kind, value in doc.blocks if kind == "image"]
    if images:
        sheet = book.create_sheet("Bieu do")
        top = 1
        for _name, png in images:
            picture = XlImage(io.BytesIO(png))
            sheet.add_image(picture, f"A{top}")
            top += int(picture.height / 20) + 2
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _cell(text: str) -> Any:
    """Numbers as numbers in Excel ("40,0" → 40.0, "-" stays text)."""
    plain = text.replace(",", ".")
    try:
        return int(plain)
    except ValueError:
        pass
    try:
        return float(plain)
    except ValueError:
        return text
