"""Notification centre, email preference, urging letters, reminder rules and failed emails.
Everyone sees only their own notifications; anyone else's is a 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, F
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from nhiemvu.core import clock
from nhiemvu.core.access import me, tenant_id
from nhiemvu.core.errors import DomainError
from nhiemvu.tasks.models import Task
from nhiemvu.tasks.queries import time_status_q

from . import jobs, letters, rules
from .enums import EmailMode, EmailStatus
from .forms import LetterForm, PreferenceForm, RuleSettingsForm
from .models import Notification, Preference, RuleSettings, UrgingLetter

PAGE_SIZE = 25


def _back(request: HttpRequest, default: str = "notifications:list") -> HttpResponse:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(default)


def _own(request: HttpRequest, pk: int) -> Notification:
    return get_object_or_404(Notification, pk=pk, recipient=me(request))


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    """The user's notifications, unread first, newest first; and the email preference."""
    user = me(request)
    qs = Notification.objects.filter(recipient=user).order_by(
        F("read_at").desc(nulls_first=True), "-id"
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    mode = Preference.objects.filter(user=user).values_list("email_mode", flat=True).first()
    return render(
        request,
        "notifications/list.html",
        {
            "page": page,
            "unread": Notification.objects.filter(recipient=user, read_at__isnull=True).count(),
            "preference": PreferenceForm(initial={"email_mode": mode or EmailMode.EACH}),
        },
    )


@login_required
def open_notification(request: HttpRequest, pk: int) -> HttpResponse:
    """Follow a notification to its task or document. Opening it is reading it (idempotent,
    and only the recipient can)."""
    notification = _own(request, pk)
    if notification.read_at is None:
        Notification.objects.filter(pk=pk, read_at__isnull=True).update(read_at=clock.now())
    return redirect(notification.link or "notifications:list")


@login_required
@require_POST
def mark_read(request: HttpRequest, pk: int) -> HttpResponse:
    notification = _own(request, pk)
    Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
        read_at=clock.now()
    )
    return _back(request)


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    done = Notification.objects.filter(recipient=me(request), read_at__isnull=True).update(
        read_at=clock.now()
    )
    messages.success(request, _("%(count)s notifications marked as read.") % {"count": done})
    return _back(request)


@login_required
@require_POST
def set_preference(request: HttpRequest) -> HttpResponse:
    form = PreferenceForm(request.POST)
    if form.is_valid():
        Preference.objects.update_or_create(
            user=me(request), defaults={"email_mode": form.cleaned_data["email_mode"]}
        )
        messages.success(request, _("Your email preference is saved."))
    else:
        messages.error(request, _("Choose one of the options."))
    return redirect("notifications:list")


# --- urging letters ------------------------------------------------------------------------


@login_required
def letter_list(request: HttpRequest) -> HttpResponse:
    """The Office's letters, and the units with overdue tasks to urge."""
    user = me(request)
    if not rules.can_issue_letters(user):
        raise Http404
    tenant = tenant_id(user)
    today = clock.today()
    form = LetterForm(request.POST or None, tenant_id=tenant)
    if request.method == "POST" and form.is_valid():
        try:
            letter = letters.issue(
                form.cleaned_data["unit"],
                by=user,
                number=form.cleaned_data["number"],
                signer_authority=form.cleaned_data["signer_authority"],
                signer_title=form.cleaned_data["signer_title"],
                signer_name=form.cleaned_data["signer_name"],
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error))
        else:
            messages.success(
                request, _("Urging letter %(number)s is ready.") % {"number": letter.number}
            )
            return redirect("notifications:letter", pk=letter.pk)
    overdue = (
        Task.objects.filter(tenant_id=tenant, parent__isnull=True)
        .filter(time_status_q("overdue", today))
        .values("lead_unit_id", "lead_unit__name")
        .annotate(count=Count("id"))
        .order_by("-count", "lead_unit__name")[:50]
    )
    issued = UrgingLetter.objects.filter(tenant_id=tenant).select_related("unit")[:50]
    return render(
        request,
        "notifications/letters.html",
        {"form": form, "overdue": overdue, "letters": issued, "today": today},
    )


def _letter(request: HttpRequest, pk: int) -> UrgingLetter:
    letter = UrgingLetter.objects.select_related("unit", "tenant").filter(pk=pk).first()
    if letter is None or not rules.can_view_letter(me(request), letter):
        raise Http404
    return letter


@login_required
def letter_detail(request: HttpRequest, pk: int) -> HttpResponse:
    letter = _letter(request, pk)
    return render(
        request,
        "notifications/letter.html",
        {"letter": letter, "can_send": rules.can_issue_letters(me(request))},
    )


@login_required
def letter_docx(request: HttpRequest, pk: int) -> HttpResponse:
    letter = _letter(request, pk)
    response = HttpResponse(
        letters.build_docx(letter),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = f'attachment; filename="{letter.filename()}"'
    return response


@login_required
@require_POST
def letter_sent(request: HttpRequest, pk: int) -> HttpResponse:
    letter = _letter(request, pk)
    if not rules.can_issue_letters(me(request)):
        raise Http404
    letters.mark_sent(letter, by=me(request))
    messages.success(request, _("Recorded as sent; the unit has been notified."))
    return redirect("notifications:letter", pk=letter.pk)


# --- administration ------------------------------------------------------------------------


@login_required
def rule_settings(request: HttpRequest) -> HttpResponse:
    user = me(request)
    if not rules.can_edit_rules(user) or user.tenant is None:
        raise Http404
    instance = RuleSettings.for_tenant(user.tenant)
    form = RuleSettingsForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The reminder rules are saved."))
        return redirect("notifications:rules")
    return render(request, "notifications/rules.html", {"form": form})


@login_required
def failed_emails(request: HttpRequest) -> HttpResponse:
    """Emails that failed after the last try, for administrators to look into."""
    user = me(request)
    if not rules.can_see_failed_email(user):
        raise Http404
    qs = (
        Notification.objects.filter(tenant_id=tenant_id(user), email_status=EmailStatus.FAILED)
        .select_related("recipient")
        .order_by("-id")
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notifications/failed.html", {"page": page})


@login_required
@require_POST
def retry_email(request: HttpRequest, pk: int) -> HttpResponse:
    user = me(request)
    if not rules.can_see_failed_email(user):
        raise Http404
    notification = get_object_or_404(Notification, pk=pk, tenant_id=tenant_id(user))
    jobs.retry(notification)
    messages.success(request, _("The email will be sent again."))
    return redirect("notifications:failed")
