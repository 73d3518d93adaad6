"""The key-project library listed and linked: `project_rows` gives each project as it stands now
(or at the end of a day) with filters, `totals` its investment sums; `link` and `unlink` count a
project toward a task or a target, `set_task_links` makes a project's task links a given set.

Links are not versioned (a link row holds its creation time only): unlinking deletes the row.
NULLs never collide in UNIQUE(project_id, task_id, target_id), so a link is looked up before it
is added."""
from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from luoshi.errors import LuoshiError
from luoshi.store.dispatch_models import Task, Unit
from luoshi.store.models import Region, TargetRow, as_id
from luoshi.store.regions import match_region
from luoshi.store.work_models import Project, ProjectLink, ProjectVersion
from luoshi.track.project_history import differences, find_project, history, newest, state_of
from luoshi.track.project_places import region_code
from luoshi.track.project_rules import LABELS
from luoshi.track.reports import find_unit
from luoshi.track.timeliness import china_time


class LinkInvalid(LuoshiError):
    code = "project_link_invalid"
    http_status = 422


def link(session: Session, code, *, task: int | None = None, target: int | None = None,
         commit: bool = True) -> ProjectLink:
    """Count a project toward one task or one target; linking twice keeps one link."""
    project = find_project(session, code)
    task_id, target_id = _one(session, task, target)
    row = _find(session, project.id, task_id, target_id)
    if row is None:
        row = ProjectLink(project_id=project.id, task_id=task_id, target_id=target_id)
        session.add(row)
        session.flush()
    if commit:
        session.commit()
    return row


def unlink(session: Session, code, *, task: int | None = None, target: int | None = None,
           commit: bool = True) -> bool:
    """Remove a project's link to a task or target; False when there was none."""
    project = find_project(session, code)
    task_id, target_id = _one(session, task, target)
    row = _find(session, project.id, task_id, target_id)
    if row is not None:
        session.delete(row)
        session.flush()
    if commit:
        session.commit()
    return row is not None


def set_task_links(session: Session, project_id: int, task_ids: set[int]) -> bool:
    """Make a project's task links exactly `task_ids` (its target links stay); whether any changed."""
    rows = {r.task_id: r for r in session.scalars(select(ProjectLink).where(
        ProjectLink.project_id == project_id, ProjectLink.task_id.is_not(None)))}
    for tid in set(rows) - task_ids:
        session.delete(rows[tid])
    session.add_all(ProjectLink(project_id=project_id, task_id=tid) for tid in sorted(task_ids - set(rows)))
    session.flush()
    return set(rows) != task_ids


def _one(session: Session, task, target) -> tuple[int | None, int | None]:
    if (task is None) == (target is None):
        raise LinkInvalid("请指定一个任务或一个量化目标（二者选一）")
    model, value, word, hint = (Task, task, "任务", "luoshi tasks") if task is not None else \
        (TargetRow, target, "量化目标", "luoshi targets")
    key = as_id(value)
    if key is None or session.get(model, key) is None:
        raise LinkInvalid(f"未找到{word}“{value}”（按编号查找，可用 {hint} 查看）")
    return (key, None) if task is not None else (None, key)


def _find(session: Session, project_id: int, task_id, target_id) -> ProjectLink | None:
    col_test = [ProjectLink.task_id.is_(None) if task_id is None else ProjectLink.task_id == task_id,
                ProjectLink.target_id.is_(None) if target_id is None else ProjectLink.target_id == target_id]
    return session.scalar(select(ProjectLink).where(ProjectLink.project_id == project_id, *col_test))


def links_of(session: Session, project_ids) -> dict[int, tuple[list[int], list[int]]]:
    """Each project's linked task ids and target ids."""
    out: dict[int, tuple[list[int], list[int]]] = {pid: ([], []) for pid in project_ids}
    for pid, tid, xid in session.execute(select(ProjectLink.project_id, ProjectLink.task_id, ProjectLink.target_id)
                                         .where(ProjectLink.project_id.in_(list(out)))
                                         .order_by(ProjectLink.task_id, ProjectLink.target_id)):
        (out[pid][0] if tid is not None else out[pid][1]).append(tid if tid is not None else xid)
    return out


