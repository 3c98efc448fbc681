"""The background work: the daily sweep that writes reminders, and the sender that works the
email outbox. The `worker` command loops over both; tests call the steps directly.

The sweep (`sweep(tenant, today)`), on working days only:
- tasks due in N working days (default 3 and 1), due today, overdue (1 day: staff; 5: the
  unit head too; 10: the Office too), counted with the tenant's work calendar;
- tasks without a deadline whose update for the current cycle is missing as the reporting
  cutoff approaches (R6.2b, R18.1: the 20th of a quarter's last month, 20 May, 20 November);
- documents whose intake deadline (R6.1) is today or has passed and are not transferred;
- results awaiting confirmation and extension or adjustment requests awaiting a decision for
  more than N working days (the Office, then the Office leader).

How it stays fast and exactly-once:
1. Each rule fires on a few dates only (e.g. deadline = the date 3 working days ahead), so
   each query is an index range on (tenant, state, deadline) — never a loop over all tasks.
2. A rule that fired is never fired again for the same object and occurrence: the query
   skips objects that already have the notification (NOT EXISTS), and the unique constraint
   drops any row another worker wrote meanwhile (insert ignoring conflicts).
3. A rule missed on its day (the worker was down) still fires for `CATCH_UP` working days,
   unless the next rule of the same kind has taken over.
4. Rows are written a chunk of tasks at a time, each chunk in one transaction, so a sweep
   killed midway leaves whole tasks done or not done, and the rerun finishes the rest.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

from django.db import connection, transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from nhiemvu.core import clock
from nhiemvu.core.models import Tenant
from nhiemvu.documents.models import Document
from nhiemvu.tasks.enums import OPEN_STATES, ReportingCycle, RequestStatus, TaskState
from nhiemvu.tasks.models import AdjustmentRequest, ExtensionRequest, Task
from nhiemvu.tasks.queries import cycle_start
from nhiemvu.workcalendar.calendar import WorkCalendar, calendar_for

from . import outbox
from .audience import ASSIGNER, ASSIGNER_LEADER, HEAD, STAFF, TaskRef, people_for
from .channels import Channel, email_channel
from .enums import EmailMode, EmailStatus, Rule
from .models import Notification, Preference, RuleSettings
from .outbox import Directory, Draft

if TYPE_CHECKING:
    from nhiemvu.accounts.models import User

log = logging.getLogger("nhiemvu.notifications")

#: Working days a reminder missed on its day is still sent.
CATCH_UP = 3
#: Tasks whose notifications are written in one transaction.
TASKS_PER_WRITE = 500
#: Reporting cutoffs (R18.1): units report before the 20th of these months.
CUTOFF_DAY = 20
CUTOFF_MONTHS = {
    ReportingCycle.MONTHLY: tuple(range(1, 13)),
    ReportingCycle.QUARTERLY: (3, 6, 9, 12),
    ReportingCycle.SEMIANNUAL: (5, 11),
    ReportingCycle.ANNUAL: (11,),
}


# --- the sweep -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One reminder on a date-driven timeline: fires when `today` is `offset` working days
    after the task's date (negative: before it), for `audience`."""

    rule: str
    offset: int
    audience: frozenset[str]


def deadline_steps(rules: RuleSettings) -> list[Step]:
    """The deadline timeline of a tenant, by offset; a later step with the same offset (an
    escalation set to the same day) replaces the earlier one."""
    steps = [Step(Rule.DUE_SOON, -n, frozenset({STAFF})) for n in rules.reminder_days]
    if rules.remind_on_due_day:
        steps.append(Step(Rule.DUE_TODAY, 0, frozenset({STAFF})))
    if rules.remind_when_overdue:
        steps.append(Step(Rule.OVERDUE, 1, frozenset({STAFF})))
    if rules.escalate_to_head_after:
        steps.append(Step(Rule.OVERDUE, rules.escalate_to_head_after, frozenset({STAFF, HEAD})))
    if rules.escalate_to_office_after:
        steps.append(
            Step(Rule.OVERDUE, rules.escalate_to_office_after, frozenset({STAFF, HEAD, ASSIGNER}))
        )
    return sorted({step.offset: step for step in steps}.values(), key=lambda s: s.offset)


