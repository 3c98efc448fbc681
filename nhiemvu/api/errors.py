"""Errors as RFC 9457 problem details, with the message in the user's language."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from nhiemvu.core.errors import DomainError

PROBLEM = "application/problem+json"


def problem(
    api: NinjaAPI,
    request: HttpRequest,
    status: int,
    title: str,
    detail: str,
    *,
    code: str,
    errors: list[dict[str, Any]] | None = None,
) -> HttpResponse:
    body: dict[str, Any] = {
        "type": f"https://nhiemvu.dev/problems/{code}",
        "title": title,
        "status": status,
        "detail": detail,
        "instance": request.path,
        "code": code,
    }
    if errors:
        body["errors"] = errors
    response = api.create_response(request, body, status=status)
    response["Content-Type"] = PROBLEM
    return response


def _field_of(loc: list[Any]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "payload", "data", "form")]
    return ".".join(parts)


def install(api: NinjaAPI) -> None:
    @api.exception_handler(DomainError)
    def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
        titles = {
            400: _("Invalid request"),
            403: _("Not allowed"),
            404: _("Not found"),
            409: _("Conflict"),
        }
        errors = [{"field": exc.field, "message": str(exc.message)}] if exc.field else None
        return problem(
            api,
            request,
            exc.status,
            titles.get(exc.status, _("Error")),
            str(exc.message),
            code=exc.code,
            errors=errors,
        )

    @api.exception_handler(ValidationError)
    def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        errors = [
            {"field": _field_of(list(e.get("loc", []))), "message": _translate_pydantic(e)}
            for e in exc.errors
        ]
        first = errors[0] if errors else {"field": "", "message": ""}
        return problem(
            api,
            request,
            422,
            _("Invalid request"),
            _("%(field)s: %(message)s") % first,
            code="validation",
            errors=errors,
        )

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
        return problem(
            api,
            request,
            404,
            _("Not found"),
            _("Not found, or you may not see it."),
            code="not_found",
        )

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: Exception) -> HttpResponse:
        return problem(
            api,
            request,
            401,
            _("Not signed in"),
            _("Sign in or send a valid API token."),
            code="unauthenticated",
        )

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return problem(api, request, exc.status_code, _("Error"), str(exc), code="http")


def _translate_pydantic(error: dict[str, Any]) -> str:
    kind = error.get("type", "")
    if kind == "missing":
        return _("This field is required.")
    if kind.startswith("date") or kind.startswith("datetime"):
        return _("Enter a valid date (YYYY-MM-DD).")
    if kind.startswith("int") or kind.startswith("decimal") or kind.startswith("float"):
        return _("Enter a number.")
    if kind in {"string_too_short"}:
        return _("This field is required.")
    if kind in {"enum", "literal_error"}:
        return _("Choose one of the allowed values.")
    return str(error.get("msg", _("Invalid value.")))
