"""The rules behind `luoshi check` (see luoshi.track.checks for what each finds). Each takes the
linked facts and the regions and returns Findings; none compares a goal with a standard, values
under different units, or different years outside a series."""
from __future__ import annotations

from collections import defaultdict
from itertools import pairwise

from luoshi.present import fmt_number
from luoshi.track.checks import Fact, Finding

_LEVEL_WORDS = {"city": "市", "county": "县（市、区）", "province": "省"}


class Regions:
    """Administrative divisions from the store, looked up once each."""

    def __init__(self, session):
        self.session = session
        self._rows: dict[str, object] = {}
        self._children: dict[str, list] = {}

    def get(self, code: str | None):
        from luoshi.store.models import Region

        if code and code not in self._rows:
            self._rows[code] = self.session.get(Region, code)
        return self._rows.get(code) if code else None

    def ancestors(self, code: str) -> list[str]:
        out, row = [], self.get(code)
        while row is not None and row.parent_code and row.parent_code not in out:
            out.append(row.parent_code)
            row = self.get(row.parent_code)
        return out

    def children(self, code: str) -> list:
        from luoshi.store.regions import children

        if code not in self._children:
            self._children[code] = children(self.session, code)
        return self._children[code]


def _bound(f: Fact) -> tuple[float, bool] | None:
    """A standard as (limit, inclusive): a ceiling where lower is better, a floor where higher is."""
    c = f.comparator
    if f.ind.direction == "down":
        if c in ("<", "<=", "=", "~"):
            return f.value, c != "<"
        return (f.value_max, True) if c == "between" and f.value_max is not None else None
    if c in (">", ">=", "=", "~"):
        return f.value, c != ">"
    return (f.value, True) if c == "between" else None


def _strictness(f: Fact) -> tuple:
    limit, inclusive = _bound(f)
    return (limit if f.ind.direction == "down" else -limit, inclusive)


def looser_standards(facts: list[Fact], regions: Regions) -> list[Finding]:
    std = [f for f in facts if f.kind == "standard" and f.plausible and f.region_code and _bound(f)]
    by: dict[tuple, list[Fact]] = defaultdict(list)
    for f in std:
        by[(f.region_code, f.ind.key)].append(f)
    out = []
    for f in std:
        for up in regions.ancestors(f.region_code):
            looser_than = [g for g in by.get((up, f.ind.key), []) if _strictness(f) > _strictness(g)]
            if looser_than:
                g = min(looser_than, key=_strictness)
                out.append(Finding("standard_looser", "warning",
                                   f"{f.region}{f.title}要求{f.name}{f.shown()}，宽于{g.region}{g.title}"
                                   f"的{g.shown()}", [f.cite, g.cite]))
                break
    return out


def _text_first(f: Fact):
    return (f.source != "text", f.cite.span)


def series_and_disagreements(facts: list[Fact], regions: Regions) -> list[Finding]:
    groups: dict[tuple, list[Fact]] = defaultdict(list)
    for f in facts:
        if f.kind == "goal" and f.year and f.plausible and f.region_key:
            groups[(f.region_key, f.ind.key)].append(f)
    out = []
    for fs in groups.values():
        ind, region = fs[0].ind, fs[0].region
        by_year: dict[int, dict[int, list[Fact]]] = defaultdict(dict)
        for f in sorted(fs, key=_text_first):
            by_year[f.year].setdefault(f.plan_id, []).append(f)
        points: list[tuple[int, list[Fact]]] = []
        for year in sorted(by_year):
            plans = by_year[year]
            amounts = {f.amount for fl in plans.values() for f in fl}
            if len(amounts) == 1:
                points.append((year, [fl[0] for fl in plans.values()]))
            elif len(plans) > 1:
                shown = _distinct(fl for fl in plans.values())
                parts = "；".join(f"{f.title}为{f.shown(False)}" for f in shown)
                out.append(Finding("plans_disagree", "warning",
                                   f"{region}的{len(plans)}份方案对{year}年{ind.name}的目标不一致：{parts}",
                                   [f.cite for f in shown]))
        if len(points) < 2:
            continue
        steps = "→".join(f"{y}年{fl[0].shown(False)}（{'、'.join(f.title for f in fl)}）" for y, fl in points)
        cites = [f.cite for _, fl in points for f in fl]
        back = [(a, b) for a, b in pairwise(points) if b[1][0].value < a[1][0].value]
        if back and ind.direction == "up" and ind.nature == "cumulative":
            (y1, _), (y2, _) = back[0]
            out.append(Finding("series_backwards", "warning",
                               f"{region}{ind.name}是累计指标，{y2}年的目标却低于{y1}年：{steps}", cites))
        elif len({f.plan_id for _, fl in points for f in fl}) > 1:
            out.append(Finding("series", "info", f"{region}各方案中{ind.name}的目标按年份：{steps}", cites))
    return out


