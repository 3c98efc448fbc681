"""Intake from the document management system (issue #4): token-authenticated, idempotent,
JSON or edXML; classified, malformed and textless documents are refused with nothing stored."""

from __future__ import annotations

import base64
import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client

from nhiemvu.accounts.models import ApiToken
from nhiemvu.core.models import Event
from nhiemvu.documents.models import Document, DocumentFile, IntakeProposal
from nhiemvu.tasks.models import Task
from tests.conftest import Cast, d

TEXT = """ỦY BAN NHÂN DÂN
TỈNH THANH HÓA
Số: 75/KH-UBND
Thanh Hóa, ngày 21 tháng 4 năm 2025
KẾ HOẠCH
TRIỂN KHAI CHUYỂN ĐỔI SỐ NĂM 2025
Căn cứ Luật Tổ chức chính quyền địa phương;
1. Giao Sở Tài chính chủ trì, phối hợp với Sở Xây dựng xây dựng kho dữ liệu dùng chung của \
tỉnh, hoàn thành trước ngày 30/5/2025.
2. Sở Y tế rà soát danh mục dịch vụ công trực tuyến, báo cáo định kỳ hằng quý.
3. Giao Sở Xây dựng chủ trì kiểm tra các công trình, hoàn thành trong tháng 6/2025.
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH
Nguyễn Văn Bình
"""

BODY: dict[str, Any] = {
    "number": "75/KH-UBND",
    "doc_type": "plan",
    "issued_on": "2025-04-21",
    "subject": "Triển khai chuyển đổi số năm 2025",
    "signer": "Nguyễn Văn Bình",
    "external_id": "qlvb-000123",
    "text": TEXT,
}

EDXML = """<?xml version="1.0" encoding="UTF-8"?>
<edXML:edXML xmlns:edXML="http://www.mic.gov.vn/TBT/QCVN_102_2016">
 <edXML:edXMLEnvelope><edXML:edXMLHeader><edXML:MessageHeader>
  <edXML:From><edXML:OrganId>000.00.00.H56</edXML:OrganId>
   <edXML:OrganName>UBND tỉnh Thanh Hóa</edXML:OrganName></edXML:From>
  <edXML:Code><edXML:CodeNumber>1234</edXML:CodeNumber>
   <edXML:CodeNotation>UBND-VX</edXML:CodeNotation></edXML:Code>
  <edXML:PromulgationInfo><edXML:Place>Thanh Hóa</edXML:Place>
   <edXML:PromulgationDate>2025/04/18</edXML:PromulgationDate></edXML:PromulgationInfo>
  <edXML:DocumentType><edXML:Type>18</edXML:Type>
   <edXML:TypeName>Công văn</edXML:TypeName></edXML:DocumentType>
  <edXML:Subject>V/v tiêm chủng mở rộng</edXML:Subject>
  <edXML:SignerInfo><edXML:FullName>Lê Văn A</edXML:FullName></edXML:SignerInfo>
  <edXML:DocumentId>000.00.00.H56,2025/04/18,1234/UBND-VX</edXML:DocumentId>
  <edXML:OtherInfo><edXML:Priority>1</edXML:Priority></edXML:OtherInfo>
 </edXML:MessageHeader></edXML:edXMLHeader></edXML:edXMLEnvelope>
 <edXML:AttachmentEncoded><edXML:Attachment>
  <edXML:ContentType>text/plain</edXML:ContentType><edXML:ContentId>a1</edXML:ContentId>
  <edXML:AttachmentName>cv.txt</edXML:AttachmentName>
  <edXML:ContentTransferEncoded>%s</edXML:ContentTransferEncoded>
 </edXML:Attachment></edXML:AttachmentEncoded>
</edXML:edXML>
"""
EDXML_TEXT = "Giao Sở Y tế chủ trì tổ chức tiêm chủng mở rộng, hoàn thành trước ngày 30/5/2025."


def edxml(text: str = EDXML_TEXT) -> bytes:
    return (EDXML % base64.b64encode(text.encode()).decode()).encode()


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def today(frozen: Any) -> Any:
    with frozen(dt.datetime(2025, 4, 22, 9, 0)):
        yield


class Dms:
    """The document system: a token, no session, no CSRF."""

    def __init__(self, user: Any, language: str = "en") -> None:
        _token, key = ApiToken.issue(user, "Hệ thống QLVB")
        self.client = Client(HTTP_ACCEPT_LANGUAGE=language)
        self.auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}

    def send(self, body: Any) -> Any:
        return self.client.post(
            "/api/intake/documents",
            json.dumps(body),
            content_type="application/json",
            **self.auth,
        )

    def send_xml(self, data: bytes, content_type: str = "application/xml") -> Any:
        # CONTENT_TYPE again: the test client leaves it out of a request with no body.
        return self.client.post(
            "/api/intake/documents",
            data,
            content_type=content_type,
            CONTENT_TYPE=content_type,
            **self.auth,
        )


