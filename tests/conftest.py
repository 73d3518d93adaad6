"""Shared test fixtures. The shared corpus (../shared beside the project) is test data that tests
read in place; it is never copied into the project."""
from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = (ROOT / ".." / "shared").resolve()
SEEDS = SHARED / "corpus" / "seeds"
GOLD = SHARED / "corpus" / "gold"
DEV_DOCS = SHARED / "corpus" / "dev" / "docs"
DEV_GOLD = SHARED / "corpus" / "dev" / "gold"
FIXTURES = ROOT / "tests" / "fixtures"

needs_corpus = pytest.mark.skipif(not GOLD.is_dir(), reason="../shared/corpus is not beside the project")


def corpus_pairs(gold_dir: Path, docs_dir: Path):
    """(document path, gold dict) for every gold file."""
    out = []
    if not gold_dir.is_dir():
        return out
    for g in sorted(gold_dir.glob("*.json")):
        gold = json.loads(g.read_text(encoding="utf-8"))
        out.append((docs_dir / gold.get("document", g.stem + ".txt"), gold))
    return out


def load_scorer():
    """The shared scorer, imported from where it stands."""
    path = SHARED / "tools" / "score_extraction.py"
    spec = importlib.util.spec_from_file_location("score_extraction", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod
