"""Lists: filters, accent-free search, pagination, no N+1; token auth; the OpenAPI schema."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from nhiemvu.accounts.models import ApiToken
from nhiemvu.core import clock
from nhiemvu.tasks import workflow
from nhiemvu.tasks.models import Field, Task
from tests.conftest import Api, Cast, d


def make(cast: Cast, content: str, lead: Any, deadline: str | None, **kw: Any) -> Task:
    with clock.frozen(d("2025-03-03")):
        task = workflow.create_task(
            workflow.TaskInput(
                content=content,
                lead_unit=lead,
                deadline=d(deadline) if deadline else None,
                reporting_cycle="" if deadline else "quarterly",
                **kw,
            ),
            by=cast.office,
        )
        workflow.assign(task, by=cast.office)
    return task


def ids(response: Any) -> list[int]:
    assert response.status_code == 200, response.json_body
    return [t["id"] for t in response.json_body["results"]]


def test_filters_by_unit_time_status_deadline_field_and_text(cast: Cast, frozen: Any) -> None:
    health = Field.objects.create(tenant=cast.tenant, name="Y tế")
    overdue = make(cast, "Báo cáo quyết toán ngân sách", cast.finance, "2025-03-14")
    soon = make(cast, "Sửa đổi quy chế chi tiêu nội bộ", cast.finance, "2025-03-24")
    later = make(cast, "Kiểm tra cơ sở khám chữa bệnh", cast.health, "2025-06-30", field=health)
    office = Api(cast.office)
    with frozen(d("2025-03-19")):
        assert ids(office.get("/tasks", unit_id=cast.finance.pk)) == [overdue.pk, soon.pk]
        assert ids(office.get("/tasks", time_status="overdue")) == [overdue.pk]
        assert ids(office.get("/tasks", time_status="due_soon")) == [soon.pk]
        assert ids(office.get("/tasks", time_status="on_time")) == [later.pk]
        assert ids(office.get("/tasks", deadline_from="2025-03-20", deadline_to="2025-04-30")) == [
            soon.pk
        ]
        assert ids(office.get("/tasks", field_id=health.pk)) == [later.pk]
        # Accent-free search: "so tai chinh" finds the lead unit "Sở Tài chính".
        assert ids(office.get("/tasks", q="so tai chinh")) == [overdue.pk, soon.pk]
        assert ids(office.get("/tasks", q="QUYẾT TOÁN")) == [overdue.pk]
        assert ids(office.get("/tasks", q="kham chua benh")) == [later.pk]
        bad = office.get("/tasks", time_status="late-ish")
    assert bad.status_code == 400
    assert bad.json_body["errors"][0]["field"] == "time_status"


def test_pagination_gives_the_total_and_25_a_page_overdue_first(cast: Cast, frozen: Any) -> None:
    for day in range(1, 31):
        make(cast, f"Nhiệm vụ {day}", cast.finance, f"2025-04-{day:02d}")
    office = Api(cast.office)
    with frozen(d("2025-04-10")):
        first = office.get("/tasks", unit_id=cast.finance.pk).json_body
        second = office.get("/tasks", unit_id=cast.finance.pk, page=2).json_body
    assert first["count"] == 30
    assert len(first["results"]) == 25
    assert [t["time_status"] for t in first["results"][:9]] == ["overdue"] * 9
    assert len(second["results"]) == 5


@pytest.mark.parametrize("n", [1, 3])
def test_the_task_list_runs_a_fixed_number_of_queries(cast: Cast, frozen: Any, n: int) -> None:
    for i in range(n):
        task = make(
            cast,
            f"Nhiệm vụ {i}",
            cast.finance,
            "2025-05-30",
            coordinating_units=[cast.construction, cast.health],
        )
        assert task.pk
    client = Api(cast.lead)
    client.get("/tasks")  # warm up the session and the calendar cache
    with frozen(d("2025-04-10")), CaptureQueriesContext(connection) as queries:
        response = client.get("/tasks")
    assert len(response.json_body["results"]) == n
    assert len(queries) <= 7, [q["sql"] for q in queries.captured_queries]


def test_a_token_authenticates_an_integration_and_a_bad_one_is_refused(cast: Cast) -> None:
    _token, key = ApiToken.issue(cast.office, "Hệ thống QLVB")
    client = Client()
    ok = client.get("/api/me", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert ok.status_code == 200
    assert ok.json()["username"] == "office"
    also = client.get("/api/me", HTTP_X_API_KEY=key)
    assert also.json()["username"] == "office"
    refused = client.get("/api/me", HTTP_AUTHORIZATION="Bearer nv_wrong")
    assert refused.status_code == 401
    assert refused["Content-Type"] == "application/problem+json"
    assert Client().get("/api/tasks").status_code == 401
    # Revoking the token, or deactivating its user, refuses the very next request.
    _token.is_active = False
    _token.save(update_fields=["is_active"])
    assert client.get("/api/me", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401
    _other, other_key = ApiToken.issue(cast.office, "Cổng dịch vụ công")
    assert client.get("/api/me", HTTP_AUTHORIZATION=f"Bearer {other_key}").status_code == 200
    cast.office.is_active = False
    cast.office.save(update_fields=["is_active"])
    assert client.get("/api/me", HTTP_AUTHORIZATION=f"Bearer {other_key}").status_code == 401


def test_the_openapi_schema_and_docs_are_served(db: Any) -> None:
    client = Client()
    schema = client.get("/api/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    for path in ["/api/tasks", "/api/tasks/{task_id}/confirm", "/api/documents", "/api/units"]:
        assert path in schema["paths"], path
    assert client.get("/api/docs").status_code == 200


def test_unit_search_ignores_diacritics_and_finds_old_names(cast: Cast) -> None:
    office = Api(cast.office)
    names = [u["name"] for u in office.get("/units", q="so tai chinh").json_body["results"]]
    assert names == ["Sở Tài chính", "Phòng Ngân sách - Sở Tài chính"]
    old = [u["name"] for u in office.get("/units", q="ke hoach va dau tu").json_body["results"]]
    assert old == ["Sở Tài chính"]
    foreign = Api(cast.foreign_office)
    assert foreign.get("/units", q="tai chinh").json_body["count"] == 0


def test_a_stale_version_is_refused_so_no_update_is_lost(cast: Cast, frozen: Any) -> None:
    task = make(cast, "Nhiệm vụ", cast.finance, "2025-05-30")
    lead, office = Api(cast.lead), Api(cast.office)
    with frozen(d("2025-04-01")):
        lead.post(f"/tasks/{task.pk}/submit-result", {"text": "Xong"})
        seen = office.get(f"/tasks/{task.pk}").json_body["version"]
        office.post(f"/tasks/{task.pk}/return", {"reason": "Thiếu", "version": seen})
        stale = office.post(f"/tasks/{task.pk}/return", {"reason": "Lại", "version": seen})
    assert stale.status_code == 409
    assert Task.objects.get(pk=task.pk).returned_count == 1


def test_an_integration_posts_with_a_token_and_no_csrf_cookie(cast: Any) -> None:
    """A document system calls the API with a token only: no session, no CSRF cookie."""

    _token, key = ApiToken.issue(cast.office, "dms")
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        "/api/tasks",
        data={
            "content": "Nhiệm vụ từ hệ thống quản lý văn bản",
            "lead_unit_id": cast.finance.pk,
            "deadline": "2030-01-15",
        },
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert response.status_code == 201, response.content
    session_only = Client(enforce_csrf_checks=True)
    session_only.force_login(cast.office)
    refused = session_only.post("/api/tasks", data={}, content_type="application/json")
    assert refused.status_code == 403  # a browser session still needs its CSRF token
