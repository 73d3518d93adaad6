"""Milestones as plain rows, for listings and dashboards: `milestone_rows` (every milestone of the
current tasks, judged at a date) and `milestone_history` (every report of one milestone).

Loading is a fixed handful of queries whatever the number of milestones: tasks, milestones, their
updates up to the date, task units, unit names, plans, evidence names (never the files)."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from luoshi.store.dispatch_models import Task, TaskUnit, Unit
from luoshi.store.models import AssignmentRow, Plan
from luoshi.store.queries import _region_test, resolve_plan
from luoshi.store.search import latest_version_ids
from luoshi.store.work_models import Evidence, Milestone, MilestoneUpdate
from luoshi.track.milestone_state import MILESTONES, MilestoneSettings, as_of_day, current, judge, rollup
from luoshi.track.milestones import MilestoneNotFound
from luoshi.track.reports import find_unit

_UPDATE = (MilestoneUpdate.id, MilestoneUpdate.milestone_id, MilestoneUpdate.version, MilestoneUpdate.state,
           MilestoneUpdate.as_of, MilestoneUpdate.period, MilestoneUpdate.note, MilestoneUpdate.evidence_url,
           MilestoneUpdate.evidence_id, MilestoneUpdate.unit_id, MilestoneUpdate.source, MilestoneUpdate.reported_by,
           MilestoneUpdate.reported_at)


def milestone_rows(session: Session, *, unit=None, region: str | None = None, plan: str | None = None,
                   as_of, settings: MilestoneSettings = MILESTONES) -> list[dict]:
    """Every milestone of the tasks of each plan's newest version, judged on `as_of` (a date,
    2024-05-10, or 2024-05 for its last day): of one unit's tasks (lead or support; a name, an
    alias or an id), of a region and the divisions under it, of one plan. By plan, task, position."""
    on = as_of_day(as_of)
    q = (select(Task.id, Task.plan_id, Task.section, Task.title)
         .join(AssignmentRow, AssignmentRow.id == Task.assignment_id)
         .where(AssignmentRow.version_id.in_(latest_version_ids())))
    if unit is not None:
        u = unit if isinstance(unit, Unit) else find_unit(session, unit)
        q = q.where(Task.id.in_(select(TaskUnit.task_id).where(TaskUnit.unit_id == u.id)))
    if plan is not None:
        q = q.where(Task.plan_id == resolve_plan(session, plan).id)
    plans = {p.id: p for p in session.scalars(select(Plan))}
    if region:
        inside = _region_test(session, region)
        q = q.where(Task.plan_id.in_([i for i, p in plans.items() if inside(p)]))
    tasks = {t.id: t for t in session.execute(q.order_by(Task.plan_id, Task.assignment_id))}
    if not tasks:
        return []
    order = {tid: k for k, tid in enumerate(tasks)}
    ms = sorted(session.scalars(select(Milestone).where(Milestone.task_id.in_(list(tasks)))),
                key=lambda m: (order[m.task_id], m.position, m.id))
    ups: dict[int, list] = {}
    for r in session.execute(select(*_UPDATE).where(MilestoneUpdate.milestone_id.in_([m.id for m in ms]),
                                                    MilestoneUpdate.as_of <= on.isoformat())):
        ups.setdefault(r.milestone_id, []).append(r)
    roles: dict[int, list[tuple[str, int]]] = {}
    for task_id, role, unit_id in session.execute(
            select(TaskUnit.task_id, TaskUnit.role, TaskUnit.unit_id).where(TaskUnit.task_id.in_(list(tasks)))
            .order_by(TaskUnit.task_id, TaskUnit.position)):
        roles.setdefault(task_id, []).append((role, unit_id))
    names = dict(session.execute(select(Unit.id, Unit.name)).all())
    now = {m.id: current(ups.get(m.id, ()), on) for m in ms}
    files = _evidence_names(session, {u.evidence_id for u in now.values() if u is not None and u.evidence_id})
    judged = {m.id: judge(m.due, now[m.id], on, settings) for m in ms}
    by_task: dict[int, list[str]] = {}
    for m in ms:
        by_task.setdefault(m.task_id, []).append(judged[m.id].state)
    out = []
    for m in ms:
        t, p, up, j = tasks[m.task_id], plans[tasks[m.task_id].plan_id], now[m.id], judged[m.id]
        who = roles.get(m.task_id, [])
        out.append({"id": m.id, "task_id": t.id, "task": t.title, "section": t.section, "plan_id": p.id,
                    "plan_title": p.title, "region": p.region_name, "title": m.title, "due": m.due,
                    "position": m.position, "lead": [names[i] for r, i in who if r == "lead"],
                    "support": [names[i] for r, i in who if r == "support"], "as_of": on.isoformat(),
                    "state": j.state, "reported_state": j.reported, "overdue": j.overdue, "light": j.light.value,
                    "light_label": j.light.label, "status": j.status, "days_left": j.days_left,
                    "task_state": rollup(by_task[m.task_id]), "version": up.version if up else None,
                    "since": up.as_of if up else None, "period": up.period if up else None,
                    "note": up.note if up else None, "reported_unit": names.get(up.unit_id) if up else None,
                    "reported_by": up.reported_by if up else None, "reported_at": up.reported_at if up else None,
                    "evidence_id": up.evidence_id if up else None,
                    "evidence_name": files.get(up.evidence_id) if up else None,
                    "evidence_url": up.evidence_url if up else None})
    return out


def milestone_history(session: Session, milestone_id: int) -> list[dict]:
    """Every report of a milestone, oldest first: version, state, dates, note, evidence, who."""
    m = session.get(Milestone, milestone_id)
    if m is None:
        raise MilestoneNotFound(f"未找到里程碑 {milestone_id}")
    rows = session.execute(select(*_UPDATE).where(MilestoneUpdate.milestone_id == m.id)
                           .order_by(MilestoneUpdate.version)).all()
    names = dict(session.execute(select(Unit.id, Unit.name).where(Unit.id.in_({r.unit_id for r in rows}))).all())
    files = _evidence_names(session, {r.evidence_id for r in rows if r.evidence_id})
    return [{"version": r.version, "state": r.state, "as_of": r.as_of, "period": r.period, "note": r.note,
             "evidence_id": r.evidence_id, "evidence_name": files.get(r.evidence_id), "evidence_url": r.evidence_url,
             "unit": names.get(r.unit_id), "source": r.source, "reported_by": r.reported_by,
             "reported_at": r.reported_at} for r in rows]


def _evidence_names(session: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    return dict(session.execute(select(Evidence.id, Evidence.name).where(Evidence.id.in_(ids))).all())