def nothing_stored() -> bool:
    return (
        Document.objects.count(),
        DocumentFile.objects.count(),
        IntakeProposal.objects.count(),
        Event.objects.count(),
    ) == (0, 0, 0, 0)


def test_a_document_is_received_once_and_a_second_send_returns_it(cast: Cast, today: Any) -> None:
    dms = Dms(cast.office)

    first = dms.send(BODY)
    again = dms.send(BODY)
    same_number = dms.send({**BODY, "external_id": "", "number": " 75/KH-UBND "})

    assert first.status_code == 201
    body = first.json()
    assert body["created"] is True
    assert body["document"]["source"] == "dms"
    assert body["document"]["number"] == "75/KH-UBND"
    proposal = IntakeProposal.objects.get()
    assert body["proposal"] == {
        "id": proposal.pk,
        "status": "pending",
        "task_count": 3,
        "review_url": f"/documents/proposals/{proposal.pk}/",
    }
    for response in (again, same_number):
        assert response.status_code == 200
        assert response.json()["created"] is False
        assert response.json()["document"]["id"] == body["document"]["id"]
        assert response.json()["proposal"]["id"] == proposal.pk
    assert Document.objects.count() == 1
    assert IntakeProposal.objects.count() == 1
    assert Task.objects.count() == 0  # only proposed: the Office reviews them
    assert [(t["lead_units"], t["deadline"], t["periodic"]) for t in proposal.tasks] == [
        (["Sở Tài chính"], "2025-05-30", None),
        (["Sở Y tế"], None, "quarterly"),
        (["Sở Xây dựng"], "2025-06-30", None),
    ]


def test_files_sent_as_base64_are_kept_and_give_the_text(cast: Cast, today: Any) -> None:
    dms = Dms(cast.office)
    encoded = base64.b64encode(TEXT.encode()).decode()
    body = {**BODY, "text": "", "files": [{"name": "kh75.txt", "content_base64": encoded}]}

    response = dms.send(body)

    assert response.status_code == 201
    assert [f.name for f in DocumentFile.objects.all()] == ["kh75.txt"]
    assert len(IntakeProposal.objects.get().tasks) == 3


@pytest.mark.parametrize(
    ("classification", "word"),
    [("confidential", "Mật"), ("secret", "Tối mật"), ("top_secret", "Tuyệt mật")],
)
def test_a_classified_document_is_refused_in_vietnamese_and_nothing_is_stored(
    cast: Cast, today: Any, classification: str, word: str
) -> None:
    dms = Dms(cast.office, language="vi")

    response = dms.send({**BODY, "classification": classification})

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "classified"
    assert word in response.json()["detail"]
    assert "không" in response.json()["detail"].lower()
    assert nothing_stored()


def test_a_text_marked_secret_is_refused_even_if_declared_unclassified(
    cast: Cast, today: Any
) -> None:
    dms = Dms(cast.office)
    marked = TEXT.replace("Số: 75/KH-UBND\n", "Số: 75/KH-UBND\nMẬT\n")

    response = dms.send({**BODY, "text": marked})

    assert response.status_code == 400
    assert response.json()["code"] == "classified"
    assert nothing_stored()


def test_a_classified_resend_of_a_stored_number_is_refused_not_returned(
    cast: Cast, today: Any
) -> None:
    dms = Dms(cast.office)
    assert dms.send(BODY).status_code == 201

    response = dms.send({**BODY, "classification": "secret"})

    assert response.status_code == 400
    assert response.json()["code"] == "classified"


def test_a_document_without_text_is_refused_and_nothing_is_stored(cast: Cast, today: Any) -> None:
    dms = Dms(cast.office)
    scan = base64.b64encode(b"%PDF-1.4\n%%EOF\n").decode()

    empty = dms.send({**BODY, "text": "   "})
    only_a_scan = dms.send(
        {**BODY, "text": "", "files": [{"name": "scan.pdf", "content_base64": scan}]}
    )

    for response in (empty, only_a_scan):
        assert response.status_code == 400
        assert response.json()["code"] == "empty"
        assert response.json()["errors"][0]["field"] == "text"
    assert nothing_stored()


def test_bad_base64_and_missing_fields_are_refused(cast: Cast, today: Any) -> None:
    dms = Dms(cast.office)

    bad = dms.send({**BODY, "files": [{"name": "a.txt", "content_base64": "***"}]})
    missing = dms.send({k: v for k, v in BODY.items() if k != "issued_on"})

    assert bad.status_code == 400
    assert bad.json()["errors"][0]["field"] == "files[0].content_base64"
    assert missing.status_code == 422
    assert missing.json()["errors"][0]["field"] == "issued_on"
    assert nothing_stored()


