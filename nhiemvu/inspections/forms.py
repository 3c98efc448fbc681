"""Forms of the inspection pages: every field has a label; dates use the browser's picker."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from nhiemvu.accounts.models import Role, User
from nhiemvu.tasks.enums import AdjustmentKind
from nhiemvu.tasks.models import Task
from nhiemvu.units.models import Unit, UnitKind

from .enums import Content, MemberRole, RecommendationKind


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def _users(tenant_id: int) -> Any:
    return User.objects.filter(tenant_id=tenant_id, is_active=True).order_by(
        "last_name", "first_name", "username"
    )


class UserChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        title = f" — {obj.title}" if obj.title else ""
        return f"{obj.display_name}{title}"


def inspectable_units(tenant_id: int) -> Any:
    return Unit.objects.filter(tenant_id=tenant_id, is_active=True).exclude(
        kind__in=[UnitKind.AUTHORITY, UnitKind.DIVISION]
    )


class GroupForm(forms.Form):
    name = forms.CharField(label=_("Name of the group"), max_length=200, required=False)
    decision_number = forms.CharField(label=_("Number of the Chairman's decision"), max_length=60)
    decision_date = forms.DateField(label=_("Date of the decision"), widget=DateInput())
    leader = UserChoice(label=_("Group leader (an Office leader)"), queryset=User.objects.none())
    rules_file = forms.FileField(label=_("Operating rules (file)"), required=False)

    def __init__(self, *args: Any, tenant_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = _users(tenant_id).filter(  # type: ignore[attr-defined]
            roles__icontains=f'"{Role.OFFICE_LEADER}"'
        )


class RulesForm(forms.Form):
    rules_file = forms.FileField(label=_("Operating rules (file)"))


class MemberForm(forms.Form):
    user = UserChoice(label=_("Official"), queryset=User.objects.none())
    role = forms.ChoiceField(label=_("Role in the group"), choices=MemberRole.choices)

    def __init__(self, *args: Any, tenant_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = _users(tenant_id)  # type: ignore[attr-defined]


class PlanForm(forms.Form):
    title = forms.CharField(label=_("Title of the plan"), max_length=255)
    period_start = forms.DateField(label=_("Plan covers from"), widget=DateInput())
    period_end = forms.DateField(label=_("Plan covers until"), widget=DateInput())


class InspectionForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit to inspect"), queryset=Unit.objects.none())
    starts_on = forms.DateField(label=_("First day on site"), widget=DateInput())
    ends_on = forms.DateField(label=_("Last day on site"), widget=DateInput())
    contents = forms.MultipleChoiceField(
        label=_("Contents (R11)"),
        choices=Content.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=list(Content.values),
    )
    review_start = forms.DateField(
        label=_("Period inspected from"),
        widget=DateInput(),
        required=False,
        help_text=_("Empty: 1 January of the year."),
    )
    review_end = forms.DateField(
        label=_("Period inspected until"),
        widget=DateInput(),
        required=False,
        help_text=_("Empty: the first day on site."),
    )

    def __init__(self, *args: Any, tenant_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = inspectable_units(tenant_id)  # type: ignore[attr-defined]


class SurpriseForm(InspectionForm):
    reason = forms.CharField(
        label=_("Reason for the surprise inspection"), widget=forms.Textarea(attrs={"rows": 2})
    )


class InviteForm(forms.Form):
    """Rendered beside other forms: its ids carry a prefix of their own."""

    unit = forms.ModelChoiceField(
        label=_("Invited unit"), queryset=Unit.objects.none(), required=False
    )
    name = forms.CharField(label=_("Or a person (name and position)"), required=False)
    note = forms.CharField(label=_("Why invited"), required=False)

    def __init__(self, *args: Any, tenant_id: int, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "invite_%s")
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = inspectable_units(tenant_id)  # type: ignore[attr-defined]


class DocumentForm(forms.Form):
    file = forms.FileField(label=_("Document"))
    description = forms.CharField(label=_("Description"), required=False, max_length=255)


class TaskChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.content[:120]


def unit_tasks(tenant_id: int, unit_id: int) -> Any:
    return Task.objects.filter(tenant_id=tenant_id, lead_unit_id=unit_id).exclude(
        state__in=["draft", "cancelled"]
    )


class FindingForm(forms.Form):
    task = TaskChoice(label=_("Task"), queryset=Task.objects.none(), required=False)
    topic = forms.ChoiceField(
        label=_("Or a topic"), choices=[("", "—"), *Content.choices], required=False
    )
    subject = forms.CharField(label=_("About (for a topic)"), required=False)
    nature = forms.CharField(label=_("Nature"), widget=forms.Textarea(attrs={"rows": 2}))
    extent = forms.CharField(label=_("Extent"), widget=forms.Textarea(attrs={"rows": 2}))
    cause = forms.CharField(label=_("Cause"), widget=forms.Textarea(attrs={"rows": 2}))
    responsible = forms.CharField(label=_("Responsible person or unit"), max_length=255)

    def __init__(self, *args: Any, tenant_id: int, unit_id: int, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "finding_%s")  # unique ids on the inspection page
        super().__init__(*args, **kwargs)
        self.fields["task"].queryset = unit_tasks(tenant_id, unit_id)  # type: ignore[attr-defined]


class FindingChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.subject[:100]


class RecommendationForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of recommendation"), choices=RecommendationKind.choices)
    text = forms.CharField(label=_("Recommendation"), widget=forms.Textarea(attrs={"rows": 2}))
    due_on = forms.DateField(label=_("To be done by"), widget=DateInput())
    finding = FindingChoice(label=_("From finding"), queryset=None, required=False)
    task = TaskChoice(label=_("Task (to adjust)"), queryset=Task.objects.none(), required=False)

    def __init__(
        self, *args: Any, tenant_id: int, unit_id: int, findings: Any, **kwargs: Any
    ) -> None:
        kwargs.setdefault("auto_id", "rec_%s")
        super().__init__(*args, **kwargs)
        self.fields["finding"].queryset = findings  # type: ignore[attr-defined]
        self.fields["task"].queryset = unit_tasks(tenant_id, unit_id)  # type: ignore[attr-defined]


class AssessmentForm(forms.Form):
    implementation = forms.CharField(
        label=_("Assessment: implementation and results"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    updating = forms.CharField(
        label=_("Assessment: updating on the system"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    reporting = forms.CharField(
        label=_("Assessment: reporting compliance"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )


class IssueForm(forms.Form):
    number = forms.CharField(
        label=_("Number and symbol"),
        required=False,
        help_text=_("Empty: the next number of the year."),
    )
    signer_title = forms.CharField(label=_("Signer's title"), required=False)
    signer_name = forms.CharField(label=_("Signer's name"), required=False)


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Follow-up result"),
        choices=[("done", _("Done")), ("not_done", _("Not done"))],
    )
    note = forms.CharField(label=_("Note (required if not done)"), required=False)


class AdjustmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of adjustment"), choices=AdjustmentKind.choices)
    reason = forms.CharField(
        label=_("Details"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class MonthForm(forms.Form):
    month = forms.CharField(
        label=_("Month"), widget=forms.DateInput(attrs={"type": "month"}), required=False
    )
