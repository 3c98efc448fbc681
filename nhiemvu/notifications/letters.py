"""Urging letters (văn bản đôn đốc, R16.4): the Office lists a unit's overdue tasks in a
formal letter, in the administrative layout of Decree 30/2020/NĐ-CP (Appendix I):

    UBND TỈNH THANH HÓA            CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
        VĂN PHÒNG                      Độc lập - Tự do - Hạnh phúc
      Số: 05/VP-TH               Thanh Hóa, ngày 05 tháng 05 năm 2025
  V/v đôn đốc thực hiện nhiệm vụ
                    Kính gửi: Sở Tài chính.
    body · table of overdue tasks · request to report back by a date
  Nơi nhận:                                KT. CHÁNH VĂN PHÒNG
  - Như trên;                              PHÓ CHÁNH VĂN PHÒNG
  - Lưu: VT, TH.                              (signature)
                                              Full Name

A4 portrait, margins 20/20/30/15 mm, Times New Roman, body 14 pt justified with a 1.27 cm
first-line indent. The letter keeps its table as it was on the day (`UrgingLetter.rows`).
"""

from __future__ import annotations

import datetime as dt
from io import BytesIO
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext as _
from docx import Document as new_docx
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

from nhiemvu.core import clock
from nhiemvu.core.errors import DomainError, NotAllowed
from nhiemvu.core.history import record
from nhiemvu.tasks.enums import OPEN_STATES
from nhiemvu.tasks.models import Task
from nhiemvu.tasks.rules import is_office
from nhiemvu.units.models import Unit, UnitKind
from nhiemvu.workcalendar.calendar import calendar_for

from . import outbox
from .enums import Rule
from .models import RuleSettings, UrgingLetter, next_letter_number
from .outbox import Directory, Draft

if TYPE_CHECKING:
    from docx.document import Document as Docx
    from docx.table import _Cell

    from nhiemvu.accounts.models import User

FONT = "Times New Roman"
NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
SUBJECT = "V/v đôn đốc thực hiện nhiệm vụ"


def overdue_tasks(unit: Unit, today: dt.date) -> list[Task]:
    """The unit's open top-level tasks past their deadline, oldest deadline first."""
    return list(
        Task.objects.filter(
            tenant_id=unit.tenant_id,
            lead_unit=unit,
            parent__isnull=True,
            state__in=list(OPEN_STATES),
            deadline__lt=today,
        )
        .select_related("document")
        .order_by("deadline", "id")
    )


def rows_for(tasks: list[Task], today: dt.date, unit: Unit) -> list[dict[str, Any]]:
    calendar = calendar_for(unit.tenant)
    rows = []
    for task in tasks:
        source = ""
        if task.document is not None:
            source = f"{task.document.number} ngày {task.document.issued_on:%d/%m/%Y}"
        rows.append(
            {
                "task_id": task.pk,
                "content": task.content,
                "source": source,
                "deadline": task.deadline.isoformat() if task.deadline else "",
                "days_overdue": calendar.working_days_between(task.deadline, today)
                if task.deadline
                else 0,
            }
        )
    return rows


def default_signer(tenant_id: int) -> dict[str, str]:
    """The Office leader signs by default (the form can change it)."""
    from nhiemvu.accounts.models import Role, User

    leader = (
        User.objects.filter(
            tenant_id=tenant_id, is_active=True, roles__icontains=f'"{Role.OFFICE_LEADER}"'
        )
        .order_by("id")
        .first()
    )
    return {
        "signer_authority": "",
        "signer_title": (leader.title if leader and leader.title else "CHÁNH VĂN PHÒNG").upper(),
        "signer_name": leader.get_full_name() if leader else "",
    }


@transaction.atomic
def issue(
    unit: Unit,
    *,
    by: User,
    number: str = "",
    signer_authority: str = "",
    signer_title: str = "",
    signer_name: str = "",
) -> UrgingLetter:
    """The Office draws up an urging letter to `unit` listing its overdue tasks today."""
    if not is_office(by) or by.tenant_id != unit.tenant_id:
        raise NotAllowed(_("Only the Office issues urging letters."))
    today = clock.today()
    tasks = overdue_tasks(unit, today)
    if not tasks:
        raise DomainError(_("This unit has no overdue tasks to urge."), field="unit")
    rules = RuleSettings.for_tenant(unit.tenant)
    signer = default_signer(unit.tenant_id)
    letter = UrgingLetter.objects.create(
        tenant_id=unit.tenant_id,
        unit=unit,
        number=number.strip() or next_letter_number(unit.tenant_id, rules.letter_symbol, today),
        issued_on=today,
        reply_by=calendar_for(unit.tenant).add_working_days(today, rules.letter_reply_days),
        rows=rows_for(tasks, today, unit),
        signer_authority=signer_authority.strip(),
        signer_title=signer_title.strip() or signer["signer_title"],
        signer_name=signer_name.strip() or signer["signer_name"],
        created_by=by,
    )
    letter.tasks.set(tasks)
    return letter


