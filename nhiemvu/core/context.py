"""Template context every page needs: the navigation the user's roles allow."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from nhiemvu.accounts.models import OFFICE_ROLES, TENANT_WIDE_ROLES, Role


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": []}
    items: list[tuple[str, str]] = []
    office = user.has_role(*OFFICE_ROLES)
    in_unit = user.unit_id is not None and user.has_role(Role.UNIT_STAFF, Role.UNIT_HEAD)
    if office:
        items.append((reverse("documents:workbench"), _("Workbench")))
    if in_unit:
        items.append((reverse("tasks:workspace"), _("My unit")))
    items.append((reverse("tasks:list"), _("Tasks")))
    items.append((reverse("reports:dashboard"), _("Dashboard")))
    if user.has_role(*TENANT_WIDE_ROLES, Role.UNIT_STAFF, Role.UNIT_HEAD):
        items.append((reverse("reports:periods"), _("Reports")))
        items.append((reverse("inspections:index"), _("Inspections")))
    if office:
        items.append((reverse("feedback:queue"), _("Feedback")))
    elif in_unit:
        items.append((reverse("feedback:unit"), _("Feedback")))
    if user.has_role(Role.ADMINISTRATOR):
        items.append((reverse("units:manage"), _("Administration")))
    return {"nav": items}
