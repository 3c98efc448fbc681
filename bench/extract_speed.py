"""Documents per second of the task extractor on one core (issue #4: ≥ 100 docs/s).

    .venv/bin/python bench/extract_speed.py [--seconds 5] [--corpus mixed|repeated]

Two corpora of typical 2–5 page directives (about 12,000 characters each), plus QĐ 131/2025
(seed 001) as it is:

- `mixed` (the default): each document joins different gold texts, taken in turn, until it
  reaches about 12,000 characters, so no line repeats inside a document and nothing a
  document reads can be served from what the same document read before;
- `repeated`: each gold text repeated to about 12,000 characters (the first version of this
  benchmark; kept so that figures stay comparable).

The registry is built once, as the web layer and the command keep it; the time is that of
`extract_tasks` alone, in CPU seconds of this process (one core).
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
SIZE = 12000


def corpus(kind: str = "mixed") -> list[str]:
    gold = [p.read_text(encoding="utf-8") for p in sorted(GOLD.glob("*.txt"))]
    texts = []
    if kind == "repeated":
        for text in gold:
            texts.append("\n".join([text] * max(1, SIZE // max(len(text), 1))))
    else:
        for first in range(len(gold)):
            parts: list[str] = []
            k = first
            while sum(len(p) for p in parts) < SIZE and len(parts) < len(gold):
                parts.append(gold[k % len(gold)])
                k += 1
            texts.append("\n\n".join(parts))
    if SEED_001.exists():
        texts.append(SEED_001.read_text(encoding="utf-8"))
    return texts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--corpus", choices=["mixed", "repeated"], default="mixed")
    args = parser.parse_args()
    registry = default_registry()
    texts = corpus(args.corpus)
    issued = dt.date(2025, 1, 1)
    for text in texts:  # warm up: compiled patterns, imports
        extract_tasks(text, issued=issued, lang=None, registry=registry)
    done = chars = tasks = 0
    start = time.process_time()
    while time.process_time() - start < args.seconds:
        for text in texts:
            tasks += len(extract_tasks(text, issued=issued, lang=None, registry=registry))
            chars += len(text)
            done += 1
    elapsed = time.process_time() - start
    print(
        f"{args.corpus} corpus: {done} documents ({chars / done:,.0f} characters on average, "
        f"{tasks / done:.1f} tasks each) in {elapsed:.2f} s CPU: {done / elapsed:.0f} documents/s"
    )


if __name__ == "__main__":
    main()
