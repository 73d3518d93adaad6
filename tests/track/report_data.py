"""A small dispatch world for the report tests, written straight into the tables: one plan
(start `year`, to year + 2) with three targets, three units and two tasks.

- STOCK: 5G基站 ≥ 12000 个 by year + 2 from 6000 at the end of year − 1 (cumulative, up): 36 months,
  so in March of `year` 序时进度 is 8.33 % and 6500 is on schedule; in June 6300 is 11.7 points behind.
- NEW: 新建5G基站 3000 个 a year (annual): March expects 750.
- OTHER: 算力总规模 (not linked to the catalog), the task of another unit.
市工业和信息化局 (alias 市工信局) leads task 1 (STOCK, NEW), 市通信发展管理办公室 supports it;
市发展和改革委员会 leads task 2 (OTHER).
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from luoshi.store import Store
from luoshi.store.dispatch_models import ReportLine, Submission, Task, TaskTarget, TaskUnit, Unit, UnitAlias
from luoshi.store.models import AssignmentRow, Plan, PlanVersion, TargetRow

LEAD, SUPPORT, OTHER_UNIT = "市工业和信息化局", "市通信发展管理办公室", "市发展和改革委员会"


@dataclass
class World:
    url: str
    year: int
    stock: int
    new: int
    other: int
    lead: int
    support: int
    other_unit: int

    def store(self) -> Store:
        return Store(self.url)

    def period(self, month: int) -> str:
        return f"{self.year}-{month:02d}"


def _target(version: PlanVersion, position: int, indicator: str, key: str | None, value: float, year: int,
            baseline: tuple[int, float] | None = None) -> TargetRow:
    return TargetRow(version_id=version.id, position=position, indicator=indicator, indicator_key=key,
                     link_status="exact" if key else "none", value=value, unit="个", comparator=">=", year=year,
                     kind="goal", baseline_year=baseline[0] if baseline else None,
                     baseline_value=baseline[1] if baseline else None, start=position * 10,
                     end=position * 10 + 5, section="一", source="text", quote=f"{indicator}达到{value}")


def build(url: str, year: int = 2024) -> World:
    store = Store(url)
    try:
        with store.session() as s:
            plan = Plan(key=f"澜政字〔{year}〕12号", title="澜州市数字基础设施建设三年行动方案")
            s.add(plan)
            s.flush()
            v = PlanVersion(plan_id=plan.id, number=1, sha256=f"{year:064d}", format="txt", text="……",
                            title=plan.title, period_start=year, period_end=year + 2)
            s.add(v)
            s.flush()
            stock = _target(v, 0, "5G基站总数", "5g_base_stations", 12000, year + 2, (year - 1, 6000))
            new = _target(v, 1, "新建5G基站", "5g_base_stations_new", 3000, year + 2)
            other = _target(v, 2, "算力总规模", None, 3, year + 2)
            a1 = AssignmentRow(version_id=v.id, position=0, start=0, end=20, section="二/(一)/1")
            a2 = AssignmentRow(version_id=v.id, position=1, start=20, end=40, section="二/(二)/1")
            lead = Unit(name=LEAD, aliases=[UnitAlias(alias="市工信局")])
            support, other_unit = Unit(name=SUPPORT), Unit(name=OTHER_UNIT)
            s.add_all([stock, new, other, a1, a2, lead, support, other_unit])
            s.flush()
            t1 = Task(plan_id=plan.id, assignment_id=a1.id, section="二/(一)/1", title="加快5G网络深度覆盖",
                      units=[TaskUnit(unit_id=lead.id, role="lead", position=0),
                             TaskUnit(unit_id=support.id, role="support", position=1)],
                      targets=[TaskTarget(target_id=stock.id), TaskTarget(target_id=new.id)])
            t2 = Task(plan_id=plan.id, assignment_id=a2.id, section="二/(二)/1", title="提升算力供给",
                      units=[TaskUnit(unit_id=other_unit.id, role="lead", position=0)],
                      targets=[TaskTarget(target_id=other.id)])
            s.add_all([t1, t2])
            s.commit()
            return World(url, year, stock.id, new.id, other.id, lead.id, support.id, other_unit.id)
    finally:
        store.close()


def counts(url: str) -> tuple[int, int]:
    """(submissions, report lines) stored."""
    store = Store(url)
    try:
        with store.session() as s:
            return (s.scalar(select(func.count()).select_from(Submission)),
                    s.scalar(select(func.count()).select_from(ReportLine)))
    finally:
        store.close()
