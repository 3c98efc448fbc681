"""The standing cast: an Office specialist, the lead unit's staff and head, a coordinating
unit's staff, an unrelated unit's staff, a division, a leader, an inspector, and another
tenant's Office (who must never see anything of ours)."""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import pytest
from django.contrib.auth.hashers import make_password
from django.test import Client

from nhiemvu.accounts.models import Role, User
from nhiemvu.core import clock
from nhiemvu.core.models import Tenant
from nhiemvu.units.models import Unit, UnitKind


@dataclass
class Cast:
    tenant: Tenant
    root: Unit
    office_unit: Unit
    finance: Unit  # lead unit in most tests (Sở Tài chính)
    construction: Unit  # coordinating unit (Sở Xây dựng)
    health: Unit  # unrelated unit (Sở Y tế)
    commune: Unit
    division: Unit  # a division of finance
    office: User
    office_leader: User
    lead: User
    lead_head: User
    coord: User
    outsider: User
    division_staff: User
    chairman: User
    inspector: User
    admin: User
    foreign_office: User


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix: None) -> None:
    """A PostgreSQL test database of this run's own, so two runs on one server (a developer's
    and CI's, or two terminals) never drop each other's database."""
    from django.db import connections

    for alias in connections:
        settings = connections[alias].settings_dict
        if "postgresql" in settings["ENGINE"]:
            settings.setdefault("TEST", {})
            settings["TEST"]["NAME"] = f"test_{settings['NAME']}_{os.getpid()}"


@pytest.fixture(scope="session", autouse=True)
def catalogues() -> None:
    """Compile every translation catalogue, as `make test` does first (.mo files are not
    committed), so a bare `pytest` sees the Vietnamese interface too."""
    from nhiemvu.core.management.commands.buildmessages import build_messages

    build_messages()


@pytest.fixture(autouse=True)
def fresh_calendar_cache() -> Iterator[None]:
    """Each test starts and ends with no cached tenant calendar: tenant ids come back after
    a rollback, and a calendar cached by an earlier test must not leak into the next."""
    from nhiemvu.workcalendar.calendar import clear_cache

    clear_cache()
    yield
    clear_cache()


@lru_cache
def password_hash() -> str:
    """Hashing is deliberately slow; hash the shared test password once."""
    return make_password("pw-123456")


def make_user(username: str, unit: Unit, *roles: str, **extra: Any) -> User:
    return User.objects.create(
        username=username,
        password=password_hash(),
        tenant=unit.tenant,
        unit=unit,
        roles=list(roles),
        **extra,
    )


@pytest.fixture
def cast(db: Any) -> Cast:
    tenant = Tenant.objects.create(code="th", name="UBND tỉnh Thanh Hóa")
    root = Unit.objects.create(tenant=tenant, name="UBND tỉnh Thanh Hóa", kind=UnitKind.AUTHORITY)

    def unit(name: str, kind: str, short: str = "", parent: Unit = root, **kw: Any) -> Unit:
        return Unit.objects.create(
            tenant=tenant, parent=parent, name=name, short_name=short, kind=kind, **kw
        )

    office_unit = unit("Văn phòng UBND tỉnh", UnitKind.OFFICE, "VP UBND tỉnh")
    finance = unit("Sở Tài chính", UnitKind.DEPARTMENT, "STC", aliases=["Sở Kế hoạch và Đầu tư"])
    construction = unit("Sở Xây dựng", UnitKind.DEPARTMENT, "SXD")
    health = unit("Sở Y tế", UnitKind.DEPARTMENT, "SYT")
    commune = unit("UBND xã Hoằng Hóa", UnitKind.COMMUNE, "xã Hoằng Hóa")
    division = unit("Phòng Ngân sách - Sở Tài chính", UnitKind.DIVISION, "Phòng NS", parent=finance)

    other = Tenant.objects.create(code="nb", name="UBND tỉnh Ninh Bình")
    other_root = Unit.objects.create(
        tenant=other, name="UBND tỉnh Ninh Bình", kind=UnitKind.AUTHORITY
    )
    other_office = Unit.objects.create(
        tenant=other, parent=other_root, name="Văn phòng UBND tỉnh Ninh Bình", kind=UnitKind.OFFICE
    )
    return Cast(
        tenant=tenant,
        root=root,
        office_unit=office_unit,
        finance=finance,
        construction=construction,
        health=health,
        commune=commune,
        division=division,
        office=make_user("office", office_unit, Role.OFFICE_SPECIALIST),
        office_leader=make_user("office_leader", office_unit, Role.OFFICE_LEADER),
        lead=make_user("lead", finance, Role.UNIT_STAFF),
        lead_head=make_user("lead_head", finance, Role.UNIT_HEAD),
        coord=make_user("coord", construction, Role.UNIT_STAFF),
        outsider=make_user("outsider", health, Role.UNIT_STAFF),
        division_staff=make_user("division_staff", division, Role.UNIT_STAFF),
        chairman=make_user("chairman", root, Role.LEADER, title="Chủ tịch UBND tỉnh"),
        inspector=make_user("inspector", office_unit, Role.INSPECTOR),
        admin=make_user("admin", office_unit, Role.ADMINISTRATOR),
        foreign_office=make_user("foreign_office", other_office, Role.OFFICE_SPECIALIST),
    )


class Api:
    """A JSON client for one user (session auth, as the pages use it)."""

    def __init__(self, user: User | None, language: str = "en") -> None:
        self.client = Client(HTTP_ACCEPT_LANGUAGE=language)
        if user is not None:
            user.language = language
            user.save(update_fields=["language"])
            self.client.force_login(user)

    def _call(self, method: str, path: str, body: Any = None, **params: Any) -> Any:
        kwargs: dict[str, Any] = {}
        if body is not None:
            kwargs = {"data": json.dumps(body, default=str), "content_type": "application/json"}
        elif params:
            kwargs = {"data": params}
        response = getattr(self.client, method)(f"/api{path}", **kwargs)
        response.json_body = response.json() if response.content else None
        return response

    def get(self, path: str, **params: Any) -> Any:
        return self._call("get", path, **params)

    def post(self, path: str, body: Any = None) -> Any:
        return self._call("post", path, body if body is not None else {})

    def put(self, path: str, body: Any) -> Any:
        return self._call("put", path, body)


@pytest.fixture
def api() -> Any:
    return Api


@pytest.fixture
def frozen() -> Any:
    """Freeze the domain clock: `with frozen(date(2025, 5, 15)): ...`."""
    return clock.frozen


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)
