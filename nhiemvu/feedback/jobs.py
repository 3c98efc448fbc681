"""The feedback step of the daily sweep: late answers are reported to the Office leader.

The notifications worker calls `sweep(tenant, today)` for each tenant (see the hook in the
notifications sweep); it is safe to run any number of times a day, by several workers.
"""

from __future__ import annotations

import datetime as dt

from nhiemvu.core import clock
from nhiemvu.core.models import Tenant

from .services import flag_late_answers


def sweep(tenant: Tenant, today: dt.date | None = None) -> int:
    """Flag the late answers of one tenant; returns how many notifications were written."""
    return flag_late_answers(tenant, today or clock.today())


def sweep_all(today: dt.date | None = None) -> int:
    """`sweep` for every tenant (for a cron line or a command)."""
    return sum(sweep(tenant, today) for tenant in Tenant.objects.order_by("id"))
