"""A tenant's own special days: the swaps and corrections that override the national calendar."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Iterable
from typing import Any

from django.db import models
from django.db.models import F
from django.db.models.signals import post_delete, post_save
from django.dispatch import Signal, receiver
from django.utils.translation import gettext_lazy as _

from nhiemvu.core.models import Tenant, TenantModel

from . import calendar
from .enums import DayKind

#: Sent, in the transaction of the change, when what the tenants' working days are counted
#: from has changed: `tenant_ids`, and `dates` (the days that changed; None: any day). The
#: apps that store dates counted in working days (tasks' due-soon days, documents' intake
#: deadlines, feedback's and inspection reports' deadlines) recount them through
#: `recount_on_change`, and answer how many they moved.
calendar_changed = Signal()


def recount_on_change(recount: Callable[[Tenant, Collection[dt.date] | None], int]) -> None:
    """Have `recount(tenant, dates)` called, in the changing transaction, for each tenant
    whose calendar changes; it answers how many stored dates it moved. For the apps' ready()."""

    def receiver(tenant_ids: list[int], dates: Collection[dt.date] | None, **kwargs: Any) -> int:
        return sum(recount(tenant, dates) for tenant in Tenant.objects.filter(pk__in=tenant_ids))

    uid = f"{recount.__module__}.{recount.__qualname__}"
    calendar_changed.connect(receiver, weak=False, dispatch_uid=uid)


def touch_calendar(tenant_ids: Iterable[int], dates: Collection[dt.date] | None = None) -> int:
    """Mark the tenants' calendars as changed: bump `calendar_version` in the database (so
    every process rebuilds), drop this process's cached copy at once, and send
    `calendar_changed` so that stored dates are recounted. Returns how many moved."""
    ids = sorted(set(tenant_ids))
    for tenant_id in ids:
        Tenant.objects.filter(pk=tenant_id).update(calendar_version=F("calendar_version") + 1)
        calendar.forget(tenant_id)
    if not ids:
        return 0
    answers: list[tuple[Any, Any]] = calendar_changed.send(
        sender=CalendarDay, tenant_ids=ids, dates=dates
    )
    return sum(moved for __, moved in answers if isinstance(moved, int))


class CalendarDayQuerySet(models.QuerySet["CalendarDay"]):
    """Bulk writes skip the save signals, so they bump the calendar version themselves.
    (`delete()` sends `post_delete` for each row, and `bulk_update()` goes through `update()`.)"""

    def update(self, **kwargs: Any) -> int:
        tenant_ids = set(self.values_list("tenant_id", flat=True))
        count = super().update(**kwargs)
        new_tenant = kwargs.get("tenant", kwargs.get("tenant_id"))
        if new_tenant is not None:
            tenant_ids.add(getattr(new_tenant, "pk", new_tenant))
        touch_calendar(tenant_ids)
        return count

    def bulk_create(
        self,
        objs: Iterable[Any],  # CalendarDay; the stubs' covariant type var refuses the name
        batch_size: int | None = None,
        ignore_conflicts: bool = False,
        update_conflicts: bool = False,
        update_fields: Collection[str] | None = None,
        unique_fields: Collection[str] | None = None,
    ) -> list[Any]:
        created = super().bulk_create(
            objs,
            batch_size=batch_size,
            ignore_conflicts=ignore_conflicts,
            update_conflicts=update_conflicts,
            update_fields=update_fields,
            unique_fields=unique_fields,
        )
        touch_calendar(day.tenant_id for day in created)
        return created


class CalendarDay(TenantModel):
    """A day whose status the tenant sets, whatever the national calendar says: a day off
    (e.g. a swapped Friday) or a working day (e.g. the Saturday worked in exchange).

    Only the Office changes these, through `services.set_day` / `remove_day`. Any save or
    delete bumps `Tenant.calendar_version` (see the receivers below) so cached calendars
    are rebuilt.
    """

    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=20, choices=DayKind.choices)
    name = models.CharField(_("name"), max_length=200)
    source_document = models.CharField(_("source document"), max_length=200, blank=True)

    objects = CalendarDayQuerySet.as_manager()

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "date"], name="calendarday_one_per_date")
        ]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} ({self.get_kind_display()}): {self.name}"


@receiver(post_save, sender=CalendarDay, dispatch_uid="workcalendar.day_saved")
@receiver(post_delete, sender=CalendarDay, dispatch_uid="workcalendar.day_deleted")
def _calendar_day_changed(sender: type[CalendarDay], instance: CalendarDay, **kwargs: Any) -> None:
    touch_calendar([instance.tenant_id], [instance.date])
