"""Shared helpers for the feedback tests: the app's catalogue compiled, a commune officer
added to the standing cast, and a department's task the commune coordinates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from nhiemvu.accounts.models import Role, User
from nhiemvu.core import clock
from nhiemvu.tasks import workflow
from nhiemvu.tasks.models import Task
from nhiemvu.workcalendar.calendar import clear_cache
from tests.conftest import Cast, make_user

APP_LOCALE = Path(__file__).resolve().parents[2] / "nhiemvu" / "feedback" / "locale"


def compile_catalogue() -> None:
    """Compile the app's own catalogue, as `buildmessages` does (the .mo is not committed)."""
    for po_path in APP_LOCALE.glob("*/LC_MESSAGES/django.po"):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file, locale=po_path.parent.parent.name)
        with mo_path.open("wb") as mo_file:
            write_mo(mo_file, catalog, use_fuzzy=False)
        from django.utils.translation import trans_real

        trans_real._translations = {}  # type: ignore[attr-defined]
        trans_real._default = None  # type: ignore[attr-defined]


@pytest.fixture(scope="session", autouse=True)
def app_catalogue() -> None:
    compile_catalogue()


@pytest.fixture(autouse=True)
def fresh_calendar_cache() -> Iterator[None]:
    clear_cache()
    yield
    clear_cache()


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
