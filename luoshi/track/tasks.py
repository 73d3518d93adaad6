"""Tasks: each responsibility clause of a plan's newest version, made a task with its units (the
first `lead_count` lead, the rest support) and the targets in the text it covers (clauses.py).

Building is idempotent: a clause already made a task is left as it is. A new version of a plan
brings new clauses, and so new tasks; the tasks of older versions are kept (with the reports made
on their targets) but no longer listed: `tasks_of_unit` and `task_rows` show the tasks of each
plan's newest version unless asked for all."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from luoshi.store.dispatch_models import Task, TaskTarget, TaskUnit, Unit
from luoshi.store.models import AssignmentRow, Plan, PlanVersion, TargetRow
from luoshi.store.plans import latest_versions
from luoshi.store.search import _num, latest_version_ids
from luoshi.track.clauses import clauses
from luoshi.track.unit_names import AliasTable
from luoshi.track.units import Units


def build_tasks(session: Session, plan_id: int | None = None, *, aliases: AliasTable | None = None,
                units: Units | None = None) -> list[Task]:
    """Make a task of every clause of every plan's newest version (or of one plan's) that is none
    yet, registering its units; the caller commits. Returns the tasks made."""
    units = units or Units(session, aliases)
    made = []
    for v in latest_versions(session):
        if plan_id is None or v.plan_id == plan_id:
            made += _version_tasks(session, v, units)
    return made


def _version_tasks(session: Session, v: PlanVersion, units: Units) -> list[Task]:
    plan = session.get(Plan, v.plan_id)
    rows = list(v.assignments)
    done = set(session.scalars(select(Task.assignment_id).where(
        Task.assignment_id.in_([a.id for a in rows])))) if rows else set()
    targets = sorted(v.targets, key=lambda t: t.start)
    made = []
    for a, c in zip(rows, clauses(v.text, v.sections, rows)):
        if a.id in done:
            continue
        task = Task(plan_id=plan.id, assignment_id=a.id, section=a.section, title=c.title or "（无标题）", due=c.due)
        seen: set[int] = set()
        for k, au in enumerate(a.units):
            unit = units.get_or_create(au.name, plan.region_code, plan.region_name)
            if unit.id not in seen:  # two spellings of one office in a clause: its first role
                seen.add(unit.id)
                task.units.append(TaskUnit(unit_id=unit.id, role="lead" if k < a.lead_count else "support",
                                           position=len(seen) - 1))
        task.targets = [TaskTarget(target_id=t.id) for t in targets if c.holds(t.start, t.end)]
        session.add(task)
        made.append(task)
    session.flush()
    return made


def _current(query, current_only: bool):
    if not current_only:
        return query
    return query.join(AssignmentRow, AssignmentRow.id == Task.assignment_id).where(
        AssignmentRow.version_id.in_(latest_version_ids()))


def tasks_of_unit(session: Session, unit: Unit, *, role: str | None = None, current_only: bool = True) -> list[Task]:
    """The tasks a unit leads or supports (`role`: lead | support | None for both), by plan and
    clause; those of older plan versions only with `current_only=False`."""
    q = select(Task).join(TaskUnit, TaskUnit.task_id == Task.id).where(TaskUnit.unit_id == unit.id)
    if role:
        q = q.where(TaskUnit.role == role)
    return list(session.scalars(_current(q, current_only).order_by(Task.plan_id, Task.assignment_id)).unique())


def task_rows(session: Session, *, unit: Unit | None = None, plan_id: int | None = None,
              current_only: bool = True) -> list[dict]:
    """Tasks as plain rows: plan, section, title, lead and support unit names, targets."""
    q = select(Task)
    if unit is not None:
        q = q.where(Task.id.in_(select(TaskUnit.task_id).where(TaskUnit.unit_id == unit.id)))
    if plan_id is not None:
        q = q.where(Task.plan_id == plan_id)
    q = _current(q, current_only).options(selectinload(Task.units), selectinload(Task.targets))
    tasks = list(session.scalars(q.order_by(Task.plan_id, Task.assignment_id)))
    names = dict(session.execute(select(Unit.id, Unit.name)).all())
    titles = dict(session.execute(select(Plan.id, Plan.title)).all())
    wanted = {tt.target_id for t in tasks for tt in t.targets}
    targets = {x.id: x for x in session.scalars(select(TargetRow).where(TargetRow.id.in_(wanted)))} if wanted else {}
    out = []
    for t in tasks:
        found = sorted((targets[tt.target_id] for tt in t.targets), key=lambda x: x.start)
        out.append({"id": t.id, "plan_id": t.plan_id, "plan_title": titles.get(t.plan_id), "section": t.section,
                    "title": t.title, "status": t.status, "due": t.due,
                    "lead": [names[u.unit_id] for u in t.units if u.role == "lead"],
                    "support": [names[u.unit_id] for u in t.units if u.role == "support"],
                    "targets": [{"id": x.id, "indicator": x.indicator, "comparator": x.comparator,
                                 "value": _num(x.value), "value_max": _num(x.value_max), "unit": x.unit,
                                 "year": x.year, "span": [x.start, x.end]} for x in found]})
    return out
