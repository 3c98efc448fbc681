"""The public portal: published results, open to anyone, frozen once published."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from django.test import Client

from nhiemvu.core import clock
from nhiemvu.core.errors import DomainError, NotAllowed
from nhiemvu.core.models import Event, ImmutableError
from nhiemvu.reports import periods, publication
from nhiemvu.reports.models import Publication, ReportingPeriod
from nhiemvu.tasks import workflow
from tests.conftest import Cast, d
from tests.reports.test_scorecards import AFTER_Q3, Story, q3_story


@pytest.fixture(autouse=True)
def fixed_day() -> Any:
    with clock.frozen(AFTER_Q3):
        yield


@pytest.fixture
def story(cast: Cast) -> Story:
    s = q3_story(cast)
    s.run_until(AFTER_Q3)
    return s


@pytest.fixture
def q3(cast: Cast, story: Story) -> ReportingPeriod:
    return periods.create_period(cast.tenant, by=cast.office, kind="quarter", year=2025, number=3)


def main(response: Any) -> str:
    """The page's content (the layout around it carries a per-request CSRF token)."""
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def rows(response: Any) -> dict[str, dict[str, str]]:
    text = response.content.decode("utf-8-sig")
    return {row["unit"]: row for row in csv.DictReader(io.StringIO(text))}


def test_anyone_sees_the_published_results_and_downloads_them(
    cast: Cast, q3: ReportingPeriod
) -> None:
    publication.publish(q3, by=cast.office)
    anonymous = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert anonymous.get("/public/").status_code == 302  # the only authority: straight there
    listing = anonymous.get("/public/th/")
    assert "Quý III năm 2025" in listing.content.decode()
    page = anonymous.get(f"/public/th/{q3.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert html.index("Sở Y tế") < html.index("Sở Xây dựng") < html.index("Sở Tài chính")
    assert "/tasks/" not in html  # no links into the tracking system
    data = rows(anonymous.get(f"/public/th/{q3.pk}/v1/data.csv"))
    assert data["Sở Tài chính"]["overdue"] == "2"
    assert data["Sở Tài chính"]["rank"] == "3"
    assert data["Sở Tài chính"]["score"] == "25.0"
    assert data["Sở Y tế"]["done_on_time"] == "1"
    body = json.loads(anonymous.get(f"/public/th/{q3.pk}/v1/data.json").content)
    assert body["version"] == 1
    assert body["totals"]["active"] == 14
    chart = anonymous.get(f"/public/th/{q3.pk}/v1/chart-units.png")
    assert chart.content.startswith(b"\x89PNG")


def test_nothing_unpublished_is_public(cast: Cast, q3: ReportingPeriod) -> None:
    anonymous = Client()
    assert anonymous.get(f"/public/th/{q3.pk}/").status_code == 404
    assert anonymous.get(f"/public/th/{q3.pk}/v1/data.csv").status_code == 404
    assert anonymous.get("/public/nobody/").status_code == 404


def test_a_later_edit_does_not_change_what_was_published(
    cast: Cast, story: Story, q3: ReportingPeriod
) -> None:
    publication.publish(q3, by=cast.office)
    anonymous = Client(HTTP_ACCEPT_LANGUAGE="en")
    page_before = main(anonymous.get(f"/public/th/{q3.pk}/"))
    csv_before = anonymous.get(f"/public/th/{q3.pk}/v1/data.csv").content

    # F7 (awaiting on 30/9) is confirmed; F4 (overdue) gets a late extension.
    with clock.frozen(d("2025-10-12")):
        workflow.confirm(story.tasks["F7"], by=cast.office)
        request = workflow.request_extension(
            story.tasks["F4"], by=cast.lead, proposed_deadline=d("2025-12-31"), reason="Chờ vốn"
        )
        workflow.decide_extension(request, by=cast.office, approve=True)
    live = Client(HTTP_ACCEPT_LANGUAGE="en")
    live.force_login(cast.office)
    # The live figures moved (F4 is no longer overdue on 30/9 once its deadline is 31/12)…
    assert (
        "Nhiệm vụ F4"
        not in live.get(
            f"/dashboard/reports/{q3.pk}/tasks/?metric=overdue&by=unit&id={cast.finance.pk}"
        ).content.decode()
    )
    # …the published page and its CSV did not.
    assert main(anonymous.get(f"/public/th/{q3.pk}/")) == page_before
    assert anonymous.get(f"/public/th/{q3.pk}/v1/data.csv").content == csv_before

    # A correction is a new, visible version; the first stays as it was.
    with pytest.raises(DomainError):
        publication.publish(q3, by=cast.office)
    second = publication.publish(q3, by=cast.office, note="Sở Tài chính được gia hạn F4")
    assert second.version == 2
    assert rows(anonymous.get(f"/public/th/{q3.pk}/v2/data.csv"))["Sở Tài chính"]["overdue"] == "1"
    assert anonymous.get(f"/public/th/{q3.pk}/v1/data.csv").content == csv_before
    latest = anonymous.get(f"/public/th/{q3.pk}/").content.decode()
    assert "Sở Tài chính được gia hạn F4" in latest
    old = anonymous.get(f"/public/th/{q3.pk}/v1/").content.decode()
    assert "A later version (2) corrects this one." in old
    assert Event.objects.filter(action="publication.published").count() == 2


def test_publications_cannot_be_edited(cast: Cast, q3: ReportingPeriod) -> None:
    done = publication.publish(q3, by=cast.office)
    done.note = "changed"
    with pytest.raises(ImmutableError):
        done.save()
    assert Publication.objects.get(pk=done.pk).note == ""


def test_only_the_office_publishes(cast: Cast, q3: ReportingPeriod) -> None:
    for user in (cast.lead, cast.chairman, cast.foreign_office):
        with pytest.raises(NotAllowed):
            publication.publish(q3, by=user)
    page = Client()
    page.force_login(cast.office)
    assert page.post(f"/dashboard/reports/{q3.pk}/publish/").status_code == 302
    assert q3.publications.count() == 1


def test_the_public_page_reads_a_fixed_number_of_queries(
    cast: Cast, q3: ReportingPeriod, django_assert_max_num_queries: Any
) -> None:
    publication.publish(q3, by=cast.office)
    with django_assert_max_num_queries(4):
        Client().get(f"/public/th/{q3.pk}/v1/")
