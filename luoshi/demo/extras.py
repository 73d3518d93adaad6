"""Beyond the monthly numbers: milestones of the tasks no number measures (the office's default
完成任务 milestone, a few states reported, two late), and a key-project library (重点项目库) whose
county projects sit in the real counties of 聊城市, some changed since they were added."""
from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import select
from sqlalchemy.orm import Session

from luoshi.demo.county_plans import COUNTIES
from luoshi.store.dispatch_models import TaskUnit, Unit
from luoshi.store.work_models import Milestone, Project
from luoshi.track import projects
from luoshi.track.milestones import default_milestones, report_milestone
from luoshi.track.timeliness import CHINA

LATE_NOTES = ("配套资金尚未到位，招标推迟。", "牵头部门调整，方案重新报批。")
EVIDENCE = "https://example.org/luoshi-demo/evidence/{id}.pdf"  # an address reserved for examples


def add_milestones(session: Session, *, today: date, rnd: random.Random) -> int:
    """Default milestones for the tasks without targets, and states for some of them; returns the
    number of updates reported."""
    default_milestones(session, created_by="调度办")
    rows = session.execute(select(Milestone.id, TaskUnit.unit_id).join(TaskUnit, TaskUnit.task_id == Milestone.task_id)
                           .where(TaskUnit.role == "lead").order_by(Milestone.id, TaskUnit.position)).all()
    lead = dict(reversed(rows))  # milestone → its first lead unit
    chosen = sorted(rnd.sample(sorted(lead), min(12, len(lead))))
    count = 0
    for k, mid in enumerate(chosen):
        started = min(date(2024, rnd.randint(4, 9), rnd.randint(1, 28)), today)
        report_milestone(session, mid, unit=lead[mid], state="推进中", as_of=started, source="web", today=today,
                         reported_by="调度办", note="已制定工作方案，明确责任分工。", commit=False)
        count += 1
        if k % 3 == 0:  # done, with the acceptance report's address
            done = min(started + timedelta(days=rnd.randint(200, 500)), today)
            report_milestone(session, mid, unit=lead[mid], state="已完成", as_of=done, source="web", today=today,
                             evidence_url=EVIDENCE.format(id=mid), note="已通过验收。", commit=False)
            count += 1
        elif k in (1, 4):
            late = min(started + timedelta(days=rnd.randint(120, 300)), today)
            report_milestone(session, mid, unit=lead[mid], state="滞后", as_of=late, source="web", today=today,
                             note=LATE_NOTES[k == 4], commit=False)
            count += 1
    session.flush()
    return count


PROJECTS = ("5G网络深度覆盖工程", "千兆光网入户改造项目", "县级数据中心（一期）", "数字乡村感知网络建设项目")


def add_projects(session: Session, *, today: date, rnd: random.Random) -> int:
    """Key projects of the county units (所在区县: their county), a few changed later; returns how
    many projects."""
    units = {name: uid for uid, name in session.execute(select(Unit.id, Unit.name))}
    count = 0
    for c in COUNTIES:
        for kind in rnd.sample(PROJECTS, 2):
            dept = "发展和改革局" if "数据中心" in kind else "工业和信息化局" if "5G" in kind or "光网" in kind else "大数据中心"
            unit = units.get(c.name + dept)
            if unit is None:
                continue
            planned = rnd.randrange(3000, 60000, 100)
            start = date(2024, rnd.randint(3, 10), 1)
            end = date(rnd.choice((2025, 2026)), rnd.randint(1, 12), 1)
            added = _at(min(start - timedelta(days=30), today))
            fields = {"name": f"{c.name}{kind}（示例）", "unit": unit, "county": c.name, "planned_investment": planned,
                      "planned_start": start.isoformat()[:7], "planned_end": end.isoformat()[:7],
                      "completed_investment": 0, "in_statistics": "否"}
            v = projects.add(session, fields, source="web", changed_by="调度办", at=added, commit=False)
            count += 1
            begun = start + timedelta(days=rnd.randint(0, 60))
            if begun < today:
                share = min(1.0, (today - begun).days / max((end - begun).days, 1)) * rnd.uniform(0.6, 1.0)
                projects.change(session, session.get(Project, v.project_id).code,
                                {"actual_start": begun.isoformat(), "completed_investment": round(planned * share),
                                 "in_statistics": "是"}, source="web", changed_by=f"{c.name}{dept}",
                                reason="按月更新投资完成情况", at=_at(min(today, begun + timedelta(days=90))),
                                commit=False)
    session.flush()
    return count


def _at(day: date) -> datetime:
    return datetime.combine(day, time(10), CHINA).astimezone(timezone.utc)
