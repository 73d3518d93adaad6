"""Matching one target's name and unit to a catalog entry.

- `exact`: the normalised name is the entry's name or one of its aliases, and the unit is the
  entry's;
- `fuzzy`: rapidfuzz similarity of the names (filler words dropped) at least FUZZY, the same
  scope and quantity words (`normalize.markers`) on both sides, and the entry's unit;
- `proposed`: a weaker or qualified match, or any match whose unit is not the entry's (never a
  silent link across units): the office confirms it by adding an alias;
- `none`.

The thresholds were tuned on the targets of the shared gold files and our own annotated plans
(bench/eval_linking.py prints the evaluation).
"""
from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz, process

from luoshi.track.normalize import core, markers, norm_name

FUZZY = 85.0  # at least this similarity, same markers, same unit: linked without asking
PROPOSE = 70.0  # at least this (after the marker penalty): shown to the office to confirm
MARKER_PENALTY = 8.0  # per scope/quantity word on one side only, when ranking candidates
CONTAINED = 78.0  # a name that contains a catalog name whole scores at least this
UNIT_PENALTY = 15.0  # a name match under another unit must be that much stronger to be proposed


@dataclass(frozen=True)
class Link:
    key: str | None
    status: str  # exact | fuzzy | proposed | none
    score: float | None  # similarity 0–1; None for `none`

    @property
    def confident(self) -> bool:
        return self.status in ("exact", "fuzzy")


NO_LINK = Link(None, "none", None)


def _contained(short: str, name: str) -> bool:
    """`short` stands whole in `name`, and what surrounds it is no longer than itself (县城公共充电桩
    holds 公共充电桩; 数字经济发展专项资金 is not about 数字经济 the size)."""
    return len(short) >= 3 and short in name and len(name) - len(short) <= len(short)


class Matcher:
    def __init__(self, catalog):
        self.catalog = catalog
        self.names = list(catalog.names)
        self.keys = [catalog.names[n] for n in self.names]
        self.cores = [core(n) for n in self.names]
        self.marks = [markers(n) for n in self.names]
        self._cache: dict[tuple, Link] = {}

    def match(self, indicator: str, unit: str | None = None, kind: str | None = None) -> Link:
        """`kind` does not change the link: a PUE goal and a PUE standard are one indicator (the
        checks keep goals and standards apart)."""
        k = (indicator, unit)
        if k not in self._cache:
            self._cache[k] = self._match(indicator, unit)
        return self._cache[k]

    def _match(self, indicator: str, unit: str | None) -> Link:
        name = norm_name(indicator)
        if not name:
            return NO_LINK
        key = self.catalog.names.get(name)
        if key:
            ok = self.catalog.by_key[key].accepts_unit(unit)
            return Link(key, "exact" if ok else "proposed", 1.0)
        c, mk = core(name), markers(name)
        best: tuple[float, float, int] | None = None  # (rank, similarity, index)
        for _, sim, i in process.extract(c, self.cores, scorer=fuzz.ratio, limit=12, score_cutoff=40):
            if _contained(self.cores[i], c) or _contained(c, self.cores[i]):
                sim = max(sim, CONTAINED)
            rank = sim - MARKER_PENALTY * len(mk ^ self.marks[i])
            unit_ok = self.catalog.by_key[self.keys[i]].accepts_unit(unit)
            rank -= 0 if unit_ok else UNIT_PENALTY
            if best is None or rank > best[0]:
                best = (rank, sim, i)
        if best is None or best[0] < PROPOSE:
            return NO_LINK
        rank, sim, i = best
        key = self.keys[i]
        confident = (sim >= FUZZY and mk == self.marks[i] and self.catalog.by_key[key].accepts_unit(unit))
        return Link(key, "fuzzy" if confident else "proposed", round(sim / 100, 3))
