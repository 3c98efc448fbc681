"""`{% unit_datalist %}`: the tenant's units as a <datalist>, so a unit picker finds a unit by
any part of its name, short name or alias, typed with or without diacritics."""

from __future__ import annotations

from typing import Any

from django import template

from nhiemvu.units.queries import pickable_units

register = template.Library()


@register.inclusion_tag("units/_datalist_options.html", takes_context=True)
def unit_datalist(context: dict[str, Any], list_id: str = "unit-names") -> dict[str, Any]:
    user = context["request"].user
    units = pickable_units(user.tenant_id).only("name", "short_name", "search_text")
    return {"list_id": list_id, "units": units}
