"""Recording history events (R7). Every domain function calls `record` in its transaction."""

from __future__ import annotations

import datetime as dt
import decimal
from typing import Any

from django.db import models

from .models import Event


def plain(value: Any) -> Any:
    """A JSON-safe form of a field value for the history record."""
    if isinstance(value, models.Model):
        return {"id": value.pk, "label": str(value)}
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, list | tuple | set):
        return [plain(v) for v in value]
    return value


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """{field: [before, after]} for the fields whose value changed."""
    return {
        key: [plain(before.get(key)), plain(after.get(key))]
        for key in after
        if plain(before.get(key)) != plain(after.get(key))
    }


def record(
    obj: models.Model,
    action: str,
    *,
    actor: Any,
    changes: dict[str, list[Any]] | None = None,
    **detail: Any,
) -> Event:
    """Write one immutable event about `obj` (a Task or Document)."""
    payload = {key: plain(value) for key, value in detail.items() if value not in (None, "")}
    if changes:
        payload["changes"] = changes
    return Event.objects.create(
        tenant_id=obj.tenant_id,  # type: ignore[attr-defined]
        object_type=obj._meta.model_name or "",
        object_id=obj.pk,
        action=action,
        actor=actor if getattr(actor, "pk", None) else None,
        detail=payload,
    )


def timeline(obj: models.Model) -> models.QuerySet[Event]:
    return Event.objects.filter(object_type=obj._meta.model_name, object_id=obj.pk).select_related(
        "actor"
    )