def awaiting_steps(rules: RuleSettings, rule: str) -> list[Step]:
    steps = [Step(rule, rules.awaiting_days, frozenset({ASSIGNER}))]
    if rules.awaiting_leader_days > rules.awaiting_days:
        steps.append(Step(rule, rules.awaiting_leader_days, frozenset({ASSIGNER, ASSIGNER_LEADER})))
    return steps


def windows(steps: Sequence[Step]) -> list[tuple[Step, int, int]]:
    """Each step with the offsets it fires at: from its own up to the next step's, at most
    `CATCH_UP` of them."""
    found = []
    for index, step in enumerate(steps):
        end = step.offset + CATCH_UP
        if index + 1 < len(steps):
            end = min(end, steps[index + 1].offset)
        if step.rule == Rule.DUE_SOON:  # never "due in n days" once it is due
            end = min(end, 0)
        elif step.rule == Rule.DUE_TODAY:
            end = min(end, 1)
        found.append((step, step.offset, end))
    return found


def offsets(calendar: WorkCalendar, today: dt.date, low: int, high: int) -> dict[dt.date, int]:
    """Every date d whose offset — the working days in (d, today], or minus those in
    (today, d] — lies in [low, high): the dates a step fires for today."""
    first = calendar.add_working_days(today, -high) - dt.timedelta(days=1)
    last = calendar.add_working_days(today, max(1, 1 - low))
    found = {}
    day = first
    while day <= last:
        offset = calendar.working_days_between(day, today)
        if low <= offset < high:
            found[day] = offset
        day += dt.timedelta(days=1)
    return found


def occurrence(step: Step, date: dt.date) -> str:
    """E.g. "3:2025-04-29" (3 working days before the deadline of 29/4)."""
    if step.offset == 0:
        return date.isoformat()
    return f"{abs(step.offset)}:{date.isoformat()}"


def told(rule: str, occurrence: str) -> set[int]:
    """The tasks already told under `rule` at `occurrence` (one index range)."""
    return set(
        Notification.objects.filter(rule=rule, occurrence=occurrence, task__isnull=False)
        .values_list("task_id", flat=True)
        .distinct()
    )


def untold(qs: QuerySet[Task], rule: str, occurrence: str) -> list[int]:
    """The ids of the tasks of `qs` not yet told under `rule` at `occurrence`.

    Two plain queries and a set difference rather than NOT EXISTS: right after a sweep has
    written a hundred thousand rows, PostgreSQL's statistics still say "none" and the
    anti-join it plans then is quadratic.
    """
    ids = set(qs.order_by().values_list("id", flat=True))
    if not ids:
        return []
    return sorted(ids - told(rule, occurrence))


def chunks(rows: Iterable[Any], size: int) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def task_batches(ids: list[int]) -> Iterator[list[TaskRef]]:
    """The tasks `ids` in batches of `TASKS_PER_WRITE`, fetched by primary key.

    (A server-side cursor over the joined query would be planned for "first rows fast" and
    may walk the whole primary key instead of the (tenant, state, deadline) index.)
    """
    for chunk in chunks(ids, TASKS_PER_WRITE):
        rows = Task.objects.filter(id__in=chunk).order_by("id").values(*TaskRef.FIELDS)
        yield [TaskRef.from_values(row) for row in rows]


