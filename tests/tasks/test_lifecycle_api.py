"""End to end through the JSON API: one task through every state, with permissions checked
at each step, a cancelled task, and a task without a deadline over two reporting cycles."""

from __future__ import annotations

from typing import Any

from tests.conftest import Api, Cast, d


def create_document(office: Api, **overrides: Any) -> dict[str, Any]:
    body = {
        "number": "105/KH-UBND",
        "doc_type": "plan",
        "issued_on": "2025-04-21",
        "subject": "Kế hoạch cải cách hành chính năm 2025",
        "signer": "Nguyễn Hoài Anh",
        "urgency": "normal",
        **overrides,
    }
    response = office.post("/documents", body)
    assert response.status_code == 201, response.json_body
    return response.json_body


def create_task(
    office: Api, cast: Cast, document_id: int | None, **overrides: Any
) -> dict[str, Any]:
    body = {
        "content": "Rà soát, cắt giảm thủ tục hành chính lĩnh vực tài chính",
        "lead_unit_id": cast.finance.pk,
        "coordinating_unit_ids": [cast.construction.pk],
        "deadline": "2025-05-09",
        "expected_output": "Báo cáo kết quả rà soát",
        "document_id": document_id,
        "targets": [{"name": "Hồ sơ trực tuyến", "unit_of_measure": "%", "target_value": "70"}],
        **overrides,
    }
    response = office.post("/tasks", body)
    assert response.status_code == 201, response.json_body
    return response.json_body


