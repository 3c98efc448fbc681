from typing import Any

from django.contrib import admin

from .models import Event, Tenant


@admin.register(Tenant)
class TenantAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "due_soon_working_days", "many_tasks_threshold")

    def save_model(self, request: Any, obj: Tenant, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if change and "due_soon_working_days" in form.changed_data:
            from nhiemvu.tasks.workflow import refresh_due_soon  # tasks build on core

            refresh_due_soon(obj)  # the admin saves in one transaction: all or nothing


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    """History is read-only everywhere, the admin included (R7)."""

    list_display = ("at", "action", "object_type", "object_id", "actor", "tenant")
    list_filter = ("tenant", "object_type", "action")

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False
