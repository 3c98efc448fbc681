from django.contrib import admin

from .models import Feedback


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    """Read-only: feedback changes only through `services` (history and notifications)."""

    list_display = ("id", "task", "filer_unit", "about_unit", "kind", "state", "due_on")
    list_filter = ("tenant", "state", "kind")
    raw_id_fields = ("task", "filed_by", "filer_unit", "about_unit", "answered_by", "letter")

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False
