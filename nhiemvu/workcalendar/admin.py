from typing import Any

from django.contrib import admin
from django.db.models import QuerySet

from . import services
from .models import CalendarDay


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    """A tenant's swaps and corrections. Writes go through `services` so that each change is
    recorded in the history; tenant and date are fixed once a day exists (remove it instead)."""

    list_display = ("date", "kind", "name", "source_document", "tenant")
    list_filter = ("tenant", "kind")
    search_fields = ("name", "source_document")
    date_hierarchy = "date"
    ordering = ("-date",)

    def get_readonly_fields(self, request: Any, obj: CalendarDay | None = None) -> Any:
        return ("tenant", "date") if obj is not None else ()

    def save_model(self, request: Any, obj: CalendarDay, form: Any, change: bool) -> None:
        saved = services.set_day(
            obj.tenant,
            obj.date,
            obj.kind,
            name=obj.name,
            source=obj.source_document,
            by=request.user,
        )
        obj.pk = saved.pk

    def delete_model(self, request: Any, obj: CalendarDay) -> None:
        services.remove_day(obj.tenant, obj.date, by=request.user)

    def delete_queryset(self, request: Any, queryset: QuerySet[CalendarDay]) -> None:
        for day in queryset.select_related("tenant"):
            services.remove_day(day.tenant, day.date, by=request.user)
