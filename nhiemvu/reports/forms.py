"""Forms of the report pages. They only parse and label input; the rules live in the domain
modules (periods.py, unit_reports.py, publication.py)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ConsolidatedReport, PeriodKind, ReportingSettings

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class NewPeriodForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=PeriodKind.choices)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)
    number = forms.IntegerField(
        label=_("Quarter or half (1–4)"), min_value=1, max_value=4, required=False
    )
    start = forms.DateField(label=_("First day (custom range)"), required=False, widget=DATE)
    end = forms.DateField(label=_("Last day (custom range)"), required=False, widget=DATE)
    name = forms.CharField(label=_("Name (optional)"), required=False, max_length=120)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") != PeriodKind.CUSTOM and not data.get("year"):
            self.add_error("year", _("This field is required."))
        return data


class CutoffsForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    unit_report_due = forms.DateField(label=_("Units report by"), widget=DATE)
    office_report_due = forms.DateField(label=_("The Office compiles by"), widget=DATE)


class SettingsForm(forms.ModelForm):
    class Meta:
        model = ReportingSettings
        fields = [
            *("quarter_unit_day", "quarter_office_day", "half_unit_month", "half_unit_day"),
            *("half_office_month", "half_office_day", "year_unit_month", "year_unit_day"),
            *("year_office_month", "year_office_day"),
            *("w_on_time", "w_late", "w_overdue", "w_cycle_missed", "w_returned"),
            *("min_tasks_ranked", "place", "parent_body", "issuing_body", "symbol"),
            *("signer_authority", "signer_title", "signer_name", "recipients"),
        ]
        widgets = {"recipients": forms.Textarea(attrs={"rows": 4})}


class UnitReportForm(forms.Form):
    """The unit's own words; one explanation field per task that needs one."""

    results = forms.CharField(
        label=_("Main results"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    difficulties = forms.CharField(
        label=_("Difficulties and obstacles"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    proposals = forms.CharField(
        label=_("Proposals"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, task_ids: list[int] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        for task_id in task_ids:
            self.fields[f"explain_{task_id}"] = forms.CharField(
                label=_("Explanation"), required=False, widget=forms.Textarea(attrs={"rows": 2})
            )

    def explanations(self) -> dict[str, str]:
        return {
            name.removeprefix("explain_"): value.strip()
            for name, value in self.cleaned_data.items()
            if name.startswith("explain_") and value and value.strip()
        }


class ConsolidatedForm(forms.ModelForm):
    class Meta:
        model = ConsolidatedReport
        fields = ["number", "issued_on", "signer_name", "addressees", "assessment", "proposals"]
        widgets = {
            "issued_on": DATE,
            "addressees": forms.Textarea(attrs={"rows": 2}),
            "assessment": forms.Textarea(attrs={"rows": 5}),
            "proposals": forms.Textarea(attrs={"rows": 4}),
        }


class PublishForm(forms.Form):
    note = forms.CharField(
        label=_("What this version corrects (required for a new version)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
