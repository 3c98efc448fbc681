from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import ApiToken, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "first_name", "last_name", "unit", "roles", "tenant", "is_active")
    list_filter = ("tenant", "is_active")
    raw_id_fields = ("unit",)
    fieldsets = (
        *BaseUserAdmin.fieldsets,  # type: ignore[misc]
        ("nhiemvu", {"fields": ("tenant", "unit", "roles", "title", "phone", "language")}),
    )


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "prefix", "created_at", "last_used_at", "is_active")
    readonly_fields = ("prefix", "key_hash")
