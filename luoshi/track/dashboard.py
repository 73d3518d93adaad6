"""The dispatch dashboard (调度总览) of a region at a month: every figure computed from
`luoshi.track.progress` (lights, 序时进度, completion, gap) and `luoshi.track.office_timeliness`.

Decisions:
- A commitment stated twice (a twin with `same_as`) is counted once: twins are left out.
- Totals: targets by light (未判断: no light yet); 平均完成率 and 平均序时进度 over the judged targets
  that have both, a completion above 100 % counting as 100 (a goal already met cannot make up
  for another behind).
- Areas (行动领域): the plan's top-level section, or the second level under a heading that only
  gathers the tasks (二、重点任务); per plan, since two plans' 一、 are different things.
- Units: a target counts for every unit leading a task it stands in; units are ranked red first,
  then yellow, then by on-time rate. The on-time rate is over the recent months.
- Children (a city's counties, a province's cities): the targets of plans of the child or under
  it, and of tasks led by units of the child or under it. Colour rule, "worst-dominant share":
  red when red targets are at least a third of the judged ones, else yellow when red and yellow
  together are, else green; 未判断 when none is judged yet; 无数据 when it has no targets.
- Lagging (滞后): red and yellow targets, red first, most points behind first, with the latest
  滞后原因 / 下步措施 (within a year) of the unit behind the last value.
- Reporting: the `RECENT` months up to `as_of`, judged at `dashboard_regions.judged_on` (today, but
  no later than the end of the month after `as_of`), for the units leading tasks of the region's
  plans.

The row types are in dashboard_rows.py, the queries in dashboard_data.py and dashboard_regions.py.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy.orm import Session

from luoshi.track import dashboard_data as data
from luoshi.track import dashboard_regions as regions
from luoshi.track.dashboard_rows import AreaRow, ChildRow, Counts, TargetLine, Totals, UnitRow
from luoshi.track.office_timeliness import Report, office_timeliness
from luoshi.track.progress import TargetProgress, as_of_period, progress
from luoshi.track.progress_load import selected_versions
from luoshi.track.reminders import Reminder

RECENT = 6  # months of reporting shown and rated


@dataclass
class Dashboard:
    region: regions.RegionRef
    as_of: str  # YYYY-MM
    judged_on: date
    months: list[str]
    totals: Totals
    areas: list[AreaRow]
    units: list[UnitRow]
    children: list[ChildRow]
    targets: list[TargetLine]  # every target counted, plan order
    late: list[Report]
    missing: list[Report]
    reminders: list[Reminder]

    @property
    def lagging(self) -> list[TargetLine]:
        rank = {"red": 0, "yellow": 1}
        rows = [t for t in self.targets if t.light in rank]
        return sorted(rows, key=lambda t: (rank[t.light], t.progress.gap if t.progress.gap is not None else 0))


def dashboard(session: Session, region: str | regions.RegionRef, as_of, *, catalog, settings=None,
              on: date | None = None, months: list[str] | None = None,
              judged: list[TargetProgress] | None = None) -> Dashboard:
    """The dashboard of `region` (name, code or RegionRef) at the month `as_of`; `settings`: the
    office's DispatchSettings (default as stored); `on`: today (tests); `months`: the reporting
    months shown and rated (default the `RECENT` months up to `as_of`; a bulletin: its quarter);
    `judged`: the region's progress at `as_of` where the caller has it already."""
    if settings is None:
        from luoshi.track.office_settings import dispatch_settings

        settings = dispatch_settings(session)
    where = region if isinstance(region, regions.RegionRef) else regions.find_region(session, region)
    month = as_of_period(as_of)
    selector = regions.progress_region(session, where)
    if judged is None:
        judged = progress(session, region=selector, as_of=month, catalog=catalog, rules=settings.rules)
    rows = [p for p in judged if p.same_as is None]
    versions = selected_versions(session, region=selector)
    vids = [v.version_id for v in versions]
    area_of, leads = data.areas(session, vids), data.lead_units(session, vids)
    targets = [TargetLine(p, p.light.value if p.light else "none", leads.get(p.target_id, []),
                         area_of[p.target_id].title if p.target_id in area_of else "") for p in rows]
    lagging = {t.progress.target_id: t.progress.reported_by for t in targets if t.light in ("red", "yellow")}
    reasons = data.latest_reasons(session, lagging, month)
    for t in targets:
        t.reason = reasons.get(t.progress.target_id)
    months, day = months or regions.recent_months(month, RECENT), regions.judged_on(month, on)
    t = office_timeliness(session, start=months[0], end=months[-1], as_of=day, settings=settings)
    ours = {u.unit_id for row in targets for u in row.units}
    return Dashboard(
        region=where, as_of=month, judged_on=day, months=months, totals=_totals(targets),
        areas=_areas(targets, area_of), units=_units(targets, [u for u in t.units if u.unit_id in ours]),
        children=_children(session, where, targets, versions),
        targets=targets, late=sorted((r for r in t.late if r.unit_id in ours), key=lambda r: -(r.days or 0)),
        missing=sorted((r for r in t.missing if r.unit_id in ours), key=lambda r: -(r.days or 0)),
        reminders=[r for r in t.reminders if r.unit_id in ours])


