"""Score the task extractor against the gold set in tests/data/extraction/ (issue #4).

    .venv/bin/python bench/eval_extraction.py [--split dev|test|all] [--verbose]

For each half (dev, test) it prints task detection precision/recall/F1 and, on matched tasks,
the accuracy of the lead units as the text names them (`lead`), of the resolved registry units
(`lead_units`), of the deadline and of the reporting cycle. A predicted task matches a gold task
when their contents share most words (containment of folded word sets ≥ 0.6), one to one,
best pairs first. Units are resolved against the registry file (no database needed).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nhiemvu.settings")

import django  # noqa: E402

django.setup()

from nhiemvu.core.text import fold  # noqa: E402
from nhiemvu.documents.extraction import default_registry, extract_tasks  # noqa: E402

GOLD = ROOT / "tests" / "data" / "extraction"


def words(text: str) -> set[str]:
    return set(re.findall(r"[a-z0-9]+", fold(text)))


def similarity(a: str, b: str) -> float:
    wa, wb = words(a), words(b)
    if not wa or not wb:
        return 0.0
    return len(wa & wb) / min(len(wa), len(wb))


def norm_name(name: str) -> str:
    n = " ".join(re.findall(r"[a-z0-9]+", fold(name).replace("uy ban nhan dan", "ubnd")))
    for prefix in ("the ", "provincial "):
        if n.startswith(prefix):
            n = n[len(prefix) :]
    return n


def load(split: str) -> list[tuple[Path, dict]]:
    docs = []
    for path in sorted(GOLD.glob("*.json")):
        meta = json.loads(path.read_text(encoding="utf-8"))
        if split in ("all", meta["split"]):
            docs.append((path, meta))
    return docs


def evaluate(split: str, verbose: bool = False) -> dict[str, float]:
    registry = default_registry()
    tp = fp = fn = 0
    lead_ok = units_ok = deadline_ok = periodic_ok = coord_ok = 0
    for path, meta in load(split):
        text = path.with_suffix(".txt").read_text(encoding="utf-8")
        issued = dt.date.fromisoformat(meta["issued"]) if meta.get("issued") else None
        predicted = [
            t.as_json()
            for t in extract_tasks(text, issued=issued, lang=meta.get("lang"), registry=registry)
        ]
        gold = meta["tasks"]
        pairs = sorted(
            (
                (similarity(g["content"], p["content"]), gi, pi)
                for gi, g in enumerate(gold)
                for pi, p in enumerate(predicted)
            ),
            reverse=True,
        )
        used_g: set[int] = set()
        used_p: set[int] = set()
        matches = []
        for score, gi, pi in pairs:
            if score < 0.6 or gi in used_g or pi in used_p:
                continue
            used_g.add(gi)
            used_p.add(pi)
            matches.append((gi, pi))
        tp += len(matches)
        fp += len(predicted) - len(matches)
        fn += len(gold) - len(matches)
        for gi, pi in matches:
            g, p = gold[gi], predicted[pi]
            checks = {
                "lead": {norm_name(x) for x in g["lead"]} == {norm_name(x) for x in p["lead"]},
                "units": set(g["lead_units"]) == set(p["lead_units"]),
                "deadline": g["deadline"] == p["deadline"],
                "periodic": g["periodic"] == p["periodic"],
                "coord": {norm_name(x) for x in g["coordinating"]}
                == {norm_name(x) for x in p["coordinating"]},
            }
            lead_ok += checks["lead"]
            units_ok += checks["units"]
            deadline_ok += checks["deadline"]
            periodic_ok += checks["periodic"]
            coord_ok += checks["coord"]
            if verbose and not all(checks.values()):
                wrong = [k for k, v in checks.items() if not v]
                print(f"  {path.stem}: {', '.join(wrong)} | {g['content'][:70]}")
                for k in wrong:
                    key = {"units": "lead_units", "coord": "coordinating"}.get(k, k)
                    gv, pv = g[key], p[key]
                    if key == "lead_units":
                        gv, pv = sorted(set(gv) - set(pv))[:4], sorted(set(pv) - set(gv))[:4]
                    print(f"      gold {k}: {gv}\n      got  {k}: {pv}")
        if verbose:
            for gi, g in enumerate(gold):
                if gi not in used_g:
                    print(f"  {path.stem}: MISSED | {g['content'][:90]}")
            for pi, p in enumerate(predicted):
                if pi not in used_p:
                    print(f"  {path.stem}: EXTRA  | {p['lead']} | {p['content'][:90]}")
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    matched = tp or 1
    return {
        "documents": len(load(split)),
        "gold_tasks": tp + fn,
        "predicted": tp + fp,
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "lead": lead_ok / matched,
        "lead_units": units_ok / matched,
        "coordinating": coord_ok / matched,
        "deadline": deadline_ok / matched,
        "periodic": periodic_ok / matched,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=["dev", "test", "all"])
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    splits = [args.split] if args.split else ["dev", "test", "all"]
    print(
        f"{'split':6} {'docs':>4} {'gold':>4} {'pred':>4} {'P':>6} {'R':>6} {'F1':>6} "
        f"{'lead':>6} {'units':>6} {'coord':>6} {'deadl':>6} {'cycle':>6}"
    )
    for split in splits:
        r = evaluate(split, verbose=args.verbose)
        print(
            f"{split:6} {r['documents']:>4} {r['gold_tasks']:>4} {r['predicted']:>4} "
            f"{r['precision']:6.3f} {r['recall']:6.3f} {r['f1']:6.3f} {r['lead']:6.3f} "
            f"{r['lead_units']:6.3f} {r['coordinating']:6.3f} {r['deadline']:6.3f} "
            f"{r['periodic']:6.3f}"
        )


if __name__ == "__main__":
    main()
