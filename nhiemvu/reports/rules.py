"""Who may see and do what with reports: named predicates, used by every report page."""

from __future__ import annotations

from typing import TYPE_CHECKING

from nhiemvu.tasks.rules import is_office, is_unit_member, sees_whole_tenant

if TYPE_CHECKING:
    from nhiemvu.accounts.models import User
    from nhiemvu.units.models import Unit

    from .models import UnitReport


def can_view_results(user: User) -> bool:
    """Scorecards, unit reports and the consolidated report: the Office, leaders, inspectors
    and administrators (the tenant-wide roles)."""
    return sees_whole_tenant(user)


def can_manage(user: User) -> bool:
    """Periods, settings, the consolidated report and publication: the Office."""
    return is_office(user)


def can_write_report(user: User, unit: Unit) -> bool:
    """A unit's staff and head write and submit its periodic report (R18.1)."""
    return is_unit_member(user) and user.unit_id == unit.pk and user.tenant_id == unit.tenant_id


def can_view_report(user: User, report: UnitReport) -> bool:
    if not user.is_authenticated or user.tenant_id != report.tenant_id:
        return False
    return can_view_results(user) or (is_unit_member(user) and user.unit_id == report.unit_id)
