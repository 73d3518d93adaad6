"""The Goal each stored target is judged by, worked out once for progress (progress.py) and for
the report rules (report_rules.py), so a unit is asked for 滞后原因 exactly when progress shows its
target yellow or red.

- Indicator: the catalog in hand, exact or fuzzy links only (as `luoshi check` does); without one
  a target counts as cumulative, lower-is-better only where its comparator is < or ≤ or its
  baseline lies above it.
- Deadline: the target's year, else (standards mostly) its plan's last year; with neither it is
  not judged. Schedule start: the plan version's first year (实施期).
- Milestones: the same version's other goals of the same indicator (catalog key, else the
  normalised name) and unit in earlier years, one per year (the first in the plan's order).
- Twins: a plan often states one commitment twice, in a task's text and again in an indicator
  table (附件 or 主要指标) that no task covers, usually with the baseline the text leaves out. A
  target no task covers whose indicator, unit, deadline and value equal a tasked target's of the
  same version, with a comparator that agrees (a table's bare value agrees with 以上/不低于), is
  that target's twin (`Goals.twin_of`): it is judged on the tasked target's reports, and the
  tasked target takes the first twin's baseline when it has none."""
from __future__ import annotations

from dataclasses import dataclass, replace
from types import SimpleNamespace

from sqlalchemy import select
from sqlalchemy.orm import Session

from luoshi.store.dispatch_models import TaskTarget
from luoshi.store.models import TargetRow
from luoshi.store.queries import normalise_indicator
from luoshi.track import progress_load as load
from luoshi.track.catalog import Catalog, Indicator
from luoshi.track.goals import Goal, ScheduleError, goal_from_target
from luoshi.track.progress_load import PlanInfo, TargetInfo


@dataclass
class Goals:
    goals: dict[int, Goal]  # target id → its Goal (absent: not judged, see `errors`)
    errors: dict[int, str]  # target id → why it cannot be judged
    links: dict[int, Indicator | None]  # target id → the catalog entry it is judged as
    deadlines: dict[int, int | None]
    twin_of: dict[int, int]  # untasked target id → the tasked target it restates


def build_goals(rows: list[TargetInfo], plans: dict[int, PlanInfo], catalog: Catalog, tasked: set[int],
                only: set[int] | None = None) -> Goals:
    """The goals of `rows` (all targets of the versions in `plans`, by version id), given the ids of
    the targets some task covers; `only`: make Goals for these ids alone (the others still count as
    milestones and twins)."""
    by_name: dict[tuple, Indicator | None] = {}
    links = {}
    for r in rows:
        if (k := (r.indicator, r.unit, r.kind)) not in by_name:
            m = catalog.match(*k)
            by_name[k] = catalog.get(m.key) if m.confident else None
        links[r.id] = by_name[k]
    deadlines = {r.id: r.year or plans[r.version_id].period[1] for r in rows}
    twin_of = twins(rows, links, deadlines, tasked)
    by_id = {r.id: r for r in rows}
    based: dict[int, TargetInfo] = {}
    for u, t in twin_of.items():  # in plan order: the first twin stating a baseline lends it
        if by_id[u].baseline_year is not None and by_id[u].baseline_value is not None:
            based.setdefault(t, by_id[u])
    steps = milestones(rows, links, deadlines)
    goals, errors = {}, {}
    for r in rows if only is None else (r for r in rows if r.id in only):
        if deadlines[r.id] is None:
            errors[r.id] = "无目标年份，无法计算序时进度"
            continue
        src = r
        if r.baseline_value is None and r.id in based:  # the table's baseline, for the text's target
            src = replace(r, baseline_year=based[r.id].baseline_year, baseline_value=based[r.id].baseline_value)
        try:
            goals[r.id] = goal_from_target(replace(src, year=deadlines[r.id]), links[r.id] or guess(r),
                                           start=plans[r.version_id].period[0], milestones=steps.get(r.id, ()))
        except ScheduleError as e:
            errors[r.id] = str(e)
    return Goals(goals, errors, links, deadlines, twin_of)


def goals_of_targets(session: Session, ids, catalog: Catalog) -> Goals:
    """The goals of every target of the plan versions these targets belong to (milestones and
    twins need the whole version), loaded in four queries."""
    version_ids = set(session.scalars(select(TargetRow.version_id).where(TargetRow.id.in_(list(ids)))))
    if not version_ids:
        return Goals({}, {}, {}, {}, {})
    versions = load.versions_by_id(session, version_ids)
    tasked = set(session.scalars(select(TaskTarget.target_id).join(TargetRow, TargetRow.id == TaskTarget.target_id)
                                 .where(TargetRow.version_id.in_(version_ids))))
    return build_goals(load.targets(session, versions), {v.version_id: v for v in versions}, catalog, tasked,
                       only=set(ids))


def guess(r: TargetInfo) -> SimpleNamespace:
    """Direction and nature of a target the catalog does not know."""
    down = r.comparator in ("<", "<=") or (r.baseline_value is not None and r.baseline_value > r.value)
    return SimpleNamespace(direction="down" if down else "up", nature="cumulative")


def series_key(r: TargetInfo, links) -> tuple:
    ind = links[r.id]
    return r.version_id, ("key", ind.key) if ind else ("name", normalise_indicator(r.indicator)), r.unit.strip()


def milestones(rows, links, deadlines) -> dict[int, tuple[tuple[int, float], ...]]:
    """target id → (year, value) of its plan version's goals of the same indicator and unit in
    earlier years than its deadline, one per year (the first in the plan's order)."""
    goals = [(r, series_key(r, links)) for r in rows if r.kind == "goal"]
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


def twins(rows, links, deadlines, tasked: set[int]) -> dict[int, int]:
    """untasked target id → the first tasked target in plan order stating the same commitment:
    same indicator, unit, deadline, value and kind, and comparators that agree — a bare value (=
    or ~, as a table cell gives it, with no 以上/不低于) agrees with any."""
    def same(r):
        return series_key(r, links), deadlines[r.id], r.value, r.value_max, r.kind

    candidates: dict[tuple, list] = {}
    for r in rows:
        if r.id in tasked:
            candidates.setdefault(same(r), []).append(r)
    out = {}
    for r in rows:
        if r.id not in tasked:
            t = next((t for t in candidates.get(same(r), ()) if _agree(r.comparator, t.comparator)), None)
            if t is not None:
                out[r.id] = t.id
    return out


def _agree(a: str, b: str) -> bool:
    return a == b or a in ("=", "~") or b in ("=", "~")