class Sweep:
    """One tenant's sweep on one day (see the module docstring)."""

    def __init__(self, tenant: Tenant, today: dt.date) -> None:
        self.tenant = tenant
        self.today = today
        self.calendar = calendar_for(tenant)
        self.rules = RuleSettings.for_tenant(tenant)
        self.directory = Directory.load(tenant.pk)
        self.now = clock.now()
        self.written = 0

    def write(self, drafts: Sequence[Draft]) -> None:
        self.written += outbox.write(self.tenant, drafts, now=self.now)

    def tasks(self) -> QuerySet[Task]:
        return Task.objects.filter(tenant_id=self.tenant.pk)

    def timeline(
        self,
        steps: Sequence[Step],
        date_field: str,
        base: QuerySet[Task],
        context: dict[str, Any],
    ) -> None:
        """Fire `steps` for the tasks of `base` whose `date_field` falls on a step's dates."""
        for step, low, high in windows(steps):
            for date, offset in sorted(self.offsets(low, high).items()):
                occ = occurrence(step, date)
                ids = untold(base.filter(**{date_field: date}), step.rule, occ)
                for batch in task_batches(ids):
                    drafts = []
                    for task in batch:
                        text = {
                            **context,
                            "task": task.content,
                            "unit": task.unit,
                            "deadline": task.deadline,
                            "since": date,
                            "days": abs(offset),
                            "today": self.today,
                        }
                        drafts += [
                            Draft(person, step.rule, occ, text, task_id=task.id)
                            for person in people_for(task, step.audience, self.directory)
                        ]
                    self.write(drafts)

    def offsets(self, low: int, high: int) -> dict[dt.date, int]:
        return offsets(self.calendar, self.today, low, high)

    def deadlines(self) -> None:
        base = self.tasks().filter(state__in=list(OPEN_STATES), deadline__isnull=False)
        self.timeline(deadline_steps(self.rules), "deadline", base, {})

    def results_awaiting(self) -> None:
        base = self.tasks().filter(state=TaskState.AWAITING_CONFIRMATION)
        steps = awaiting_steps(self.rules, Rule.AWAITING_CONFIRMATION)
        self.timeline(steps, "submitted_on", base, {})

    def cycles(self) -> None:
        """Tasks without a deadline that miss the current cycle's update, from
        `cycle_remind_days` working days before the cutoff to the cutoff itself."""
        for cycle, months in CUTOFF_MONTHS.items():
            cutoff = next_cutoff(months, self.today)
            before = -self.calendar.working_days_between(cutoff, self.today)
            if before > self.rules.cycle_remind_days:
                continue
            start = cycle_start(cycle, self.today)
            cycles = [cycle, ""] if cycle == ReportingCycle.QUARTERLY else [cycle]
            base = self.tasks().filter(
                Q(last_update_on__isnull=True) | Q(last_update_on__lt=start),
                state__in=list(OPEN_STATES),
                deadline__isnull=True,
                reporting_cycle__in=cycles,
            )
            occ = cutoff.isoformat()
            text = {"cycle": ReportingCycle(cycle).label, "cutoff": cutoff}
            for batch in task_batches(untold(base, Rule.CYCLE_MISSING, occ)):
                drafts = []
                for task in batch:
                    context = {**text, "task": task.content, "unit": task.unit}
                    drafts += [
                        Draft(person, Rule.CYCLE_MISSING, occ, context, task_id=task.id)
                        for person in people_for(task, {STAFF}, self.directory)
                    ]
                self.write(drafts)

    def intake(self) -> None:
        """The Office's own deadline (R6.1): on the day, then once when it has passed."""
        steps = [
            (Rule.INTAKE_DUE, 0, 1, self.directory.office),
            (
                Rule.INTAKE_LATE,
                1,
                1 + CATCH_UP,
                outbox.unique_people(self.directory.office, self.directory.office_leaders),
            ),
        ]
        for rule, low, high, people in steps:
            for date in sorted(self.offsets(low, high)):
                occ = date.isoformat()
                told = Notification.objects.filter(
                    document_id=OuterRef("pk"), rule=rule, occurrence=occ
                )
                documents = Document.objects.filter(
                    tenant_id=self.tenant.pk, transferred_at__isnull=True, intake_due_on=date
                ).filter(~Exists(told))
                drafts = []
                for doc in documents.values("id", "number", "subject"):
                    context = {"number": doc["number"], "subject": doc["subject"], "due": date}
                    drafts += [
                        Draft(person, rule, occ, context, document_id=doc["id"])
                        for person in people
                    ]
                self.write(drafts)

    def requests(self) -> None:
        """Extension and adjustment requests waiting for a decision. Few are pending at any
        time, so they are read whole and matched to the timeline here."""
        kinds: list[tuple[str, Any]] = [
            (Rule.EXTENSION_PENDING, ExtensionRequest),
            (Rule.ADJUSTMENT_PENDING, AdjustmentRequest),
        ]
        for rule, model in kinds:
            steps = windows(awaiting_steps(self.rules, rule))
            low, high = steps[0][1], steps[-1][2]
            span = self.offsets(low, high)
            if not span:
                continue
            since = timezone.make_aware(dt.datetime.combine(min(span), dt.time.min))
            until = timezone.make_aware(dt.datetime.combine(max(span), dt.time.max))
            pending = list(
                model.objects.filter(
                    task__tenant_id=self.tenant.pk,
                    status=RequestStatus.PENDING,
                    created_at__range=(since, until),
                )
                .order_by("id")
                .values("id", "created_at", *(f"task__{name}" for name in TaskRef.FIELDS))
            )
            told = set(
                Notification.objects.filter(
                    rule=rule, task_id__in={row["task__id"] for row in pending}
                ).values_list("task_id", "occurrence")
            )
            drafts = []
            for row in pending:
                asked_on = timezone.localdate(row["created_at"])
                offset = span.get(asked_on)
                if offset is None:
                    continue
                step = next((s for s, lo, hi in steps if lo <= offset < hi), None)
                if step is None:
                    continue
                task = TaskRef.from_values(row, prefix="task__")
                occ = f"{step.offset}:{row['id']}"
                if (task.id, occ) in told:
                    continue
                context = {
                    "task": task.content,
                    "unit": task.unit,
                    "since": asked_on,
                    "days": offset,
                }
                drafts += [
                    Draft(person, rule, occ, context, task_id=task.id)
                    for person in people_for(task, step.audience, self.directory)
                ]
            self.write(drafts)

    def run(self) -> int:
        if not self.calendar.is_working_day(self.today):
            return 0
        self.deadlines()
        self.cycles()
        self.results_awaiting()
        self.requests()
        self.intake()
        self.feedback()
        self.inspections()
        return self.written

    def feedback(self) -> None:
        """Feedback between units left unanswered past its 10 working days (R16.6)."""
        from nhiemvu.feedback import jobs as feedback_jobs

        self.written += feedback_jobs.sweep(self.tenant, self.today)

    def inspections(self) -> None:
        """Inspection reports due within 10 working days of the inspection's end (R15.1)."""
        from nhiemvu.inspections.jobs import remind_reports

        self.written += remind_reports(self.tenant, self.today)


