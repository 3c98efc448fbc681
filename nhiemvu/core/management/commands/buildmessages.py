"""Compile the translation catalogues (.po → .mo) in pure Python, so that neither running nor
testing the system needs GNU gettext installed. `makemessages` (which does need it) is only
for translators."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand


def build_messages() -> list[Path]:
    """Compile every catalogue whose .mo is missing or older than its .po; return those built."""
    built = []
    roots = [Path(p) for p in settings.LOCALE_PATHS]
    roots += [
        Path(app.path) / "locale"
        for app in apps.get_app_configs()
        if app.name.startswith("nhiemvu.")
    ]
    for root in roots:
        for po_path in sorted(root.glob("*/LC_MESSAGES/*.po")):
            mo_path = po_path.with_suffix(".mo")
            if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
                continue
            with po_path.open("rb") as po_file:
                catalog = read_po(po_file, locale=po_path.parent.parent.name)
            with mo_path.open("wb") as mo_file:
                write_mo(mo_file, catalog, use_fuzzy=False)
            built.append(mo_path)
    if built:
        # Apps may have translated a string while the process started, before the .mo
        # existed (a fresh clone): forget the empty catalogues so the new ones are read.
        from django.utils.translation import trans_real

        trans_real._translations = {}  # type: ignore[attr-defined]
        trans_real._default = None  # type: ignore[attr-defined]
    return built


class Command(BaseCommand):
    help = "Compile translation catalogues (.po → .mo) without GNU gettext."

    def handle(self, *args: Any, **options: Any) -> None:
        for path in build_messages():
            self.stdout.write(f"compiled {path}")
