from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from . import jobs
from .models import Notification, Preference, RuleSettings, UrgingLetter


@admin.register(RuleSettings)
class RuleSettingsAdmin(admin.ModelAdmin):
    list_display = ("tenant", "due_soon_days", "escalate_to_head_after", "escalate_to_office_after")


@admin.register(Preference)
class PreferenceAdmin(admin.ModelAdmin):
    list_display = ("user", "email_mode")
    raw_id_fields = ("user",)


@admin.action(description=_("Send the email again"))
def send_again(modeladmin: admin.ModelAdmin, request: HttpRequest, qs: QuerySet) -> None:
    for notification in qs:
        jobs.retry(notification)


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """Read-only: the outbox is written by events and the sweep; failed emails can be retried."""

    list_display = ("id", "recipient", "rule", "subject", "created_at", "read_at", "email_status")
    list_filter = ("tenant", "email_status", "rule")
    search_fields = ("subject", "recipient__username")
    raw_id_fields = ("recipient", "task", "document", "letter")
    actions = [send_again]

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False


@admin.register(UrgingLetter)
class UrgingLetterAdmin(admin.ModelAdmin):
    list_display = ("number", "unit", "issued_on", "sent_at", "tenant")
    list_filter = ("tenant",)
    raw_id_fields = ("unit", "tasks", "created_by", "sent_by")
