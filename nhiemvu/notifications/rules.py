"""Who may see and do what in notifications and urging letters (named predicates)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from nhiemvu.accounts.models import OFFICE_ROLES, TENANT_WIDE_ROLES, Role

if TYPE_CHECKING:
    from nhiemvu.accounts.models import User

    from .models import UrgingLetter


def can_issue_letters(user: User) -> bool:
    return user.is_authenticated and user.tenant_id is not None and user.has_role(*OFFICE_ROLES)


def can_view_letter(user: User, letter: UrgingLetter) -> bool:
    """The Office and the tenant-wide roles; and the addressed unit's own members."""
    if not user.is_authenticated or user.tenant_id != letter.tenant_id:
        return False
    if user.has_role(*TENANT_WIDE_ROLES):
        return True
    return user.unit_id == letter.unit_id and user.has_role(Role.UNIT_STAFF, Role.UNIT_HEAD)


def can_edit_rules(user: User) -> bool:
    return (
        user.is_authenticated
        and user.tenant_id is not None
        and (user.has_role(Role.OFFICE_LEADER, Role.ADMINISTRATOR))
    )


def can_see_failed_email(user: User) -> bool:
    """Administrators see emails that failed after the last try."""
    return (
        user.is_authenticated and user.tenant_id is not None and user.has_role(Role.ADMINISTRATOR)
    )
