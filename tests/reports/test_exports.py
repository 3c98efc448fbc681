"""The consolidated report: Word in the Decree 30 layout, PDF that renders, Excel."""

from __future__ import annotations

import io

import pytest
from docx import Document as Docx
from openpyxl import load_workbook

from nhiemvu.core import clock
from nhiemvu.reports import exports, periods, snapshot
from nhiemvu.reports.models import ConsolidatedReport, ReportingSettings
from tests.conftest import Cast, d
from tests.reports.test_scorecards import AFTER_Q3, q3_story


@pytest.fixture
def report(cast: Cast) -> exports.Outline:
    q3_story(cast).run_until(AFTER_Q3)
    with clock.frozen(AFTER_Q3):
        period = periods.create_period(
            cast.tenant, by=cast.office, kind="quarter", year=2025, number=3
        )
        data = snapshot.build(period)
    rules = ReportingSettings.of(cast.tenant)
    rules.signer_name = "Nguyễn Văn An"
    header = ConsolidatedReport(
        tenant=cast.tenant, period=period, number="125", issued_on=d("2025-10-05")
    )
    return exports.outline(data, rules, header)


def all_text(word: Docx) -> str:
    parts = [p.text for p in word.paragraphs]
    for table in word.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    return "\n".join(parts)


def test_the_word_report_has_the_decree_30_header_tables_and_signature(
    report: exports.Outline,
) -> None:
    word = Docx(io.BytesIO(exports.to_docx(report)))
    text = all_text(word)
    header = word.tables[0].rows[0].cells
    assert "UBND TỈNH THANH HÓA" in header[0].text
    assert "VĂN PHÒNG" in header[0].text
    assert "Số: 125/BC-VP" in header[0].text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in header[1].text
    assert "Độc lập - Tự do - Hạnh phúc" in header[1].text
    assert "Thanh Hóa, ngày 05 tháng 10 năm 2025" in header[1].text
    assert "BÁO CÁO" in text
    assert "quý III năm 2025" in text
    # The by-unit table: ranked Health, Construction, Finance (scores 100, 50, 25).
    units = next(t for t in word.tables if t.rows[0].cells[1].text == "Đơn vị")
    assert [r.cells[1].text for r in units.rows[1:]] == ["Sở Y tế", "Sở Xây dựng", "Sở Tài chính"]
    finance = units.rows[3].cells
    assert [c.text for c in finance] == [
        "3",
        "Sở Tài chính",
        "10",
        "6",
        "2",
        "1",
        "2",
        "2",
        "2",
        "1",
        "40,0",
        "25,0",
    ]
    # Signature block and recipients, side by side in the last table.
    foot = word.tables[-1].rows[0].cells
    assert foot[0].paragraphs[0].text == "Nơi nhận:"
    assert foot[0].paragraphs[-1].text == "- Lưu: VT, TH."
    assert "KT. CHÁNH VĂN PHÒNG" in foot[1].text
    assert "PHÓ CHÁNH VĂN PHÒNG" in foot[1].text
    assert foot[1].paragraphs[-1].text == "Nguyễn Văn An"
    assert len(word.inline_shapes) == 2  # the two charts


def test_the_pdf_renders_its_first_page(report: exports.Outline) -> None:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(exports.to_pdf(report))
    assert len(pdf) >= 2
    width, height = pdf[0].get_size()
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    image = pdf[0].render(scale=2).to_pil()
    # Not a blank page: some pixels are dark (the text).
    assert image.convert("L").getextrema()[0] < 100
    text = pdf[0].get_textpage().get_text_range()
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "BÁO CÁO" in text
    pdf.close()


def test_the_excel_workbook_has_a_sheet_per_table_and_numbers_as_numbers(
    report: exports.Outline,
) -> None:
    book = load_workbook(io.BytesIO(exports.to_xlsx(report, "Báo cáo quý III năm 2025")))
    assert book.sheetnames[:4] == ["Tong hop", "Don vi", "Nguoi giao", "Linh vuc"]
    assert "Bieu do" in book.sheetnames
    units = book["Don vi"]
    assert units["B4"].value == "Sở Y tế"
    assert units["L6"].value == 25.0


def test_dates_follow_decree_30() -> None:
    assert exports.vn_date(d("2026-01-05")) == "ngày 05 tháng 01 năm 2026"
    assert exports.vn_date(d("2025-11-20")) == "ngày 20 tháng 11 năm 2025"
