"""Access helpers the pages share: who is asking, and which tenant every query is scoped to."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

if TYPE_CHECKING:
    from nhiemvu.accounts.models import User


def me(request: HttpRequest) -> User:
    """The signed-in user (views that call this are behind login_required)."""
    return cast("User", request.user)


def tenant_id(user: User) -> int:
    """The user's tenant; an account without one (a bare superuser) sees no tenant's data."""
    if user.tenant_id is None:
        raise PermissionDenied
    return user.tenant_id
