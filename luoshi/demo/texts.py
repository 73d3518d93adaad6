"""The words in the demo's reports: 进展情况, 滞后原因, 下步措施, varied by the seed."""
from __future__ import annotations

import random

DELAY_REASONS = (
    "部分站址选址受阻，物业协调周期较长，建设进度慢于计划。",
    "受汛期和高温天气影响，室外施工有效工期减少。",
    "设备到货延迟，部分项目开通时间顺延。",
    "项目资金拨付滞后，施工单位进场时间推迟。",
    "用电报装和外电引入手续办理周期较长。",
    "企业投资意愿偏弱，部分项目尚处于前期论证阶段。",
    "统计口径调整，部分已建成数量尚待核实后纳入。",
    "土地、规划等前期手续尚未办结，项目未能按期开工。",
)
NEXT_STEPS = (
    "建立周调度机制，逐个站址落实责任人，力争下月完成阶段任务。",
    "协调供电部门开辟绿色通道，加快外电引入。",
    "督促施工单位增加作业班组，倒排工期、挂图作战。",
    "提请专班协调资金拨付，确保项目按期推进。",
    "加强与基础电信企业对接，优先保障重点区域建设。",
    "组织专项督导，对进度滞后项目实行清单化管理。",
    "会同统计部门核实数据，按月跟踪、动态更新。",
    "加快办理前期手续，力争年底前全部开工。",
)
DONE = ("按计划推进", "进展顺利", "完成月度计划", "稳步推进", "按序时进度推进")


def delay_reason(rnd: random.Random) -> str:
    return rnd.choice(DELAY_REASONS)


def next_steps(rnd: random.Random) -> str:
    return rnd.choice(NEXT_STEPS)


def narrative(series, period: str, value: float, month: float | None, rnd: random.Random) -> str:
    """进展情况: what was done this month and where the total stands."""
    unit = series.unit or ""
    total = f"{_n(value)}{unit}"
    if month is not None and month > 0 and series.goal.nature != "ratio":
        return f"{int(period[5:])}月新增{_n(month)}{unit}，累计{total}，{rnd.choice(DONE)}。"
    return f"截至{int(period[5:])}月底为{total}，{rnd.choice(DONE)}。"


def _n(x: float) -> str:
    if abs(x) >= 1e8:
        return f"{x / 1e8:.2f}".rstrip("0").rstrip(".") + "亿"
    if abs(x) >= 1e5:
        return f"{x / 1e4:.1f}".rstrip("0").rstrip(".") + "万"
    return f"{x:.3f}".rstrip("0").rstrip(".")
