"""The notification centre: each user sees only their own notifications, unread first; they
open, mark as read and choose how to get email. The unread count for the header."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext

from nhiemvu.accounts.models import User
from nhiemvu.notifications.context import unread_count
from nhiemvu.notifications.enums import EmailMode
from nhiemvu.notifications.models import Notification, Preference, RuleSettings
from tests.conftest import Cast, d

from .conftest import assigned

pytestmark = pytest.mark.django_db


def client_for(user: User, language: str = "vi") -> Client:
    user.language = language
    user.save(update_fields=["language"])
    client = Client()
    client.force_login(user)
    return client


def tasks_for_lead(cast: Cast, n: int) -> None:
    for i in range(n):
        assigned(cast, d("2025-05-15"), d("2025-04-21"), content=f"Nhiệm vụ {i}")


def test_the_centre_lists_my_notifications_unread_first(cast: Cast) -> None:
    tasks_for_lead(cast, 3)
    first, second, third = Notification.objects.filter(recipient=cast.lead).order_by("id")
    client = client_for(cast.lead)
    assert client.post(f"/notifications/{third.pk}/read/").status_code == 302
    page = client.get("/notifications/")
    assert page.status_code == 200
    assert [n.pk for n in page.context["page"].object_list] == [second.pk, first.pk, third.pk]
    html = page.content.decode()
    assert "2 chưa đọc" in html
    assert "Nhiệm vụ mới: Nhiệm vụ 0" in html


def test_nobody_sees_or_touches_anyone_elses_notifications(cast: Cast) -> None:
    tasks_for_lead(cast, 1)
    mine = Notification.objects.get(recipient=cast.lead)
    outsider = client_for(cast.outsider)
    assert "Nhiệm vụ 0" not in outsider.get("/notifications/").content.decode()
    assert outsider.get(f"/notifications/{mine.pk}/open/").status_code == 404
    assert outsider.post(f"/notifications/{mine.pk}/read/").status_code == 404
    assert client_for(cast.foreign_office).get(f"/notifications/{mine.pk}/open/").status_code == 404
    outsider.post("/notifications/read-all/")
    mine.refresh_from_db()
    assert mine.read_at is None
    assert Client().get("/notifications/").status_code == 302  # to the sign-in page


def test_opening_a_notification_marks_it_read_and_goes_to_the_task(cast: Cast) -> None:
    tasks_for_lead(cast, 1)
    note = Notification.objects.get(recipient=cast.lead)
    response = client_for(cast.lead).get(f"/notifications/{note.pk}/open/")
    assert response.status_code == 302
    assert response.url == f"/tasks/{note.task_id}/"
    note.refresh_from_db()
    assert note.read_at is not None


def test_mark_all_read_and_the_unread_count(cast: Cast) -> None:
    tasks_for_lead(cast, 3)
    request = RequestFactory().get("/")
    request.user = cast.lead
    assert unread_count(request) == {"unread_notifications": 3}
    client_for(cast.lead).post("/notifications/read-all/")
    assert unread_count(request) == {"unread_notifications": 0}
    request.user = cast.office
    assert unread_count(request) == {"unread_notifications": 0}


def test_the_centre_costs_the_same_queries_for_1_and_3_notifications(cast: Cast) -> None:
    client = client_for(cast.lead)
    counts = []
    for n in (1, 2):
        tasks_for_lead(cast, n)
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/notifications/").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_a_user_chooses_the_daily_digest(cast: Cast) -> None:
    client = client_for(cast.lead, "en")
    assert client.post("/notifications/preference/", {"email_mode": "digest"}).status_code == 302
    assert Preference.objects.get(user=cast.lead).email_mode == EmailMode.DIGEST
    page = client.get("/notifications/")
    assert page.context["preference"]["email_mode"].value() == "digest"
    assert "One daily digest" in page.content.decode()


def test_the_office_leader_edits_the_reminder_rules_and_staff_cannot(cast: Cast) -> None:
    leader = client_for(cast.office_leader)
    assert leader.get("/notifications/rules/").status_code == 200
    data: dict[str, Any] = {
        "due_soon_days": "5,2",
        "remind_on_due_day": "on",
        "remind_when_overdue": "on",
        "escalate_to_head_after": 3,
        "escalate_to_office_after": 7,
        "cycle_remind_days": 5,
        "awaiting_days": 2,
        "awaiting_leader_days": 4,
        "morning_hour": 7,
        "letter_parent_body": "UBND TỈNH THANH HÓA",
        "letter_issuer": "VĂN PHÒNG",
        "letter_place": "Thanh Hóa",
        "letter_symbol": "VP-TH",
        "letter_basis": "Quyết định số 131/2025/QĐ-UBND",
        "letter_reply_days": 5,
    }
    assert leader.post("/notifications/rules/", data).status_code == 302
    rules = RuleSettings.objects.get(tenant=cast.tenant)
    assert (rules.reminder_days, rules.escalate_to_head_after) == ([5, 2], 3)
    bad = leader.post("/notifications/rules/", {**data, "escalate_to_office_after": 2})
    assert bad.status_code == 200
    assert "Văn phòng được báo sau thủ trưởng đơn vị." in bad.content.decode()
    for user in (cast.lead, cast.office, cast.outsider):
        assert client_for(user).get("/notifications/rules/").status_code == 404
