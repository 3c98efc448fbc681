"""Writing notifications: who is concerned (`Directory`), and `write`, the one function that
turns drafts into rows, each in its recipient's language and scheduled for email by the
recipient's preference. Event notifications and the sweep both go through `write`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import connection, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation

from nhiemvu.accounts.models import Role, User
from nhiemvu.core import clock
from nhiemvu.workcalendar.calendar import calendar_for

from .enums import EmailMode, EmailStatus
from .models import Notification, Preference, RuleSettings
from .texts import compose

if TYPE_CHECKING:
    from nhiemvu.core.models import Tenant

#: Rows per INSERT.
BATCH = 1000


class Directory:
    """The active users of a tenant who can be told things, by unit and by role."""

    def __init__(self, users: Iterable[User]) -> None:
        self.staff: dict[int, list[User]] = defaultdict(list)
        self.heads: dict[int, list[User]] = defaultdict(list)
        self.office: list[User] = []
        self.office_leaders: list[User] = []
        self.by_id: dict[int, User] = {}
        for user in users:
            self.by_id[user.pk] = user
            if user.unit_id is not None:
                if Role.UNIT_STAFF in user.roles:
                    self.staff[user.unit_id].append(user)
                if Role.UNIT_HEAD in user.roles:
                    self.heads[user.unit_id].append(user)
            if Role.OFFICE_SPECIALIST in user.roles:
                self.office.append(user)
            if Role.OFFICE_LEADER in user.roles:
                self.office_leaders.append(user)

    @classmethod
    def load(cls, tenant_id: int, unit_ids: Iterable[int | None] | None = None) -> Directory:
        """Everyone in the tenant, or only the members of `unit_ids` and the Office."""
        qs = User.objects.filter(tenant_id=tenant_id, is_active=True).only(
            "id", "unit_id", "roles", "language", "email", "tenant_id", "username"
        )
        if unit_ids is not None:
            # roles is a JSON list; its text holds '"office_…"' (SQLite and PostgreSQL alike).
            qs = qs.filter(
                Q(unit_id__in=[u for u in unit_ids if u is not None])
                | Q(roles__icontains=f'"{Role.OFFICE_SPECIALIST}"')
                | Q(roles__icontains=f'"{Role.OFFICE_LEADER}"')
            )
        return cls(qs.order_by("id"))

    def person(self, user_id: int | None) -> User | None:
        return self.by_id.get(user_id) if user_id is not None else None


@dataclass
class Draft:
    """A notification to be written. Drafts that share one `context` dict share one text."""

    recipient: User
    rule: str
    occurrence: str
    context: dict[str, Any]
    task_id: int | None = None
    document_id: int | None = None
    letter_id: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def object_key(self) -> str:
        if self.task_id is not None:
            return f"task:{self.task_id}"
        if self.document_id is not None:
            return f"document:{self.document_id}"
        return f"letter:{self.letter_id}"

    @property
    def link(self) -> str:
        if self.task_id is not None:
            return link_to("tasks:detail", self.task_id)
        if self.document_id is not None:
            return link_to("documents:detail", self.document_id)
        return link_to("notifications:letter", self.letter_id)


_MARK = 987654321
_link_templates: dict[str, tuple[str, str]] = {}


def link_to(view: str, pk: int | None) -> str:
    """reverse(view, args=[pk]), with the URL resolved once per view: the sweep makes links
    by the hundred thousand."""
    template = _link_templates.get(view)
    if template is None:
        before, _mark, after = reverse(view, args=[_MARK]).partition(str(_MARK))
        template = _link_templates[view] = (before, after)
    return f"{template[0]}{pk}{template[1]}"


def unique_people(*groups: Iterable[User | None], exclude: int | None = None) -> list[User]:
    """The users of all groups once each, in order, without `exclude` (the actor)."""
    seen: set[int] = set()
    found = []
    for group in groups:
        for user in group:
            if user is None or user.pk in seen or user.pk == exclude:
                continue
            seen.add(user.pk)
            found.append(user)
    return found


def next_digest_at(tenant: Tenant, now: dt.datetime, hour: int) -> dt.datetime:
    """The next digest moment: `hour` o'clock on this or the next working day."""
    calendar = calendar_for(tenant)
    local = timezone.localtime(now)
    day = local.date()
    moment = timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))
    if calendar.is_working_day(day) and local < moment:
        return moment
    day = calendar.next_working_day(day + dt.timedelta(days=1))
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def email_modes(user_ids: Iterable[int]) -> dict[int, str]:
    return dict(
        Preference.objects.filter(user_id__in=set(user_ids)).values_list("user_id", "email_mode")
    )


