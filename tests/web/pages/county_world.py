"""A small world with counties for the dashboard tests: three county plans of 聊城市 (东昌府区
371502, 阳谷县 371521, 茌平区 371503 — 茌平 is 茌平县 371523 on the 2018 map) and one city plan,
written here, stored through the real pipeline (extract, save_plan, build_tasks, reports.submit).

Each county plan has three targets with stated baselines (2023 → 2026, so 序时进度 at the end of
2024 is 12/36 = 33.33 %), each led by one unit:
  一、总体要求           数字经济重点项目 30 → 60 个      县/区发展和改革局
  二/(一) 建设网络设施   5G基站总数 600 → 1200 个         县/区工业和信息化局
  二/(二) 推动企业上云   千兆宽带用户 2万 → 5万 户         县/区工业和信息化局 (发改局 supports)
and the city plan one: 5G基站总数 8000 → 14000 个, 市工业和信息化局.

`FINAL` is each target's last reported value (`DESIGN` gives the months each unit reported and
when); earlier months rise in a straight line from the baseline to it."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from luoshi.extract import extract
from luoshi.read import read_bytes
from luoshi.store import Store
from luoshi.store.dispatch_models import Task, TaskTarget, TaskUnit, Unit
from luoshi.store.models import Plan, TargetRow
from luoshi.store.plans import save_plan
from luoshi.track import reports
from luoshi.track.catalog import linker, load_catalog
from luoshi.track.tasks import build_tasks
from luoshi.track.timeliness import DispatchSettings, due_date

COUNTIES = {"阳谷县": ("371521", "县", "阳政发〔2024〕3号"), "东昌府区": ("371502", "区", "东政发〔2024〕5号"),
            "茌平区": ("371503", "区", "茌政发〔2024〕7号")}
MONTHS = [f"2024-{m:02d}" for m in range(7, 13)]
SETTINGS = DispatchSettings(lock_after_days=100000)
BASE = {"数字经济重点项目": 30, "5G基站总数": 600, "千兆宽带用户": 20000}
# Last reported value per (region, indicator); None: never reported.
FINAL = {("阳谷县", "数字经济重点项目"): 41, ("阳谷县", "5G基站总数"): 605, ("阳谷县", "千兆宽带用户"): 24000,
         ("东昌府区", "数字经济重点项目"): None, ("东昌府区", "5G基站总数"): 820, ("东昌府区", "千兆宽带用户"): 25000,
         ("茌平区", "数字经济重点项目"): 40, ("茌平区", "5G基站总数"): 900, ("茌平区", "千兆宽带用户"): 33000,
         ("聊城市", "5G基站总数"): 8100}
# Per unit: month → days after the due day it arrived (<= 0 on time); a month left out was never sent.
ON_TIME = -2
DESIGN = {"阳谷县工业和信息化局": {m: (5 if m == "2024-11" else ON_TIME) for m in MONTHS},
          "阳谷县发展和改革局": dict.fromkeys(MONTHS, ON_TIME),
          "东昌府区工业和信息化局": {m: ON_TIME for m in MONTHS if m != "2024-12"},
          "东昌府区发展和改革局": {},
          "茌平区工业和信息化局": {m: (2 if m == "2024-09" else ON_TIME) for m in MONTHS},
          "茌平区发展和改革局": dict.fromkeys(MONTHS, ON_TIME),
          "聊城市工业和信息化局": {m: (3 if m == "2024-12" else ON_TIME) for m in MONTHS}}
LAGGING = {("阳谷县", "5G基站总数"), ("阳谷县", "千兆宽带用户"), ("东昌府区", "千兆宽带用户"), ("聊城市", "5G基站总数")}


def county_plan(name: str, short: str, doc: str) -> str:
    return f"""{name}人民政府文件

{doc}

{name}数字经济发展三年行动方案（2024—2026年）

为加快数字经济发展，结合我{short}实际，制定本方案。

一、总体要求

全{short}数字经济重点项目由2023年的30个增加到2026年的60个。〔责任单位：{short}发展和改革局〕

二、重点任务

（一）建设网络设施

全{short}5G基站总数由2023年底的600个增加到2026年的1200个。〔责任单位：{short}工业和信息化局〕

（二）推动企业上云

全{short}千兆宽带用户由2023年的2万户增加到2026年的5万户。〔责任单位：{short}工业和信息化局、{short}发展和改革局〕

三、保障措施

加强组织领导，建立月调度制度。〔责任单位：{short}发展和改革局〕
"""


CITY_PLAN = """聊城市人民政府文件

聊政字〔2024〕9号

聊城市数字基础设施建设三年行动方案（2024—2026年）

为加快数字基础设施建设，结合我市实际，制定本方案。

一、重点任务

（一）建设网络设施

全市5G基站总数由2023年底的8000个增加到2026年的14000个。〔责任单位：市工业和信息化局〕
"""


@dataclass
class County:
    url: str
    units: dict[str, int]  # unit name → id
    targets: dict[tuple[str, str], int]  # (region, indicator) → target id
    plans: dict[str, int]  # region → plan id


def reason(region: str, indicator: str, period: str) -> tuple[str, str]:
    return f"{period}{region}{indicator}：项目审批滞后", f"{period}：加快审批，下月补齐"


def build(url: str) -> County:
    catalog = load_catalog(None)
    texts = [county_plan(n, s, d) for n, (_, s, d) in COUNTIES.items()] + [CITY_PLAN]
    store = Store(url)
    try:
        with store.session() as s:
            for text in texts:
                data = text.encode("utf-8")
                save_plan(s, extract(read_bytes(data, "plan.txt")), hashlib.sha256(data).hexdigest(), "plan.txt",
                          linker=linker(catalog))
            build_tasks(s)
            s.commit()
            plans = {p.region_name: p.id for p in s.scalars(select(Plan))}
            units = {u.name: u.id for u in s.scalars(select(Unit))}
            targets, led = {}, {}
            for tid, indicator, region, unit_id in s.execute(
                    select(TargetRow.id, TargetRow.indicator, Plan.region_name, TaskUnit.unit_id)
                    .join(TaskTarget, TaskTarget.target_id == TargetRow.id).join(Task, Task.id == TaskTarget.task_id)
                    .join(Plan, Plan.id == Task.plan_id).join(TaskUnit, TaskUnit.task_id == Task.id)
                    .where(TaskUnit.role == "lead")):
                targets[(region, indicator)], led[tid] = tid, unit_id
            for unit, sent in DESIGN.items():
                mine = [(key, tid) for key, tid in targets.items() if led.get(tid) == units[unit]
                        and FINAL.get(key) is not None]
                last = max(sent, default=None)
                for period in sorted(sent):
                    share = int(period[5:]) / int(last[5:])
                    lines = []
                    for (region, indicator), tid in mine:
                        base = 8000 if region == "聊城市" else BASE[indicator]
                        value = round(base + (FINAL[(region, indicator)] - base) * share, 2)
                        extra = {}
                        if (region, indicator) in LAGGING:
                            extra = dict(zip(("delay_reason", "next_steps"), reason(region, indicator, period)))
                        lines.append({"target_id": tid, "cumulative": value, **extra})
                    reports.submit(s, unit=units[unit], period=period, source="api", lines=lines,
                                   as_of=due_date(period, SETTINGS) + timedelta(days=sent[period]),
                                   settings=SETTINGS, catalog=catalog)
    finally:
        store.close()
    return County(url, units, targets, plans)


JUDGED_ON = date(2025, 1, 31)  # 2024-12 is judged at the end of the month after it
