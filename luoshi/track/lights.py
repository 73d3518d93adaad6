"""Lights (红黄绿灯) and the judgement of one target at a date (`assess`).

The published rule (domain.md), with its bounds decided: a gap of exactly 10 points behind is
yellow (10–30 includes 10), exactly 30 behind still yellow (red is "more than 30"); so green when
gap > −10, yellow when −30 ≤ gap ≤ −10, red when gap < −30 (`Rules.yellow_behind`, `red_behind`).
Gaps are compared after rounding to 9 decimals, so 56.67 − 66.67 computed as −9.999999999999 is
the −10 it stands for. Before the thresholds, in order:
- no report up to the date: no light ("暂无进度数据"); late reports are the dispatch's business;
- a standard: green when met (达标), red when not (未达标): never interpolated;
- a goal met: green (已完成; annual: 已完成年度目标), even ahead of the deadline; for an annual cap (lower is better) only
  once its year is over, since the year so far cannot show it will stay under;
- past the deadline and not met: red (逾期未完成);
- a range overshot (beyond its far bound): yellow (超出目标区间).
Annual caps (annual and lower is better) count the gap the other way: using less of the cap than
the time elapsed is ahead. The status text shows the points cut (not rounded) to
`Rules.decimals`: offices publish 97.2 − 83.33 = 13.87 as "13.8 points ahead".
"""
from __future__ import annotations

import math
from dataclasses import dataclass, replace
from enum import StrEnum

from luoshi.track.forecast import Forecast, GrowthView, forecast, growth_view
from luoshi.track.goals import EPS, RULES, Goal, Rules, When, months, series, year_of
from luoshi.track.schedule import (baseline_value, completion_rate, elapsed_share, expected_value, is_met,
                                   judged_year, scheduled_share, target_value, year_target)

_LABELS = {"green": "绿", "yellow": "黄", "red": "红"}


class Light(StrEnum):
    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"

    @property
    def label(self) -> str:
        return _LABELS[self.value]


def light(gap: float | None, *, met: bool = False, failed: bool = False, rules: Rules = RULES) -> Light:
    """The light for a gap in points: green if met; red if `failed` (past the deadline unmet, or a
    standard not met); else by the thresholds (see the module)."""
    if met:
        return Light.GREEN
    if failed:
        return Light.RED
    if gap is None:
        raise ValueError("a light needs a gap unless the target is met or has failed")
    g = round(gap, 9)
    if g < -rules.red_behind:
        return Light.RED
    return Light.YELLOW if g <= -rules.yellow_behind else Light.GREEN


def points_text(gap: float, rules: Rules = RULES) -> str:
    """|gap| with `rules.decimals` decimals, cut or rounded by `rules.truncate`."""
    scale = 10 ** rules.decimals
    x = round(abs(gap), 9) * scale
    return f"{math.floor(x + (1e-7 if rules.truncate else 0.5)) / scale:.{rules.decimals}f}"


def gap_text(gap: float, rules: Rules = RULES) -> str:
    shown = points_text(gap, rules)
    if float(shown) == 0:
        return "与序时进度持平"
    return f"{'超' if gap > 0 else '滞后'}序时进度{shown}个百分点"


@dataclass(frozen=True)
class Assessment:
    """One target judged at one date. Shares, rates and gaps in percent / points."""

    as_of: When
    actual: float | None  # the latest report up to as_of (for annual indicators: of the judged year)
    baseline: float  # what progress is counted from
    target: float  # what it runs toward (for annual indicators: the judged year's target)
    elapsed: float | None  # share of time elapsed (时间进度)
    scheduled: float | None  # 序时进度: the share the schedule expects (= elapsed unless bent)
    expected: float | None  # the value the schedule expects by as_of
    completion: float | None  # completion rate
    gap: float | None  # completion − scheduled (reversed for annual caps)
    light: Light | None
    reached: bool  # the target is met (standards: the threshold is satisfied)
    status: str  # short Chinese text: 超序时进度7.3个百分点, 滞后序时进度12.5个百分点, 已完成 …
    forecast: Forecast | None
    growth: GrowthView | None = None  # secondary view, only with Rules.growth_view

    @property
    def label(self) -> str:
        return self.light.label if self.light else "—"


