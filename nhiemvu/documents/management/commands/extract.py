"""`nhiemvu extract FILE [--issued YYYY-MM-DD] [--lang vi|en] [--tenant CODE]`: print the tasks
proposed from a directive as JSON (issue #4's command-line contract)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from nhiemvu.core.errors import DomainError
from nhiemvu.documents.extraction import Registry, default_registry, extract_tasks, read_text


class Command(BaseCommand):
    help = "Print the tasks proposed from a directive file (.txt, .docx, .pdf) as JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the directive: .txt, .docx or .pdf")
        parser.add_argument("--issued", help="issuing date YYYY-MM-DD (dates without a year)")
        parser.add_argument("--lang", choices=["vi", "en"], help="the text's language")
        parser.add_argument(
            "--tenant", help="resolve units against this tenant's registry (default: the file)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        issued = None
        if options.get("issued"):
            try:
                issued = dt.date.fromisoformat(options["issued"])
            except ValueError as exc:
                raise CommandError("--issued must be YYYY-MM-DD") from exc
        try:
            text = read_text(path.name, path.read_bytes())
            registry = (
                Registry.for_tenant_code(options["tenant"])
                if options.get("tenant")
                else default_registry()
            )
        except DomainError as exc:
            raise CommandError(str(exc.message)) from exc
        tasks = extract_tasks(text, issued=issued, lang=options.get("lang"), registry=registry)
        payload = {"tasks": [t.as_json() for t in tasks]}
        self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
