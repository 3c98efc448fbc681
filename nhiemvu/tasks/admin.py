from django.contrib import admin

from .models import Field, Task


@admin.register(Field)
class FieldAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "tenant")


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    """Read-only: tasks change only through the workflow, which keeps the history."""

    list_display = ("id", "content", "lead_unit", "state", "deadline", "tenant")
    list_filter = ("tenant", "state")
    search_fields = ("search_text",)
    raw_id_fields = ("document", "parent", "lead_unit", "assigning_unit")

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False
