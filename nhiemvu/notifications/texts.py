"""The words of each notification: a subject and a short text per rule, in the language that
is active (callers wrap this in `translation.override(recipient.language)`).

Plain gettext strings, not templates: the sweep writes thousands of these at a time and a
format string costs microseconds. The email templates wrap these texts at sending time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .enums import Rule

Context = dict[str, Any]


def short(text: str, limit: int = 90) -> str:
    """One line of at most `limit` characters, for subjects."""
    line = " ".join((text or "").split())
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def day(value: dt.date | str | None) -> str:
    """dd/mm/yyyy, as Vietnamese documents write dates."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])
    return value.strftime("%d/%m/%Y")


def _working_days(n: int) -> str:
    return ngettext("%(n)s working day", "%(n)s working days", n) % {"n": n}


def _with_reason(body: str, reason: str) -> str:
    if reason:
        return body + " " + _("Reason: %(reason)s") % {"reason": reason}
    return body


def _assigned(c: Context) -> tuple[str, str]:
    if c.get("coordinating"):
        subject = _("New task to coordinate: %(task)s") % {"task": short(c["task"])}
    else:
        subject = _("New task: %(task)s") % {"task": short(c["task"])}
    if c.get("deadline"):
        body = _(
            "The task “%(task)s” was transferred to %(unit)s (lead unit) for tracking. "
            "Deadline: %(deadline)s."
        ) % {"task": c["task"], "unit": c["unit"], "deadline": day(c["deadline"])}
    else:
        body = _(
            "The task “%(task)s” was transferred to %(unit)s (lead unit) for tracking. "
            "It has no deadline: report on it every reporting cycle."
        ) % {"task": c["task"], "unit": c["unit"]}
    return subject, body


def _returned(c: Context) -> tuple[str, str]:
    subject = _("Result returned for rework: %(task)s") % {"task": short(c["task"])}
    body = _("The result reported for “%(task)s” does not meet the requirement and was returned.")
    return subject, _with_reason(body % {"task": c["task"]}, c.get("reason", ""))


def _confirmed(c: Context) -> tuple[str, str]:
    subject = _("Result confirmed: %(task)s") % {"task": short(c["task"])}
    body = _("The result of “%(task)s” was confirmed: %(status)s.") % {
        "task": c["task"],
        "status": c.get("status", ""),
    }
    return subject, body


def _extension_approved(c: Context) -> tuple[str, str]:
    subject = _("Extension approved: %(task)s") % {"task": short(c["task"])}
    body = _("The deadline of “%(task)s” is now %(deadline)s.") % {
        "task": c["task"],
        "deadline": day(c.get("deadline")),
    }
    return subject, body


def _extension_rejected(c: Context) -> tuple[str, str]:
    subject = _("Extension rejected: %(task)s") % {"task": short(c["task"])}
    body = _("The extension of “%(task)s” was rejected; the deadline stays %(deadline)s.") % {
        "task": c["task"],
        "deadline": day(c.get("deadline")),
    }
    return subject, _with_reason(body, c.get("reason", ""))


def _adjustment(outcome: str) -> Callable[[Context], tuple[str, str]]:
    def compose(c: Context) -> tuple[str, str]:
        subject = _("Adjustment request decided: %(task)s") % {"task": short(c["task"])}
        if outcome == "corrected":
            body = _("The Office corrected the task “%(task)s” as requested.")
        elif outcome == "reassigned":
            body = _("The task “%(task)s” was reassigned; its lead unit is now %(unit)s.")
        else:
            body = _("The request to adjust “%(task)s” was declined; the task stays as it is.")
        return subject, _with_reason(
            body % {"task": c["task"], "unit": c["unit"]}, c.get("reason", "")
        )

    return compose


def _cancelled(c: Context) -> tuple[str, str]:
    subject = _("Task cancelled: %(task)s") % {"task": short(c["task"])}
    body = _("The task “%(task)s” was cancelled.") % {"task": c["task"]}
    return subject, _with_reason(body, c.get("reason", ""))


