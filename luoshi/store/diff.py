"""What changed in a plan's quantitative targets from one version to another.

Targets are paired across the versions in three passes, each over what the passes before left:
the same (indicator, year, unit); then the same indicator (its year or unit changed); then the
same position in the plan's list of targets (the indicator was renamed). An indicator is compared
as `normalise_indicator` writes it (NFKC, no spaces, no trailing (单位)). What stays unpaired was
removed (old version) or added (new version).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from luoshi.store.queries import normalise_indicator

# What a target is, for comparing: a change in any of these makes it "changed".
FIELDS = ("indicator", "comparator", "value", "value_max", "unit", "year", "kind")
FIELD_NAMES = {"indicator": "指标", "comparator": "比较", "value": "数值", "value_max": "上限", "unit": "单位",
               "year": "年份", "kind": "类型"}


@dataclass
class TargetChange:
    change: str  # added | removed | changed
    old: Any = None  # the target in the old version (a TargetRow, or anything with FIELDS and position)
    new: Any = None
    fields: list[str] = field(default_factory=list)  # for "changed": which of FIELDS differ


@dataclass
class TargetDiff:
    changes: list[TargetChange]
    unchanged: int

    def count(self, change: str) -> int:
        return sum(1 for c in self.changes if c.change == change)


def _passes():
    yield lambda t: (normalise_indicator(t.indicator), t.year, t.unit)
    yield lambda t: normalise_indicator(t.indicator)
    yield lambda t: t.position


def pair_targets(old: list, new: list) -> list[tuple[Any, Any]]:
    """(old, new) pairs, with None on the side a target is missing from; in the new version's
    order, removed targets after them in the old version's order."""
    left, right = list(old), list(new)
    pairs: list[tuple[Any, Any]] = []
    for key in _passes():
        waiting = defaultdict(list)
        for t in right:
            waiting[key(t)].append(t)
        rest = []
        for t in left:
            if waiting.get(key(t)):
                pairs.append((t, waiting[key(t)].pop(0)))
            else:
                rest.append(t)
        paired = {id(b) for _, b in pairs}
        left, right = rest, [t for t in right if id(t) not in paired]
    pairs += [(None, t) for t in right]
    pairs.sort(key=lambda p: p[1].position if p[1] is not None else float("inf"))
    return pairs + [(t, None) for t in sorted(left, key=lambda t: t.position)]


def diff_targets(old: list, new: list) -> TargetDiff:
    """The targets added, removed and changed from `old` to `new` (lists of targets)."""
    changes, unchanged = [], 0
    for a, b in pair_targets(old, new):
        if a is None:
            changes.append(TargetChange("added", None, b))
        elif b is None:
            changes.append(TargetChange("removed", a, None))
        else:
            differ = [f for f in FIELDS if not _same(getattr(a, f), getattr(b, f))]
            if differ:
                changes.append(TargetChange("changed", a, b, differ))
            else:
                unchanged += 1
    return TargetDiff(changes, unchanged)


def _same(x, y) -> bool:
    if isinstance(x, str) or isinstance(y, str) or x is None or y is None:
        return x == y
    return float(x) == float(y)  # Decimal from the database, float from an extraction
