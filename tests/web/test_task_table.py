"""The task table every list shows, as a user of the unit workspace reads it."""

from __future__ import annotations

import re
from typing import Any

from django.test import Client

from nhiemvu.core import clock
from nhiemvu.tasks import workflow
from tests.conftest import Cast, d


def rows(html: str) -> list[str]:
    body = html[html.index("<tbody>") : html.index("</tbody>")]
    return [re.sub(r"\s+", " ", row) for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)]


def test_the_workspace_rows_show_each_task_escaped_shortened_and_in_words(
    cast: Cast, frozen: Any
) -> None:
    with frozen(d("2025-03-03")):
        long = workflow.create_task(
            workflow.TaskInput(
                content="<b>Rà soát</b> " + "thủ tục hành chính " * 20,
                lead_unit=cast.finance,
                coordinating_units=[cast.construction, cast.health],
                deadline=d("2025-03-05"),
            ),
            by=cast.office,
        )
        workflow.assign(long, by=cast.office)
        cycle = workflow.create_task(
            workflow.TaskInput(
                content="Báo cáo định kỳ", lead_unit=cast.finance, reporting_cycle="quarterly"
            ),
            by=cast.office,
        )
        workflow.assign(cycle, by=cast.office)
    client = Client(HTTP_ACCEPT_LANGUAGE="vi")
    client.force_login(cast.lead)
    with clock.frozen(d("2025-03-04")):
        html = client.get("/tasks/workspace/").content.decode()
    due_soon, cycle_row = rows(html[html.index('id="st-due_soon"') :])[0], None
    assert "&lt;b&gt;Rà soát&lt;/b&gt;" in due_soon  # the text is shown, never run as markup
    shown = re.search(r'<a href="/tasks/\d+/">(.*?)</a>', due_soon)
    assert (
        shown is not None and len(shown.group(1).replace("&lt;", "<").replace("&gt;", ">")) == 160
    )
    assert shown.group(1).endswith("…")
    assert "phối hợp: SXD, SYT" in due_soon
    assert 'data-label="Thời hạn">05/03/2025<' in due_soon
    assert '<span class="badge st-due_soon">Sắp đến hạn</span>' in due_soon
    for section in html.split("<section")[1:]:
        if "Báo cáo định kỳ" in section:
            cycle_row = rows(section)[0]
    assert cycle_row is not None and "<small>Hằng quý</small>" in cycle_row
    empty = rows(html[html.index("Nhiệm vụ đơn vị phối hợp thực hiện") :])
    assert empty == ['<td colspan="4" class="muted">Không có nhiệm vụ nào.</td>']