@transaction.atomic
def mark_sent(letter: UrgingLetter, *, by: User) -> UrgingLetter:
    """Record that the letter was sent: each task's history says it was urged, and the
    unit's staff and head are told."""
    if not is_office(by) or by.tenant_id != letter.tenant_id:
        raise NotAllowed(_("Only the Office issues urging letters."))
    letter = UrgingLetter.objects.select_for_update().select_related("unit").get(pk=letter.pk)
    if letter.sent_at is not None:
        return letter
    letter.sent_at = clock.now()
    letter.sent_by = by
    letter.save(update_fields=["sent_at", "sent_by"])
    for task in letter.tasks.all():
        record(task, "task.urged", actor=by, letter=letter.number, letter_id=letter.pk)
    directory = Directory.load(letter.tenant_id, [letter.unit_id])
    context = {
        "number": letter.number,
        "unit": letter.unit.name,
        "count": len(letter.rows),
        "reply_by": letter.reply_by,
    }
    people = outbox.unique_people(
        directory.staff[letter.unit_id], directory.heads[letter.unit_id], exclude=by.pk
    )
    outbox.write(
        letter.unit.tenant,
        [Draft(p, Rule.LETTER_SENT, "sent", context, letter_id=letter.pk) for p in people],
    )
    return letter


# --- the .docx -----------------------------------------------------------------------------


def date_line(place: str, on: dt.date) -> str:
    """ "Thanh Hóa, ngày 05 tháng 01 năm 2026": day and months 1–2 with a leading zero."""
    month = f"{on.month:02d}" if on.month <= 2 else str(on.month)
    return f"{place}, ngày {on.day:02d} tháng {month} năm {on.year}"


def _paragraph(
    container: Any,
    text: str = "",
    *,
    size: float = 14,
    bold: bool = False,
    italic: bool = False,
    align: Any = WD_ALIGN_PARAGRAPH.CENTER,
    after: float = 0,
    first_line: Any = None,
) -> Any:
    paragraph = container.add_paragraph()
    paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(after)
    paragraph.paragraph_format.space_before = Pt(0)
    if first_line is not None:
        paragraph.paragraph_format.first_line_indent = first_line
    if text:
        run = paragraph.add_run(text)
        run.font.size = Pt(size)
        run.bold = bold
        run.italic = italic
    return paragraph


def _rule_below(paragraph: Any, indent: float) -> None:
    """A short horizontal line under a paragraph (the rules under the issuing body and the
    motto), drawn as its bottom border between indents of `indent` cm."""
    paragraph.paragraph_format.left_indent = Cm(indent)
    paragraph.paragraph_format.right_indent = Cm(indent)
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)


def _no_borders(table: Any) -> None:
    properties = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    properties.append(borders)


def _first_paragraph(cell: _Cell) -> Any:
    """A cell starts with one empty paragraph; drop it so `_paragraph` can add in order."""
    paragraph = cell.paragraphs[0]
    paragraph._p.getparent().remove(paragraph._p)
    return cell


def _setup(document: Docx) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.bottom_margin = Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    normal = document.styles["Normal"]
    normal.font.name = FONT  # type: ignore[attr-defined]
    normal.font.size = Pt(14)  # type: ignore[attr-defined]
    fonts = normal.element.rPr.rFonts  # type: ignore[attr-defined]
    fonts.set(qn("w:eastAsia"), FONT)


