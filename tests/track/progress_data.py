"""The five shared plans and luoshi's sample plan stored (tests/store/stored_plans.py, no links:
progress links with the catalog in hand), with units, tasks and reports written straight into the
dispatch tables (migration 0003) for the progress and timeliness tests.

Units and tasks, in 聊城市新基建三年行动方案(2021—2023年) (plan 000, 实施期 2021–2023):
- 市工业和信息化局 leads the task of 二/(一)/1 (5G基站 = 10000 by 2023, no baseline; 5G+产业园 = 10),
  中国移动聊城分公司 supports it;
- 市大数据局 leads the task of 二/(一)/2 (数据中心PUE值 < 1.3, a standard with no year) and one on
  the table of 四/(六) (新建数据中心PUE值 = 1.3 by 2023 from 1.35 in 2021);
in 数字聊城建设三年行动计划(2020-2022年) (plan 002, 2020–2022): 市委网信办 leads the task of 一/(一).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone

from sqlalchemy import select

from luoshi.store import Store
from luoshi.store.dispatch_models import ReportLine, Submission, Task, TaskTarget, TaskUnit, Unit
from luoshi.store.models import AssignmentRow, TargetRow
from tests.store.stored_plans import Stored, store_all

MIIT, DATA, MOBILE, CAC = "市工业和信息化局", "市大数据局", "中国移动聊城分公司", "市委网信办"


@dataclass
class World:
    stored: Stored
    units: dict[str, int] = field(default_factory=dict)  # name → unit id
    targets: dict[str, int] = field(default_factory=dict)  # short name → target id

    @property
    def url(self) -> str:
        return self.stored.url

    def store(self) -> Store:
        return Store(self.url)

    def report(self, unit: str, period: str, lines: dict[str, float], *, version: int = 1,
               at: datetime | None = None) -> None:
        """One unit's report for one month: {target short name: 累计}; `at` in UTC."""
        store = self.store()
        try:
            with store.session() as s:
                sub = Submission(unit_id=self.units[unit], period=period, version=version, source="cli",
                                 correction_reason="更正" if version > 1 else None,
                                 submitted_at=at or datetime(2026, 1, 1, tzinfo=timezone.utc))
                sub.lines = [ReportLine(target_id=self.targets[k], cumulative=v) for k, v in lines.items()]
                s.add(sub)
                s.commit()
        finally:
            store.close()


def _target(s, version_id: int, indicator: str, section: str) -> int:
    return s.scalar(select(TargetRow.id).where(TargetRow.version_id == version_id, TargetRow.indicator == indicator,
                                               TargetRow.section == section))


def _task(s, plan_id: int, version_id: int, section: str, lead: Unit, targets: list[int], supports=()) -> None:
    a = s.scalar(select(AssignmentRow).where(AssignmentRow.version_id == version_id, AssignmentRow.section == section))
    task = Task(plan_id=plan_id, assignment_id=a.id, section=section, title=section)
    task.units = [TaskUnit(unit_id=lead.id, role="lead", position=0)] + [
        TaskUnit(unit_id=u.id, role="support", position=i) for i, u in enumerate(supports, 1)]
    task.targets = [TaskTarget(target_id=t) for t in targets]
    s.add(task)


def build(url: str) -> World:
    stored = store_all(url)
    world = World(stored)
    liaocheng, digital, sample = stored.saved["000"], stored.saved["002"], stored.saved["sample"]
    store = Store(url)
    try:
        with store.session() as s:
            units = {n: Unit(name=n) for n in (MIIT, DATA, MOBILE, CAC, "澜州市通信发展管理办公室")}
            s.add_all(units.values())
            s.flush()
            world.units = {n: u.id for n, u in units.items()}
            v = liaocheng.version_id
            t = world.targets
            t["5g"] = _target(s, v, "5G基站", "二/(一)/1")
            t["5g_parks"] = _target(s, v, "5G+产业园", "二/(一)/1")
            t["5g_table"] = _target(s, v, "5G基站", "四/(六)")
            t["pue_standard"] = _target(s, v, "数据中心PUE值", "二/(一)/2")
            t["pue_goal"] = _target(s, v, "新建数据中心PUE值", "四/(六)")
            t["lz_5g_2026"] = s.scalar(select(TargetRow.id).where(  # 5G基站总数 = 12000 by 2026, from 6850 (2023)
                TargetRow.version_id == sample.version_id, TargetRow.section == "四/(六)",
                TargetRow.indicator == "5G基站总数", TargetRow.year == 2026))
            t["dl_5g"] = _target(s, digital.version_id, "5G基站", "一/(一)")
            assert all(t.values()), t
            _task(s, liaocheng.plan_id, v, "二/(一)/1", units[MIIT], [t["5g"], t["5g_parks"]], [units[MOBILE]])
            _task(s, liaocheng.plan_id, v, "二/(一)/2", units[DATA], [t["pue_standard"]])
            _task(s, liaocheng.plan_id, v, "四/(六)", units[DATA], [t["pue_goal"]])
            _task(s, digital.plan_id, digital.version_id, "一/(一)", units[CAC], [t["dl_5g"]])
            s.commit()
    finally:
        store.close()
    return world


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)
