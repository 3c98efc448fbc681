"""`{% task_table tasks %}`: the table of tasks that every list shows (the unit workspace, the
task list and search, a document's, a period's and a task's sub-tasks).

Its rows are built in Python with `format_html`, as Django's admin builds the rows of its change
lists: a unit workspace shows up to 160 rows, and rendering them through the template engine
(a dozen variable lookups and filters per row) took about 45 ms of the page's 110."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from typing import Any

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

register = template.Library()

#: The task text shown in a row, as the `truncatechars:160` filter it replaces.
CONTENT_CHARS = 160


def _short(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    return text if len(text) <= CONTENT_CHARS else text[: CONTENT_CHARS - 1] + "…"


def _unit(unit: Any) -> str:
    return str(unit.short_name or unit.name)


@register.simple_tag
def task_table(tasks: Iterable[Any]) -> SafeString:
    """`tasks` loaded with `views.with_list_data`; each may carry its time status (`status`)."""
    labels = {
        "task": _("Task"),
        "lead": _("Lead unit"),
        "deadline": _("Deadline"),
        "status": _("Status"),
    }
    with_ = _("with")
    no_deadline = _("No deadline")
    status_labels: dict[str, str] = {}
    rows = []
    for task in tasks:
        document = (
            format_html('<br><small class="muted">{}</small>', task.document.number)
            if task.document
            else ""
        )
        coords = [_unit(c.unit) for c in task.coordinations.all()]
        coordinating = (
            format_html('<br><small class="muted">{} {}</small>', with_, ", ".join(coords))
            if coords
            else ""
        )
        if task.deadline:
            deadline = task.deadline.strftime("%d/%m/%Y")
        else:
            deadline = format_html(
                "<small>{}</small>", task.get_reporting_cycle_display() or no_deadline
            )
        status = getattr(task, "status", None)
        if status:
            if status not in status_labels:
                status_labels[status] = str(status.label)
            badge = format_html(
                '<span class="badge st-{}">{}</span>', status, status_labels[status]
            )
        else:
            badge = format_html('<span class="state">{}</span>', task.get_state_display())
        progress = (
            format_html("<br><small>{}%</small>", task.progress_percent)
            if task.progress_percent
            else ""
        )
        rows.append(
            format_html(
                "<tr>\n"
                '<td data-label="{}"><a href="/tasks/{}/">{}</a>{}</td>\n'
                '<td data-label="{}">{}{}</td>\n'
                '<td data-label="{}">{}</td>\n'
                '<td data-label="{}">{}{}</td>\n'
                "</tr>",
                labels["task"],
                task.pk,
                _short(task.content),
                document,
                labels["lead"],
                _unit(task.lead_unit),
                coordinating,
                labels["deadline"],
                deadline,
                labels["status"],
                badge,
                progress,
            )
        )
    if not rows:
        rows.append(format_html('<tr><td colspan="4" class="muted">{}</td></tr>', _("No tasks.")))
    head = format_html_join("", '<th scope="col">{}</th>', ((label,) for label in labels.values()))
    return format_html(
        '<table class="tasks responsive">\n<thead><tr>{}</tr></thead>\n<tbody>\n{}\n</tbody>\n'
        "</table>",
        head,
        SafeString("\n".join(rows)),
    )
