"""`{% unit_datalist %}`: the tenant's units as a <datalist>, so a unit picker finds a unit by
any part of its name, short name or alias, typed with or without diacritics.

The options are joined with `format_html_join`: a province has some 270 units, and rendering
them through the template engine cost several milliseconds on every page with a picker (the
workbench, the task list, the entry and review forms)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from nhiemvu.units.queries import pickable_units

register = template.Library()


@register.simple_tag(takes_context=True)
def unit_datalist(context: dict[str, Any], list_id: str = "unit-names") -> SafeString:
    user = context["request"].user
    units = pickable_units(user.tenant_id).values_list("name", "short_name", "search_text")
    options = format_html_join(
        "", '<option value="{}" label="{} · {}"></option>', ((n, s, t) for n, s, t in units)
    )
    return format_html('<datalist id="{}">{}</datalist>', list_id, options)
