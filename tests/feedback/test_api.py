"""The feedback API: the same rules as the pages, problems in the user's language."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from nhiemvu.core import clock
from nhiemvu.feedback.models import Feedback
from tests.conftest import Cast, d

from .conftest import department_task

pytestmark = pytest.mark.django_db


def call(user: Any, method: str, path: str, body: Any = None) -> Any:
    client = Client(HTTP_ACCEPT_LANGUAGE="vi")
    client.force_login(user)
    kwargs = {"data": json.dumps(body), "content_type": "application/json"} if body else {}
    response = getattr(client, method)(f"/api{path}", **kwargs)
    return response.status_code, response.json() if response.content else None


def test_file_and_answer_over_the_api(cast: Cast, commune: Any) -> None:
    task = department_task(cast, deadline=d("2025-04-25"), on=d("2025-03-03"))
    with clock.frozen(d("2025-05-05")):
        status, body = call(
            commune, "post", f"/tasks/{task.pk}/feedback", {"kind": "late", "text": "Chậm"}
        )
        assert status == 201
        assert (body["state"], body["due_on"], body["working_days_left"]) == (
            "open",
            "2025-05-19",
            10,
        )
        assert body["about_unit"] == {"id": cast.finance.pk, "name": "Sở Tài chính"}
        feedback_id = body["id"]
        status, again = call(
            cast.office,
            "post",
            f"/feedback/{feedback_id}/answer",
            {"action": "urge", "text": "Đề nghị khẩn trương", "with_letter": True},
        )
    assert status == 200 and again["state"] == "urged" and again["letter"]["number"]
    status, listed = call(cast.lead, "get", "/feedback")
    assert status == 200 and [row["id"] for row in listed] == [feedback_id]
    assert call(cast.outsider, "get", "/feedback")[1] == []
    assert call(cast.outsider, "get", f"/feedback/{feedback_id}")[0] == 404
    assert call(cast.foreign_office, "get", f"/feedback/{feedback_id}")[0] == 404


def test_api_errors_are_problems_in_vietnamese_and_write_nothing(cast: Cast, commune: Any) -> None:
    task = department_task(cast, deadline=d("2025-04-25"), on=d("2025-03-03"))
    status, body = call(commune, "post", f"/tasks/{task.pk}/feedback", {"kind": "late", "text": ""})
    assert status == 400
    assert body["errors"] == [{"field": "text", "message": "Hãy mô tả nội dung sự việc."}]
    status, body = call(
        cast.lead, "post", f"/tasks/{task.pk}/feedback", {"kind": "late", "text": "Chậm"}
    )
    assert status == 400 and body["errors"][0]["field"] == "about_unit"
    assert (
        call(cast.outsider, "post", f"/tasks/{task.pk}/feedback", {"kind": "late", "text": "x"})[0]
        == 404
    )
    assert Feedback.objects.count() == 0