def next_cutoff(months: Sequence[int], today: dt.date) -> dt.date:
    """The first reporting cutoff (the 20th of one of `months`) on or after `today`."""
    for year in (today.year, today.year + 1):
        for month in months:
            cutoff = dt.date(year, month, CUTOFF_DAY)
            if cutoff >= today:
                return cutoff
    raise ValueError(months)


def sweep(tenant: Tenant, today: dt.date | None = None) -> int:
    """Write the reminders due on `today` (default: the clock's today) for one tenant and
    return how many notifications were written; nothing on a day off."""
    return Sweep(tenant, today or clock.today()).run()


def sweep_due(now: dt.datetime | None = None) -> int:
    """Sweep every tenant whose morning hour has come (the worker calls this often; a sweep
    that already ran today writes nothing new)."""
    now = now or clock.now()
    local = timezone.localtime(now)
    total = 0
    for tenant in Tenant.objects.order_by("id"):
        if local.hour >= RuleSettings.for_tenant(tenant).morning_hour:
            total += sweep(tenant, local.date())
    return total


# --- sending -------------------------------------------------------------------------------

#: A claimed row is left alone this long; a worker that died holding it is then replaced.
LEASE = dt.timedelta(minutes=10)
#: Tries before an email is marked failed (and listed for administrators).
MAX_ATTEMPTS = 6
FIRST_RETRY = dt.timedelta(minutes=1)
#: An email not sent within this time is dropped (it stays in the notification centre).
STALE_AFTER = dt.timedelta(days=14)
#: The most notifications one digest carries.
DIGEST_LIMIT = 200


def retry_delay(attempts: int) -> dt.timedelta:
    """Exponential back-off after the n-th failed try: 1, 4, 16, 64 minutes, ~4¼ hours."""
    return FIRST_RETRY * 4 ** max(attempts - 1, 0)


def email_mode(user_id: int) -> str:
    mode = Preference.objects.filter(user_id=user_id).values_list("email_mode", flat=True).first()
    return mode or EmailMode.EACH


def due_emails(now: dt.datetime) -> QuerySet[Notification]:
    return Notification.objects.filter(
        email_status=EmailStatus.PENDING, email_next_attempt_at__lte=now
    )


