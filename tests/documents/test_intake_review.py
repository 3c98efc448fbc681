"""The workbench upload and the review of proposed tasks (issue #4): the header is read from the
text, each proposed task is shown beside its sentence, only accepted rows become tasks, a bad
row saves nothing, and refused files store nothing."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from nhiemvu.core.models import Event
from nhiemvu.documents.models import Document, DocumentFile, IntakeProposal
from nhiemvu.tasks.models import Task
from tests.conftest import Cast
from tests.documents.test_intake import BODY, TEXT, Dms


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def today(frozen: Any) -> Any:
    with frozen(dt.datetime(2025, 4, 22, 9, 0)):
        yield


def signed_in(user: Any) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def upload(client: Client, name: str, data: bytes) -> Any:
    return client.post("/documents/upload/", {"file": SimpleUploadedFile(name, data)})


def review_post(proposal: IntakeProposal, rows: list[dict[str, Any]], **extra: Any) -> dict:
    """The review form as the browser posts it: header (for an upload), rows, buttons."""
    data: dict[str, Any] = {
        "t-TOTAL_FORMS": str(len(rows)),
        "t-INITIAL_FORMS": str(len(rows)),
        "t-MIN_NUM_FORMS": "0",
        "t-MAX_NUM_FORMS": "1000",
    }
    if proposal.document_id is None:
        data.update(
            number="75/KH-UBND",
            doc_type="plan",
            issued_on="2025-04-21",
            subject="Triển khai chuyển đổi số năm 2025",
            signer="Nguyễn Văn Bình",
            urgency="normal",
            classification="none",
        )
    for i, row in enumerate(rows):
        for key, value in row.items():
            if value is not None and value is not False:
                data[f"t-{i}-{key}"] = "on" if value is True else value
    data.update(extra)
    return data


def proposed_rows(proposal: IntakeProposal) -> list[dict[str, Any]]:
    from nhiemvu.documents.intake import proposal_rows

    fields = ("index", "content", "lead", "coordinating", "deadline", "reporting_cycle")
    rows = []
    for row in proposal_rows(proposal):
        row = {k: row[k] for k in fields}
        row["deadline"] = row["deadline"].isoformat() if row["deadline"] else ""
        rows.append(row)
    return rows


def test_an_upload_is_read_and_its_tasks_shown_beside_their_sentences(
    cast: Cast, today: Any
) -> None:
    client = signed_in(cast.office)

    response = upload(client, "kh75.txt", TEXT.encode())

    proposal = IntakeProposal.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/documents/proposals/{proposal.pk}/"
    assert Document.objects.count() == 0  # created when the review is saved
    page = client.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200
    assert page.context["header"].initial == {
        "number": "75/KH-UBND",
        "doc_type": "plan",
        "issued_on": dt.date(2025, 4, 21),
        "subject": "Triển khai chuyển đổi số năm 2025",
        "signer": "Nguyễn Văn Bình",
        "urgency": "normal",
        "classification": "none",
    }
    assert html.count("data-proposal-row=") == 3
    assert "hoàn thành trước ngày 30/5/2025" in html  # the sentence, beside its task
    assert 'value="Sở Tài chính"' in html and 'value="Sở Xây dựng"' in html
    assert 'value="2025-05-30"' in html
    assert 'id="unit-names"' in html
    # The picker's options: each unit's name, with its short name and accent-free words.
    option = re.search(r'<option value="Sở Tài chính" label="STC · ([^"]*)">', html)
    assert option is not None and "so tai chinh" in option.group(1)


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("empty.txt", b"   \n", "Tệp rỗng."),
        ("binary.txt", b"\x00\x01\x02binary\x00" * 20, "có dữ liệu nhị phân"),
        ("scan.pdf", b"%PDF-1.4\n%%EOF\n", "Tệp PDF"),
        ("broken.docx", b"PK not really a zip", "bị hỏng"),
        ("program.exe", b"MZ\x90\x00", "Loại tệp không được hỗ trợ"),
    ],
)
def test_a_bad_file_is_refused_with_a_clear_message_and_nothing_is_stored(
    cast: Cast, today: Any, name: str, data: bytes, message: str
) -> None:
    client = signed_in(cast.office)

    response = upload(client, name, data)

    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors["file"])
    assert IntakeProposal.objects.count() == 0
    assert Document.objects.count() == 0


def test_a_file_over_the_limit_is_refused(cast: Cast, today: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr("nhiemvu.documents.extraction.text.MAX_BYTES", 100)
    client = signed_in(cast.office)

    response = upload(client, "kh75.txt", TEXT.encode())

    assert response.context["form"].errors["file"] == ["Tệp lớn hơn 50 MB."]
    assert IntakeProposal.objects.count() == 0


def test_a_classified_upload_is_refused_in_vietnamese_and_nothing_is_stored(
    cast: Cast, today: Any
) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="vi")
    client.force_login(cast.office)

    response = upload(
        client, "kh75.txt", TEXT.replace("KẾ HOẠCH\n", "TUYỆT MẬT\nKẾ HOẠCH\n").encode()
    )

    error = " ".join(response.context["form"].errors["file"])
    assert "Tuyệt mật" in error and "không" in error.lower()
    assert IntakeProposal.objects.count() == 0
    assert Document.objects.count() == 0
    assert Event.objects.count() == 0


def test_the_review_saves_the_accepted_rows_and_drops_the_rejected(cast: Cast, today: Any) -> None:
    client = signed_in(cast.office)
    upload(client, "kh75.txt", TEXT.encode())
    proposal = IntakeProposal.objects.get()
    rows = proposed_rows(proposal)
    rows[0]["accept"] = True
    rows[0]["content"] = "Xây dựng kho dữ liệu dùng chung"
    rows[2]["accept"] = True
    rows[1]["lead"] = ""  # rejected: not checked, so not validated either

    response = client.post(
        f"/documents/proposals/{proposal.pk}/", review_post(proposal, rows, transfer="on")
    )

    document = Document.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/documents/{document.pk}/"
    assert (document.number, document.source) == ("75/KH-UBND", "upload")
    assert [f.name for f in DocumentFile.objects.all()] == ["kh75.txt"]
    tasks = list(Task.objects.order_by("id"))
    assert [(t.content, t.lead_unit.name, t.deadline, t.state) for t in tasks] == [
        ("Xây dựng kho dữ liệu dùng chung", "Sở Tài chính", dt.date(2025, 5, 30), "assigned"),
        (rows[2]["content"], "Sở Xây dựng", dt.date(2025, 6, 30), "assigned"),
    ]
    assert [c.unit.name for c in tasks[0].coordinations.all()] == ["Sở Xây dựng"]
    proposal.refresh_from_db()
    assert (proposal.status, proposal.document_id, proposal.reviewed_by) == (
        "reviewed",
        document.pk,
        cast.office,
    )
    assert document.transferred_at is not None


def test_a_bad_accepted_row_is_shown_with_its_error_and_nothing_is_saved(
    cast: Cast, today: Any
) -> None:
    client = signed_in(cast.office)
    upload(client, "kh75.txt", TEXT.encode())
    proposal = IntakeProposal.objects.get()
    rows = proposed_rows(proposal)
    rows[0]["accept"] = True
    rows[1]["accept"] = True
    rows[1]["lead"] = "Sở Không Có"

    response = client.post(f"/documents/proposals/{proposal.pk}/", review_post(proposal, rows))

    assert response.status_code == 200
    form = response.context["rows"].forms[1]
    assert "Sở Không Có" in " ".join(form.errors["lead"])
    assert response.context["rows"].forms[0].errors == {}
    assert (Document.objects.count(), Task.objects.count()) == (0, 0)
    proposal.refresh_from_db()
    assert proposal.status == "pending"


def test_accept_all_saves_every_row(cast: Cast, today: Any) -> None:
    client = signed_in(cast.office)
    upload(client, "kh75.txt", TEXT.encode())
    proposal = IntakeProposal.objects.get()

    response = client.post(
        f"/documents/proposals/{proposal.pk}/",
        review_post(proposal, proposed_rows(proposal), accept_all="1"),
    )

    assert response.status_code == 302
    assert [
        (t.lead_unit.name, t.reporting_cycle, t.state) for t in Task.objects.order_by("id")
    ] == [
        ("Sở Tài chính", "", "draft"),
        ("Sở Y tế", "quarterly", "draft"),
        ("Sở Xây dựng", "", "draft"),
    ]


def test_a_classified_level_chosen_in_review_deletes_the_proposal(cast: Cast, today: Any) -> None:
    client = signed_in(cast.office)
    upload(client, "kh75.txt", TEXT.encode())
    proposal = IntakeProposal.objects.get()

    response = client.post(
        f"/documents/proposals/{proposal.pk}/",
        review_post(proposal, proposed_rows(proposal), accept_all="1", classification="secret"),
    )

    assert response.status_code == 302
    assert response["Location"] == "/documents/upload/"
    assert (IntakeProposal.objects.count(), Document.objects.count(), Task.objects.count()) == (
        0,
        0,
        0,
    )


def test_a_document_from_the_dms_waits_on_the_workbench_and_is_reviewed(
    cast: Cast, today: Any
) -> None:
    Dms(cast.office).send(BODY)
    proposal = IntakeProposal.objects.get()
    client = signed_in(cast.office)

    workbench = client.get("/workbench/")
    page = client.get(f"/documents/proposals/{proposal.pk}/")
    rows = proposed_rows(proposal)
    rows[1]["accept"] = True
    saved = client.post(f"/documents/proposals/{proposal.pk}/", review_post(proposal, rows))
    after = client.get("/workbench/")

    assert f'data-proposal="{proposal.pk}"' in workbench.content.decode()
    assert page.context["header"] is None  # the document exists: only its tasks are reviewed
    assert saved.status_code == 302
    assert [(t.lead_unit.name, t.reporting_cycle) for t in Task.objects.all()] == [
        ("Sở Y tế", "quarterly")
    ]
    assert f'data-proposal="{proposal.pk}"' not in after.content.decode()
    assert client.get(f"/documents/proposals/{proposal.pk}/").status_code == 302


def test_discarding_an_upload_deletes_it(cast: Cast, today: Any) -> None:
    client = signed_in(cast.office)
    upload(client, "kh75.txt", TEXT.encode())
    proposal = IntakeProposal.objects.get()

    response = client.post(f"/documents/proposals/{proposal.pk}/discard/")

    assert response.status_code == 302
    assert IntakeProposal.objects.count() == 0


def test_outsiders_are_refused(cast: Cast, today: Any) -> None:
    signed_in(cast.office).post(
        "/documents/upload/", {"file": SimpleUploadedFile("kh75.txt", TEXT.encode())}
    )
    proposal = IntakeProposal.objects.get()

    for user in (cast.lead, cast.chairman, cast.foreign_office):
        client = signed_in(user)
        assert client.get(f"/documents/proposals/{proposal.pk}/").status_code == 404
        assert client.post(f"/documents/proposals/{proposal.pk}/discard/").status_code == 404
    assert signed_in(cast.lead).get("/documents/upload/").status_code == 404
    assert Client().get("/documents/upload/").status_code == 302  # to the sign-in page
    assert IntakeProposal.objects.count() == 1


def test_the_workbench_queue_does_not_grow_queries_with_its_rows(cast: Cast, today: Any) -> None:
    client = signed_in(cast.office)
    upload(client, "kh75.txt", TEXT.encode())
    client.get("/workbench/")  # warm the session and the calendar

    with CaptureQueriesContext(connection) as one:
        client.get("/workbench/")
    upload(client, "b.txt", TEXT.encode())
    upload(client, "c.txt", TEXT.encode())
    with CaptureQueriesContext(connection) as three:
        client.get("/workbench/")

    assert len(three) == len(one)