def _distinct(fact_lists) -> list[Fact]:
    """One fact per plan and value."""
    out, seen = [], set()
    for fl in fact_lists:
        for f in fl:
            if (f.plan_id, f.amount) not in seen:
                seen.add((f.plan_id, f.amount))
                out.append(f)
    return out


def baselines_and_ranges(facts: list[Fact], regions: Regions) -> list[Finding]:
    out = []
    for f in facts:
        ind = f.ind
        if not f.plausible:
            lo, hi = ind.range
            hint = f"，疑为{fmt_number(f.value / 100)}之误" if lo > 0 and ind.plausible(f.value / 100) else ""
            out.append(Finding("implausible_value", "warning",
                               f"{f.region}{f.title}中{f.name}{f.shown()}，超出合理范围"
                               f"（{fmt_number(lo)}–{fmt_number(hi)}{ind.unit}）{hint}", [f.cite]))
        elif f.kind == "goal" and f.baseline is not None:
            top = max(f.value, f.value_max or f.value)
            if ind.direction == "up" and top < f.baseline or ind.direction == "down" and f.value > f.baseline:
                word = "低于" if ind.direction == "up" else "高于"
                when = f"{f.baseline_year}年" if f.baseline_year else "基期"
                out.append(Finding("below_baseline", "warning",
                                   f"{f.region}{f.title}中{f.name}的{f.year or ''}{'年' if f.year else ''}目标"
                                   f"{f.shown(False)}{word}{when}的{fmt_number(f.baseline)}{f.unit}", [f.cite]))
    return out


def sums_of_children(facts: list[Fact], regions: Regions) -> list[Finding]:
    per: dict[tuple, list[Fact]] = defaultdict(list)
    for f in facts:
        if (f.kind == "goal" and f.year and f.plausible and f.region_code and f.value_max is None
                and f.ind.nature in ("cumulative", "annual")):
            per[(f.region_code, f.ind.key, f.year)].append(f)

    def agreed(code: str, key: str, year: int) -> Fact | None:
        fl = sorted(per.get((code, key, year), []), key=_text_first)
        return fl[0] if fl and len({f.value for f in fl}) == 1 else None

    out = []
    for code, key, year in list(per):
        top = agreed(code, key, year)
        kids = regions.children(code)
        if top is None or not kids:
            continue
        parts = [agreed(k.code, key, year) for k in kids]
        if any(p is None for p in parts):
            continue
        total = sum(p.value for p in parts)
        diff = total - top.value
        gap = (f"比{top.region}目标多{fmt_number(diff)}{top.unit}" if diff > 0 else
               f"比{top.region}目标少{fmt_number(-diff)}{top.unit}" if diff < 0 else f"与{top.region}目标相等")
        word = _LEVEL_WORDS.get(kids[0].level, "")
        out.append(Finding("sum_of_children", "info",
                           f"{top.region}{year}年{top.ind.name}目标{top.shown()}；所辖{len(kids)}个{word}的目标"
                           f"合计{fmt_number(total)}{top.unit}，{gap}", [top.cite] + [p.cite for p in parts]))
    return out
