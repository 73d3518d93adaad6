"""Plan files for the ingest tests and the ingest benchmark. A helper module, not a test module.

Each file is one of the shared seed plans (read in place from ../shared, never copied into the
project) or luoshi's own sample plan, under a region, title and 文号 of its own and with the
numbers of its targets changed, so every file is a different plan with its own key.

    from tests.store.generate import generate, revise
    paths = generate(tmp_path, 150)
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from luoshi.extract import extract
from luoshi.read import read_bytes
from luoshi.sample import sample_text
from luoshi.store.regions import short_name
from tests.conftest import SEEDS

# Invented place names: 40 × 30 two-character names, none of them a real prefecture's short name.
_FIRST = "澜岚沅溱泓渝澧湄汀沣洹淇浔漪灏澄潆滢瀚涟鹭鸥雁鹤松柏枫桐梧榆楠杉桂棠栎椿檀樟芷蘅"
_SECOND = "州川阳宁平安源江山河原丘坪湾浦岭峰屿溪泉谷塘湖滩洲陵关城林圩"
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_DOC_NO = re.compile(r"^(\D*?)〔(\d{4})〕\s*\d+\s*号$")


@dataclass(frozen=True)
class Base:
    name: str
    text: str
    short: str | None  # the region as the text writes it, without 市/省: 聊城
    doc_number: str | None
    spans: tuple[tuple[int, int], ...]  # where the targets' numbers stand


@functools.cache
def bases() -> tuple[Base, ...]:
    """The seed plans that are plans (they have targets), then the sample plan."""
    sources = [(p.name, p.read_bytes()) for p in sorted(SEEDS.glob("*.txt"))] if SEEDS.is_dir() else []
    sources.append(("sample_plan.txt", sample_text().encode("utf-8")))
    out = []
    for name, data in sources:
        plan = extract(read_bytes(data, name))
        md = plan.metadata
        if not plan.targets:
            continue
        out.append(Base(name, plan.text, short_name(md.region) if md.region else None, md.doc_number,
                        tuple(t.span for t in plan.targets)))
    return tuple(out)


def place(i: int) -> str:
    """The i-th invented place name (two characters; unique for i < 1,200)."""
    return _FIRST[i // len(_SECOND) % len(_FIRST)] + _SECOND[i % len(_SECOND)]


def change_numbers(text: str, spans, factor: float) -> str:
    """`text` with the first number inside each span scaled by `factor` (never left unchanged)."""
    for start, end in sorted(spans, reverse=True):
        m = _NUMBER.search(text, start, end)
        if not m:
            continue
        old = m.group()
        decimals = len(old.partition(".")[2])
        value = round(float(old) * factor, decimals)
        new = f"{value:.{decimals}f}" if decimals else str(int(value))
        if new == old or float(new) == 0:
            new = str(int(float(old)) + 1) if not decimals else f"{float(old) + 1:.{decimals}f}"
        text = text[:m.start()] + new + text[m.end():]
    return text


def variant(i: int) -> str:
    """The text of the i-th generated plan."""
    all_bases = bases()
    base = all_bases[i % len(all_bases)]
    factor = 1 + ((i * 37) % 41 - 20) / 100  # 0.80 … 1.20
    text = change_numbers(base.text, base.spans, factor)
    new = place(i)
    if base.doc_number and (m := _DOC_NO.match(base.doc_number)):
        text = text.replace(base.doc_number, f"{new[0]}{m.group(1)[1:]}〔{m.group(2)}〕{i + 1}号")
    if base.short:
        text = text.replace(base.short, new)
    return text


def generate(folder: str | Path, n: int, *, start: int = 0) -> list[Path]:
    """Write plans start … start+n-1 into `folder` as UTF-8 text files; their paths, in order."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(start, start + n):
        p = folder / f"{i:04d}_{place(i)}.txt"
        p.write_text(variant(i), encoding="utf-8")
        paths.append(p)
    return paths


def revise(text: str, k: int = 3, factor: float = 1.5) -> tuple[str, list[str]]:
    """A revised version of a plan: same title and 文号, the numbers of its first `k` targets
    changed. Returns the new text and the indicators that changed."""
    plan = extract(read_bytes(text.encode("utf-8")))
    chosen = plan.targets[:k]
    return change_numbers(text, [t.span for t in chosen], factor), [t.indicator for t in chosen]
