"""The one clock the domain reads. Tests freeze it; nothing else calls `timezone.now()`
for a business rule, so every deadline rule can be checked on a fixed day."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

from django.utils import timezone

_frozen: dt.datetime | None = None


def now() -> dt.datetime:
    return _frozen if _frozen is not None else timezone.now()


def today() -> dt.date:
    """Today in Asia/Ho_Chi_Minh (the project's TIME_ZONE)."""
    return timezone.localdate(now())


@contextmanager
def frozen(at: dt.datetime | dt.date) -> Iterator[None]:
    """Freeze the clock. A bare date means 09:00 local time on that day."""
    global _frozen
    if not isinstance(at, dt.datetime):
        at = dt.datetime.combine(at, dt.time(9, 0))
    if timezone.is_naive(at):
        at = timezone.make_aware(at)
    previous, _frozen = _frozen, at
    try:
        yield
    finally:
        _frozen = previous