def _result_submitted(c: Context) -> tuple[str, str]:
    subject = _("Result to confirm: %(task)s") % {"task": short(c["task"])}
    body = _("%(unit)s reported the result of “%(task)s”. Check it and confirm or return it.") % {
        "task": c["task"],
        "unit": c["unit"],
    }
    return subject, body


def _extension_requested(c: Context) -> tuple[str, str]:
    subject = _("Extension requested: %(task)s") % {"task": short(c["task"])}
    body = _(
        "%(unit)s asks to move the deadline of “%(task)s” from %(current)s to %(proposed)s."
    ) % {
        "unit": c["unit"],
        "task": c["task"],
        "current": day(c.get("deadline")),
        "proposed": day(c.get("proposed")),
    }
    return subject, _with_reason(body, c.get("reason", ""))


def _adjustment_requested(c: Context) -> tuple[str, str]:
    subject = _("Adjustment requested: %(task)s") % {"task": short(c["task"])}
    body = _("%(unit)s asks to adjust the task “%(task)s” (%(kind)s).") % {
        "unit": c["unit"],
        "task": c["task"],
        "kind": c.get("kind", ""),
    }
    return subject, _with_reason(body, c.get("reason", ""))


def _due_soon(c: Context) -> tuple[str, str]:
    days = _working_days(c["days"])
    subject = _("Due in %(days)s: %(task)s") % {"days": days, "task": short(c["task"])}
    body = _("The task “%(task)s” (lead unit %(unit)s) is due on %(deadline)s, in %(days)s.") % {
        "task": c["task"],
        "unit": c["unit"],
        "deadline": day(c["deadline"]),
        "days": days,
    }
    return subject, body


def _due_today(c: Context) -> tuple[str, str]:
    subject = _("Due today: %(task)s") % {"task": short(c["task"])}
    if c.get("today") and c["deadline"] != c["today"]:
        body = _(
            "The task “%(task)s” (lead unit %(unit)s) is due on %(deadline)s, a day off: "
            "today is the last working day to report its result or ask for an extension."
        ) % {"task": c["task"], "unit": c["unit"], "deadline": day(c["deadline"])}
        return subject, body
    body = _(
        "The task “%(task)s” (lead unit %(unit)s) is due today, %(deadline)s. Report its "
        "result today, or ask for an extension."
    ) % {"task": c["task"], "unit": c["unit"], "deadline": day(c["deadline"])}
    return subject, body


def _overdue(c: Context) -> tuple[str, str]:
    days = _working_days(c["days"])
    subject = _("Overdue by %(days)s: %(task)s") % {"days": days, "task": short(c["task"])}
    body = _(
        "The task “%(task)s” (lead unit %(unit)s) was due on %(deadline)s and is %(days)s "
        "overdue. Complete it and report the result, or explain the delay."
    ) % {"task": c["task"], "unit": c["unit"], "deadline": day(c["deadline"]), "days": days}
    return subject, body


def _cycle_missing(c: Context) -> tuple[str, str]:
    subject = _("Periodic update missing: %(task)s") % {"task": short(c["task"])}
    body = _(
        "The task “%(task)s” has no deadline and no progress update in the current reporting "
        "cycle (%(cycle)s) yet. Units report before %(cutoff)s."
    ) % {"task": c["task"], "cycle": c["cycle"], "cutoff": day(c["cutoff"])}
    return subject, body


def _awaiting_confirmation(c: Context) -> tuple[str, str]:
    days = _working_days(c["days"])
    subject = _("Result waiting %(days)s for confirmation: %(task)s") % {
        "days": days,
        "task": short(c["task"]),
    }
    body = _(
        "%(unit)s reported the result of “%(task)s” on %(since)s; it has waited %(days)s "
        "for confirmation."
    ) % {"unit": c["unit"], "task": c["task"], "since": day(c["since"]), "days": days}
    return subject, body


