"""Users belong to a tenant and a unit, and hold one or more roles."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from nhiemvu.core.models import Tenant


class Role(models.TextChoices):
    OFFICE_SPECIALIST = "office_specialist", _("Office specialist")
    OFFICE_LEADER = "office_leader", _("Office leader")
    UNIT_STAFF = "unit_staff", _("Unit staff")
    UNIT_HEAD = "unit_head", _("Unit head")
    LEADER = "leader", _("Leader (Chairman / Vice Chairman)")
    INSPECTOR = "inspector", _("Inspector")
    ADMINISTRATOR = "administrator", _("Administrator")


OFFICE_ROLES = frozenset({Role.OFFICE_SPECIALIST, Role.OFFICE_LEADER})
UNIT_ROLES = frozenset({Role.UNIT_STAFF, Role.UNIT_HEAD})
TENANT_WIDE_ROLES = frozenset(
    {Role.OFFICE_SPECIALIST, Role.OFFICE_LEADER, Role.LEADER, Role.INSPECTOR, Role.ADMINISTRATOR}
)


class User(AbstractUser):
    """An official. `roles` is a list of `Role` values; `title` is shown on tasks they assign."""

    tenant = models.ForeignKey(
        Tenant, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("tenant")
    )
    unit = models.ForeignKey(
        "units.Unit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
        verbose_name=_("unit"),
    )
    roles = models.JSONField(_("roles"), default=list, blank=True)
    title = models.CharField(_("title"), max_length=120, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    language = models.CharField(
        _("language"), max_length=5, choices=settings.LANGUAGES, default="vi"
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def has_role(self, *roles: str) -> bool:
        return any(role in self.roles for role in roles)

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class ApiToken(models.Model):
    """A token for integrations (the DMS, scripts). Only its hash is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("user"),
    )
    name = models.CharField(_("name"), max_length=100)
    key_hash = models.CharField(_("key hash"), max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("prefix"), max_length=8, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @classmethod
    def issue(cls, user: User, name: str) -> tuple[ApiToken, str]:
        """Create a token and return it with the plain key, which is shown once."""
        key = "nv_" + secrets.token_urlsafe(32)
        token = cls.objects.create(user=user, name=name, key_hash=_hash(key), prefix=key[:8])
        return token, key

    @classmethod
    def authenticate(cls, key: str) -> User | None:
        """The active user of an active token (every API request asks: one query, no sort,
        the user with the unit and tenant the request needs)."""
        users = User.objects.select_related("unit", "tenant").filter(
            api_tokens__key_hash=_hash(key), api_tokens__is_active=True, is_active=True
        )[:1]
        return next(iter(users), None)
