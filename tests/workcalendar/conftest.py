from __future__ import annotations

from typing import Any

import pytest

from nhiemvu.core.models import Tenant


@pytest.fixture
def tenant(db: Any) -> Tenant:
    return Tenant.objects.create(code="t1", name="T1")


@pytest.fixture
def other_tenant(db: Any) -> Tenant:
    return Tenant.objects.create(code="t2", name="T2")