def test_a_task_walks_through_every_state(cast: Cast, frozen: Any) -> None:
    office, lead, coord = Api(cast.office), Api(cast.lead), Api(cast.coord)
    outsider, foreign = Api(cast.outsider), Api(cast.foreign_office)

    with frozen(d("2025-04-21")):
        document = create_document(office)
        assert document["intake_due_on"] == "2025-04-22"
        task = create_task(office, cast, document["id"])
    tid = task["id"]
    assert task["state"] == "draft"
    assert task["allowed_actions"] == ["edit", "assign", "cancel"]
    # A draft is the Office's own work: the lead unit does not see it yet.
    assert lead.get(f"/tasks/{tid}").status_code == 404

    with frozen(d("2025-04-22")):
        assert lead.post(f"/tasks/{tid}/assign").status_code == 404
        assigned = office.post(f"/tasks/{tid}/assign").json_body
    assert assigned["state"] == "assigned"
    assert assigned["time_status"] == "on_time"
    doc = office.get(f"/documents/{document['id']}").json_body
    assert doc["transferred_on_time"] is True

    # Outsiders, other tenants: not found. Coordinating unit: sees it, cannot ask to adjust.
    assert outsider.get(f"/tasks/{tid}").status_code == 404
    assert foreign.get(f"/tasks/{tid}").status_code == 404
    assert coord.get(f"/tasks/{tid}").status_code == 200
    with frozen(d("2025-04-23")):
        refused = coord.post(
            f"/tasks/{tid}/request-adjustment", {"kind": "wrong_content", "reason": "x"}
        )
        assert refused.status_code == 403
        assert refused["Content-Type"] == "application/problem+json"
        adjusted = lead.post(
            f"/tasks/{tid}/request-adjustment",
            {"kind": "wrong_content", "reason": "Thiếu lĩnh vực đầu tư công"},
        ).json_body
    assert adjusted["state"] == "adjustment_requested"
    request_id = adjusted["adjustment_requests"][0]["id"]
    with frozen(d("2025-04-23")):
        assert (
            lead.post(f"/adjustments/{request_id}/decide", {"outcome": "declined"}).status_code
            == 403
        )
        corrected = office.post(
            f"/adjustments/{request_id}/decide",
            {
                "outcome": "corrected",
                "note": "Đã bổ sung",
                "correction": {
                    "content": "Rà soát, cắt giảm thủ tục hành chính lĩnh vực tài chính",
                    "lead_unit_id": cast.finance.pk,
                    "coordinating_unit_ids": [cast.construction.pk],
                    "deadline": "2025-05-09",
                },
            },
        ).json_body
    assert corrected["state"] == "assigned"
    assert corrected["content"].endswith("lĩnh vực tài chính")

    target_id = corrected["targets"][0]["id"]
    with frozen(d("2025-04-24")):
        progressed = lead.post(
            f"/tasks/{tid}/progress",
            {"text": "Đã rà soát 40 thủ tục", "percent": 40, "target_values": {target_id: "55"}},
        ).json_body
        contributed = coord.post(f"/tasks/{tid}/progress", {"text": "Đã gửi ý kiến"}).json_body
    assert progressed["progress_percent"] == 40
    assert progressed["targets"][0]["actual_value"] == "55.0000"
    assert [u["kind"] for u in contributed["updates"]] == ["progress", "contribution"]
    assert contributed["state"] == "assigned"  # an update never closes the task (R5.2c)

    # Due soon from 3 working days before 9/5; overdue after it.
    with frozen(d("2025-05-05")):
        assert lead.get(f"/tasks/{tid}").json_body["time_status"] == "on_time"
    with frozen(d("2025-05-06")):
        assert lead.get(f"/tasks/{tid}").json_body["time_status"] == "due_soon"

    with frozen(d("2025-05-07")):
        assert (
            coord.post(
                f"/tasks/{tid}/request-extension",
                {"proposed_deadline": "2025-05-20", "reason": "x"},
            ).status_code
            == 403
        )
        extended = lead.post(
            f"/tasks/{tid}/request-extension",
            {"proposed_deadline": "2025-05-20", "reason": "Chờ ý kiến Bộ Tài chính"},
        ).json_body
    assert extended["state"] == "assigned"
    extension_id = extended["extension_requests"][0]["id"]
    with frozen(d("2025-05-08")):
        assert lead.post(f"/extensions/{extension_id}/decide", {"approve": True}).status_code == 403
        approved = office.post(f"/extensions/{extension_id}/decide", {"approve": True}).json_body
    assert approved["deadline"] == "2025-05-20"
    assert approved["original_deadline"] == "2025-05-09"
    with frozen(d("2025-05-12")):
        assert lead.get(f"/tasks/{tid}").json_body["time_status"] == "on_time"

    with frozen(d("2025-05-19")):
        assert coord.post(f"/tasks/{tid}/submit-result", {"text": "x"}).status_code == 403
        submitted = lead.post(
            f"/tasks/{tid}/submit-result", {"text": "Đã hoàn thành, báo cáo số 12/BC-STC"}
        ).json_body
    assert submitted["state"] == "awaiting_confirmation"
    assert submitted["time_status"] == "awaiting_confirmation"

    with frozen(d("2025-05-21")):
        assert lead.post(f"/tasks/{tid}/confirm").status_code == 403
        no_reason = office.post(f"/tasks/{tid}/return", {"reason": ""})
        assert no_reason.status_code == 422
        assert no_reason.json_body["errors"][0]["field"] == "reason"
        returned = office.post(f"/tasks/{tid}/return", {"reason": "Thiếu số liệu cấp xã"}).json_body
    assert returned["state"] == "assigned"
    assert returned["returned_count"] == 1
    assert returned["time_status"] == "overdue"

    with frozen(d("2025-05-22")):
        lead.post(f"/tasks/{tid}/submit-result", {"text": "Đã bổ sung số liệu cấp xã"})
    with frozen(d("2025-05-23")):
        confirmed = office.post(f"/tasks/{tid}/confirm", {"note": "Đạt yêu cầu"}).json_body
    assert confirmed["state"] == "completed"
    assert confirmed["time_status"] == "completed_late"  # returned after the deadline (R5.2b)
    assert confirmed["completed_on"] == "2025-05-23"
    assert confirmed["allowed_actions"] == []

    actions = [e["action"] for e in confirmed["history"]]
    assert actions == [
        "task.created",
        "task.assigned",
        "task.adjustment_requested",
        "task.adjustment_corrected",
        "task.progress_posted",
        "task.contribution_posted",
        "task.extension_requested",
        "task.extension_approved",
        "task.result_submitted",
        "task.returned",
        "task.result_submitted",
        "task.confirmed",
    ]
    by_action = {e["action"]: e for e in confirmed["history"]}
    assert by_action["task.extension_approved"]["detail"]["changes"]["deadline"] == [
        "2025-05-09",
        "2025-05-20",
    ]
    assert by_action["task.returned"]["detail"]["reason"] == "Thiếu số liệu cấp xã"
    assert by_action["task.returned"]["actor"]["id"] == cast.office.pk


