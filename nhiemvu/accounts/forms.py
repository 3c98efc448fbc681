from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext_lazy as _

from nhiemvu.units.models import Unit

from .models import Role, User


class UserForm(forms.ModelForm):
    roles = forms.MultipleChoiceField(
        label=_("Roles"), choices=Role.choices, widget=forms.CheckboxSelectMultiple
    )
    password = forms.CharField(
        label=_("Password"),
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Leave empty to keep the current password."),
    )

    class Meta:
        model = User
        fields = [
            "username",
            "first_name",
            "last_name",
            "title",
            "unit",
            "email",
            "phone",
            "language",
            "is_active",
        ]

    def __init__(self, *args: Any, tenant_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.tenant_id = tenant_id
        self.fields["unit"].queryset = Unit.objects.filter(  # type: ignore[attr-defined]
            tenant_id=tenant_id, is_active=True
        ).order_by("path")
        self.fields["unit"].required = True
        if self.instance.pk:
            self.fields["roles"].initial = self.instance.roles
        else:
            self.fields["password"].required = True
            self.fields["password"].help_text = ""

    def clean_password(self) -> str:
        password = self.cleaned_data.get("password") or ""
        if password:
            validate_password(password, self.instance)
        return password

    def save(self, commit: bool = True) -> User:
        user = super().save(commit=False)
        user.tenant_id = self.tenant_id
        user.roles = list(self.cleaned_data["roles"])
        if self.cleaned_data.get("password"):
            user.set_password(self.cleaned_data["password"])
        if commit:
            user.save()
        return user
