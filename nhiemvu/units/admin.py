from django.contrib import admin

from .models import Unit


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("name", "short_name", "kind", "parent", "org_code", "is_active", "tenant")
    list_filter = ("tenant", "kind", "is_active")
    search_fields = ("name", "short_name", "search_text")
    raw_id_fields = ("parent",)
