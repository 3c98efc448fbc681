"""Entering documents: classified ones refused with nothing stored (R5.2d), duplicates refused,
the Office's own intake deadline (R6.1) in working days."""

from __future__ import annotations

from typing import Any

import pytest

from nhiemvu.core.models import Event
from nhiemvu.documents.models import Document, DocumentFile
from tests.conftest import Api, Cast, d

BODY = {
    "number": "02/CT-UBND",
    "doc_type": "directive",
    "issued_on": "2025-01-24",
    "subject": "Chỉ thị về tăng cường kỷ luật, kỷ cương hành chính",
    "signer": "Nguyễn Hoài Anh",
}


@pytest.mark.parametrize(
    ("classification", "word"),
    [("confidential", "Mật"), ("secret", "Tối mật"), ("top_secret", "Tuyệt mật")],
)
def test_a_classified_document_is_refused_and_nothing_is_stored(
    cast: Cast, frozen: Any, classification: str, word: str
) -> None:
    office = Api(cast.office, language="vi")
    body = {
        **BODY,
        "classification": classification,
        "files": [{"name": "chi-thi.pdf", "content_base64": "JVBERi0xLjQK"}],
    }
    with frozen(d("2025-01-24")):
        response = office.post("/documents", body)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json_body
    assert problem["code"] == "classified"
    assert word in problem["detail"]
    assert "không" in problem["detail"].lower()  # the Vietnamese message, not the English one
    assert problem["errors"] == [{"field": "classification", "message": problem["detail"]}]
    assert Document.objects.count() == 0
    assert DocumentFile.objects.count() == 0
    assert Event.objects.count() == 0


def test_the_same_document_cannot_be_entered_twice(cast: Cast, frozen: Any) -> None:
    office = Api(cast.office)
    with frozen(d("2025-01-24")):
        assert office.post("/documents", BODY).status_code == 201
        again = office.post("/documents", {**BODY, "number": " 02/CT-UBND "})
    assert again.status_code == 409
    assert again.json_body["code"] == "duplicate"
    assert again.json_body["errors"][0]["field"] == "number"
    assert "24/01/2025" in again.json_body["detail"]
    assert Document.objects.count() == 1
    # Same number on another date is another document.
    with frozen(d("2025-03-03")):
        assert office.post("/documents", {**BODY, "issued_on": "2025-03-03"}).status_code == 201


@pytest.mark.parametrize(
    ("urgency", "is_complex", "due"),
    [
        ("flash", False, "2025-01-24"),  # same day for hỏa tốc
        ("urgent", False, "2025-01-24"),
        ("normal", False, "2025-02-03"),  # 1 working day, after Tết 2025
        ("normal", True, "2025-02-04"),  # 2 working days for many tasks or units
    ],
)
def test_intake_deadline_of_the_office_counts_working_days(
    cast: Cast, frozen: Any, urgency: str, is_complex: bool, due: str
) -> None:
    office = Api(cast.office)
    with frozen(d("2025-01-24")):
        response = office.post("/documents", {**BODY, "urgency": urgency, "is_complex": is_complex})
    assert response.json_body["intake_due_on"] == due


def test_transfer_after_the_intake_deadline_is_recorded_as_late(cast: Cast, frozen: Any) -> None:
    office = Api(cast.office)
    with frozen(d("2025-04-28")):
        doc = office.post("/documents", {**BODY, "issued_on": "2025-04-28"}).json_body
        task = office.post(
            "/tasks",
            {
                "content": "Triển khai chỉ thị",
                "lead_unit_id": cast.health.pk,
                "deadline": "2025-06-30",
                "document_id": doc["id"],
            },
        ).json_body
    # 29/4 is the deadline (1 working day); 30/4–4/5 are holidays; transfer on 5/5 is late.
    with frozen(d("2025-05-05")):
        office.post(f"/documents/{doc['id']}/assign")
    detail = office.get(f"/documents/{doc['id']}").json_body
    assert detail["intake_due_on"] == "2025-04-29"
    assert detail["transferred_on_time"] is False
    assert [t["id"] for t in detail["tasks"]] == [task["id"]]
    assert detail["tasks"][0]["state"] == "assigned"


def test_a_unit_cannot_enter_documents(cast: Cast, frozen: Any) -> None:
    with frozen(d("2025-01-24")):
        response = Api(cast.lead).post("/documents", BODY)
    assert response.status_code == 403
    assert Document.objects.count() == 0


def test_bad_input_names_the_field_in_the_users_language(cast: Cast, frozen: Any) -> None:
    office = Api(cast.office, language="vi")
    with frozen(d("2025-01-24")):
        response = office.post("/documents", {**BODY, "issued_on": "24/01/2025"})
    assert response.status_code == 422
    assert response.json_body["errors"][0]["field"] == "issued_on"
    assert "YYYY-MM-DD" in response.json_body["errors"][0]["message"]
    with frozen(d("2025-01-24")):
        future = office.post("/documents", {**BODY, "issued_on": "2025-02-10"})
    assert future.status_code == 400
    assert future.json_body["errors"][0]["field"] == "issued_on"
