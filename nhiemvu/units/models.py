"""The unit tree of a tenant: the authority, the Office, departments, communes, divisions."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from nhiemvu.core.models import TenantModel
from nhiemvu.core.text import fold


class UnitKind(models.TextChoices):
    AUTHORITY = "authority", _("Assigning authority")
    OFFICE = "office", _("Office")
    DEPARTMENT = "department", _("Department")
    AGENCY = "agency", _("Other unit")
    COMMUNE = "commune", _("Commune / ward committee")
    DIVISION = "division", _("Division")


class Unit(TenantModel):
    """A unit that receives tasks (R1.2). Units form a tree; `path` makes subtree queries cheap.

    `path` is "/<root id>/.../<own id>/"; a unit's subtree is every unit whose path starts
    with its own. It is set on save and never edited by hand.
    """

    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("parent unit"),
    )
    name = models.CharField(_("name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=100, blank=True)
    aliases = models.JSONField(_("aliases"), default=list, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=UnitKind.choices)
    org_code = models.CharField(_("national organisation code"), max_length=40, blank=True)
    admin_code = models.CharField(_("administrative unit code"), max_length=10, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    path = models.CharField(_("path"), max_length=255, blank=True, editable=False, db_index=True)
    search_text = models.TextField(_("search text"), blank=True, editable=False)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "name"], name="unit_unique_name_per_tenant")
        ]

    def __str__(self) -> str:
        return self.short_name or self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_text = fold(" | ".join([self.name, self.short_name, *self.aliases]))
        super().save(*args, **kwargs)
        parent_path = self.parent.path if self.parent_id and self.parent else "/"
        path = f"{parent_path}{self.pk}/"
        if path != self.path:
            self.path = path
            Unit.objects.filter(pk=self.pk).update(path=path)

    def subtree(self) -> models.QuerySet[Unit]:
        return Unit.objects.filter(tenant_id=self.tenant_id, path__startswith=self.path)
