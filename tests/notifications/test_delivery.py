"""Delivering the outbox: email end to end through a real SMTP server, retries with back-off,
digests, preferences, claims that hold with a crash or a second worker, the worker command."""

from __future__ import annotations

import datetime as dt
import email
import os
import signal
import socket
from collections.abc import Iterator
from email import policy
from io import StringIO
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from nhiemvu.core import clock
from nhiemvu.notifications import jobs
from nhiemvu.notifications.channels import Channel, LogChannel
from nhiemvu.notifications.enums import EmailMode, EmailStatus
from nhiemvu.notifications.models import Notification, Preference
from tests.conftest import Cast, d

from .conftest import assigned

pytestmark = pytest.mark.django_db
MONDAY_10 = timezone.make_aware(dt.datetime(2025, 4, 21, 10, 0))


def at(moment: dt.datetime) -> Any:
    return clock.frozen(moment)


class Inbox:
    """An aiosmtpd handler that keeps what it receives."""

    def __init__(self) -> None:
        self.envelopes: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.envelopes.append(envelope)
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def smtp(settings: Any) -> Iterator[Inbox]:
    """A real SMTP server on a free local port, and Django's SMTP backend pointed at it."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = False
    settings.DEFAULT_FROM_EMAIL = "nhiemvu@thanhhoa.gov.vn"
    settings.NHIEMVU_SITE_URL = "https://theodoinhiemvu.thanhhoa.gov.vn"
    try:
        yield inbox
    finally:
        controller.stop()


def with_email(cast: Cast) -> None:
    for user, address in ((cast.lead, "lead@stc.vn"), (cast.office, "office@vp.vn")):
        user.email = address
        user.first_name = "Nguyễn Văn An"
        user.save()


def test_an_event_email_reaches_a_real_smtp_server_in_vietnamese(cast: Cast, smtp: Inbox) -> None:
    with_email(cast)
    task = assigned(cast, d("2025-05-15"), d("2025-04-21"), content="Số hóa hồ sơ đất đai")
    with at(MONDAY_10):
        assert jobs.handle_one_due() is True
        assert jobs.handle_one_due() is False

    [envelope] = smtp.envelopes
    assert envelope.mail_from == "nhiemvu@thanhhoa.gov.vn"
    assert envelope.rcpt_tos == ["lead@stc.vn"]
    message = email.message_from_bytes(envelope.original_content, policy=policy.default)
    # Folded as "Subject: \n =?utf-8?b?…": the parsed value starts with the fold's space.
    assert message["Subject"].strip() == "[nhiemvu] Nhiệm vụ mới: Số hóa hồ sơ đất đai"
    assert message["To"] == "lead@stc.vn"
    text = message.get_body(("plain",)).get_content()
    assert "Kính gửi Nguyễn Văn An," in text
    assert (
        "Nhiệm vụ “Số hóa hồ sơ đất đai” đã được giao cho Sở Tài chính (đơn vị chủ trì) và "
        "chuyển theo dõi. Thời hạn: 15/05/2025." in text
    )
    assert f"https://theodoinhiemvu.thanhhoa.gov.vn/tasks/{task.pk}/" in text
    html = message.get_body(("html",)).get_content()
    assert f'href="https://theodoinhiemvu.thanhhoa.gov.vn/tasks/{task.pk}/"' in html
    sent = Notification.objects.get(recipient=cast.lead)
    assert (sent.email_status, sent.email_attempts) == (EmailStatus.SENT, 1)


def test_a_failed_email_is_retried_with_back_off_then_listed_for_administrators(
    cast: Cast, settings: Any
) -> None:
    with_email(cast)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nobody listens
    with at(MONDAY_10):
        assigned(cast, d("2025-05-15"), MONDAY_10)
    note = Notification.objects.get(recipient=cast.lead)
    moment = MONDAY_10
    waits = []
    for attempt in range(1, jobs.MAX_ATTEMPTS + 1):
        with at(moment):
            assert jobs.handle_one_due() is True
            assert jobs.handle_one_due() is False  # not due again yet
        note.refresh_from_db()
        assert note.email_attempts == attempt
        assert "ConnectionRefusedError" in note.email_last_error
        if attempt < jobs.MAX_ATTEMPTS:
            assert note.email_status == EmailStatus.PENDING
            waits.append(note.email_next_attempt_at - moment)
            moment = note.email_next_attempt_at
    assert waits == [dt.timedelta(minutes=m) for m in (1, 4, 16, 64, 256)]
    assert (note.email_status, note.email_next_attempt_at) == (EmailStatus.FAILED, None)

    admin = Client()
    admin.force_login(cast.admin)
    page = admin.get("/notifications/failed/")
    assert "lead@stc.vn" in page.content.decode()
    outsider = Client()
    outsider.force_login(cast.office)
    assert outsider.get("/notifications/failed/").status_code == 404

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with at(moment):
        assert admin.post(f"/notifications/failed/{note.pk}/retry/").status_code == 302
        assert jobs.handle_one_due() is True
    note.refresh_from_db()
    assert note.email_status == EmailStatus.SENT
    assert mail.outbox[0].to == ["lead@stc.vn"]


def test_a_digest_user_gets_one_email_the_next_working_morning(cast: Cast) -> None:
    with_email(cast)
    Preference.objects.create(user=cast.lead, email_mode=EmailMode.DIGEST)
    friday_10 = timezone.make_aware(dt.datetime(2025, 4, 25, 10, 0))
    with at(friday_10):
        for n in range(3):
            assigned(cast, d("2025-05-15"), friday_10, content=f"Nhiệm vụ số {n}")
        assert jobs.send_due() == 0
    # Sat 26/4/2025 is a make-up working day: the digest goes at 07:00 that day.
    saturday_7 = timezone.make_aware(dt.datetime(2025, 4, 26, 7, 0))
    assert {n.email_next_attempt_at for n in Notification.objects.all()} == {saturday_7}
    with at(saturday_7):
        assert jobs.send_due() == 1
    [digest] = mail.outbox
    assert digest.subject == "[nhiemvu] 3 thông báo mới"
    assert digest.to == ["lead@stc.vn"]
    for n in range(3):
        assert f"Nhiệm vụ mới: Nhiệm vụ số {n}" in digest.body
    assert set(Notification.objects.values_list("email_status", flat=True)) == {EmailStatus.SENT}


def test_no_email_for_users_who_turned_it_off_or_have_no_address(cast: Cast) -> None:
    with_email(cast)
    Preference.objects.create(user=cast.lead, email_mode=EmailMode.OFF)
    assigned(cast, d("2025-05-15"), d("2025-04-21"), coordinating_units=[cast.construction])
    with at(MONDAY_10):
        assert jobs.send_due() == 0
    assert mail.outbox == []
    assert set(Notification.objects.values_list("email_status", flat=True)) == {EmailStatus.SKIPPED}


class Crash(BaseException):
    """The worker process dies (not an error a channel reports)."""


class DiesOnce(Channel):
    def __init__(self) -> None:
        self.sent: list[int] = []
        self.died = False

    def send(self, notification: Notification) -> None:
        if not self.died:
            self.died = True
            raise Crash
        self.sent.append(notification.pk)


def test_a_worker_that_dies_mid_send_is_replaced_after_the_lease_and_sends_once(
    cast: Cast,
) -> None:
    with_email(cast)
    with at(MONDAY_10):
        assigned(cast, d("2025-05-15"), MONDAY_10)
    channel = DiesOnce()
    with at(MONDAY_10), pytest.raises(Crash):
        jobs.handle_one_due(channel)
    with at(MONDAY_10 + dt.timedelta(minutes=1)):
        assert jobs.handle_one_due(channel) is False  # still held by the dead worker
    with at(MONDAY_10 + jobs.LEASE):
        assert jobs.send_due(channel) == 1
        assert jobs.send_due(channel) == 0
    assert channel.sent == [Notification.objects.get().pk]


def test_two_workers_never_claim_the_same_email(cast: Cast) -> None:
    with_email(cast)
    with at(MONDAY_10):
        assigned(cast, d("2025-05-15"), MONDAY_10, content="Một")
        assigned(cast, d("2025-05-15"), MONDAY_10, content="Hai")
        first, second = jobs.claim(clock.now()), jobs.claim(clock.now())
        assert jobs.claim(clock.now()) is None
    assert first and second
    assert {first[0].pk, second[0].pk} == set(Notification.objects.values_list("id", flat=True))


def test_old_notifications_are_not_emailed(cast: Cast) -> None:
    with_email(cast)
    with at(MONDAY_10):
        assigned(cast, d("2025-05-15"), MONDAY_10)
    with at(MONDAY_10 + jobs.STALE_AFTER + dt.timedelta(hours=1)):
        jobs.send_due()
    assert mail.outbox == []
    assert Notification.objects.get().email_status == EmailStatus.SKIPPED


def test_the_log_channel_delivers_to_the_log(cast: Cast, caplog: Any) -> None:
    with_email(cast)
    assigned(cast, d("2025-05-15"), d("2025-04-21"), content="Ghi nhật ký")
    with caplog.at_level("INFO", logger="nhiemvu.notifications"), at(MONDAY_10):
        assert jobs.send_due(LogChannel()) == 1
    assert "Nhiệm vụ mới: Ghi nhật ký" in caplog.text
    assert Notification.objects.get().email_status == EmailStatus.SENT


def test_the_worker_command_sweeps_and_sends_once(cast: Cast) -> None:
    with_email(cast)
    assigned(cast, d("2025-04-29"), d("2025-04-01"), content="Báo cáo quý")
    mail.outbox.clear()
    Notification.objects.update(email_status=EmailStatus.SENT)
    with at(timezone.make_aware(dt.datetime(2025, 4, 25, 8, 0))):
        call_command("worker", "--once", stdout=StringIO())
    assert [m.subject for m in mail.outbox] == [
        "[nhiemvu] Còn 3 ngày làm việc đến hạn: Báo cáo quý"
    ]


def test_the_worker_does_not_sweep_before_the_morning_hour(cast: Cast) -> None:
    assigned(cast, d("2025-04-29"), d("2025-04-01"))
    with at(timezone.make_aware(dt.datetime(2025, 4, 25, 6, 59))):
        assert jobs.sweep_due() == 0
    with at(timezone.make_aware(dt.datetime(2025, 4, 25, 7, 0))):
        assert jobs.sweep_due() == 1


class StopsTheWorker(Channel):
    """Delivers, then the operator sends SIGTERM (e.g. `systemctl stop`)."""

    sent: list[int] = []

    def send(self, notification: Notification) -> None:
        StopsTheWorker.sent.append(notification.pk)
        os.kill(os.getpid(), signal.SIGTERM)


def test_sigterm_stops_the_worker_after_the_current_email(cast: Cast, settings: Any) -> None:
    with_email(cast)
    settings.NHIEMVU_EMAIL_CHANNEL = "tests.notifications.test_delivery.StopsTheWorker"
    with at(MONDAY_10):
        assigned(cast, d("2025-05-15"), MONDAY_10, content="Một")
        assigned(cast, d("2025-05-15"), MONDAY_10, content="Hai")
        call_command("worker", "--sleep", "60", stdout=StringIO())  # returns: it stopped
    assert len(StopsTheWorker.sent) == 1
    assert sorted(Notification.objects.values_list("email_status", flat=True)) == [
        EmailStatus.PENDING,
        EmailStatus.SENT,
    ]
