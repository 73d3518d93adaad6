"""One catalog indicator across the stored plans: every plan's target for it judged at a month
(`progress`), and for each target the reported values by month against the schedule the
judgement uses, for a chart; and which indicators have targets at all.

Decisions:
- A target is of an indicator when the catalog in hand links it confidently (exact or fuzzy), as
  progress and `luoshi check` link, so the page agrees with the lights whatever links are stored.
- The reported series is what progress reads: each month the line of the unit progress prefers
  (the lead's; a table row restating a task's target takes the task's reports), months up to
  `as_of` only.
- The schedule line is the expected value (序时进度 as a value) that `lights.assess` computes,
  from the month after the schedule starts to the deadline: the same baseline (stated, else the
  first report, a later first report restarting the clock) and the same milestones. Without a
  report the baseline is unknown, so a target with no report has no line; a standard has none
  (met or not, never interpolated): its threshold is given instead.
- A table row that restates a task's target (`same_as`) is listed but not charted twice."""
from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from luoshi.errors import LuoshiError
from luoshi.track import progress_load as load
from luoshi.track.catalog import Catalog, Indicator
from luoshi.track.goals import EPS, Rules, year_of
from luoshi.track.lights import late_start
from luoshi.track.progress import TargetProgress, as_of_period, observations, progress
from luoshi.track.schedule import baseline_value, expected_value
from luoshi.track.target_goals import build_goals


class IndicatorNotFound(LuoshiError):
    code = "indicator_not_found"
    http_status = 404


@dataclass(frozen=True)
class IndicatorCount:
    indicator: Indicator
    targets: int
    plans: int
    regions: tuple[str, ...]


@dataclass
class Series:
    """One target's chart: reported values and the schedule's expected value by month (YYYY-MM)."""

    row: TargetProgress
    reported: dict[str, float] = field(default_factory=dict)
    expected: dict[str, float] = field(default_factory=dict)
    threshold: float | None = None  # a standard's value


@dataclass
class IndicatorView:
    indicator: Indicator
    as_of: str  # YYYY-MM
    rows: list[TargetProgress]
    series: list[Series]
    months: list[str]  # the chart's axis


def _links(rows, catalog: Catalog) -> dict[int, str]:
    """target id → catalog key, for confidently linked targets (one match per name, unit and kind)."""
    by_name, out = {}, {}
    for r in rows:
        if (k := (r.indicator, r.unit, r.kind)) not in by_name:
            m = catalog.match(*k)
            by_name[k] = m.key if m.confident else None
        if by_name[k]:
            out[r.id] = by_name[k]
    return out


def indicator_counts(session: Session, catalog: Catalog) -> list[IndicatorCount]:
    """The catalog's indicators that the plans' newest versions have targets for, in catalog order."""
    versions = load.selected_versions(session)
    info = {v.version_id: v for v in versions}
    rows = load.targets(session, versions)
    targets, plans, regions = Counter(), defaultdict(set), defaultdict(set)
    links = _links(rows, catalog)
    for r in rows:
        if key := links.get(r.id):
            targets[key] += 1
            plans[key].add(info[r.version_id].plan_id)
            if info[r.version_id].region:
                regions[key].add(info[r.version_id].region)
    return [IndicatorCount(i, targets[i.key], len(plans[i.key]), tuple(sorted(regions[i.key])))
            for i in catalog.indicators if targets[i.key]]


def indicator_view(session: Session, key: str, *, as_of, catalog: Catalog, rules: Rules) -> IndicatorView:
    """Every target of indicator `key` judged at `as_of` with its chart series; IndicatorNotFound
    (404) for a key the catalog does not have."""
    ind = catalog.get(key)
    if ind is None:
        raise IndicatorNotFound(f"指标目录中没有指标“{key}”")
    until = as_of_period(as_of)
    versions = load.selected_versions(session)
    rows = load.targets(session, versions)
    links = _links(rows, catalog)
    mine = {r.id for r in rows if links.get(r.id) == key}
    have = {r.version_id for r in rows if r.id in mine}
    chosen = [v for v in versions if v.version_id in have]
    judged = [p for v in chosen for p in progress(session, plan=str(v.plan_id), as_of=until, catalog=catalog,
                                                  rules=rules) if p.target_id in mine]
    if not judged:
        return IndicatorView(ind, until, [], [], [])
    ids = {v.version_id for v in chosen}
    vrows = [r for r in rows if r.version_id in ids]
    units = load.task_units(session, chosen)
    lines = load.current_lines(session, chosen, until)
    goals = build_goals(vrows, {v.version_id: v for v in chosen}, catalog, tasked=set(units))
    series = []
    for p in judged:
        if p.same_as is not None or p.target_id not in goals.goals:
            continue
        goal = goals.goals[p.target_id]
        ranked = units.get(p.target_id, [])  # not a twin (skipped above): its own reports and units
        leads = [u for u, _, role in ranked if role == "lead"]
        obs, _ = observations(lines.get(p.target_id, []), leads or [u for u, _, _ in ranked], only=bool(leads))
        if not obs:
            continue
        s = Series(p, reported={f"{o.period[0]:04d}-{o.period[1]:02d}": o.value for o in obs})
        if goal.kind == "standard":
            s.threshold = goal.value
        else:
            goal = late_start(goal, obs)
            base = baseline_value(goal, obs)
            for m in range(math.floor(goal.origin + EPS) + 1, math.ceil(goal.end - EPS) + 1):
                y, mo = year_of(m), (m - 1) % 12 + 1
                s.expected[f"{y:04d}-{mo:02d}"] = expected_value(goal, (y, mo), base, rules)
        series.append(s)
    axis = sorted({m for s in series for m in (*s.reported, *s.expected)})
    return IndicatorView(ind, until, judged, series, _fill(axis))


def _fill(months: list[str]) -> list[str]:
    """Every month from the first to the last of `months`."""
    if not months:
        return []
    y, m = (int(x) for x in months[0].split("-"))
    end = tuple(int(x) for x in months[-1].split("-"))
    out = []
    while (y, m) <= end:
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out
