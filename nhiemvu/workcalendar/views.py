"""The holiday calendar page: the year's days off and make-up working days, and the tenant's
own swap days, which an administrator adds or removes here."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from nhiemvu.core import clock
from nhiemvu.core.errors import DomainError
from nhiemvu.units.views import admin_only

from .calendar import calendar_for
from .enums import DayKind
from .models import CalendarDay
from .services import remove_day, set_day


class DayForm(forms.Form):
    date = forms.DateField(
        label=gettext_lazy("Date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=DayKind.choices)
    name = forms.CharField(label=gettext_lazy("Name"), max_length=150)
    source = forms.CharField(label=gettext_lazy("Source document"), required=False, max_length=150)


@login_required
def manage(request: HttpRequest) -> HttpResponse:
    user = admin_only(request)
    tenant = user.tenant
    if tenant is None:
        raise Http404
    try:
        year = int(request.GET.get("year") or clock.today().year)
    except ValueError:
        year = clock.today().year
    form = DayForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            set_day(
                tenant,
                data["date"],
                data["kind"],
                name=data["name"],  # type: ignore[arg-type]
                source=data["source"],
                by=user,
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Calendar saved."))
            return redirect(f"{request.path}?year={data['date'].year}")
    cal = calendar_for(tenant)
    return render(
        request,
        "workcalendar/manage.html",
        {
            "year": year,
            "days": cal.special_days(year),
            "form": form,
            "own": CalendarDay.objects.filter(tenant=tenant, date__year=year).order_by("date"),
            "working_days": cal.working_days_between(
                dt.date(year - 1, 12, 31), dt.date(year, 12, 31)
            ),
        },
    )


@login_required
@require_POST
def remove(request: HttpRequest, date: str) -> HttpResponse:
    user = admin_only(request)
    day = dt.date.fromisoformat(date)
    if remove_day(user.tenant, day, by=user):  # type: ignore[arg-type]
        messages.success(request, _("Calendar saved."))
    return redirect(reverse("workcalendar:manage") + f"?year={day.year}")
