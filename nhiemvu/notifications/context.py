"""Template context: the signed-in user's unread notification count, for the header."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from .models import Notification


def unread_count(request: HttpRequest) -> dict[str, Any]:
    """`unread_notifications`: one indexed COUNT, and only for signed-in users."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_notifications": 0}
    count = Notification.objects.filter(recipient_id=user.pk, read_at__isnull=True).count()
    return {"unread_notifications": count}