PRE_SCHEDULE = "基期内，尚未开始按序时进度考核"


def late_start(goal: Goal, observations) -> Goal:
    """Without a stated baseline the first report stands for the value at the schedule start, as
    offices count — when it is for the schedule's first month. A first report that comes later
    (reporting began mid-plan, or the unit missed the first months) is a baseline measured after
    the plan began and restarts the clock there, as a stated one does: else a first report in the
    plan's last year would read as 0 % done against a 序时进度 of 90 %."""
    if goal.baseline is not None or goal.nature == "annual" or goal.kind == "standard" or not observations:
        return goal
    first = min(observations, key=lambda o: o.at)
    if first.at <= goal.origin + 1 + EPS:
        return goal
    value = series([o for o in observations if o.at == first.at])[0][1]  # the later of two for one month
    return replace(goal, baseline=(first.period, value))


def assess(goal: Goal, observations, as_of: When, rules: Rules = RULES, *, with_forecast: bool = True) -> Assessment:
    """Judge `goal` at `as_of` from the reports up to then (later ones are ignored); without
    `with_forecast`, no forecast (a past quarter compared with this one needs its lights only)."""
    t, observations = months(as_of), list(observations)
    pts = series(observations, t)
    upto = [o for o in observations if o.at <= t + EPS]
    annual = goal.nature == "annual"
    goal = late_start(goal, upto)
    if annual:
        year = judged_year(goal, as_of)
        in_year = [v for m, v in pts if year_of(m) == year]
        actual, base, target = (in_year[-1] if in_year else None), 0.0, year_target(goal, year, rules)
    else:
        actual, base = (pts[-1][1] if pts else None), baseline_value(goal, upto)
        target = target_value(goal, base)
    growth = growth_view(goal, upto) if rules.growth_view else None
    none = dict.fromkeys(("elapsed", "scheduled", "expected", "completion", "gap", "forecast"))
    if actual is None:
        return Assessment(as_of, None, base, target, **none, light=None, reached=False, status="暂无进度数据")
    if goal.kind == "standard":
        met = is_met(goal, actual)
        return Assessment(as_of, actual, base, target, **none, light=light(None, met=met, failed=not met),
                          reached=met, status="达标" if met else "未达标", growth=growth)
    before = (year <= year_of(months(goal.baseline[0]) - EPS)) if annual and goal.baseline else t < goal.origin - EPS
    if before:
        # Before the schedule starts (within a baseline year that ends after the plan began) there
        # is no 序时进度 to be behind: the value is still on its way to the baseline; an annual
        # flow's baseline year is the base itself, not a year to judge.
        return Assessment(as_of, actual, base, target, **none, light=None, reached=is_met(goal, actual, target),
                          status=PRE_SCHEDULE, growth=growth)
    cap = annual and goal.direction == "down"
    met = is_met(goal, actual, target)
    reached = met and (not cap or t >= (year + 1) * 12 - EPS)
    elapsed = elapsed_share(goal, as_of)
    scheduled = scheduled_share(goal, as_of, base, rules)
    completion = completion_rate(goal, actual, base, target)
    gap = scheduled - completion if cap else completion - scheduled
    overshot = goal.comparator == "between" and not met and (actual - goal.value) * (target - base) > 0
    failed = not reached and t > goal.end + EPS
    if reached:
        status = "已完成年度目标" if annual else "已完成"
    elif overshot:
        status = "超出目标区间"
    else:
        status = "逾期未完成" if failed else gap_text(gap, rules)
    lamp = light(gap, met=reached, failed=failed, rules=rules)
    if overshot and not failed:
        lamp = Light.YELLOW
    return Assessment(as_of, actual, base, target, elapsed, scheduled, expected_value(goal, as_of, base, rules),
                      completion, gap, lamp, reached, status,
                      forecast(goal, upto, rules) if with_forecast else None, growth)
