"""Documents per second of the task extractor on one core (issue #4: ≥ 100 docs/s).

    .venv/bin/python bench/extract_speed.py [--seconds 5]

The corpus is the gold set's texts, each repeated to a typical 2–5 page directive (about
12,000 characters), plus QĐ 131/2025 (seed 001) as it is. The registry is built once, as the
web layer and the command keep it; the time is that of `extract_tasks` alone.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nhiemvu.settings")

import django  # noqa: E402

django.setup()

from nhiemvu.documents.extraction import default_registry, extract_tasks  # noqa: E402

GOLD = ROOT / "tests" / "data" / "extraction"
SEED_001 = ROOT.parent / "shared" / "seeds" / "001_9dbf80419a161ba7.txt"


def corpus() -> list[str]:
    texts = []
    for path in sorted(GOLD.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        texts.append("\n".join([text] * max(1, 12000 // max(len(text), 1))))
    if SEED_001.exists():
        texts.append(SEED_001.read_text(encoding="utf-8"))
    return texts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    args = parser.parse_args()
    registry = default_registry()
    texts = corpus()
    issued = dt.date(2025, 1, 1)
    extract_tasks(texts[0], issued=issued, lang=None, registry=registry)  # warm up
    done = chars = tasks = 0
    start = time.process_time()
    while time.process_time() - start < args.seconds:
        for text in texts:
            tasks += len(extract_tasks(text, issued=issued, lang=None, registry=registry))
            chars += len(text)
            done += 1
    elapsed = time.process_time() - start
    print(
        f"{done} documents ({chars / done:,.0f} characters on average, {tasks / done:.1f} tasks "
        f"each) in {elapsed:.2f} s CPU: {done / elapsed:.0f} documents/s"
    )


if __name__ == "__main__":
    main()