def test_an_oversized_file_is_refused(cast: Cast, today: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr("nhiemvu.documents.extraction.text.MAX_BYTES", 100)
    dms = Dms(cast.office)
    big = base64.b64encode(TEXT.encode()).decode()

    response = dms.send({**BODY, "files": [{"name": "kh.txt", "content_base64": big}]})

    assert response.status_code == 400
    assert response.json()["code"] == "too_large"
    assert nothing_stored()


def test_a_request_over_the_upload_limit_is_refused(cast: Cast, today: Any, settings: Any) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    dms = Dms(cast.office)

    json_body = dms.send({**BODY, "text": TEXT * 3})
    xml_body = dms.send_xml(edxml(EDXML_TEXT * 20))

    assert (json_body.status_code, xml_body.status_code) == (413, 413)
    assert json_body.json()["code"] == "too_large"
    assert nothing_stored()


def test_an_edxml_package_creates_the_document_once(cast: Cast, today: Any) -> None:
    dms = Dms(cast.office)

    first = dms.send_xml(edxml())
    again = dms.send_xml(edxml())

    assert (first.status_code, again.status_code) == (201, 200)
    assert (first.json()["created"], again.json()["created"]) == (True, False)
    document = Document.objects.get()
    assert (document.number, document.issued_on, document.doc_type, document.source) == (
        "1234/UBND-VX",
        d("2025-04-18"),
        "official_letter",
        "dms",
    )
    assert (document.subject, document.signer, document.urgency) == (
        "V/v tiêm chủng mở rộng",
        "Lê Văn A",
        "urgent",
    )
    assert document.external_id == "000.00.00.H56,2025/04/18,1234/UBND-VX"
    assert [f.name for f in document.files.all()] == ["cv.txt"]
    proposal = IntakeProposal.objects.get()
    assert [(t["lead_units"], t["deadline"]) for t in proposal.tasks] == [
        (["Sở Y tế"], "2025-05-30")
    ]
    assert proposal.header["from"]["org_code"] == "000.00.00.H56"


def test_an_edxml_package_can_be_uploaded_as_a_multipart_file(cast: Cast, today: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    dms = Dms(cast.office)

    response = dms.client.post(
        "/api/intake/documents",
        {"file": SimpleUploadedFile("cv.edxml", edxml(), content_type="application/xml")},
        **dms.auth,
    )

    assert response.status_code == 201
    assert Document.objects.get().number == "1234/UBND-VX"


@pytest.mark.parametrize(
    "data",
    [b"", b"<edXML><unclosed>", b"<root><child/></root>"],
)
def test_a_malformed_edxml_package_is_refused_and_nothing_is_stored(
    cast: Cast, today: Any, data: bytes
) -> None:
    dms = Dms(cast.office)

    response = dms.send_xml(data)

    assert response.status_code == 400, response.json()
    assert response.json()["code"] == "malformed_edxml"
    assert "edXML" in response.json()["detail"]
    assert nothing_stored()


def test_an_edxml_package_whose_text_is_marked_secret_is_refused(cast: Cast, today: Any) -> None:
    dms = Dms(cast.office)

    response = dms.send_xml(edxml("TỐI MẬT\nSố: 1234/UBND-VX\nCăn cứ;\n" + EDXML_TEXT))

    assert response.status_code == 400
    assert response.json()["code"] == "classified"
    assert nothing_stored()


def test_the_endpoint_needs_a_token_of_the_office(cast: Cast, today: Any) -> None:
    anonymous = Client().post(
        "/api/intake/documents", json.dumps(BODY), content_type="application/json"
    )
    unit = Dms(cast.lead).send(BODY)
    foreign = Dms(cast.foreign_office).send(BODY)

    assert anonymous.status_code == 401
    assert unit.status_code == 403
    assert foreign.status_code == 201  # its own tenant's document
    assert Document.objects.get().tenant_id == cast.foreign_office.tenant_id
    assert IntakeProposal.objects.get().tenant_id == cast.foreign_office.tenant_id


def test_the_proposal_can_be_read_and_accepted_through_the_api(cast: Cast, today: Any) -> None:
    dms = Dms(cast.office)
    proposal_id = dms.send(BODY).json()["proposal"]["id"]

    detail = dms.client.get(f"/api/intake/proposals/{proposal_id}", **dms.auth)
    rows = detail.json()["tasks"]
    accepted = dms.client.post(
        f"/api/intake/proposals/{proposal_id}/accept",
        json.dumps({"rows": [rows[0], {**rows[1], "reporting_cycle": "monthly"}]}, default=str),
        content_type="application/json",
        **dms.auth,
    )
    outsider = Dms(cast.foreign_office).client.get(
        f"/api/intake/proposals/{proposal_id}", **Dms(cast.foreign_office).auth
    )

    assert detail.status_code == 200
    assert [(r["lead"], r["coordinating"], r["deadline"]) for r in rows] == [
        ("Sở Tài chính", "Sở Xây dựng", "2025-05-30"),
        ("Sở Y tế", "", None),
        ("Sở Xây dựng", "", "2025-06-30"),
    ]
    assert accepted.status_code == 200, accepted.json()
    assert [
        (t.lead_unit.name, t.reporting_cycle, t.state) for t in Task.objects.order_by("id")
    ] == [
        ("Sở Tài chính", "", "draft"),
        ("Sở Y tế", "monthly", "draft"),
    ]
    assert IntakeProposal.objects.get().status == "reviewed"
    assert outsider.status_code == 404
