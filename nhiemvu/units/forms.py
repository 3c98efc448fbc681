from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Unit, UnitKind


class UnitForm(forms.ModelForm):
    aliases_text = forms.CharField(
        label=_("Aliases (one per line: abbreviations, old names of merged units)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    class Meta:
        model = Unit
        fields = ["name", "short_name", "kind", "parent", "org_code", "admin_code", "is_active"]

    def __init__(self, *args: Any, tenant_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.tenant_id = tenant_id
        parent = cast(forms.ModelChoiceField, self.fields["parent"])
        parent.queryset = (
            Unit.objects.filter(tenant_id=tenant_id)
            .exclude(kind=UnitKind.DIVISION)
            .order_by("path")
        )
        parent.required = True
        if self.instance.pk:
            self.fields["aliases_text"].initial = "\n".join(self.instance.aliases)

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        clash = Unit.objects.filter(tenant_id=self.tenant_id, name__iexact=name)
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(_("A unit with this name already exists."))
        return name

    def save(self, commit: bool = True) -> Unit:
        unit = super().save(commit=False)
        unit.tenant_id = self.tenant_id
        unit.aliases = [
            a.strip() for a in self.cleaned_data.get("aliases_text", "").splitlines() if a.strip()
        ]
        if commit:
            unit.save()
        return unit
