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
- Each target's Goal (indicator, deadline, milestones, schedule start, and twins: an indicator
  table restating a task's target) comes from target_goals.py, shared with the report rules. A
  twin is judged on its tasked target's reports and carries `same_as`, so summaries count the
  commitment once.
"""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from datetime import date, datetime

from sqlalchemy.orm import Session

from luoshi.track import progress_load as load
from luoshi.track.catalog import Catalog
from luoshi.track.goals import EPS, Observation, Rules, ScheduleError, months
from luoshi.track.lights import Assessment, Light, assess
from luoshi.track.target_goals import build_goals


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
    same_as: int | None = None  # a twin (an indicator table restating a task's target): that target's id

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
             catalog: Catalog, rules: Rules | None = None) -> list[TargetProgress]:
    """Every target of the latest versions of the selected plans (a region takes in the divisions
    under it; `plan` is an id, 文号 or part of a title), judged at `as_of` ("YYYY-MM" or a date),
    by region, then plan, then the plan's order. `rules`: default the office's stored ones."""
    return progress_at(session, region=region, plan=plan, as_ofs=[as_of], catalog=catalog, rules=rules)[0]


def progress_at(session: Session, *, region: str | None = None, plan: str | None = None, as_ofs: list,
                catalog: Catalog, rules: Rules | None = None) -> list[list[TargetProgress]]:
    """`progress` at each of `as_ofs`, reading the store once (a bulletin judges a quarter and the
    one before it): a report of a month after an `as_of` is not seen at that `as_of`. Only the
    first carries forecasts."""
    if rules is None:
        from luoshi.track.office_settings import dispatch_settings

        rules = dispatch_settings(session).rules
    untils = [as_of_period(a) for a in as_ofs]
    versions = load.selected_versions(session, region=region, plan=plan)
    plans = {v.version_id: v for v in versions}
    rows = load.targets(session, versions)
    units = load.task_units(session, versions)
    everything = load.current_lines(session, versions, max(untils))
    names = load.unit_names(session, {ln.unit_id for ls in everything.values() for ln in ls})
    g = build_goals(rows, plans, catalog, tasked=set(units))
    order = {v.version_id: (v.region_code or "~", v.region or "~", v.plan_id) for v in versions}
    position = {r.id: (order[r.version_id], r.position) for r in rows}
    results = []
    for i, (as_of, until) in enumerate(zip(as_ofs, untils)):
        at = months(as_of)
        if abs(at - round(at)) <= EPS:  # the end of a month: as (year, month), which `assess` reads fastest
            as_of = (int(until[:4]), int(until[5:]))
        lines = everything if until == max(untils) else \
            {t: [ln for ln in ls if ln.period <= until] for t, ls in everything.items()}
        out = [_judged(r, plans, units, lines, names, g, as_of, rules, i == 0) for r in rows]
        out.sort(key=lambda p: position[p.target_id])
        results.append(out)
    return results


def _judged(r, plans, units, lines, names, g, as_of, rules, with_forecast=True) -> TargetProgress:
    info, ind, deadline = plans[r.version_id], g.links[r.id], g.deadlines[r.id]
    twin = g.twin_of.get(r.id)
    ranked = units.get(twin if twin else r.id, [])
    leads = [u for u, _, role in ranked if role == "lead"]
    obs, last_unit = observations(lines.get(twin if twin else r.id, []), leads or [u for u, _, _ in ranked],
                                  only=bool(leads))
    a, status = None, g.errors.get(r.id, "")
    if r.id in g.goals:
        a = assess(g.goals[r.id], obs, as_of, rules, with_forecast=with_forecast)
        status = a.status
    last, fc = (obs[-1] if obs else None), (a.forecast if a else None)
    return TargetProgress(
        plan_id=info.plan_id, plan_title=info.title, region=info.region, target_id=r.id, indicator=r.indicator,
        indicator_key=ind.key if ind else None, comparator=r.comparator, value=r.value, value_max=r.value_max,
        unit=r.unit, year=r.year, deadline=deadline, kind=r.kind,
        lead_unit=next((n for u, n, _ in ranked if u in leads[:1]), None),
        reported_by=names.get(last_unit), last_value=last.value if last else None,
        last_period=f"{last.period[0]:04d}-{last.period[1]:02d}" if last else None,
        **{k: getattr(a, k) if a else None for k in ("scheduled", "expected", "completion", "gap", "light")},
        forecast=getattr(fc, "value", None), forecast_reaches=getattr(fc, "reaches", None), status=status,
        assessment=a, same_as=twin)


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
    obs = [MonthReport(int(ln.period[:4]), int(ln.period[5:7]), ln.value) for ln in chosen]
    return obs, chosen[-1].unit_id if chosen else None


class MonthReport(Observation):
    """A month's report whose month index is worked out once: `assess` reads `at` some two hundred
    times per target (it was two thirds of the time of a province's progress). The index is
    `goals.months((year, month))`: the end of the month."""

    def __init__(self, year: int, month: int, value: float):  # valid by construction: no checks
        for name, v in (("period", (year, month)), ("value", value), ("_at", year * 12 + month)):
            object.__setattr__(self, name, v)

    @property
    def at(self) -> float:
        return self._at
