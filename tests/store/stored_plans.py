"""The five shared plans (read in place from ../shared/corpus/seeds) and luoshi's sample plan,
extracted once per test run and saved into a store with save_plan."""
from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass
from pathlib import Path

import pytest

from luoshi.extract import extract
from luoshi.model import Plan as ExtractedPlan
from luoshi.read import read_path
from luoshi.sample import SAMPLE_NAME
from luoshi.store import Store
from luoshi.store.plans import Saved, save_plan
from tests.conftest import ROOT, SEEDS

SAMPLE = ROOT / "luoshi" / "data" / SAMPLE_NAME


@dataclass
class Stored:
    url: str
    saved: dict[str, Saved]  # "000" … "004" for the seeds, "sample" for luoshi's own plan
    plans: dict[str, ExtractedPlan]

    def text(self, name: str) -> str:
        return self.plans[name].text

    def name_of(self, plan_id: int) -> str:
        return next(n for n, s in self.saved.items() if s.plan_id == plan_id)


def _name(path: Path) -> str:
    return "sample" if path == SAMPLE else path.name[:3]


@functools.cache
def extracted() -> dict[str, tuple[ExtractedPlan, str, str]]:
    """name → (extracted plan, sha256, file name)."""
    paths = sorted(SEEDS.glob("*.txt"))
    if len(paths) != 5:
        pytest.skip("../shared/corpus/seeds (five shared plans) is not beside the project")
    out = {}
    for p in [*paths, SAMPLE]:
        out[_name(p)] = (extract(read_path(p)), hashlib.sha256(p.read_bytes()).hexdigest(), p.name)
    return out


def store_all(url: str) -> Stored:
    plans = extracted()
    store = Store(url)
    try:
        with store.session() as s:
            saved = {name: save_plan(s, plan, sha, source) for name, (plan, sha, source) in plans.items()}
            s.commit()
    finally:
        store.close()
    return Stored(url, saved, {name: p for name, (p, _, _) in plans.items()})


def save_text(url: str, text: str, tmp: Path, name: str = "v2.txt") -> Saved:
    """Extract and save one more plan text (a new version when its 文号 is known)."""
    f = tmp / name
    f.write_text(text, encoding="utf-8")
    store = Store(url)
    try:
        with store.session() as s:
            saved = save_plan(s, extract(read_path(f)), hashlib.sha256(f.read_bytes()).hexdigest(), name)
            s.commit()
    finally:
        store.close()
    return saved