def build_docx(letter: UrgingLetter) -> bytes:
    """The letter as a Word document (see the module docstring for the layout)."""
    rules = RuleSettings.for_tenant(letter.tenant)
    office = Unit.objects.filter(tenant_id=letter.tenant_id, kind=UnitKind.OFFICE).first()
    sender = office.name if office else rules.letter_issuer.capitalize()
    addressee = letter.unit.name
    document = new_docx()
    _setup(document)

    header = document.add_table(rows=1, cols=2)
    header.alignment = WD_TABLE_ALIGNMENT.CENTER
    _no_borders(header)
    left, right = (_first_paragraph(cell) for cell in header.rows[0].cells)
    left.width, right.width = Mm(68), Mm(97)
    _paragraph(left, rules.letter_parent_body.upper(), size=13)
    _rule_below(_paragraph(left, rules.letter_issuer.upper(), size=13, bold=True), 1.8)
    _paragraph(left, "", size=6)
    _paragraph(left, f"Số: {letter.number}", size=13)
    _paragraph(left, SUBJECT, size=12)
    _paragraph(right, NATIONAL_NAME, size=12, bold=True)
    _rule_below(_paragraph(right, MOTTO, size=13, bold=True), 2.2)
    _paragraph(right, "", size=6)
    _paragraph(right, date_line(rules.letter_place, letter.issued_on), size=14, italic=True)

    _paragraph(document, "", after=6)
    _paragraph(document, f"Kính gửi: {addressee}.", size=14, after=12)

    body: dict[str, Any] = {
        "size": 14,
        "align": WD_ALIGN_PARAGRAPH.JUSTIFY,
        "after": 6,
        "first_line": Cm(1.27),
    }
    count = len(letter.rows)
    _paragraph(
        document,
        f"Theo dõi trên Hệ thống phần mềm theo dõi thực hiện nhiệm vụ, tính đến ngày "
        f"{letter.issued_on:%d/%m/%Y}, {addressee} còn {count} nhiệm vụ đã quá thời hạn "
        f"nhưng chưa hoàn thành, cụ thể như sau:",
        **body,
    )
    table = document.add_table(rows=1, cols=5)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    widths = (Mm(10), Mm(75), Mm(35), Mm(22), Mm(23))
    headings = ("TT", "Nội dung nhiệm vụ", "Văn bản giao", "Thời hạn", "Số ngày quá hạn")
    for cell, heading, width in zip(table.rows[0].cells, headings, widths, strict=True):
        cell.width = width
        _paragraph(_first_paragraph(cell), heading, size=12, bold=True)
    for index, row in enumerate(letter.rows, start=1):
        deadline = dt.date.fromisoformat(row["deadline"]) if row["deadline"] else None
        values = (
            str(index),
            row["content"],
            row["source"],
            f"{deadline:%d/%m/%Y}" if deadline else "",
            str(row["days_overdue"]),
        )
        cells = table.add_row().cells
        for column, (cell, value, width) in enumerate(zip(cells, values, widths, strict=True)):
            cell.width = width
            align = WD_ALIGN_PARAGRAPH.LEFT if column in (1, 2) else WD_ALIGN_PARAGRAPH.CENTER
            _paragraph(_first_paragraph(cell), value, size=12, align=align)
    _paragraph(document, "", after=6)
    _paragraph(
        document,
        f"Thực hiện {rules.letter_basis}, {sender} đề nghị {addressee} khẩn trương chỉ đạo "
        f"thực hiện, hoàn thành các nhiệm vụ nêu trên và cập nhật kết quả trên Hệ thống; "
        f"trường hợp chưa hoàn thành, báo cáo rõ nguyên nhân, đề xuất giải pháp, gửi "
        f"{sender} trước ngày {letter.reply_by:%d/%m/%Y} để tổng hợp, báo cáo Chủ tịch "
        f"UBND tỉnh.",
        **body,
    )
    _paragraph(document, f"{sender} thông báo để {addressee} biết, thực hiện./.", **body)

    footer = document.add_table(rows=1, cols=2)
    _no_borders(footer)
    recipients, signature = (_first_paragraph(cell) for cell in footer.rows[0].cells)
    recipients.width, signature.width = Mm(80), Mm(85)
    left_aligned = WD_ALIGN_PARAGRAPH.LEFT
    _paragraph(recipients, "Nơi nhận:", size=12, bold=True, italic=True, align=left_aligned)
    drafting_unit = rules.letter_symbol.split("-")[-1]
    for line in (
        "- Như trên;",
        "- Chủ tịch, các Phó Chủ tịch UBND tỉnh (để b/c);",
        f"- Lưu: VT, {drafting_unit}.",
    ):
        _paragraph(recipients, line, size=11, align=left_aligned)
    if letter.signer_authority:
        _paragraph(signature, letter.signer_authority.upper(), size=13, bold=True)
    _paragraph(signature, letter.signer_title.upper(), size=13, bold=True)
    for _blank in range(4):
        _paragraph(signature, "", size=13)
    _paragraph(signature, letter.signer_name, size=14, bold=True)

    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()
