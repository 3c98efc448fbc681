"""Tenants, the base for tenant-owned rows, and the immutable history of changes."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from nhiemvu.core import clock


class Tenant(models.Model):
    """An assigning authority (e.g. UBND tỉnh Thanh Hóa); every other row belongs to one.

    One deployment can serve many provinces; every query is scoped to the user's tenant.
    """

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=255)
    due_soon_working_days = models.PositiveSmallIntegerField(
        _("due-soon window (working days)"), default=3
    )
    many_tasks_threshold = models.PositiveSmallIntegerField(
        _("tasks or units that make a document 'many tasks' (R6.1c)"), default=5
    )
    calendar_version = models.PositiveIntegerField(_("calendar version"), default=0, editable=False)

    class Meta:
        verbose_name = _("tenant")
        verbose_name_plural = _("tenants")

    def __str__(self) -> str:
        return self.name


class TenantModel(models.Model):
    """Abstract base: the row belongs to one tenant."""

    tenant = models.ForeignKey(Tenant, on_delete=models.PROTECT, verbose_name=_("tenant"))

    class Meta:
        abstract = True


class ImmutableError(Exception):
    pass


class Event(TenantModel):
    """One change on record (R7): who, when, what, before and after. Never edited or deleted.

    `action` is a dotted name (`task.assigned`, `document.created`); `detail` holds the
    changed fields as {"field": [before, after]} plus any reason or note.
    """

    object_type = models.CharField(_("object type"), max_length=40)
    object_id = models.BigIntegerField(_("object id"))
    action = models.CharField(_("action"), max_length=60)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("actor"),
    )
    at = models.DateTimeField(_("at"), default=clock.now, db_index=False)
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    class Meta:
        verbose_name = _("history event")
        verbose_name_plural = _("history events")
        indexes = [models.Index(fields=["object_type", "object_id", "id"])]
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.action} {self.object_type}#{self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ImmutableError("History events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ImmutableError("History events cannot be deleted.")
