"""Progress over the store (月调度): every target of the selected plans' latest versions judged at
a month from what the units reported, by `luoshi.track.lights.assess`.

Decisions:
- Reports: a unit's report for a month is its highest Submission.version; a correction replaces
  the earlier version whole (a line it drops is gone). Months after `as_of` are not read.
- A line's value: 累计 where given (for an annual indicator the year so far, 1–N月累计, as the
  monthly statistics give it), else 当月 (for a ratio or a standard: the value itself).
- Several units on one target: the lead unit answers for it, so where the target's tasks name a
  lead only leads' lines count (each month the first lead's, by task id then position, another
  lead's when the first did not report); a supporting unit's line is its own share and never
  stands for the target. A target with no lead takes any unit's line (supporting units in their
  order, then the lowest unit id). `reported_by` names the unit behind the last value.
- Indicator: linked with the catalog in hand (exact or fuzzy links only, as `luoshi check`
  does) for direction and nature; a target with no such link counts as cumulative, and as
  lower-is-better only where its comparator is < or ≤ or its baseline lies above it.
- Milestones: the same plan version's other goals of the same indicator (catalog key, else the
  normalised name) and unit in earlier years, one per year (the first in the plan's order).
- Deadline: the target's year; one without (standards mostly) takes its plan's last year; with
  neither it is listed unjudged. Schedule start: the plan version's first year (实施期).
"""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field, replace
from datetime import date, datetime
from types import SimpleNamespace

from sqlalchemy.orm import Session

from luoshi.store.queries import normalise_indicator
from luoshi.track import progress_load as load
from luoshi.track.catalog import Catalog, Indicator
from luoshi.track.goals import EPS, RULES, Observation, Rules, ScheduleError, goal_from_target, months
from luoshi.track.lights import Assessment, Light, assess


@dataclass(frozen=True)
class TargetProgress:
    """One target judged at `as_of`. Shares, rates and gaps in percent / points."""

    plan_id: int
    plan_title: str | None
    region: str | None
    target_id: int
    indicator: str
    indicator_key: str | None  # the catalog entry it is judged as (direction, nature)
    comparator: str
    value: float
    value_max: float | None
    unit: str
    year: int | None  # as the plan states it
    deadline: int | None  # the year judged against: `year`, else the plan's last year
    kind: str  # goal | standard
    lead_unit: str | None  # where a task names one
    reported_by: str | None  # the unit whose line gave `last_value`
    last_value: float | None
    last_period: str | None  # YYYY-MM
    scheduled: float | None  # 序时进度
    expected: float | None  # the value the schedule expects by as_of
    completion: float | None
    gap: float | None  # completion − 序时进度, in points
    light: Light | None
    forecast: float | None  # the value expected at the deadline
    forecast_reaches: bool | None
    status: str
    assessment: Assessment | None = field(default=None, repr=False, compare=False)

    @property
    def light_label(self) -> str:
        return self.light.label if self.light else ""

    def to_dict(self) -> dict:
        d = asdict(self)
        del d["assessment"]
        d["light"] = self.light.value if self.light else None
        d["light_label"] = self.light_label
        return d


def as_of_period(as_of) -> str:
    """The month (YYYY-MM) `as_of` falls in: "2022-08", a date in August, or a datetime."""
    if isinstance(as_of, datetime):
        as_of = as_of.date()
    if not isinstance(as_of, (str, date)):
        raise ScheduleError(f"无法识别的时间：{as_of!r}（应为 2024-08 或一个日期）")
    y, m = divmod(math.ceil(months(as_of) - EPS) - 1, 12)
    return f"{y:04d}-{m + 1:02d}"


