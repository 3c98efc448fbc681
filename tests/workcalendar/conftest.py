from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from nhiemvu.core.models import Tenant
from nhiemvu.workcalendar.calendar import clear_cache


@pytest.fixture(autouse=True)
def fresh_calendar_cache() -> Iterator[None]:
    """Each test starts and ends with no cached calendar, whatever ran before."""
    clear_cache()
    yield
    clear_cache()


@pytest.fixture
def tenant(db: Any) -> Tenant:
    return Tenant.objects.create(code="t1", name="T1")


@pytest.fixture
def other_tenant(db: Any) -> Tenant:
    return Tenant.objects.create(code="t2", name="T2")
