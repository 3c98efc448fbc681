"""`{% feedback_panel task %}`: the feedback on a task that the user may see, and the link
to file feedback, for the task page."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.inclusion_tag("feedback/_task_panel.html", takes_context=True)
def feedback_panel(context: dict[str, Any], task: Any) -> dict[str, Any]:
    from nhiemvu.feedback.rules import can_file
    from nhiemvu.feedback.views import task_feedback

    user = context["user"]
    return {
        "task": task,
        "items": task_feedback(user, task),
        "can_file": can_file(user, task),
    }
