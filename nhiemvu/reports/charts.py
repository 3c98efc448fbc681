"""PNG charts of a snapshot (matplotlib, Agg backend, no display): completion by unit, and
the monthly trend. Drawn from the snapshot dict only, so a published chart is frozen too.
Colours are the status colours of `tasks.enums.COLOURS`."""

from __future__ import annotations

import io
from typing import Any

import matplotlib

matplotlib.use("Agg")

from matplotlib import pyplot as plt  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

from nhiemvu.tasks.enums import COLOURS, TimeStatus  # noqa: E402

ON_TIME = COLOURS[TimeStatus.COMPLETED_ON_TIME]
LATE = COLOURS[TimeStatus.COMPLETED_LATE]
OVERDUE = COLOURS[TimeStatus.OVERDUE]
#: Units shown in the by-unit chart (the rest are in the tables).
MAX_UNITS = 25


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
    plt.close(figure)
    return buffer.getvalue()


def units_png(data: dict[str, Any], labels: dict[str, str]) -> bytes:
    """Horizontal stacked bars per unit: completed on time, late, overdue (the tasks that fell
    due), best-ranked at the top. `labels` names the three series and the title."""
    units = [u for u in data["units"] if u["done_on_time"] + u["done_late"] + u["overdue"]]
    units = units[:MAX_UNITS][::-1]
    height = max(2.5, 0.32 * len(units) + 1.2)
    figure, axes = plt.subplots(figsize=(8, height))
    names = [u["short_name"] for u in units]
    on_time = [u["done_on_time"] for u in units]
    late = [u["done_late"] for u in units]
    overdue = [u["overdue"] for u in units]
    axes.barh(names, on_time, color=ON_TIME, label=labels["on_time"])
    axes.barh(names, late, left=on_time, color=LATE, label=labels["late"])
    axes.barh(
        names,
        overdue,
        left=[a + b for a, b in zip(on_time, late, strict=True)],
        color=OVERDUE,
        label=labels["overdue"],
    )
    axes.set_title(labels["title"])
    axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.08), ncol=3, fontsize=8, frameon=False)
    axes.tick_params(axis="y", labelsize=8)
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    if not units:
        axes.text(0.5, 0.5, "—", ha="center", va="center", transform=axes.transAxes)
    return _png(figure)


def trend_png(data: dict[str, Any], labels: dict[str, str]) -> bytes:
    """Stacked bars per month (completed on time, late) and the on-time share as a line."""
    months = data["trend"]
    names = [f"{m['month'][5:7]}/{m['month'][2:4]}" for m in months]
    on_time = [m["on_time"] for m in months]
    late = [m["late"] for m in months]
    figure, axes = plt.subplots(figsize=(8, 3.2))
    axes.bar(names, on_time, color=ON_TIME, label=labels["on_time"])
    axes.bar(names, late, bottom=on_time, color=LATE, label=labels["late"])
    axes.set_title(labels["title"])
    axes.tick_params(axis="x", labelsize=8)
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    share = axes.twinx()
    rates = [100 * a / (a + b) if a + b else None for a, b in zip(on_time, late, strict=True)]
    share.plot(
        [n for n, r in zip(names, rates, strict=True) if r is not None],
        [r for r in rates if r is not None],
        color="#333333",
        marker="o",
        label=labels["rate"],
    )
    share.set_ylim(0, 105)
    share.set_ylabel("%")
    handles = axes.get_legend_handles_labels()
    more = share.get_legend_handles_labels()
    axes.legend(handles[0] + more[0], handles[1] + more[1], loc="upper left", fontsize=8)
    return _png(figure)