def write(tenant: Tenant, drafts: Sequence[Draft], *, now: dt.datetime | None = None) -> int:
    """Write the drafts as notifications; those already written are left alone.

    1. Look up each recipient's email preference (one query).
    2. Compose each text once per shared context and language, under that language.
    3. Schedule email: now, at the next digest moment, or not at all (no address, or the
       user wants none).
    4. Insert in batches, ignoring rows the unique constraint already holds (a rerun, or
       another worker that got there first). Returns the number of drafts written.
    """
    if not drafts:
        return 0
    now = now or clock.now()
    modes = email_modes(d.recipient.pk for d in drafts)
    digest_at: dt.datetime | None = None
    texts: dict[tuple[int, str, str], tuple[str, str]] = {}
    links: dict[str, str] = {}
    rows = []
    by_language: dict[str, list[Draft]] = defaultdict(list)
    for draft in drafts:
        by_language[draft.recipient.language or "vi"].append(draft)
    for language, group in by_language.items():
        with translation.override(language):
            for draft in group:
                key = (id(draft.context), draft.rule, language)
                text = texts.get(key)
                if text is None:
                    text = texts[key] = compose(draft.rule, draft.context)
                object_key = draft.object_key
                link = links.get(object_key)
                if link is None:
                    link = links[object_key] = draft.link
                mode = modes.get(draft.recipient.pk, EmailMode.EACH)
                status = EmailStatus.PENDING
                next_at: dt.datetime | None = now
                if not draft.recipient.email or mode == EmailMode.OFF:
                    status, next_at = EmailStatus.SKIPPED, None
                elif mode == EmailMode.DIGEST:
                    if digest_at is None:
                        hour = RuleSettings.for_tenant(tenant).morning_hour
                        digest_at = next_digest_at(tenant, now, hour)
                    next_at = digest_at
                rows.append(
                    (
                        tenant.pk,
                        draft.recipient.pk,
                        draft.rule,
                        object_key,
                        draft.occurrence,
                        draft.task_id,
                        draft.document_id,
                        draft.letter_id,
                        language,
                        text[0],
                        text[1],
                        link,
                        now,
                        status.value,
                        next_at,
                    )
                )
    return insert(rows)


#: The columns `write` fills, in the order of its row tuples (the rest keep their defaults).
COLUMNS = (
    "tenant_id",
    "recipient_id",
    "rule",
    "object_key",
    "occurrence",
    "task_id",
    "document_id",
    "letter_id",
    "language",
    "subject",
    "body",
    "link",
    "created_at",
    "email_status",
    "email_next_attempt_at",
)
#: From this many rows on, PostgreSQL gets them by COPY rather than INSERT.
COPY_FROM = 500
#: The other columns of a new row, as values and as SQL literals.
_DEFAULTS = {
    "read_at": None,
    "email_attempts": 0,
    "email_sent_at": None,
    "email_last_error": "",
    "email_claim": "",
}
_DEFAULTS_SQL = "NULL, 0, NULL, '', ''"


def insert(rows: Sequence[tuple[Any, ...]]) -> int:
    """Insert notification rows, skipping those the unique constraint already holds.

    Returns how many were new on PostgreSQL, how many were offered elsewhere. A sweep's
    large batches go to PostgreSQL by COPY into a temporary table and one
    INSERT … SELECT … ON CONFLICT DO NOTHING: several times faster than building and
    sending INSERT statements for a hundred thousand rows.
    """
    if not rows:
        return 0
    if connection.vendor == "postgresql" and len(rows) >= COPY_FROM:
        return _copy(rows)
    Notification.objects.bulk_create(
        [Notification(**dict(zip(COLUMNS, row, strict=True)), **_DEFAULTS) for row in rows],
        batch_size=BATCH,
        ignore_conflicts=True,
    )
    return len(rows)


def _copy(rows: Sequence[tuple[Any, ...]]) -> int:
    table = connection.ops.quote_name(Notification._meta.db_table)
    columns = ", ".join(COLUMNS)
    defaults = ", ".join(_DEFAULTS)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMP TABLE IF NOT EXISTS notification_load ON COMMIT DELETE ROWS "
            f"AS SELECT {columns} FROM {table} WITH NO DATA"
        )
        cursor.execute("TRUNCATE notification_load")
        with cursor.cursor.copy(f"COPY notification_load ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        cursor.execute(
            f"INSERT INTO {table} ({columns}, {defaults}) "
            f"SELECT {columns}, {_DEFAULTS_SQL} FROM notification_load "
            f"ON CONFLICT DO NOTHING"
        )
        return int(cursor.rowcount)
