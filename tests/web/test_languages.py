"""Vietnamese by default, with a complete English translation: every page of the story
renders in each language without a single interface string of the other one."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from babel.messages.pofile import read_po
from django.test import Client

from nhiemvu.core import clock
from nhiemvu.tasks import workflow

pytestmark = pytest.mark.django_db
# The project catalogue and each app's own (reports, notifications, feedback, inspections…).
CATALOGUES = sorted(
    (Path(__file__).resolve().parents[2] / "nhiemvu").glob("**/locale/vi/LC_MESSAGES/django.po")
)


def catalogue() -> list[tuple[str, str]]:
    entries = []
    for path in CATALOGUES:
        with path.open("rb") as f:
            entries.extend(read_po(f))
    pairs = []
    for message in entries:
        if not message.id:
            continue
        msgid = message.id[0] if isinstance(message.id, tuple) else message.id
        msgstr = message.string[0] if isinstance(message.string, tuple) else message.string
        pairs.append((msgid, msgstr))
    return pairs


def test_every_interface_string_has_a_vietnamese_translation() -> None:
    assert len(CATALOGUES) >= 3
    missing = [msgid for msgid, msgstr in catalogue() if not msgstr]
    assert missing == []


def visible_text(html: str) -> str:
    html = re.sub(r"<(script|style|template)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def phrases(language: str) -> list[str]:
    """Interface phrases of `language` that cannot be mistaken for data: 3+ words, no
    placeholders, different in the two languages."""
    pairs = catalogue()
    # English labels quote the Vietnamese term on purpose: "Work programme (Chương trình
    # công tác)"; such a term is not a leak.
    other_side = " | ".join(msgid if language == "vi" else msgstr for msgid, msgstr in pairs)
    found = []
    for msgid, msgstr in pairs:
        text = msgstr if language == "vi" else msgid
        if "%" in text or "{" in text or len(text.split()) < 3 or msgid == msgstr:
            continue
        if text in other_side:
            continue
        found.append(text)
    return found


def story_pages(cast: Any) -> list[tuple[Any, str]]:
    task = workflow.assign(
        workflow.create_task(
            workflow.TaskInput(
                content="Task A", lead_unit=cast.finance, deadline=dt.date(2025, 5, 5)
            ),
            by=cast.office,
        ),
        by=cast.office,
    )
    other = workflow.assign(
        workflow.create_task(
            workflow.TaskInput(
                content="Task B", lead_unit=cast.finance, deadline=dt.date(2025, 5, 6)
            ),
            by=cast.office,
        ),
        by=cast.office,
    )
    workflow.request_extension(
        task, by=cast.lead, proposed_deadline=dt.date(2025, 5, 20), reason="R"
    )
    workflow.submit_result(other, by=cast.lead, text="Done")
    return [
        (cast.office, "/workbench/"),
        (cast.office, "/documents/new/"),
        (cast.office, f"/tasks/{task.pk}/"),
        (cast.office, "/tasks/"),
        (cast.lead, "/tasks/workspace/"),
        (cast.lead, f"/tasks/{task.pk}/"),
        (cast.chairman, "/dashboard/"),
        (cast.admin, "/manage/units/"),
        (cast.admin, "/account/users/"),
        (cast.admin, "/manage/calendar/"),
        (cast.lead, "/account/profile/"),
    ]


@pytest.mark.parametrize("language", ["vi", "en"])
def test_every_page_of_the_story_is_in_one_language(cast: Any, language: str) -> None:
    other = phrases("en" if language == "vi" else "vi")
    with clock.frozen(dt.datetime(2025, 4, 21, 9, 0)):
        for user, path in story_pages(cast):
            user.language = language
            user.save(update_fields=["language"])
            client = Client()
            client.force_login(user)
            response = client.get(path)
            assert response.status_code == 200, path
            text = visible_text(response.content.decode())
            leaked = [p for p in other if p in text]
            assert leaked == [], f"{path} in {language} shows: {leaked}"
    assert Client().get("/login/").content.decode().count("Đăng nhập") >= 2
