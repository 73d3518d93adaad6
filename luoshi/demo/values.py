"""The numbers a unit of the demo reports: for each target it leads, a cumulative value each
month moving toward the target at the unit's pace, on the schedule progress judges by (the Goal
of target_goals.py and `schedule.expected_value`), so a pace of 1 reads green, 0.8 yellow, 0.6
red later in the plan. Lines for one indicator of one unit carry one value (a 2025 milestone and
the 2026 target of 5G基站 are one count of base stations)."""
from __future__ import annotations

import random
from dataclasses import dataclass

from luoshi.store.queries import normalise_indicator
from luoshi.track.goals import Goal
from luoshi.track.schedule import expected_value

COUNTS = ("个", "家", "座", "架", "户", "台", "项", "次", "名", "人", "条", "所", "处")


@dataclass
class Series:
    """One indicator of one unit: the targets it reports on and how its value moves."""

    target_ids: list[int]
    goal: Goal  # the goal with the latest deadline among them (milestones bend it)
    unit: str  # the measure (个, %, 元 …)
    start: float  # the value at the plan's start (the stated baseline, else invented)
    values: dict[str, float]  # period → the value reported
    behind: bool = False  # asked for 滞后原因 before: a unit behind writes them from then on


def group(rows, goals: dict[int, Goal]) -> list[tuple[list[int], Goal, str]]:
    """The targets a unit reports, grouped by indicator and measure, each with its driving goal;
    targets with no goal (nothing to schedule against) are left out."""
    by_key: dict[tuple, list] = {}
    for r in rows:
        if r.id in goals:
            by_key.setdefault((normalise_indicator(r.indicator), r.unit.strip()), []).append(r)
    out = []
    for (_, unit), rs in by_key.items():
        driver = max(rs, key=lambda r: (goals[r.id].end, r.id))
        out.append(([r.id for r in rs], goals[driver.id], unit))
    return out


def invented_start(goal: Goal, unit: str, rnd: random.Random) -> float:
    """Where a target without a stated baseline stood when the plan began."""
    t = goal.value_max if goal.comparator == "between" and goal.value_max else goal.value
    if goal.baseline and goal.nature != "annual":
        return float(goal.baseline[1])
    if goal.direction == "down":
        return 0.0 if unit.endswith("元") else t * rnd.uniform(1.08, 1.18)
    if unit == "%":
        return t * rnd.uniform(0.55, 0.8)
    return t * rnd.uniform(0.3, 0.6) if t >= 10 else 0.0


def value_at(s: Series, period: str, pace: float, rnd: random.Random) -> float:
    """The value reported for `period` at `pace` (1: on schedule), kept moving one way."""
    g = s.goal
    if g.kind == "standard":  # met or not: a unit at pace reports a compliant value
        good = pace >= 0.95
        v = g.value * ((0.97 if good else 1.04) if g.direction == "down" else (1.02 if good else 0.96))
        return rounded(v, s.unit)
    if g.direction == "down" and s.unit.endswith("元"):  # a cap on an amount: spent, staying under it
        elapsed = max(0.0, min(1.0, (_months(period) - g.origin) / max(g.end - g.origin, 1)))
        return rounded(g.value * 0.92 * elapsed * min(pace, 1.05), s.unit)
    base = 0.0 if g.nature == "annual" else s.start
    expected = expected_value(g, period, None if g.nature == "annual" else base)
    v = base + (expected - base) * pace * rnd.uniform(0.985, 1.015)
    ceiling = g.value_max if g.comparator == "between" and g.value_max else g.value * (1.04 if pace > 1 else 1.01)
    v = min(v, ceiling) if g.direction == "up" else max(v, g.value * (0.97 if pace > 1 else 0.995))
    if s.unit == "%":
        v = min(v, 100.0)
    prev = _last(s, period, g.nature)
    if prev is not None and g.nature != "ratio":
        v = max(v, prev) if g.direction == "up" else min(v, prev)
    return rounded(v, s.unit)


def _last(s: Series, period: str, nature: str) -> float | None:
    earlier = [p for p in s.values if p < period and (nature != "annual" or p[:4] == period[:4])]
    return s.values[max(earlier)] if earlier else None


def month_value(s: Series, period: str, value: float) -> float | None:
    """当月: the change since the month before (a new year's first month for annual flows: all of
    it); None for ratios and after a gap."""
    if s.goal.nature == "ratio":
        return None
    y, m = int(period[:4]), int(period[5:])
    before = f"{y - 1:04d}-12" if m == 1 else f"{y:04d}-{m - 1:02d}"
    if s.goal.nature == "annual" and m == 1:
        return value
    if before not in s.values:
        return None
    return rounded(value - s.values[before], s.unit)


def _months(period: str) -> float:
    return int(period[:4]) * 12 + int(period[5:])


def rounded(v: float, unit: str) -> float:
    if unit in COUNTS or (unit.endswith("元") and abs(v) >= 1000):
        return float(round(v))
    return round(v, 3) if abs(v) < 10 else round(v, 1)