def test_a_leader_cancels_a_task_with_a_reason(cast: Cast, frozen: Any) -> None:
    office, lead, chairman = Api(cast.office), Api(cast.lead), Api(cast.chairman)
    with frozen(d("2025-06-02")):
        tid = create_task(office, cast, None)["id"]
        office.post(f"/tasks/{tid}/assign")
        assert lead.post(f"/tasks/{tid}/cancel", {"reason": "không cần"}).status_code == 403
        cancelled = chairman.post(
            f"/tasks/{tid}/cancel", {"reason": "Đã có chỉ đạo thay thế"}
        ).json_body
    assert cancelled["state"] == "cancelled"
    assert cancelled["time_status"] is None
    assert cancelled["history"][-1]["detail"]["reason"] == "Đã có chỉ đạo thay thế"
    with frozen(d("2025-06-03")):
        late = lead.post(f"/tasks/{tid}/progress", {"text": "x"})
    assert late.status_code == 409


def test_a_task_without_deadline_over_two_quarterly_cycles(cast: Cast, frozen: Any) -> None:
    office, lead = Api(cast.office), Api(cast.lead)
    with frozen(d("2025-01-10")):
        tid = create_task(
            office,
            cast,
            None,
            deadline=None,
            reporting_cycle="quarterly",
            content="Thường xuyên theo dõi, đôn đốc giải ngân vốn đầu tư công",
        )["id"]
        office.post(f"/tasks/{tid}/assign")
        assert (
            lead.post(
                f"/tasks/{tid}/request-extension",
                {"proposed_deadline": "2025-12-31", "reason": "x"},
            ).status_code
            == 400
        )

    def status_on(day: str) -> str:
        with frozen(d(day)):
            return lead.get(f"/tasks/{tid}").json_body["time_status"]

    def missing_ids(day: str) -> list[int]:
        with frozen(d(day)):
            page = office.get("/tasks", time_status="cycle_missing").json_body
        return [t["id"] for t in page["results"]]

    assert status_on("2025-02-10") == "cycle_missing"
    assert missing_ids("2025-02-10") == [tid]
    with frozen(d("2025-02-11")):
        lead.post(f"/tasks/{tid}/progress", {"text": "Quý I: giải ngân 18%", "percent": 18})
    assert status_on("2025-03-31") == "cycle_updated"
    assert missing_ids("2025-03-31") == []
    # A new quarter: the update is due again.
    assert status_on("2025-04-01") == "cycle_missing"
    assert missing_ids("2025-04-01") == [tid]
    with frozen(d("2025-04-15")):
        lead.post(f"/tasks/{tid}/progress", {"text": "Quý II: giải ngân 41%", "percent": 41})
    assert status_on("2025-06-30") == "cycle_updated"
    detail = lead.get(f"/tasks/{tid}").json_body
    assert detail["state"] == "assigned"
    assert detail["last_update_on"] == "2025-04-15"


