"""The demo data, as someone trying the system sees it: the Thanh Hóa registry, a login for
every role, and tasks in every state and time status on the day it is loaded."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command

from nhiemvu.accounts.models import Role, User
from nhiemvu.core import clock, demo
from nhiemvu.core.models import Event, Tenant
from nhiemvu.documents.models import Document
from nhiemvu.tasks.enums import RequestStatus, TaskState, TimeStatus
from nhiemvu.tasks.models import ExtensionRequest, Task
from nhiemvu.tasks.queries import time_status_q
from nhiemvu.units.models import Unit, UnitKind
from nhiemvu.units.queries import find_unit

# A Wednesday, a working day, well after the 1/7/2025 commune merger.
NOW = dt.datetime(2026, 3, 18, 10, 0)
TODAY = NOW.date()
DOCUMENTS = "6"


def run_demo(*args: str) -> str:
    out = StringIO()
    with clock.frozen(NOW):
        call_command("demo", *args, stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {
        "tenants": Tenant.objects.filter(code=demo.TENANT_CODE).count(),
        "units": Unit.objects.count(),
        "users": User.objects.count(),
        "documents": Document.objects.count(),
        "tasks": Task.objects.count(),
        "events": Event.objects.count(),
    }


def fingerprint() -> list[tuple[Any, ...]]:
    return list(
        Task.objects.order_by("id").values_list(
            "content",
            "lead_unit__name",
            "state",
            "deadline",
            "final_time_status",
            "document__number",
        )
    )


def check_registry(tenant: Tenant, output: str) -> None:
    """All 166 communes and wards after the 1/7/2025 merger, with their codes; departments
    found by their old names."""
    units = Unit.objects.filter(tenant=tenant)
    communes = units.filter(kind=UnitKind.COMMUNE)
    assert communes.count() == 166
    assert communes.filter(name__startswith="UBND phường").count() == 19
    assert communes.filter(name__startswith="UBND xã").count() == 147
    assert all(
        len(code) == 5 and code.isdigit() for code in communes.values_list("admin_code", flat=True)
    )
    assert units.filter(kind=UnitKind.OFFICE).get().name == "Văn phòng UBND tỉnh"
    assert units.filter(kind=UnitKind.DEPARTMENT).count() >= 12
    # Old names of merged departments find the new department, with or without accents.
    assert find_unit(tenant.pk, "Sở Kế hoạch và Đầu tư").name == "Sở Tài chính"  # type: ignore[union-attr]
    assert find_unit(tenant.pk, "so tn&mt").name == "Sở Nông nghiệp và Môi trường"  # type: ignore[union-attr]
    assert find_unit(tenant.pk, "Sở GTVT").name == "Sở Xây dựng"  # type: ignore[union-attr]
    assert "166 communes and wards" in output


def check_logins(tenant: Tenant) -> None:
    """The documented logins work, with the documented roles (README: "Demo users").

    Password hashing is slow on purpose, so one login is checked for real and every other
    demo user is shown to hold the very same password hash."""
    user = authenticate(username="vanphong", password=demo.DEMO_PASSWORD)
    assert user is not None and Role.OFFICE_SPECIALIST in user.roles
    users = User.objects.filter(tenant=tenant)
    assert set(users.values_list("password", flat=True)) == {user.password}
    assert all(users.values_list("is_active", flat=True))
    expected = {
        "chanhvanphong": Role.OFFICE_LEADER,
        "chutich": Role.LEADER,
        "phochutich1": Role.LEADER,
        "phochutich4": Role.LEADER,
        "kiemtra": Role.INSPECTOR,
        "admin": Role.ADMINISTRATOR,
        "sotaichinh.canbo": Role.UNIT_STAFF,
        "sotaichinh.thutruong": Role.UNIT_HEAD,
        "xahoanghoa.thutruong": Role.UNIT_HEAD,
    }
    for username, role in expected.items():
        assert role in users.get(username=username).roles, username
    assert users.get(username="sotaichinh.canbo").unit.name == "Sở Tài chính"  # type: ignore[union-attr]
    assert users.get(username="xahoanghoa.thutruong").unit.name == "UBND xã Hoằng Hóa"  # type: ignore[union-attr]
    assert users.filter(unit__kind=UnitKind.AUTHORITY).count() == 5
    # Every unit, down to the divisions, has someone to log in as.
    assert (
        not Unit.objects.filter(tenant=tenant, members__isnull=True)
        .exclude(kind=UnitKind.AUTHORITY)
        .exists()
    )


def check_tasks(tenant: Tenant) -> None:
    """Tasks in every state, and in every time status on the day of loading."""
    tasks = Task.objects.filter(tenant=tenant)
    for state in TaskState:
        assert tasks.filter(state=state).exists(), state
    for status in TimeStatus:
        assert tasks.filter(time_status_q(status, TODAY)).exists(), status
    assert ExtensionRequest.objects.filter(
        task__tenant=tenant, status=RequestStatus.PENDING
    ).exists()
    assert ExtensionRequest.objects.filter(
        task__tenant=tenant, status=RequestStatus.APPROVED
    ).exists()
    assert tasks.filter(returned_after_deadline=True, state=TaskState.ASSIGNED).exists()
    assert tasks.filter(deadline__isnull=True).exclude(reporting_cycle="").exists()
    assert tasks.filter(parent__isnull=False, lead_unit__kind=UnitKind.DIVISION).exists()
    assert tasks.filter(lead_unit__kind=UnitKind.COMMUNE).exists()
    drafts = tasks.filter(state=TaskState.DRAFT)
    assert set(drafts.values_list("document__issued_on", flat=True)) == {TODAY}
    # Every task went through the workflow, so each has its history.
    assert Event.objects.filter(tenant=tenant, action="task.created").count() == tasks.count()


@pytest.mark.django_db
def test_demo_loads_a_usable_tenant_deterministically_and_only_once() -> None:
    output = run_demo("--reset", "--documents", DOCUMENTS)
    tenant = Tenant.objects.get(code=demo.TENANT_CODE)
    check_registry(tenant, output)
    check_logins(tenant)
    check_tasks(tenant)

    # Loading again with --if-empty (as `nhiemvu run` does) changes nothing; without it the
    # command refuses; --reset on the same day rebuilds the very same data.
    before, first = counts(), fingerprint()
    assert before["tenants"] == 1

    assert run_demo("--if-empty") == ""
    assert counts() == before

    assert "use --reset" in run_demo()
    assert counts() == before

    run_demo("--reset", "--documents", DOCUMENTS)
    assert counts() == before
    assert fingerprint() == first
