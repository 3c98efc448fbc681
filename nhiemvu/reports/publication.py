"""Publishing a period's results (R16.2, S1): a frozen snapshot, new versions for corrections.

A publication stores the whole `snapshot.build()` dict; the public page, its charts and its
CSV/JSON downloads are rendered from that stored dict only, so later edits to tasks cannot
change what was published. A correction is a new version with a note saying what changed;
every version stays visible.
"""

from __future__ import annotations

import csv
import io
import json
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from nhiemvu.core.errors import DomainError, NotAllowed
from nhiemvu.core.history import record

from . import snapshot
from .models import Publication, ReportingPeriod
from .rules import can_manage
from .scorecards import COUNTS

if TYPE_CHECKING:
    from nhiemvu.accounts.models import User

#: Open-data columns of the CSV, in order (stable names: machines read them).
CSV_COLUMNS = [
    "rank",
    "unit_id",
    "unit",
    "unit_kind",
    *COUNTS,
    "rate",
    "score",
]


@transaction.atomic
def publish(period: ReportingPeriod, *, by: User, note: str = "") -> Publication:
    """Freeze the period's figures as they are now and publish them as the next version.

    1. Lock the period so two publishers cannot take the same version number.
    2. A new version of an already published period needs a note (what it corrects).
    3. Build the snapshot, store it, record `publication.published`.
    """
    if not can_manage(by) or by.tenant_id != period.tenant_id:
        raise NotAllowed(_("Only the Office publishes results."))
    period = ReportingPeriod.objects.select_for_update().select_related("tenant").get(pk=period.pk)
    last = period.publications.aggregate(v=Max("version"))["v"] or 0
    note = (note or "").strip()
    if last and not note:
        raise DomainError(
            _("Say what this new version corrects: the earlier version stays visible."),
            field="note",
        )
    publication = Publication.objects.create(
        tenant_id=period.tenant_id,
        period=period,
        version=last + 1,
        snapshot=snapshot.build(period),
        note=note,
        published_by=by,
    )
    record(
        publication,
        "publication.published",
        actor=by,
        period=period.name,
        version=publication.version,
        note=note,
    )
    return publication


def latest(period: ReportingPeriod) -> Publication | None:
    return period.publications.order_by("-version").first()


def to_csv(data: dict[str, Any]) -> str:
    """The units' figures of a snapshot as CSV (UTF-8 with BOM so Excel shows Vietnamese)."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for u in data["units"]:
        writer.writerow(
            [
                u.get("rank") or "",
                u["id"],
                u["name"],
                u["kind"],
                *[u[name] for name in COUNTS],
                "" if u.get("rate") is None else u["rate"],
                "" if u.get("score") is None else u["score"],
            ]
        )
    return out.getvalue()


def to_json(publication: Publication) -> str:
    """The whole snapshot, with the version it belongs to."""
    payload = {
        "version": publication.version,
        "published_at": publication.published_at.isoformat(timespec="seconds"),
        "note": publication.note,
        **publication.snapshot,
    }
    return json.dumps(payload, ensure_ascii=False, indent=1)
