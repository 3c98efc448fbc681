"""Delivery channels. A channel takes a notification (or a user's digest) and delivers it, or
raises: the worker records the failure and tries again later.

`EmailChannel` sends over Django's configured email backend (SMTP in production).
`LogChannel` only writes to the log; it is the model for an SMS or Zalo OA gateway: subclass
`Channel`, implement `send`, and point `NHIEMVU_EMAIL_CHANNEL` at it (or add a column set like
`email_*` for a second channel that runs beside email).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.module_loading import import_string

if TYPE_CHECKING:
    from nhiemvu.accounts.models import User

    from .models import Notification

log = logging.getLogger("nhiemvu.notifications")


def site_url() -> str:
    """The address links in emails start with (no trailing slash)."""
    return str(getattr(settings, "NHIEMVU_SITE_URL", "http://127.0.0.1:8000")).rstrip("/")


def render_email(name: str, context: dict[str, Any], language: str) -> tuple[str, str, str]:
    """(subject, text, HTML) of email template `name`, in `language`.

    The templates are `notifications/email/<name>_subject.txt`, `<name>.txt`, `<name>.html`.
    """
    context = {"site_url": site_url(), **context}
    with translation.override(language or "vi"):
        subject = render_to_string(f"notifications/email/{name}_subject.txt", context)
        text = render_to_string(f"notifications/email/{name}.txt", context)
        html = render_to_string(f"notifications/email/{name}.html", context)
    return " ".join(subject.split()), text, html


class Channel:
    """A way to deliver notifications. `send` returns or raises; it never swallows errors."""

    name = "channel"

    def send(self, notification: Notification) -> None:
        raise NotImplementedError

    def send_digest(self, recipient: User, notifications: Sequence[Notification]) -> None:
        """Deliver several notifications together; by default one by one."""
        for notification in notifications:
            self.send(notification)


class EmailChannel(Channel):
    """One email per notification, or one digest per user, through Django's mail backend."""

    name = "email"

    def __init__(self, connection: Any = None) -> None:
        self.connection = connection

    def _send(self, to: str, subject: str, text: str, html: str) -> None:
        message = EmailMultiAlternatives(
            subject=subject,
            body=text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[to],
            connection=self.connection or get_connection(fail_silently=False),
        )
        message.attach_alternative(html, "text/html")
        message.send(fail_silently=False)

    def send(self, notification: Notification) -> None:
        recipient = notification.recipient
        subject, text, html = render_email(
            "notification",
            {"notification": notification, "recipient": recipient},
            notification.language,
        )
        self._send(recipient.email, subject, text, html)

    def send_digest(self, recipient: User, notifications: Sequence[Notification]) -> None:
        language = notifications[0].language if notifications else recipient.language
        subject, text, html = render_email(
            "digest",
            {"notifications": notifications, "recipient": recipient, "count": len(notifications)},
            language,
        )
        self._send(recipient.email, subject, text, html)


class LogChannel(Channel):
    """Writes each notification to the log and delivers nothing (development, or the
    skeleton of an SMS / Zalo OA gateway)."""

    name = "log"

    def send(self, notification: Notification) -> None:
        log.info(
            "notification %s to %s (%s): %s",
            notification.pk,
            notification.recipient_id,
            notification.rule,
            notification.subject,
        )


def email_channel() -> Channel:
    """The channel that works the `email_*` outbox columns (setting NHIEMVU_EMAIL_CHANNEL)."""
    path = getattr(settings, "NHIEMVU_EMAIL_CHANNEL", "nhiemvu.notifications.channels.EmailChannel")
    channel: Channel = import_string(path)()
    return channel
