"""The text search stays right as tasks change (its SQLite full-text table is kept by
triggers), and a unit's own list shows what the unit may see and nothing more."""

from __future__ import annotations

from typing import Any

from nhiemvu.core import clock
from nhiemvu.tasks import workflow
from nhiemvu.tasks.models import Task
from nhiemvu.tasks.queries import TaskFilter, search, tasks_for
from tests.conftest import Cast, d


def draft(cast: Cast, content: str, lead: Any, by: Any = None, parent: Task | None = None) -> Task:
    with clock.frozen(d("2025-03-03")):
        return workflow.create_task(
            workflow.TaskInput(content=content, lead_unit=lead, deadline=d("2025-06-30")),
            by=by or cast.office,
            parent=parent,
        )


def found(text: str) -> set[int]:
    return set(search(Task.objects.all(), text).values_list("pk", flat=True))


def test_search_follows_new_edited_and_deleted_tasks(cast: Cast) -> None:
    task = draft(cast, "Rà soát thủ tục hành chính về đất đai", cast.finance)
    other = draft(cast, "Kiểm tra cơ sở khám chữa bệnh", cast.health)
    assert found("thu tuc hanh chinh") == {task.pk}
    assert found("DAT DAI") == {task.pk}
    assert found("tai chinh") == {task.pk}  # the lead unit's name is searched too
    assert found("ra soat") == {task.pk}  # a word shorter than three letters still counts
    assert found("kham benh") == {other.pk}  # every word, anywhere, not as a phrase
    assert found("kham dat") == set()

    with clock.frozen(d("2025-03-03")):
        workflow.edit_task(
            task,
            workflow.TaskInput(
                content="Số hóa hồ sơ lưu trữ", lead_unit=cast.finance, deadline=d("2025-06-30")
            ),
            by=cast.office,
        )
    assert found("thu tuc") == set()
    assert found("so hoa ho so") == {task.pk}

    other.delete()
    assert found("kham chua") == set()
    assert found("kham") == set()


def test_a_units_list_of_its_division_shows_drafts_only_of_its_own_making(cast: Cast) -> None:
    parent = draft(cast, "Lập dự toán ngân sách năm 2026", cast.finance)
    with clock.frozen(d("2025-03-03")):
        workflow.assign(parent, by=cast.office)
    sub = draft(cast, "Tổng hợp số liệu dự toán", cast.division, by=cast.lead, parent=parent)
    office_draft = draft(cast, "Dự thảo chưa giao", cast.finance)
    today = d("2025-03-10")

    def listed(user: Any, **f: Any) -> set[int]:
        return set(tasks_for(user, TaskFilter(**f), today).values_list("pk", flat=True))

    # Finance sees its division's draft sub-task (it made it), not the Office's draft.
    assert listed(cast.lead, unit_id=cast.division.pk) == {sub.pk}
    assert listed(cast.lead, unit_id=cast.finance.pk) == {parent.pk}
    assert listed(cast.lead, unit_id=cast.finance.pk, include_subunits=True) == {parent.pk, sub.pk}
    assert listed(cast.lead, unit_id=cast.finance.pk, open=True) == {parent.pk}
    # Another unit's list, asked for by an outsider: only what the outsider may see (nothing).
    assert listed(cast.outsider, unit_id=cast.finance.pk) == set()
    # The Office sees everything, its own draft included.
    assert listed(cast.office, unit_id=cast.finance.pk) == {parent.pk, office_draft.pk}
