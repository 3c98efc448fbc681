"""Forms of the feedback pages. They only parse and label input; the rules live in
services.py."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from nhiemvu.tasks.forms import MultipleFileField
from nhiemvu.units.models import Unit

from .enums import Answer, FeedbackKind


class FileFeedbackForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What are you reporting?"),
        choices=FeedbackKind.choices,
        widget=forms.RadioSelect,
    )
    about_unit = forms.ModelChoiceField(
        label=_("About which unit"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=None,
        help_text=_("Not used when you report your own task as beyond your means."),
    )
    text = forms.CharField(
        label=_("What happened"),
        required=False,  # the domain function refuses an empty text with its own message
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What was late or not done as required, and how it affects your unit."),
    )
    attachments = MultipleFileField(label=_("Attachments"))

    def __init__(self, *args: Any, units: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["about_unit"]
        field.queryset = units if units is not None else Unit.objects.none()
        field.label_from_instance = lambda unit: unit.name


class AnswerForm(forms.Form):
    action = forms.ChoiceField(label=_("Answer"), choices=Answer.choices, widget=forms.RadioSelect)
    text = forms.CharField(
        label=_("Written answer"),
        required=False,  # refused by the domain function with its own message
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Sent to the unit that filed the feedback, and to the unit that is urged."),
    )
    letter = forms.BooleanField(
        label=_("Also issue an urging letter to the unit (R16.4)"), required=False
    )

    def __init__(self, *args: Any, actions: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if actions is not None:
            field: Any = self.fields["action"]
            field.choices = [(v, label) for v, label in Answer.choices if v in actions]
