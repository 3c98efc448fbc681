"""Profile, language and (for administrators) the people of the tenant."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from nhiemvu.accounts.models import Role, User
from nhiemvu.core.access import tenant_id


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    roles = [Role(r).label for r in user.roles if r in Role.values]
    return render(request, "accounts/profile.html", {"roles": roles})


@require_POST
def language(request: HttpRequest) -> HttpResponse:
    """Switch the interface language; a signed-in user keeps the choice on every device."""
    code = request.POST.get("language", "")
    if code not in dict(settings.LANGUAGES):
        code = settings.LANGUAGE_CODE
    if request.user.is_authenticated:
        User.objects.filter(pk=request.user.pk).update(language=code)
    translation.activate(code)
    target = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    response = redirect(target)
    response.set_cookie(settings.LANGUAGE_COOKIE_NAME, code, samesite="Lax")
    messages.success(request, _("Language changed."))
    return response


def _admin(request: HttpRequest) -> User:
    from django.http import Http404

    user: User = request.user  # type: ignore[assignment]
    if not user.is_authenticated or not user.has_role(Role.ADMINISTRATOR) or not user.tenant_id:
        raise Http404
    return user


@login_required
def users(request: HttpRequest) -> HttpResponse:
    """The tenant's people (administrators only)."""
    admin = _admin(request)
    people = User.objects.filter(tenant_id=tenant_id(admin)).select_related("unit")
    query = request.GET.get("q", "").strip()
    if query:
        from django.db.models import Q

        people = people.filter(
            Q(username__icontains=query)
            | Q(last_name__icontains=query)
            | Q(first_name__icontains=query)
            | Q(unit__name__icontains=query)
        )
    return render(
        request,
        "accounts/users.html",
        {
            "people": people.order_by("unit__path", "username")[:500],
            "q": query,
            "role_labels": dict(Role.choices),
        },
    )


@login_required
def edit_user(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    from django.db import transaction
    from django.http import Http404

    from nhiemvu.core.history import record

    from .forms import UserForm

    admin = _admin(request)
    instance = None
    if pk is not None:
        instance = User.objects.filter(pk=pk, tenant_id=tenant_id(admin)).first()
        if instance is None:
            raise Http404
    form = UserForm(request.POST or None, instance=instance, tenant_id=tenant_id(admin))
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            person = form.save()
            record(
                person,
                "user.saved",
                actor=admin,
                roles=person.roles,
                unit=person.unit_id,
                active=person.is_active,
            )
        messages.success(request, _("User saved."))
        return redirect("accounts:users")
    return render(request, "accounts/edit_user.html", {"form": form, "person": instance})
