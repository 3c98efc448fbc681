"""Forms of the task pages. They only parse and label input; the rules live in workflow.py."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .enums import AdjustmentKind, AdjustmentOutcome, ReportingCycle, TaskState, TimeStatus


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ProgressForm(forms.Form):
    text = forms.CharField(label=_("What has been done"), widget=forms.Textarea(attrs={"rows": 3}))
    percent = forms.IntegerField(
        label=_("Progress (%)"), min_value=0, max_value=100, required=False
    )
    attachments = MultipleFileField(label=_("Attachments"))


class ResultForm(forms.Form):
    text = forms.CharField(label=_("Result"), widget=forms.Textarea(attrs={"rows": 3}))
    attachments = MultipleFileField(label=_("Attachments (report, product)"))


class ExtensionForm(forms.Form):
    proposed_deadline = forms.DateField(label=_("Proposed new deadline"), widget=DATE)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class AdjustmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("What should be adjusted"), choices=AdjustmentKind.choices)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class DecideExtensionForm(forms.Form):
    approve = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("1", _("Approve")), ("0", _("Reject"))],
        coerce=lambda v: v == "1",
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ResolveAdjustmentForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Decision"), choices=AdjustmentOutcome.choices)
    new_lead_unit = forms.CharField(label=_("New lead unit (when reassigning)"), required=False)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class FilterForm(forms.Form):
    """The list filters; names match tasks.queries.TaskFilter."""

    q = forms.CharField(label=_("Search"), required=False)
    unit = forms.CharField(label=_("Unit"), required=False)
    role = forms.ChoiceField(
        label=_("As"),
        required=False,
        choices=[
            ("any", _("Lead or coordinating")),
            ("lead", _("Lead")),
            ("coordinating", _("Coordinating")),
        ],
    )
    state = forms.MultipleChoiceField(label=_("State"), required=False, choices=TaskState.choices)
    time_status = forms.MultipleChoiceField(
        label=_("Time status"), required=False, choices=TimeStatus.choices
    )
    deadline_from = forms.DateField(label=_("Deadline from"), required=False, widget=DATE)
    deadline_to = forms.DateField(label=_("Deadline to"), required=False, widget=DATE)
    field_id = forms.TypedChoiceField(
        label=_("Field"), required=False, coerce=int, empty_value=None
    )
    assigner_id = forms.TypedChoiceField(
        label=_("Assigned by"), required=False, coerce=int, empty_value=None
    )
    document_id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("deadline", _("Deadline, earliest first")),
            ("-deadline", _("Deadline, latest first")),
            ("-created", _("Newest first")),
            ("-updated", _("Recently updated")),
        ],
    )

    def __init__(self, *args: Any, fields: Any = (), assigners: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["field_id"].choices = [("", _("All fields")), *((f.pk, f.name) for f in fields)]  # type: ignore[attr-defined]
        self.fields["assigner_id"].choices = [  # type: ignore[attr-defined]
            ("", _("Anyone")),
            *((u.pk, u.display_name) for u in assigners),
        ]


CYCLE_CHOICES = [("", _("— has a deadline —")), *ReportingCycle.choices]
