"""Administration pages for the unit tree (administrators only; no Django admin needed)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from nhiemvu.accounts.models import Role, User
from nhiemvu.core.access import tenant_id
from nhiemvu.core.history import record

from .forms import UnitForm
from .models import Unit


def admin_only(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]
    if not user.has_role(Role.ADMINISTRATOR) or user.tenant_id is None:
        raise Http404
    return user


@login_required
def manage(request: HttpRequest) -> HttpResponse:
    user = admin_only(request)
    units = Unit.objects.filter(tenant_id=tenant_id(user)).select_related("parent").order_by("path")
    query = request.GET.get("q", "").strip()
    if query:
        from nhiemvu.core.text import fold

        for word in fold(query).split():
            units = units.filter(search_text__contains=word)
    return render(request, "units/manage.html", {"units": units[:500], "q": query})


@login_required
def edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    user = admin_only(request)
    tenant_id = user.tenant_id or 0
    instance = None
    if pk is not None:
        instance = Unit.objects.filter(pk=pk, tenant_id=tenant_id).first()
        if instance is None:
            raise Http404
    form = UnitForm(request.POST or None, instance=instance, tenant_id=tenant_id)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            unit = form.save()
            record(unit, "unit.saved", actor=user, name=unit.name, active=unit.is_active)
        messages.success(request, _("Unit saved."))
        return redirect("units:manage")
    return render(request, "units/edit.html", {"form": form, "unit": instance})
