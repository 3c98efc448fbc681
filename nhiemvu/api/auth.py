"""Session auth for the pages, bearer tokens for integrations."""

from __future__ import annotations

from typing import Any, cast

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils import translation
from ninja.security import APIKeyHeader, HttpBearer, django_auth

from nhiemvu.accounts.models import ApiToken, User


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = ApiToken.authenticate(token)
        if user is None:
            return None
        request.user = user
        if "HTTP_ACCEPT_LANGUAGE" not in request.META:
            translation.activate(user.language)
        return user


class TokenHeaderAuth(APIKeyHeader):
    """`X-API-Key: nv_...` for systems that cannot send a bearer header."""

    param_name = "X-API-Key"

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        if not key:
            return None
        return TokenAuth().authenticate(request, key)


# Tokens first: a request that carries one is an integration, and must not be held to the
# CSRF check that session (cookie) authentication needs.
AUTH = [TokenAuth(), TokenHeaderAuth(), django_auth]


def actor(request: HttpRequest) -> User:
    """The signed-in user; every endpoint is behind AUTH, so never anonymous here."""
    return cast(User, request.user)


def tenant_of(request: HttpRequest) -> int:
    """The tenant every query of this request is scoped to."""
    tenant_id = actor(request).tenant_id
    if tenant_id is None:
        raise PermissionDenied
    return tenant_id
