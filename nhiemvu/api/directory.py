"""Units, users, fields and the signed-in user."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from nhiemvu.accounts.models import Role, User
from nhiemvu.api.auth import actor, tenant_of
from nhiemvu.core.errors import Conflict, DomainError, NotAllowed
from nhiemvu.core.text import fold
from nhiemvu.tasks.models import Field
from nhiemvu.units.models import Unit, UnitKind

from . import schemas as s
from .serialize import unit_out, user_out
from .tasks import page

router = Router(tags=["directory"])


@router.get("/me", response=s.UserOut, summary="The signed-in user")
def me(request: HttpRequest) -> dict[str, Any]:
    return user_out(actor(request))


@router.get("/units", response=s.UnitPage, summary="Units of the tenant")
def list_units(
    request: HttpRequest,
    q: str = "",
    kind: str = "",
    parent_id: int | None = None,
    active: bool | None = None,
    page_number: int = 1,
    page_size: int = 50,
) -> dict[str, Any]:
    """Accent-free search over names, short names and aliases ("so tai chinh")."""
    qs = Unit.objects.filter(tenant_id=tenant_of(request))
    if kind:
        if kind not in UnitKind.values:
            raise DomainError(_("Unknown unit kind."), field="kind")
        qs = qs.filter(kind=kind)
    if parent_id is not None:
        qs = qs.filter(parent_id=parent_id)
    if active is not None:
        qs = qs.filter(is_active=active)
    for word in fold(q).split():
        qs = qs.filter(search_text__contains=word)
    count, rows, number, size = page(qs.order_by("kind", "name"), page_number, page_size)
    return {
        "count": count,
        "page": number,
        "page_size": size,
        "results": [unit_out(u) for u in rows],
    }


@router.get("/units/{unit_id}", response=s.UnitOut)
def get_unit(request: HttpRequest, unit_id: int) -> dict[str, Any]:
    unit = Unit.objects.filter(pk=unit_id, tenant_id=tenant_of(request)).first()
    if unit is None:
        raise Http404
    return unit_out(unit)


@router.get("/fields", response=list[s.Ref], summary="Fields (sectors)")
def list_fields(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {"id": f.pk, "name": f.name} for f in Field.objects.filter(tenant_id=tenant_of(request))
    ]


class UserFilters(Schema):
    unit_id: int | None = None
    role: str = ""


@router.get("/users", response=list[s.UserOut], summary="Users of the tenant")
def list_users(
    request: HttpRequest, unit_id: int | None = None, role: str = ""
) -> list[dict[str, Any]]:
    """Everyone in the tenant sees names, units and roles (to pick a responsible official)."""
    qs = User.objects.filter(tenant_id=tenant_of(request), is_active=True).select_related("unit")
    if unit_id is not None:
        qs = qs.filter(unit_id=unit_id)
    rows = [u for u in qs.order_by("username") if not role or role in u.roles]
    return [user_out(u) for u in rows]


@router.post("/users", response={201: s.UserOut}, summary="Create a user (administrators)")
def create_user(request: HttpRequest, data: s.UserIn) -> Status[dict[str, Any]]:
    admin = actor(request)
    if not admin.has_role(Role.ADMINISTRATOR):
        raise NotAllowed(_("Only administrators manage users."))
    unit = Unit.objects.filter(pk=data.unit_id, tenant_id=tenant_of(request)).first()
    if unit is None:
        raise DomainError(_("Unknown unit."), field="unit_id")
    bad = set(data.roles) - set(Role.values)
    if bad or not data.roles:
        raise DomainError(_("Choose one or more valid roles."), field="roles")
    with transaction.atomic():
        if User.objects.filter(username=data.username).exists():
            raise Conflict(_("This username is taken."), field="username")
        first, _sep, last = data.full_name.strip().rpartition(" ")
        user = User.objects.create_user(
            username=data.username,
            password=data.password,
            email=data.email,
            first_name=first,
            last_name=last,
            tenant_id=admin.tenant_id,
            unit=unit,
            roles=data.roles,
            title=data.title,
            language=data.language,
        )
    return Status(201, user_out(user))