def _extension_pending(c: Context) -> tuple[str, str]:
    days = _working_days(c["days"])
    subject = _("Extension request waiting %(days)s: %(task)s") % {
        "days": days,
        "task": short(c["task"]),
    }
    body = _(
        "%(unit)s asked on %(since)s to move the deadline of “%(task)s”; the request has "
        "waited %(days)s for a decision."
    ) % {"unit": c["unit"], "task": c["task"], "since": day(c["since"]), "days": days}
    return subject, body


def _adjustment_pending(c: Context) -> tuple[str, str]:
    days = _working_days(c["days"])
    subject = _("Adjustment request waiting %(days)s: %(task)s") % {
        "days": days,
        "task": short(c["task"]),
    }
    body = _(
        "%(unit)s asked on %(since)s to adjust “%(task)s”; the request has waited %(days)s "
        "for a decision."
    ) % {"unit": c["unit"], "task": c["task"], "since": day(c["since"]), "days": days}
    return subject, body


def _intake_due(c: Context) -> tuple[str, str]:
    subject = _("Enter the tasks of %(number)s today") % {"number": c["number"]}
    body = _(
        "The tasks of document %(number)s (“%(subject)s”) must be transferred to tracking "
        "today, %(due)s (Decision 131, Art. 6.1)."
    ) % {"number": c["number"], "subject": short(c["subject"], 160), "due": day(c["due"])}
    return subject, body


def _intake_late(c: Context) -> tuple[str, str]:
    subject = _("Late: the tasks of %(number)s are not entered") % {"number": c["number"]}
    body = _(
        "The tasks of document %(number)s (“%(subject)s”) were due to be transferred to "
        "tracking by %(due)s and still are not."
    ) % {"number": c["number"], "subject": short(c["subject"], 160), "due": day(c["due"])}
    return subject, body


def _letter_sent(c: Context) -> tuple[str, str]:
    subject = _("Urging letter %(number)s from the Office") % {"number": c["number"]}
    body = ngettext(
        "The Office sent urging letter %(number)s to %(unit)s about %(count)s overdue task. "
        "Reply by %(reply_by)s.",
        "The Office sent urging letter %(number)s to %(unit)s about %(count)s overdue tasks. "
        "Reply by %(reply_by)s.",
        c["count"],
    ) % {
        "number": c["number"],
        "unit": c["unit"],
        "count": c["count"],
        "reply_by": day(c["reply_by"]),
    }
    return subject, body


COMPOSERS: dict[str, Callable[[Context], tuple[str, str]]] = {
    Rule.ASSIGNED: _assigned,
    Rule.RETURNED: _returned,
    Rule.CONFIRMED: _confirmed,
    Rule.EXTENSION_APPROVED: _extension_approved,
    Rule.EXTENSION_REJECTED: _extension_rejected,
    Rule.ADJUSTMENT_CORRECTED: _adjustment("corrected"),
    Rule.ADJUSTMENT_REASSIGNED: _adjustment("reassigned"),
    Rule.ADJUSTMENT_DECLINED: _adjustment("declined"),
    Rule.CANCELLED: _cancelled,
    Rule.RESULT_SUBMITTED: _result_submitted,
    Rule.EXTENSION_REQUESTED: _extension_requested,
    Rule.ADJUSTMENT_REQUESTED: _adjustment_requested,
    Rule.DUE_SOON: _due_soon,
    Rule.DUE_TODAY: _due_today,
    Rule.OVERDUE: _overdue,
    Rule.CYCLE_MISSING: _cycle_missing,
    Rule.AWAITING_CONFIRMATION: _awaiting_confirmation,
    Rule.EXTENSION_PENDING: _extension_pending,
    Rule.ADJUSTMENT_PENDING: _adjustment_pending,
    Rule.INTAKE_DUE: _intake_due,
    Rule.INTAKE_LATE: _intake_late,
    Rule.LETTER_SENT: _letter_sent,
}


def compose(rule: str, context: Context) -> tuple[str, str]:
    """(subject, text) of a notification under `rule`, in the active language."""
    subject, body = COMPOSERS[rule](context)
    return short(subject, 250), body