def lean(d: Dashboard) -> Dashboard:
    """The dashboard without each target's assessment (for sending to another process)."""
    for t in d.targets:
        t.progress = replace(t.progress, assessment=None)
    return d


def totals(judged: list[TargetProgress]) -> Totals:
    """The totals of targets judged (twins counted once), as the dashboard gives them."""
    return _totals([TargetLine(p, p.light.value if p.light else "none", [], "") for p in judged if p.same_as is None])


def _totals(targets: list[TargetLine]) -> Totals:
    counts = Counts()
    done, due = [], []
    for t in targets:
        counts.add(t.light)
        p = t.progress
        if p.light is not None and p.completion is not None and p.scheduled is not None:
            done.append(min(p.completion, 100.0))
            due.append(p.scheduled)
    n = len(done)
    return Totals(counts, sum(done) / n if n else None, sum(due) / n if n else None, n)


def _areas(targets: list[TargetLine], area_of: dict[int, data.Area]) -> list[AreaRow]:
    out: dict[tuple, AreaRow] = {}
    for t in targets:
        p = t.progress
        a = area_of.get(p.target_id) or data.Area(p.plan_id, "", "未归入章节")
        key = (p.plan_id, a.path)
        if key not in out:
            out[key] = AreaRow(p.plan_id, p.plan_title, p.region, a.path, a.title)
        out[key].counts.add(t.light)
    return list(out.values())


def _units(targets: list[TargetLine], timeliness) -> list[UnitRow]:
    rows: dict[int, UnitRow] = {}
    for t in targets:
        for u in t.units:
            rows.setdefault(u.unit_id, UnitRow(u.unit_id, u.name)).counts.add(t.light)
    for u in timeliness:
        if u.unit_id in rows:
            r = rows[u.unit_id]
            r.rate, r.on_time, r.late, r.missing = u.rate, u.on_time, u.late, u.missing
    return sorted(rows.values(), key=lambda r: (-r.counts.red, -r.counts.yellow,
                                                r.rate if r.rate is not None else 101, r.name))


def _children(session: Session, region: regions.RegionRef, targets: list[TargetLine], versions) -> list[ChildRow]:
    rows = [ChildRow(k.code, k.name, k.level, plans=sum(1 for v in versions if k.holds(v.region_code)))
            for k in regions.children(session, region)]
    # A division code lies in a child when it starts with the child's prefix (a city: 4 digits).
    by_prefix = {regions.RegionRef(r.code, r.name, r.level).prefix: r for r in rows}
    code_of = {v.plan_id: v.region_code for v in versions}
    for t in targets:
        codes = {code_of.get(t.progress.plan_id)} | {u.region_code for u in t.units}
        hit = {id(r): r for c in codes if c for r in (by_prefix.get(c[:n]) for n in (2, 4, 6)) if r is not None}
        for r in hit.values():
            r.counts.add(t.light)
            r.targets.append(t.progress.target_id)
    return rows
