"""The feedback pages: who sees and does what (a matrix over the standing cast), the
Office's queue with its countdown in words, filing from a task, answering in place, and the
task page's panel."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.template import Context, Template
from django.test import Client
from django.test.utils import CaptureQueriesContext

from nhiemvu.core import clock
from nhiemvu.feedback import services
from nhiemvu.feedback.models import Feedback
from nhiemvu.notifications.models import UrgingLetter
from tests.conftest import Cast, d

from .conftest import department_task

pytestmark = pytest.mark.django_db
TODAY = d("2025-05-06")

#: Everyone of the cast, and whether they see a commune's "late" feedback about Sở Tài
#: chính's task that Sở Xây dựng also coordinates.
SEES = {
    "commune": True,  # the filer's unit
    "lead": True,  # the unit it is about
    "lead_head": True,
    "office": True,
    "office_leader": True,
    "chairman": True,
    "inspector": True,
    "admin": True,
    "coord": False,  # coordinates the task, but the feedback is not about it
    "outsider": False,
    "division_staff": False,  # a division of the unit it is about
    "foreign_office": False,  # another tenant's Office
}
HANDLES = {"office", "office_leader"}


def person(cast: Cast, commune: Any, name: str) -> Any:
    return commune if name == "commune" else getattr(cast, name)


def client_for(user: Any) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="vi")
    client.force_login(user)
    return client


@pytest.fixture
def feedback(cast: Cast, commune: Any) -> Feedback:
    task = department_task(cast, deadline=d("2025-04-25"), on=d("2025-03-03"))
    with clock.frozen(d("2025-05-05")):
        return services.file_feedback(task, by=commune, kind="late", text="Chưa có hướng dẫn")


@pytest.mark.parametrize("name", sorted(SEES))
def test_who_sees_a_feedback(cast: Cast, commune: Any, feedback: Feedback, name: str) -> None:
    client = client_for(person(cast, commune, name))
    with clock.frozen(TODAY):
        page = client.get(f"/feedback/{feedback.pk}/")
        listed = client.get(f"/tasks/{feedback.task_id}/")
    assert page.status_code == (200 if SEES[name] else 404)
    if page.status_code == 404:
        assert "Chưa có hướng dẫn" not in page.content.decode()
    if listed.status_code == 200:  # the task's own page never carries the feedback text
        assert "Chưa có hướng dẫn" not in listed.content.decode()


@pytest.mark.parametrize("name", sorted(SEES))
def test_who_answers_a_feedback(cast: Cast, commune: Any, feedback: Feedback, name: str) -> None:
    client = client_for(person(cast, commune, name))
    with clock.frozen(TODAY):
        response = client.post(
            f"/feedback/{feedback.pk}/answer/", {"action": "urge", "text": "Đôn đốc"}
        )
        queue = client.get("/feedback/")
    feedback.refresh_from_db()
    if name in HANDLES:
        assert response.status_code == 302 and feedback.state == "urged"
        assert queue.status_code == 200
    elif name == "foreign_office":  # its own tenant's queue, where ours is not
        assert response.status_code == 404 and feedback.state == "open"
        assert queue.status_code == 200 and queue.context["waiting_total"] == 0
        assert "Chưa có hướng dẫn" not in queue.content.decode()
    else:
        assert response.status_code == 404 and feedback.state == "open"
        assert queue.status_code == 404


@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("commune", 200),  # coordinates the task
        ("coord", 200),
        ("lead", 200),  # may report a coordinating unit (R17.2)
        ("outsider", 404),
        ("office", 404),  # the Office answers, it does not file
        ("chairman", 404),
        ("foreign_office", 404),
    ],
)
def test_who_may_file_feedback_about_a_task(
    cast: Cast, commune: Any, name: str, status: int
) -> None:
    task = department_task(cast, deadline=d("2025-04-25"), on=d("2025-03-03"))
    with clock.frozen(TODAY):
        response = client_for(person(cast, commune, name)).get(f"/feedback/task/{task.pk}/new/")
    assert response.status_code == status


def test_anonymous_visitors_are_sent_to_sign_in(feedback: Feedback) -> None:
    for path in ("/feedback/", "/feedback/unit/", f"/feedback/{feedback.pk}/"):
        response = Client().get(path)
        assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_the_unit_page_lists_feedback_filed_by_and_about_the_unit(
    cast: Cast, commune: Any, feedback: Feedback
) -> None:
    with clock.frozen(TODAY):
        mine = client_for(commune).get("/feedback/unit/")
        theirs = client_for(cast.lead).get("/feedback/unit/")
        other = client_for(cast.coord).get("/feedback/unit/")
        office = client_for(cast.office).get("/feedback/unit/")
    assert [f.pk for f in mine.context["filed"]] == [feedback.pk]
    assert mine.context["about"] == []
    assert [f.pk for f in theirs.context["about"]] == [feedback.pk]
    assert theirs.context["filed"] == []
    assert (other.context["filed"], other.context["about"], other.context["related"]) == (
        [],
        [],
        [],
    )
    assert office.status_code == 404


def test_filing_from_the_form(cast: Cast, commune: Any, settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    task = department_task(cast, deadline=d("2025-04-25"), on=d("2025-03-03"))
    client = client_for(commune)
    with clock.frozen(TODAY):
        form = client.get(f"/feedback/task/{task.pk}/new/")
        units = list(form.context["form"].fields["about_unit"].queryset)
        response = client.post(
            f"/feedback/task/{task.pk}/new/",
            {
                "kind": "late",
                "about_unit": cast.finance.pk,
                "text": "Sở chưa gửi hướng dẫn",
                "attachments": [SimpleUploadedFile("cong-van.pdf", b"%PDF-1.4 xa")],
            },
        )
    assert units == [cast.finance, cast.construction]  # never the commune itself
    feedback = Feedback.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/feedback/{feedback.pk}/"
    assert (feedback.filer_unit, feedback.about_unit, feedback.due_on) == (
        cast.commune,
        cast.finance,
        d("2025-05-20"),
    )
    assert [(f.name, f.size) for f in feedback.files.all()] == [("cong-van.pdf", 11)]
    page = client.get(f"/feedback/{feedback.pk}/").content.decode()
    assert "cong-van.pdf" in page


def test_a_task_beyond_a_units_means_is_seen_by_the_tasks_other_units(
    cast: Cast, commune: Any
) -> None:
    task = department_task(cast, deadline=d("2025-06-30"), on=d("2025-03-03"))
    with clock.frozen(TODAY):
        feedback = services.file_feedback(
            task, by=commune, kind="beyond_means", text="Xã không đủ cán bộ chuyên môn"
        )
    seen = {
        name: client_for(getattr(cast, name)).get(f"/feedback/{feedback.pk}/").status_code
        for name in ("lead", "coord", "outsider", "division_staff")
    }
    assert seen == {"lead": 200, "coord": 200, "outsider": 404, "division_staff": 404}
    related = client_for(cast.coord).get("/feedback/unit/").context["related"]
    assert [f.pk for f in related] == [feedback.pk]


def test_an_empty_form_shows_the_error_and_files_nothing(cast: Cast, commune: Any) -> None:
    task = department_task(cast, deadline=d("2025-04-25"), on=d("2025-03-03"))
    with clock.frozen(TODAY):
        response = client_for(commune).post(
            f"/feedback/task/{task.pk}/new/", {"kind": "late", "about_unit": cast.finance.pk}
        )
    assert response.status_code == 200
    assert "Hãy mô tả nội dung sự việc." in response.content.decode()
    assert Feedback.objects.count() == 0


def test_the_queue_counts_down_in_working_days_and_words(cast: Cast, commune: Any) -> None:
    task = department_task(cast, deadline=d("2025-04-25"), on=d("2025-03-03"))
    filed = {}
    for kind, on in (("late", "2025-04-21"), ("not_as_required", "2025-04-25")):
        with clock.frozen(d(on)):
            filed[kind] = services.file_feedback(task, by=commune, kind=kind, text="Chậm")
    # Due 7/5 (filed 21/4: 22–26/4 with the make-up Saturday, 28–29/4, 5–7/5) and 13/5.
    assert [f.due_on for f in filed.values()] == [d("2025-05-07"), d("2025-05-13")]
    office = client_for(cast.office)
    with clock.frozen(d("2025-05-07")):
        page = office.get("/feedback/").content.decode()
    assert "Đến hạn hôm nay" in page and "Còn 4 ngày làm việc" in page
    with clock.frozen(d("2025-05-09")):
        page = office.get("/feedback/").content.decode()
    assert "Quá hạn 2 ngày làm việc" in page and "Còn 2 ngày làm việc" in page
    assert page.count("Chờ Văn phòng trả lời") == 2


def test_the_queue_takes_the_same_queries_for_one_or_three_items(cast: Cast, commune: Any) -> None:
    office = client_for(cast.office)
    office.get("/feedback/")  # warm the session and the calendar
    counted = []
    for content in ("Một", "Hai", "Ba"):
        task = department_task(cast, deadline=d("2025-04-25"), on=d("2025-03-03"), content=content)
        with clock.frozen(d("2025-05-05")):
            feedback = services.file_feedback(task, by=commune, kind="late", text="Chậm")
        if content == "Hai":
            with clock.frozen(d("2025-05-05")):
                services.answer(feedback, by=cast.office, action="dismiss", text="Không")
        with clock.frozen(TODAY), CaptureQueriesContext(connection) as queries:
            assert office.get("/feedback/").status_code == 200
        counted.append(len(queries))
    assert counted[0] == counted[2]


def test_answering_in_place_with_htmx(cast: Cast, commune: Any, feedback: Feedback) -> None:
    office = client_for(cast.office)
    with clock.frozen(TODAY):
        page = office.get(f"/feedback/{feedback.pk}/")
        assert page.context["form"].fields["action"].choices == [
            ("urge", "Đôn đốc đơn vị"),
            ("escalate", "Báo cáo Chủ tịch UBND tỉnh xin ý kiến chỉ đạo"),
            ("dismiss", "Kết thúc, không xử lý thêm (nêu rõ lý do)"),
        ]
        wrong = office.post(
            f"/feedback/{feedback.pk}/answer/",
            {"action": "urge", "text": ""},
            HTTP_HX_REQUEST="true",
        )
        assert "Hãy nhập nội dung trả lời." in wrong.content.decode()
        done = office.post(
            f"/feedback/{feedback.pk}/answer/",
            {"action": "urge", "text": "Đề nghị Sở khẩn trương", "letter": "on"},
            HTTP_HX_REQUEST="true",
        )
    html = done.content.decode()
    assert html.startswith('<div id="feedback-body">') and "Đã gửi trả lời." in html
    assert "trả lời phản hồi" in html  # the history, refreshed in place
    letter = UrgingLetter.objects.get()
    assert f"Văn bản đôn đốc số {letter.number}" in html
    # Both parties may download the letter; the commune gets its copy (R16.6).
    for user in (commune, cast.lead):
        response = client_for(user).get(f"/feedback/{feedback.pk}/letter.docx")
        assert response.status_code == 200
        assert response["Content-Disposition"].endswith(f'"{letter.filename()}"')
    assert client_for(cast.coord).get(f"/feedback/{feedback.pk}/letter.docx").status_code == 404


PANEL = Template("{% load feedback %}{% feedback_panel task %}")


def test_the_task_panel_shows_the_urging_to_the_unit_and_nothing_to_others(
    cast: Cast, commune: Any, feedback: Feedback
) -> None:
    with clock.frozen(TODAY):
        services.answer(feedback, by=cast.office, action="urge", text="Đề nghị Sở khẩn trương")

    def panel(user: Any) -> str:
        return PANEL.render(Context({"user": user, "task": feedback.task}))

    lead = panel(cast.lead)
    assert f'href="/feedback/{feedback.pk}/"' in lead and "Đề nghị Sở khẩn trương" in lead
    assert f'href="/feedback/task/{feedback.task_id}/new/"' in lead
    coord = panel(cast.coord)
    assert "/feedback/" in coord and f"/feedback/{feedback.pk}/" not in coord  # may file only
    assert panel(cast.outsider).strip() == ""