def progress(session: Session, *, region: str | None = None, plan: str | None = None, as_of,
             catalog: Catalog, rules: Rules = RULES) -> list[TargetProgress]:
    """Every target of the latest versions of the selected plans (a region takes in the divisions
    under it; `plan` is an id, 文号 or part of a title), judged at `as_of` ("YYYY-MM" or a date),
    by region, then plan, then the plan's order."""
    until, at = as_of_period(as_of), months(as_of)
    if abs(at - round(at)) <= EPS:  # the end of a month: as (year, month), which `assess` reads fastest
        as_of = (int(until[:4]), int(until[5:]))
    versions = load.selected_versions(session, region=region, plan=plan)
    plans = {v.version_id: v for v in versions}
    rows = load.targets(session, versions)
    units = load.task_units(session, versions)
    lines = load.current_lines(session, versions, until)
    names = load.unit_names(session, {ln.unit_id for ls in lines.values() for ln in ls})
    links: dict[tuple, Indicator | None] = {}
    for r in rows:
        if (k := (r.indicator, r.unit, r.kind)) not in links:
            m = catalog.match(*k)
            links[k] = catalog.get(m.key) if m.confident else None
    deadlines = {r.id: r.year or plans[r.version_id].period[1] for r in rows}
    steps = milestones(rows, links, deadlines)
    out = []
    for r in rows:
        info, ind, deadline = plans[r.version_id], links[(r.indicator, r.unit, r.kind)], deadlines[r.id]
        ranked = units.get(r.id, [])
        leads = [u for u, _, role in ranked if role == "lead"]
        obs, last_unit = observations(lines.get(r.id, []), leads or [u for u, _, _ in ranked], only=bool(leads))
        a, status = None, "无目标年份，无法计算序时进度"
        if deadline is not None:
            try:
                goal = goal_from_target(replace(r, year=deadline), ind or _guess(r), start=info.period[0],
                                        milestones=steps.get(r.id, ()))
                a = assess(goal, obs, as_of, rules)
                status = a.status
            except ScheduleError as e:
                status = str(e)
        last, fc = (obs[-1] if obs else None), (a.forecast if a else None)
        out.append(TargetProgress(
            plan_id=info.plan_id, plan_title=info.title, region=info.region, target_id=r.id, indicator=r.indicator,
            indicator_key=ind.key if ind else None, comparator=r.comparator, value=r.value, value_max=r.value_max,
            unit=r.unit, year=r.year, deadline=deadline, kind=r.kind,
            lead_unit=next((n for u, n, _ in ranked if u in leads[:1]), None),
            reported_by=names.get(last_unit), last_value=last.value if last else None,
            last_period=f"{last.period[0]:04d}-{last.period[1]:02d}" if last else None,
            **{k: getattr(a, k) if a else None for k in ("scheduled", "expected", "completion", "gap", "light")},
            forecast=getattr(fc, "value", None), forecast_reaches=getattr(fc, "reaches", None), status=status,
            assessment=a))
    order = {v.version_id: (v.region_code or "~", v.region or "~", v.plan_id) for v in versions}
    position = {r.id: (order[r.version_id], r.position) for r in rows}
    out.sort(key=lambda p: position[p.target_id])
    return out


def _guess(r: load.TargetInfo) -> SimpleNamespace:
    """Direction and nature of a target the catalog does not know."""
    down = r.comparator in ("<", "<=") or (r.baseline_value is not None and r.baseline_value > r.value)
    return SimpleNamespace(direction="down" if down else "up", nature="cumulative")


def milestones(rows, links, deadlines) -> dict[int, tuple[tuple[int, float], ...]]:
    """target id → (year, value) of its plan version's goals of the same indicator and unit in
    earlier years than its deadline, one per year (the first in the plan's order)."""
    goals = [(r, _series_key(r, links)) for r in rows if r.kind == "goal"]
    series: dict[tuple, dict[int, float]] = {}
    for r, key in goals:  # in plan order
        if r.year is not None:
            series.setdefault(key, {}).setdefault(r.year, r.value)
    ordered = {key: sorted(years.items()) for key, years in series.items()}
    out = {}
    for r, key in goals:
        d = deadlines[r.id]
        if d is not None and (steps := tuple((y, v) for y, v in ordered.get(key, ()) if y < d)):
            out[r.id] = steps
    return out


def _series_key(r, links) -> tuple:
    ind = links[(r.indicator, r.unit, r.kind)]
    return r.version_id, ("key", ind.key) if ind else ("name", normalise_indicator(r.indicator)), r.unit.strip()


def observations(lines: list[load.Line], ranked: list[int], only: bool = False) -> tuple[list[Observation], int | None]:
    """The reports on one target as Observations by month, each month the line of the best-placed
    unit (`ranked` first, in order; then any other unit by id, unless `only`), and the unit of
    the last one."""
    place = {u: i for i, u in enumerate(ranked)}
    best: dict[str, tuple] = {}
    for ln in lines:
        if only and ln.unit_id not in place:
            continue
        rank = (place.get(ln.unit_id, len(place)), ln.unit_id)
        if ln.period not in best or rank < best[ln.period][0]:
            best[ln.period] = (rank, ln)
    chosen = [best[p][1] for p in sorted(best)]
    obs = [_Report(int(ln.period[:4]), int(ln.period[5:7]), ln.value) for ln in chosen]
    return obs, chosen[-1].unit_id if chosen else None


class _Report(Observation):
    """A month's report whose month index is worked out once: `assess` reads `at` some two hundred
    times per target (it was two thirds of the time of a province's progress). The index is
    `goals.months((year, month))`: the end of the month."""

    def __init__(self, year: int, month: int, value: float):  # valid by construction: no checks
        for name, v in (("period", (year, month)), ("value", value), ("_at", year * 12 + month)):
            object.__setattr__(self, name, v)

    @property
    def at(self) -> float:
        return self._at
