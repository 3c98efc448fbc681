"""Finding units by the names people type: full names, short names, aliases (old names of
merged departments, abbreviations), with or without diacritics."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from nhiemvu.core.errors import DomainError
from nhiemvu.core.text import fold

from .models import Unit, UnitKind


def active_units(tenant_id: int) -> QuerySet[Unit]:
    return Unit.objects.filter(tenant_id=tenant_id, is_active=True).order_by("path")


def pickable_units(tenant_id: int) -> QuerySet[Unit]:
    """Units that can lead or coordinate a top-level task (not the authority itself)."""
    return active_units(tenant_id).exclude(kind=UnitKind.AUTHORITY)


def find_unit(tenant_id: int, text: str) -> Unit | None:
    """The unit `text` names: an exact (accent-free) name, short name or alias first, then the
    only unit whose names contain every word of `text`. None when nothing or several match."""
    key = fold(text)
    if not key:
        return None
    candidates = list(pickable_units(tenant_id).filter(search_text__contains=key.split()[0]))
    exact = [
        u
        for u in candidates
        if key in {fold(u.name), fold(u.short_name), *(fold(a) for a in u.aliases)}
    ]
    if len(exact) == 1:
        return exact[0]
    words = key.split()
    partial = [u for u in candidates if all(w in u.search_text for w in words)]
    if len(partial) == 1:
        return partial[0]
    return None


def resolve_units(tenant_id: int, text: str, field: str) -> list[Unit]:
    """Several unit names separated by ';' (or new lines) → units, or a clear error naming
    the ones not found. Duplicates are dropped, order kept."""
    found: list[Unit] = []
    missing: list[str] = []
    for part in text.replace("\n", ";").split(";"):
        part = part.strip()
        if not part:
            continue
        unit = find_unit(tenant_id, part)
        if unit is None:
            missing.append(part)
        elif unit not in found:
            found.append(unit)
    if missing:
        raise DomainError(
            _("No single unit matches: %(names)s. Pick a name from the list.")
            % {"names": "; ".join(missing)},
            field=field,
        )
    return found
