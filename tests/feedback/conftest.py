"""Shared helpers for the feedback tests: the app's catalogue compiled, a commune officer
added to the standing cast, and a department's task the commune coordinates."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from nhiemvu.accounts.models import Role, User
from nhiemvu.core import clock
from nhiemvu.tasks import workflow
from nhiemvu.tasks.models import Task
from tests.conftest import Cast, make_user


@pytest.fixture
def commune(cast: Cast) -> User:
    """An officer of UBND xã Hoằng Hóa (the commune of the cast)."""
    return make_user("commune", cast.commune, Role.UNIT_STAFF, email="xa@hoanghoa.vn")


@pytest.fixture
def commune_head(cast: Cast) -> User:
    return make_user("commune_head", cast.commune, Role.UNIT_HEAD)


def department_task(
    cast: Cast,
    *,
    deadline: dt.date | None,
    on: dt.date,
    content: str = "Hướng dẫn các xã quyết toán ngân sách năm 2025",
    **kw: Any,
) -> Task:
    """A task of Sở Tài chính that Sở Xây dựng and the commune coordinate, assigned on `on`."""
    with clock.frozen(on):
        task = workflow.create_task(
            workflow.TaskInput(
                content=content,
                lead_unit=kw.pop("lead_unit", cast.finance),
                coordinating_units=kw.pop("coordinating", [cast.construction, cast.commune]),
                deadline=deadline,
                reporting_cycle="" if deadline else "quarterly",
                **kw,
            ),
            by=cast.office,
        )
        return workflow.assign(task, by=cast.office)