def claim(now: dt.datetime) -> list[Notification] | None:
    """Take the next due email (with the rest of its recipient's due ones, for a digest).

    None: nothing is due. []: another worker took it first. The claim is a conditional
    UPDATE (still pending, still due) that also moves `email_next_attempt_at` past a lease,
    so a row is taken once; on PostgreSQL the candidates are first locked with SKIP LOCKED,
    so that several workers take different rows instead of racing for the same one.
    """
    skip_locked = connection.features.has_select_for_update_skip_locked
    token = uuid.uuid4().hex
    with transaction.atomic():
        head_qs = due_emails(now).order_by("email_next_attempt_at", "id")
        if skip_locked:
            head_qs = head_qs.select_for_update(skip_locked=True)
        head = head_qs.values_list("id", "recipient_id").first()
        if head is None:
            return None
        ids = [head[0]]
        if email_mode(head[1]) == EmailMode.DIGEST:
            more = due_emails(now).filter(recipient_id=head[1]).exclude(id=head[0])
            if skip_locked:
                more = more.select_for_update(skip_locked=True)
            ids += list(more.order_by("id").values_list("id", flat=True)[: DIGEST_LIMIT - 1])
        taken = (
            due_emails(now)
            .filter(id__in=ids)
            .update(
                email_claim=token,
                email_next_attempt_at=now + LEASE,
                email_attempts=F("email_attempts") + 1,
            )
        )
    if not taken:
        return []
    return list(
        Notification.objects.filter(email_claim=token).select_related("recipient").order_by("id")
    )


def _finish(rows: Sequence[Notification], **values: Any) -> None:
    Notification.objects.filter(id__in=[row.pk for row in rows]).update(email_claim="", **values)


def deliver(rows: Sequence[Notification], channel: Channel) -> None:
    """Send claimed rows (all to one recipient) and record the outcome on each.

    1. Skip what must not go: no address, an inactive user, email turned off, too old.
    2. Send one email, or one digest if the recipient wants digests.
    3. On success mark them sent; on failure schedule the next try with back-off, or mark
       them failed after `MAX_ATTEMPTS` tries.
    """
    now = clock.now()
    recipient: User = rows[0].recipient
    mode = email_mode(recipient.pk)
    if not recipient.email or not recipient.is_active or mode == EmailMode.OFF:
        _finish(rows, email_status=EmailStatus.SKIPPED, email_next_attempt_at=None)
        return
    stale = [row for row in rows if row.created_at < now - STALE_AFTER]
    _finish(stale, email_status=EmailStatus.SKIPPED, email_next_attempt_at=None)
    fresh = [row for row in rows if row.created_at >= now - STALE_AFTER]
    if not fresh:
        return
    if mode == EmailMode.DIGEST:
        _attempt(fresh, lambda: channel.send_digest(recipient, fresh))
    else:
        for row in fresh:
            _attempt([row], partial(channel.send, row))


def _attempt(rows: Sequence[Notification], send: Callable[[], None]) -> None:
    """Run `send` and record on `rows` that it worked, or when to try again."""
    try:
        send()
    except Exception as error:
        now = clock.now()
        message = f"{type(error).__name__}: {error}"[:2000]
        log.warning("email %s failed: %s", [row.pk for row in rows], message)
        for row in rows:
            if row.email_attempts >= MAX_ATTEMPTS:
                _finish(
                    [row],
                    email_status=EmailStatus.FAILED,
                    email_next_attempt_at=None,
                    email_last_error=message,
                )
            else:
                _finish(
                    [row],
                    email_next_attempt_at=now + retry_delay(row.email_attempts),
                    email_last_error=message,
                )
        return
    _finish(
        rows,
        email_status=EmailStatus.SENT,
        email_sent_at=clock.now(),
        email_next_attempt_at=None,
        email_last_error="",
    )


def handle_one_due(channel: Channel | None = None, now: dt.datetime | None = None) -> bool:
    """Claim and deliver the next due email (or digest). False when nothing is due."""
    rows = claim(now or clock.now())
    if rows is None:
        return False
    if rows:
        deliver(rows, channel or email_channel())
    return True


def send_due(channel: Channel | None = None, limit: int = 10_000) -> int:
    """Deliver due emails until none is left (or `limit`); returns how many rounds ran."""
    channel = channel or email_channel()
    rounds = 0
    while rounds < limit and handle_one_due(channel):
        rounds += 1
    return rounds


def retry(notification: Notification) -> None:
    """An administrator sends a failed email again (from the failed list)."""
    Notification.objects.filter(pk=notification.pk, email_status=EmailStatus.FAILED).update(
        email_status=EmailStatus.PENDING,
        email_attempts=0,
        email_next_attempt_at=clock.now(),
        email_claim="",
    )
