"""The rules a monthly report must satisfy, given what the store knows (`Context`): the unit
reports only targets of its own tasks; 当月 and 累计 agree with the previous report; a running
total that goes down needs a correction reason; behind schedule needs 滞后原因 and 下步措施.

Decisions:
- A target's series is the reporting unit's own: the current (latest) version of each earlier
  month's report of that unit. Two units reporting one target keep separate series.
- By the indicator's nature (the goal's, as progress has it: catalog links it is sure of;
  unlinked targets count as cumulative): a cumulative total
  carries on across years, an annual one (the year so far) starts again in January (so January's
  累计 equals its 当月), a ratio is a level with no sum to agree with and may go either way.
- 上期累计 + 当月 ≈ 累计 is checked only against the month just before; after a gap only the
  direction of the total is checked (the 当月 covers one month, the gap more).
- "Goes down" applies to totals that should only grow: annual flows, and cumulative indicators
  where more is better; a stock meant to shrink (direction down) may fall. A negative 当月 is a
  reduction (核减) and needs the reason too; a negative 累计 is refused where the catalog's
  plausible range starts at 0 or above (and for unlinked targets).
- Behind schedule is judged at the end of the reported month with `lights.assess` over the
  unit's series and this report, on the Goal progress judges the target by (target_goals.py:
  deadline, milestones, a baseline stated in an indicator table): a yellow or red light.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from luoshi.track.goals import Observation as Obs
from luoshi.track.lights import Light, assess
from luoshi.track.progress import MonthReport
from luoshi.track.report_lines import Line, Problem
from luoshi.track.timeliness import DispatchSettings, period_label, period_parts, previous_period


@dataclass
class Context:
    """What the rules need from the store, for the targets a report names."""

    unit_name: str | None
    period: str | None
    targets: dict[int, object] = field(default_factory=dict)  # id → TargetRow
    goals: dict[int, object] = field(default_factory=dict)  # id → the Goal progress judges it by
    indicators: dict[int, object] = field(default_factory=dict)  # id → catalog Indicator or None
    owned: set[int] | None = None  # targets of the unit's tasks; None: unit unknown
    earlier: dict[int, list[tuple[str, Decimal]]] = field(default_factory=dict)  # id → [(period, 累计)]


def check(lines: list[Line], ctx: Context, reason: str | None, settings: DispatchSettings) -> list[Problem]:
    problems: list[Problem] = []
    seen: set[int] = set()
    for ln in lines:
        tid = ln.target_id
        if tid is None:
            continue
        if tid in seen:
            problems.append(Problem(ln.index, tid, "target_id", f"目标 {tid} 在本报告中重复填报"))
            continue
        seen.add(tid)
        row = ctx.targets.get(tid)
        if row is None:
            problems.append(Problem(ln.index, tid, "target_id", f"目标 {tid} 不存在"))
            continue
        if ctx.owned is not None and tid not in ctx.owned:
            problems.append(Problem(ln.index, tid, "target_id", f"目标 {tid}（{row.indicator}）不属于{ctx.unit_name}"
                                    "牵头或配合的任务，只能报送本单位的任务"))
            continue
        problems += _values(ln, row, ctx, reason, settings)
    return problems


def _values(ln: Line, row, ctx: Context, reason: str | None, settings: DispatchSettings) -> list[Problem]:
    out: list[Problem] = []
    ind, goal = ctx.indicators.get(ln.target_id), ctx.goals.get(ln.target_id)
    nature, direction = (goal.nature, goal.direction) if goal else ("cumulative", "up")
    floor = ind.range[0] if ind is not None else 0
    cum, month = ln.cumulative, ln.month_value

    def say(field_: str, message: str) -> None:
        out.append(Problem(ln.index, ln.target_id, field_, message))

    if cum is not None and cum < 0 and floor >= 0:
        say("cumulative", f"累计不能为负（{_n(cum)}）")
    shrinks = nature == "annual" or (nature == "cumulative" and direction == "up")
    if month is not None and month < 0 and shrinks and not reason:
        say("month_value", f"当月为负（{_n(month)}）即核减，须填写更正说明")
    if ctx.period is None or cum is None:
        return out
    prev = _previous(nature, ctx.period, ctx.earlier.get(ln.target_id, []))
    if prev is not None:
        p_period, p_cum, just_before = prev
        where = "1月为年度首月，上期累计按 0 计" if p_period is None else f"上期（{period_label(p_period)}）累计 {_n(p_cum)}"
        if just_before and month is not None and not _close(p_cum + month, cum, settings):
            say("cumulative", f"当月与累计不一致：{where}，加当月 {_n(month)} 应为 {_n(p_cum + month)}，"
                f"实填 {_n(cum)}")
        if shrinks and p_period is not None and cum < p_cum and not _close(p_cum, cum, settings) and not reason:
            say("cumulative", f"累计 {_n(cum)} 低于{where}：累计减少须填写更正说明")
    light = _behind(goal, ln, ctx, settings)
    if light is not None:
        for f in ("delay_reason", "next_steps"):
            if not getattr(ln, f):
                say(f, f"{light}，须填写{'滞后原因' if f == 'delay_reason' else '下步措施'}")
    return out


def _previous(nature: str, period: str, earlier: list[tuple[str, Decimal]]):
    """(period or None for a new year's zero, 累计, whether it is the month just before), or None."""
    y, m = period_parts(period)
    if nature == "ratio":
        return None
    if nature == "annual":
        if m == 1:
            return None, Decimal(0), True
        earlier = [(p, v) for p, v in earlier if p.startswith(f"{y:04d}-")]
    if not earlier:
        return None
    p, v = earlier[-1]
    return p, v, p == previous_period(period)


def _behind(goal, ln: Line, ctx: Context, settings: DispatchSettings) -> str | None:
    """The status text where the target is behind schedule (yellow or red), else None: the goal
    progress judges it by (target_goals.py), so a reason is asked exactly where progress shows
    yellow or red."""
    if goal is None:
        return None  # no year to schedule against: nothing is behind
    # Months as (year, month) with their index worked out once, as progress hands them to `assess`:
    # parsing "YYYY-MM" on each of the hundreds of reads was most of the cost of a report's check.
    obs = [_month(p, float(v)) for p, v in ctx.earlier.get(ln.target_id, [])] + [_month(ctx.period, float(ln.cumulative))]
    a = assess(goal, obs, period_parts(ctx.period), settings.rules)
    if a.light in (Light.YELLOW, Light.RED):
        return f"{a.status}（{a.light.label}灯）"
    return None


def _month(period: str, value: float) -> Obs:
    return MonthReport(int(period[:4]), int(period[5:7]), value)


def _close(a: Decimal, b: Decimal, s: DispatchSettings) -> bool:
    return abs(a - b) <= max(Decimal(str(s.abs_tolerance)), Decimal(str(s.rel_tolerance)) * max(abs(a), abs(b)))


def _n(d: Decimal) -> str:
    """A Decimal as people write it: 1200, 12.5 (no trailing zeros, no exponent)."""
    s = f"{d:f}"
    return s.rstrip("0").rstrip(".") if "." in s else s