def project_rows(session: Session, *, unit=None, county: str | None = None, in_statistics: bool | None = None,
                 include_retired: bool = False, task: int | None = None, target: int | None = None,
                 day: date | None = None, code: str | None = None) -> list[dict]:
    """Each project as it stands (at the end of `day`), as a plain row, by code. Filters: owner unit
    (name, alias or id), county (a division takes in those under it; else the name as written),
    入统, retired ones too, linked to a task or a target, one project (`code`, retired or not)."""
    owner = find_unit(session, unit).id if unit is not None else None
    inside = _inside(session, county) if county else None
    only = [find_project(session, code).id] if code is not None else None
    versions = [v for v in newest(session, day=day, project_ids=only)
                if (include_retired or only or not v.retired) and (owner is None or v.owner_unit_id == owner)
                and (in_statistics is None or v.in_statistics == in_statistics) and (inside is None or inside(v))]
    links = links_of(session, [v.project_id for v in versions])
    if task is not None or target is not None:
        versions = [v for v in versions if (task is None or int(task) in links[v.project_id][0])
                    and (target is None or int(target) in links[v.project_id][1])]
    codes = dict(session.execute(select(Project.id, Project.code).where(Project.id.in_(links))).all())
    units = dict(session.execute(select(Unit.id, Unit.name).where(
        Unit.id.in_({v.owner_unit_id for v in versions if v.owner_unit_id}))).all())
    regions = dict(session.execute(select(Region.code, Region.name).where(
        Region.code.in_({v.region_code for v in versions if v.region_code}))).all())
    rows = [row(v, codes[v.project_id], units.get(v.owner_unit_id), regions.get(v.region_code), links[v.project_id])
            for v in versions]
    return sorted(rows, key=lambda r: r["code"])


def row(v: ProjectVersion, code: str, unit: str | None, region: str | None, links=([], [])) -> dict:
    return {"code": code, "name": v.name, "unit": unit, "unit_id": v.owner_unit_id, "county": v.county,
            "region_code": v.region_code, "region": region, "planned_investment": v.planned_investment,
            "completed_investment": v.completed_investment, "planned_start": v.planned_start,
            "planned_end": v.planned_end, "actual_start": v.actual_start, "in_statistics": v.in_statistics,
            "retired": v.retired, "version": v.version, "change": v.change, "changed_at": china_time(v.changed_at),
            "changed_by": v.changed_by, "reason": v.reason, "source": v.source,
            "tasks": list(links[0]), "targets": list(links[1])}


def version_rows(session: Session, code) -> list[dict]:
    """Every version of a project as a row (oldest first), each with what it changed: `changes`
    lists {field, label, before, after}, the unit by name (the county's code goes with the county)."""
    project = find_project(session, code)
    versions = history(session, project)
    units = dict(session.execute(select(Unit.id, Unit.name).where(
        Unit.id.in_({v.owner_unit_id for v in versions if v.owner_unit_id}))).all())
    out, before = [], None
    for v in versions:
        r = row(v, project.code, units.get(v.owner_unit_id), None)
        named = {k: units.get(x) if k == "owner_unit_id" else x for k, x in state_of(v).items()}
        r["changes"] = [] if before is None else [
            {"field": "unit" if k == "owner_unit_id" else k, "label": LABELS[k], "before": before[k], "after": named[k]}
            for k in differences(before, named) if k != "region_code"]
        before = named
        out.append(r)
    return out


def totals(rows: list[dict]) -> dict:
    """How many projects, and their planned and completed investment (万元; blanks count nothing)."""
    def total(key):
        return sum((Decimal(r[key]) for r in rows if r[key] is not None), Decimal(0))

    return {"count": len(rows), "planned_investment": total("planned_investment"),
            "completed_investment": total("completed_investment")}


def _inside(session: Session, county: str):
    """Whether a version lies in `county`: a division code or name takes in the divisions under it."""
    county = county.strip()
    code = county if county.isdigit() else region_code(session, county)
    if code is None and (r := match_region(session, county)) is not None:
        code = r.code
    prefix = re.sub(r"(?:00)+$", "", code) if code else None
    return lambda v: bool((prefix and v.region_code and v.region_code.startswith(prefix)) or v.county == county)
