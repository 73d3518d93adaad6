"""What progress reads from the store, in a fixed handful of batched queries whatever the number
of targets (no query per target or per unit): the selected plans' latest versions, their targets,
the units each target's tasks name (lead first), and the current version of the report lines on
those targets up to a month."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import NamedTuple

from sqlalchemy import Float, cast, func, select
from sqlalchemy.orm import Session

from luoshi.store.dispatch_models import ReportLine, Submission, Task, TaskTarget, TaskUnit, Unit
from luoshi.store.models import Plan, PlanVersion, TargetRow
from luoshi.store.queries import _region_test, resolve_plan
from luoshi.store.search import latest_version_ids


@dataclass(frozen=True)
class PlanInfo:
    plan_id: int
    version_id: int
    title: str | None
    region: str | None
    region_code: str | None
    period: tuple[int | None, int | None]  # the version's 实施期 (first year, last year)


@dataclass(frozen=True)
class TargetInfo:
    """The columns of a stored target that progress uses (a TargetRow without its quote)."""

    id: int
    version_id: int
    position: int
    indicator: str
    unit: str
    kind: str
    comparator: str
    value: float
    value_max: float | None
    year: int | None
    baseline_year: int | None
    baseline_value: float | None
    section: str | None


class Line(NamedTuple):  # a tuple: a province has tens of thousands of them
    unit_id: int
    period: str  # YYYY-MM
    value: float  # 累计 where reported, else 当月


def selected_versions(session: Session, *, region: str | None = None, plan: str | None = None) -> list[PlanInfo]:
    """The newest version of every plan, of one plan (`plan`: id, 文号 or part of its title), and/or
    of the plans of a region and the divisions under it (as `luoshi targets --region` selects)."""
    q = (select(Plan, PlanVersion.id, PlanVersion.title, PlanVersion.period_start, PlanVersion.period_end)
         .join(PlanVersion, PlanVersion.plan_id == Plan.id).where(PlanVersion.id.in_(latest_version_ids())))
    if plan is not None:
        q = q.where(Plan.id == resolve_plan(session, plan).id)
    found = session.execute(q.order_by(Plan.id)).all()
    if region:
        inside = _region_test(session, region)
        found = [r for r in found if inside(r[0])]
    return [PlanInfo(p.id, vid, title or p.title, p.region_name, p.region_code, (start, end))
            for p, vid, title, start, end in found]


def versions_by_id(session: Session, version_ids) -> list[PlanInfo]:
    """Those versions (latest or not), by plan."""
    found = session.execute(select(Plan, PlanVersion.id, PlanVersion.title, PlanVersion.period_start,
                                   PlanVersion.period_end).join(PlanVersion, PlanVersion.plan_id == Plan.id)
                            .where(PlanVersion.id.in_(list(version_ids))).order_by(Plan.id)).all()
    return [PlanInfo(p.id, vid, title or p.title, p.region_name, p.region_code, (start, end))
            for p, vid, title, start, end in found]


def _in_versions(column, versions: list[PlanInfo]):
    return column.in_([v.version_id for v in versions])


def targets(session: Session, versions: list[PlanInfo]) -> list[TargetInfo]:
    """The targets of those versions, in plan order."""
    if not versions:
        return []
    t = TargetRow
    q = (select(t.id, t.version_id, t.position, t.indicator, t.unit, t.kind, t.comparator, t.value, t.value_max,
                t.year, t.baseline_year, t.baseline_value, t.section)
         .where(_in_versions(t.version_id, versions)).order_by(t.version_id, t.position))
    return [TargetInfo(*r[:7], float(r[7]), _float(r[8]), r[9], r[10], _float(r[11]), r[12])
            for r in session.execute(q)]


def _float(v) -> float | None:
    return None if v is None else float(v)


def task_units(session: Session, versions: list[PlanInfo]) -> dict[int, list[tuple[int, str, str]]]:
    """target id → its tasks' units as (unit id, name, role): leads first (by task, then position),
    then supporting units; a unit named twice is listed once, at its best place."""
    if not versions:
        return {}
    q = (select(TaskTarget.target_id, Task.id, TaskUnit.unit_id, TaskUnit.role, TaskUnit.position, Unit.name)
         .join(Task, Task.id == TaskTarget.task_id).join(TaskUnit, TaskUnit.task_id == Task.id)
         .join(Unit, Unit.id == TaskUnit.unit_id).join(TargetRow, TargetRow.id == TaskTarget.target_id)
         .where(_in_versions(TargetRow.version_id, versions)))
    found: dict[int, list] = defaultdict(list)
    for target_id, task_id, unit_id, role, position, name in session.execute(q):
        found[target_id].append((role != "lead", task_id, position, unit_id, name, role))
    out: dict[int, list[tuple[int, str, str]]] = {}
    for target_id, units in found.items():
        seen: set[int] = set()
        out[target_id] = [(u, n, r) for *_, u, n, r in sorted(units) if not (u in seen or seen.add(u))]
    return out


def current_lines(session: Session, versions: list[PlanInfo], until: str) -> dict[int, list[Line]]:
    """target id → the lines on it of every unit's current report (its highest Submission.version)
    for each period up to `until` (YYYY-MM). A correction replaces the whole report: a line that
    version 1 had and version 2 dropped is gone. A line with neither 累计 nor 当月 says nothing."""
    if not versions:
        return {}
    s = Submission
    current = (select(s.unit_id, s.period, func.max(s.version).label("version"))
               .where(s.period <= until).group_by(s.unit_id, s.period).subquery())
    q = (select(ReportLine.target_id, s.unit_id, s.period, cast(ReportLine.cumulative, Float),
                cast(ReportLine.month_value, Float))
         .join(s, s.id == ReportLine.submission_id)
         .join(current, (current.c.unit_id == s.unit_id) & (current.c.period == s.period)
               & (current.c.version == s.version))
         .join(TargetRow, TargetRow.id == ReportLine.target_id)
         .where(_in_versions(TargetRow.version_id, versions)))
    out: dict[int, list[Line]] = defaultdict(list)
    # Core rows (no ORM row processing) and floats cast in SQL (no Decimal per value): 57,600
    # lines load in a third of the time.
    for target_id, unit_id, period, cumulative, month_value in session.connection().execute(q).all():
        value = cumulative if cumulative is not None else month_value
        if value is not None:
            out[target_id].append(Line(unit_id, period, value))
    return out


def unit_names(session: Session, ids) -> dict[int, str]:
    ids = sorted(set(ids))
    return {i: n for i, n in session.execute(select(Unit.id, Unit.name).where(Unit.id.in_(ids)))} if ids else {}
