"""Urging letters (R16.4): the Office draws one up for a unit's overdue tasks as a .docx in
the Decree 30/2020 layout, records it was sent, and the unit is told."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.test import Client
from docx import Document as open_docx

from nhiemvu.accounts.models import User
from nhiemvu.core import clock
from nhiemvu.core.errors import DomainError, NotAllowed
from nhiemvu.core.history import timeline
from nhiemvu.documents.services import DocumentInput, create_document
from nhiemvu.notifications import letters
from nhiemvu.notifications.models import Notification, UrgingLetter
from nhiemvu.tasks import workflow
from tests.conftest import Cast, d

from .conftest import assigned

pytestmark = pytest.mark.django_db
TODAY = d("2025-05-12")


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def overdue_tasks(cast: Cast) -> None:
    with clock.frozen(d("2025-03-03")):
        document = create_document(
            DocumentInput(
                number="68/KH-UBND",
                doc_type="plan",
                issued_on=d("2025-03-03"),
                subject="Kế hoạch cải cách hành chính",
            ),
            by=cast.office,
        )
    for content, deadline in (
        ("Rà soát thủ tục hành chính lĩnh vực tài chính", "2025-04-29"),
        ("Số hóa hồ sơ quyết toán", "2025-05-06"),
    ):
        with clock.frozen(d("2025-03-03")):
            task = workflow.create_task(
                workflow.TaskInput(content=content, lead_unit=cast.finance, deadline=d(deadline)),
                by=cast.office,
                document=document,
            )
            workflow.assign(task, by=cast.office)
    assigned(cast, d("2025-06-30"), d("2025-03-03"), content="Chưa đến hạn")
    assigned(
        cast, d("2025-04-29"), d("2025-03-03"), content="Của đơn vị khác", lead_unit=cast.health
    )


def all_text(document: object) -> str:
    parts = [p.text for p in document.paragraphs]  # type: ignore[attr-defined]
    for table in document.tables:  # type: ignore[attr-defined]
        for row in table.rows:
            for cell in row.cells:
                parts += [p.text for p in cell.paragraphs]
    return "\n".join(parts)


def test_the_office_draws_up_a_letter_listing_the_units_overdue_tasks(cast: Cast) -> None:
    overdue_tasks(cast)
    office = client_for(cast.office)
    with clock.frozen(TODAY):
        page = office.get("/notifications/letters/")
        assert page.status_code == 200
        assert [(r["lead_unit__name"], r["count"]) for r in page.context["overdue"]] == [
            ("Sở Tài chính", 2),
            ("Sở Y tế", 1),
        ]
        response = office.post("/notifications/letters/", {"unit": cast.finance.pk})
    letter = UrgingLetter.objects.get()
    assert response.url == f"/notifications/letters/{letter.pk}/"
    assert letter.number == "01/VP-TH"
    assert letter.reply_by == d("2025-05-19")  # 5 working days after Mon 12/5
    assert [(r["content"], r["days_overdue"]) for r in letter.rows] == [
        ("Rà soát thủ tục hành chính lĩnh vực tài chính", 6),  # 5–9 and 12/5; 30/4–4/5 off
        ("Số hóa hồ sơ quyết toán", 4),
    ]

    docx = office.get(f"/notifications/letters/{letter.pk}/docx/")
    assert docx["Content-Disposition"] == (
        'attachment; filename="van-ban-don-doc-01-VP-TH-20250512.docx"'
    )
    document = open_docx(BytesIO(docx.content))
    header = document.tables[0].rows[0].cells
    assert [p.text for p in header[0].paragraphs if p.text] == [
        "UBND TỈNH THANH HÓA",
        "VĂN PHÒNG",
        "Số: 01/VP-TH",
        "V/v đôn đốc thực hiện nhiệm vụ",
    ]
    assert [p.text for p in header[1].paragraphs if p.text] == [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Thanh Hóa, ngày 12 tháng 5 năm 2025",
    ]
    assert header[1].paragraphs[0].runs[0].bold
    assert "Kính gửi: Sở Tài chính." in [p.text for p in document.paragraphs]
    table = document.tables[1]
    assert [[c.text for c in row.cells] for row in table.rows] == [
        ["TT", "Nội dung nhiệm vụ", "Văn bản giao", "Thời hạn", "Số ngày quá hạn"],
        [
            "1",
            "Rà soát thủ tục hành chính lĩnh vực tài chính",
            "68/KH-UBND ngày 03/03/2025",
            "29/04/2025",
            "6",
        ],
        ["2", "Số hóa hồ sơ quyết toán", "68/KH-UBND ngày 03/03/2025", "06/05/2025", "4"],
    ]
    text = all_text(document)
    assert "trước ngày 19/05/2025" in text
    footer = document.tables[2].rows[0].cells
    assert [p.text for p in footer[0].paragraphs] == [
        "Nơi nhận:",
        "- Như trên;",
        "- Chủ tịch, các Phó Chủ tịch UBND tỉnh (để b/c);",
        "- Lưu: VT, TH.",
    ]
    signature = [p.text for p in footer[1].paragraphs if p.text]
    assert signature == ["CHÁNH VĂN PHÒNG"]  # the Office leader has no name in the cast
    section = document.sections[0]
    assert (round(section.left_margin.mm), round(section.right_margin.mm)) == (30, 15)
    assert document.styles["Normal"].font.name == "Times New Roman"


def test_the_signer_is_as_given_and_the_number_can_be_the_dms_one(cast: Cast) -> None:
    overdue_tasks(cast)
    with clock.frozen(TODAY):
        letter = letters.issue(
            cast.finance,
            by=cast.office,
            number="1234/VP-TH",
            signer_authority="KT. CHÁNH VĂN PHÒNG",
            signer_title="Phó Chánh Văn phòng",
            signer_name="Nguyễn Văn Bình",
        )
    document = open_docx(BytesIO(letters.build_docx(letter)))
    signature = [p.text for p in document.tables[2].rows[0].cells[1].paragraphs if p.text]
    assert signature == ["KT. CHÁNH VĂN PHÒNG", "PHÓ CHÁNH VĂN PHÒNG", "Nguyễn Văn Bình"]
    assert document.tables[0].rows[0].cells[0].paragraphs[3].text == "Số: 1234/VP-TH"


def test_recording_the_letter_as_sent_tells_the_unit_and_marks_each_task(
    cast: Cast, lead2: User
) -> None:
    overdue_tasks(cast)
    with clock.frozen(TODAY):
        letter = letters.issue(cast.finance, by=cast.office)
        response = client_for(cast.office).post(f"/notifications/letters/{letter.pk}/sent/")
    assert response.status_code == 302
    letter.refresh_from_db()
    assert letter.sent_by == cast.office
    told = Notification.objects.filter(rule="letter.sent").order_by("recipient__username")
    assert [n.recipient.username for n in told] == ["lead", "lead2", "lead_head"]
    assert told[0].subject == "Văn bản đôn đốc số 01/VP-TH của Văn phòng"
    assert told[0].link == f"/notifications/letters/{letter.pk}/"
    for task in letter.tasks.all():
        assert [e.action for e in timeline(task)][-1] == "task.urged"
    # The unit reads its letter; another unit cannot.
    assert client_for(cast.lead).get(told[0].link).status_code == 200
    assert client_for(cast.lead).get(f"{told[0].link}docx/").status_code == 200
    assert client_for(cast.lead).post(f"{told[0].link}sent/").status_code == 404
    assert client_for(cast.outsider).get(told[0].link).status_code == 404
    assert client_for(cast.foreign_office).get(told[0].link).status_code == 404


def test_only_the_office_issues_letters_and_only_for_overdue_tasks(cast: Cast) -> None:
    overdue_tasks(cast)
    with clock.frozen(TODAY):
        with pytest.raises(NotAllowed):
            letters.issue(cast.finance, by=cast.lead)
        with pytest.raises(DomainError):
            letters.issue(cast.construction, by=cast.office)
        page = client_for(cast.office).post("/notifications/letters/", {"unit": cast.commune.pk})
    assert page.status_code == 200
    assert "Đơn vị này không có nhiệm vụ quá hạn cần đôn đốc." in page.content.decode()
    for user in (cast.lead, cast.outsider, cast.chairman):
        assert client_for(user).get("/notifications/letters/").status_code == 404
