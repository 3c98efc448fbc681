from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from nhiemvu.units.models import Unit

from .enums import EmailMode
from .models import RuleSettings


class PreferenceForm(forms.Form):
    email_mode = forms.ChoiceField(
        label=_("Email me"), choices=EmailMode.choices, widget=forms.RadioSelect
    )


class LetterForm(forms.Form):
    """The Office chooses the unit to urge; number and signer default sensibly."""

    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    number = forms.CharField(
        label=_("Number and symbol"),
        max_length=60,
        required=False,
        help_text=_("Leave empty for the next number of the year."),
    )
    signer_authority = forms.CharField(
        label=_("Signing authority"),
        max_length=120,
        required=False,
        help_text=_("e.g. KT. CHÁNH VĂN PHÒNG; empty when the head signs."),
    )
    signer_title = forms.CharField(label=_("Signer's title"), max_length=120, required=False)
    signer_name = forms.CharField(label=_("Signer's name"), max_length=120, required=False)

    def __init__(self, *args: Any, tenant_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(  # type: ignore[attr-defined]
            tenant_id=tenant_id, is_active=True
        ).order_by("name")


class RuleSettingsForm(forms.ModelForm):
    class Meta:
        model = RuleSettings
        fields = [
            "due_soon_days",
            "remind_on_due_day",
            "remind_when_overdue",
            "escalate_to_head_after",
            "escalate_to_office_after",
            "cycle_remind_days",
            "awaiting_days",
            "awaiting_leader_days",
            "morning_hour",
            "letter_parent_body",
            "letter_issuer",
            "letter_place",
            "letter_symbol",
            "letter_basis",
            "letter_reply_days",
        ]
