"""What the dashboard reads besides progress and the regions (dashboard_regions.py): each target's
action area (行动领域) and lead units, the latest 滞后原因 / 下步措施 a unit gave, and the freshness
stamp of the snapshot cache. Each is one or two queries whatever the size."""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from luoshi.store.dispatch_models import ReportLine, Submission, Task, TaskTarget, TaskUnit, Unit
from luoshi.store.models import PlanVersion, SectionRow, TargetRow
from luoshi.store.settings_models import OfficeSetting
from luoshi.store.work_models import MilestoneUpdate
from luoshi.track.dashboard_regions import recent_months

# A top-level heading that only gathers the tasks (二、重点任务): its sub-sections are the areas.
GENERIC = re.compile(r"^(?:重点|主要)?(?:任务|工作|工程|举措|行动)(?:安排|措施)?$|^(?:重点|主要)(?:任务|工作|工程|举措|行动)")


@dataclass(frozen=True)
class Area:
    plan_id: int
    path: str
    title: str


def areas(session: Session, version_ids: list[int]) -> dict[int, Area]:
    """Target id → its action area: the plan's top-level section (一、二、…), or, under a heading that
    only gathers the tasks (二、重点任务), the second-level section."""
    if not version_ids:
        return {}
    titles: dict[tuple[int, str], str] = {}
    for vid, path, title in session.execute(select(SectionRow.version_id, SectionRow.path, SectionRow.title)
                                            .where(SectionRow.version_id.in_(version_ids))):
        if path.count("/") <= 1:
            titles[(vid, path)] = title
    out = {}
    for tid, vid, plan_id, section in session.execute(
            select(TargetRow.id, TargetRow.version_id, PlanVersion.plan_id, TargetRow.section)
            .join(PlanVersion, PlanVersion.id == TargetRow.version_id).where(TargetRow.version_id.in_(version_ids))):
        parts = (section or "").split("/")
        top = parts[0]
        if not top or (vid, top) not in titles:
            out[tid] = Area(plan_id, "", "未归入章节")
            continue
        path = top
        if len(parts) > 1 and GENERIC.search(titles[(vid, top)]) and (vid, "/".join(parts[:2])) in titles:
            path = "/".join(parts[:2])
        out[tid] = Area(plan_id, path, titles[(vid, path)])
    return out


@dataclass(frozen=True)
class LeadUnit:
    unit_id: int
    name: str
    region_code: str | None


def lead_units(session: Session, version_ids: list[int]) -> dict[int, list[LeadUnit]]:
    """Target id → the units leading the tasks it stands in (by task, then position)."""
    out: dict[int, list[LeadUnit]] = defaultdict(list)
    if not version_ids:
        return out
    rows = session.execute(
        select(TaskTarget.target_id, Unit.id, Unit.name, Unit.region_code)
        .join(TaskUnit, TaskUnit.task_id == TaskTarget.task_id).join(Unit, Unit.id == TaskUnit.unit_id)
        .join(TargetRow, TargetRow.id == TaskTarget.target_id).join(Task, Task.id == TaskTarget.task_id)
        .where(TargetRow.version_id.in_(version_ids), TaskUnit.role == "lead")
        .order_by(TaskTarget.target_id, Task.id, TaskUnit.position))
    for tid, uid, name, code in rows:
        if all(u.unit_id != uid for u in out[tid]):
            out[tid].append(LeadUnit(uid, name, code))
    return out


@dataclass(frozen=True)
class Reason:
    period: str
    delay_reason: str | None
    next_steps: str | None


REASON_MONTHS = 12  # a reason older than a year says nothing of the delay now (and bounds the rows read)


def latest_reasons(session: Session, wanted: dict[int, str | None], until: str) -> dict[int, Reason]:
    """Target id → the latest 滞后原因 / 下步措施 on it in the year up to `until`, from the current
    version of each month's report; `wanted` names the unit whose word counts for each target (None:
    any)."""
    if not wanted:
        return {}
    since = recent_months(until, REASON_MONTHS)[0]
    rows = session.execute(
        select(ReportLine.target_id, Submission.unit_id, Unit.name, Submission.period, Submission.version,
               ReportLine.delay_reason, ReportLine.next_steps)
        .join(Submission, Submission.id == ReportLine.submission_id).join(Unit, Unit.id == Submission.unit_id)
        .where(ReportLine.target_id.in_(list(wanted)), Submission.period >= since, Submission.period <= until,
               or_(ReportLine.delay_reason.is_not(None), ReportLine.next_steps.is_not(None)))).all()
    rows = [r for r in rows if wanted[r.target_id] is None or r.name == wanted[r.target_id]]
    if not rows:
        return {}
    # A correction replaces its month whole: only the newest version of each month counts.
    current = dict(((u, p), v) for u, p, v in session.execute(
        select(Submission.unit_id, Submission.period, func.max(Submission.version))
        .where(Submission.unit_id.in_({r.unit_id for r in rows}), Submission.period >= since,
               Submission.period <= until)
        .group_by(Submission.unit_id, Submission.period)))
    out: dict[int, Reason] = {}
    for r in sorted(rows, key=lambda r: r.period):
        why, steps = (r.delay_reason or "").strip() or None, (r.next_steps or "").strip() or None
        if r.version == current[(r.unit_id, r.period)] and (why or steps):
            out[r.target_id] = Reason(r.period, why, steps)
    return out


def freshness(session: Session) -> tuple:
    """A cheap stamp that changes whenever what the dashboard shows may have: a report, a plan
    version, tasks built, a milestone update, an office setting (one query of indexed maxima)."""
    q = select(*(select(f).scalar_subquery() for f in (
        func.max(Submission.id), func.count(PlanVersion.id), func.max(PlanVersion.id), func.max(Task.id),
        func.max(MilestoneUpdate.id), func.max(OfficeSetting.id))))
    return tuple(session.execute(q).one())
