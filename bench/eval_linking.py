"""How well the indicator catalog links targets: every target of the shared gold files (seed and
development plans, read in place from ../shared) and of our own annotated plans, against
hand-made labels in bench/link_labels.json.

    .venv/bin/python bench/eval_linking.py               # the shipped catalog
    .venv/bin/python bench/eval_linking.py --names-only  # aliases removed: fuzzy matching alone
    .venv/bin/python bench/eval_linking.py --extracted   # names as luoshi extracts them from the plans
    .venv/bin/python bench/eval_linking.py --show wrong  # list targets by outcome

A label is a catalog key (the same indicator: should link), `~key` (a narrower or qualified
variant: a proposal is right, a confident link is counted as wrong), or null (not in the
catalog). The labels file holds one label per target, by file and position; no plan text.
The catalog's aliases were written after reading these names, so exact matches on the full
catalog are by construction; `--names-only` is the honest measure of the fuzzy path.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from luoshi.track.catalog import Catalog, load_catalog  # noqa: E402 - after the path is set

SHARED = (ROOT / ".." / "shared" / "corpus").resolve()
SETS = {"gold": SHARED / "gold", "dev": SHARED / "dev" / "gold",
        "plans": ROOT / "tests" / "fixtures" / "plans", "heldout": ROOT / "tests" / "fixtures" / "heldout"}
DOCS = {"gold": SHARED / "seeds", "dev": SHARED / "dev" / "docs"}
LABELS = ROOT / "bench" / "link_labels.json"


def targets():
    """(label id, position, target dict) of every annotated target."""
    for name, folder in SETS.items():
        for f in sorted(folder.glob("*.json")) if folder.is_dir() else []:
            for i, t in enumerate(json.loads(f.read_text(encoding="utf-8")).get("targets", [])):
                yield f"{name}/{f.stem}", i, t


def extracted_targets():
    """The same, but names and units as luoshi extracts them from each plan's document: each
    extracted target takes the label of the gold target at the same span (unmatched ones are
    left out)."""
    from luoshi.extract import extract
    from luoshi.read import read_path

    for name, folder in SETS.items():
        for f in sorted(folder.glob("*.json")) if folder.is_dir() else []:
            gold = json.loads(f.read_text(encoding="utf-8"))
            doc = DOCS.get(name, folder) / gold.get("document", f.stem + ".txt")
            at = {tuple(t["span"]): i for i, t in enumerate(gold.get("targets", []))}
            for t in extract(read_path(doc)).targets:
                if tuple(t.span) in at:
                    yield f"{name}/{f.stem}", at[tuple(t.span)], {"indicator": t.indicator, "unit": t.unit,
                                                                 "kind": t.kind}


def outcome(label: str | None, key: str | None, status: str) -> str:
    want = label.lstrip("~") if label else None
    narrow = bool(label and label.startswith("~"))
    if status in ("exact", "fuzzy"):
        return "right" if key == want and not narrow else "wrong"
    if status == "proposed":
        return "proposed_right" if key == want else "proposed_wrong"
    return "missed" if want and not narrow else ("missed_variant" if narrow else "right_none")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--names-only", action="store_true", help="drop every alias: fuzzy matching alone")
    ap.add_argument("--show", choices=["wrong", "proposed", "missed", "all"], help="list targets by outcome")
    ap.add_argument("--extracted", action="store_true", help="names as luoshi extracts them, not gold names")
    ap.add_argument("--draft", action="store_true", help="write predictions as a labels draft to review")
    args = ap.parse_args()
    cat = load_catalog()
    if args.names_only:
        cat = Catalog([replace(i, aliases=()) for i in cat.indicators], cat.source)
    labels = json.loads(LABELS.read_text(encoding="utf-8")) if LABELS.exists() else {}
    counts: Counter = Counter()
    by_status: Counter = Counter()
    draft: dict[str, list] = {}
    for fid, i, t in (extracted_targets() if args.extracted else targets()):
        m = cat.match(t["indicator"], t["unit"], t.get("kind"))
        draft.setdefault(fid, []).append(m.key if m.status != "none" else None)
        label = labels.get(fid, [])[i] if i < len(labels.get(fid, [])) else None
        o = outcome(label, m.key, m.status)
        counts[o] += 1
        by_status[m.status] += 1
        if args.show and (args.show == "all" or args.show in o):
            print(f"{o:15} {m.status:8} {m.score or '':5} {t['indicator']}[{t['unit']}] → {m.key}  (label {label})")
    if args.draft:
        LABELS.write_text(json.dumps(draft, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    total = sum(counts.values())
    print(f"catalog: {len(cat)} indicators{' (names only)' if args.names_only else ''}; "
          f"targets: {total}{' (extracted, aligned to gold by span)' if args.extracted else ''}")
    print("status:  " + "  ".join(f"{s} {by_status[s]}" for s in ("exact", "fuzzy", "proposed", "none")))
    rows = [("linked right (exact/fuzzy, right key)", "right"), ("linked WRONG (exact/fuzzy)", "wrong"),
            ("proposed, right key", "proposed_right"), ("proposed, wrong key", "proposed_wrong"),
            ("missed (none, should link)", "missed"), ("variant left unlinked", "missed_variant"),
            ("rightly unlinked", "right_none")]
    for text, k in rows:
        print(f"  {text:40} {counts[k]:4}")


if __name__ == "__main__":
    main()
