"""Who is told about a task, by role on it: one rule for events and for the sweep."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from nhiemvu.accounts.models import User
from nhiemvu.tasks.models import Task

from .outbox import Directory, unique_people

#: The lead unit's staff and the task's responsible official.
STAFF = "staff"
#: The lead unit's head (thủ trưởng).
HEAD = "head"
#: The coordinating units' staff.
COORDINATING = "coordinating"
#: Whoever assigned the task: the Office's specialists, or for a sub-task the assigning
#: unit's staff and head (R20.2).
ASSIGNER = "assigner"
#: Above the assigner: the Office leader, or for a sub-task the assigning unit's head.
ASSIGNER_LEADER = "assigner_leader"


@dataclass(frozen=True)
class TaskRef:
    """The few fields of a task that choosing recipients and writing texts need."""

    id: int
    content: str
    unit: str
    lead_unit_id: int
    responsible_id: int | None
    parent_id: int | None
    assigning_unit_id: int
    deadline: dt.date | None

    #: The `values()` a sweep query selects to build a TaskRef.
    FIELDS = (
        "id",
        "content",
        "lead_unit__name",
        "lead_unit_id",
        "responsible_id",
        "parent_id",
        "assigning_unit_id",
        "deadline",
    )

    @classmethod
    def of(cls, task: Task) -> TaskRef:
        return cls(
            task.pk,
            task.content,
            task.lead_unit.name,
            task.lead_unit_id,
            task.responsible_id,
            task.parent_id,
            task.assigning_unit_id,
            task.deadline,
        )

    @classmethod
    def from_values(cls, row: dict[str, Any], prefix: str = "") -> TaskRef:
        return cls(*(row[prefix + name] for name in cls.FIELDS))


def people_for(
    task: TaskRef, audience: Iterable[str], directory: Directory, *, exclude: int | None = None
) -> list[User]:
    """The users `audience` names on `task`, once each, without `exclude`."""
    wanted = set(audience)
    groups: list[Iterable[User | None]] = []
    if STAFF in wanted:
        groups += [directory.staff[task.lead_unit_id], [directory.person(task.responsible_id)]]
    if HEAD in wanted:
        groups.append(directory.heads[task.lead_unit_id])
    top_level = task.parent_id is None
    if ASSIGNER in wanted:
        if top_level:
            groups.append(directory.office)
        else:
            groups += [
                directory.staff[task.assigning_unit_id],
                directory.heads[task.assigning_unit_id],
            ]
    if ASSIGNER_LEADER in wanted:
        groups.append(
            directory.office_leaders if top_level else directory.heads[task.assigning_unit_id]
        )
    if COORDINATING in wanted:
        raise ValueError("coordinating units are listed by the caller")
    return unique_people(*groups, exclude=exclude)