def test_the_answer_to_a_write_is_the_task_as_a_later_read_shows_it(
    cast: Cast, frozen: Any
) -> None:
    """Creating a task answers from what was given, without reading the task back; the answer
    must still be exactly what reading it shows (units, people, targets, history, actions)."""
    from nhiemvu.tasks.models import Field

    office, lead = Api(cast.office), Api(cast.lead)
    field = Field.objects.create(tenant=cast.tenant, name="Tài chính")
    with frozen(d("2025-04-21")):
        document = create_document(office)
        created = create_task(
            office,
            cast,
            document["id"],
            coordinating_unit_ids=[cast.construction.pk, cast.health.pk],
            field_id=field.pk,
            assigner_id=cast.chairman.pk,
            responsible_id=cast.lead.pk,
        )
        shown = office.get(f"/tasks/{created['id']}").json_body
        assert created == shown
        assert [u["id"] for u in shown["coordinating_units"]] == [
            cast.construction.pk,
            cast.health.pk,
        ]
        assert shown["targets"][0]["name"] == "Hồ sơ trực tuyến"
        assert [e["action"] for e in shown["history"]] == ["task.created"]

        office.post(f"/tasks/{created['id']}/assign")
        sub = lead.post(
            f"/tasks/{created['id']}/subtasks",
            {
                "content": "Tổng hợp số liệu",
                "lead_unit_id": cast.division.pk,
                "deadline": "2025-05-05",
            },
        )
        assert sub.status_code == 201, sub.json_body
        assert sub.json_body == lead.get(f"/tasks/{sub.json_body['id']}").json_body
        assert sub.json_body["targets"] == [] and sub.json_body["coordinating_units"] == []

    # Every action answers from the task it locked and changed; a read shows the same.
    tid, coord = created["id"], Api(cast.coord)
    target_id = created["targets"][0]["id"]
    steps = [
        (lead, "progress", {"text": "Đạt 40%", "percent": 40, "target_values": {target_id: 40}}),
        (coord, "progress", {"text": "Đã góp ý"}),
        (lead, "request-extension", {"proposed_deadline": "2025-05-30", "reason": "Chờ số liệu"}),
        (lead, "submit-result", {"text": "Hoàn thành rà soát"}),
        (office, "return", {"reason": "Thiếu phụ lục"}),
        (lead, "submit-result", {"text": "Bổ sung phụ lục"}),
        (office, "confirm", {}),
    ]
    with frozen(d("2025-04-28")):
        for who, action, body in steps:
            answer = who.post(f"/tasks/{tid}/{action}", body)
            assert answer.status_code in (200, 201), (action, answer.json_body)
            assert answer.json_body == who.get(f"/tasks/{tid}").json_body, action
    assert answer.json_body["state"] == "completed"
    assert answer.json_body["targets"][0]["actual_value"] == "40.0000"
    other = create_task(office, cast, None)
    office.post(f"/tasks/{other['id']}/assign")
    cancelled = office.post(f"/tasks/{other['id']}/cancel", {"reason": "Trùng nhiệm vụ"})
    assert cancelled.json_body == office.get(f"/tasks/{other['id']}").json_body
    assert cancelled.json_body["state"] == "cancelled"
    third = create_task(office, cast, None, content="Nhiệm vụ giao nhầm đơn vị")
    office.post(f"/tasks/{third['id']}/assign")
    asked = lead.post(
        f"/tasks/{third['id']}/request-adjustment",
        {
            "kind": "not_our_function",
            "reason": "Không thuộc chức năng",
            "proposed_unit_id": cast.health.pk,
        },
    )
    assert asked.status_code == 200, asked.json_body
    assert asked.json_body == lead.get(f"/tasks/{third['id']}").json_body
    assert asked.json_body["adjustment_requests"][0]["proposed_unit"]["id"] == cast.health.pk
    # Acting on a task one may not see answers 404, as reading it does, and changes nothing.
    hidden = Api(cast.outsider).post(f"/tasks/{third['id']}/progress", {"text": "x"})
    assert hidden.status_code == 404
    assert lead.get(f"/tasks/{third['id']}").json_body["updates"] == []
