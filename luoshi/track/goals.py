"""The inputs of progress judgement, database-free: a `Goal` (one target with its indicator's
direction and nature), the `Observation`s units report, and an office's `Rules`. The judgement
itself is in `schedule` (序时进度), `lights` (lights, status text, `assess`) and `forecast`.

Time is counted in months since year 0 (`months`): a year stands for its end (a deadline 到2025年
is the end of 2025, a baseline 2020年 the end of 2020), a plan start year for its start, a
year-month for the end of that month, a date for the end of that day, so 15 August is 7 + 15/31
months into its year and the end of August 8 (8/12 = 66.67 %).

The schedule starts (`Goal.origin`) at the later of the plan start and the end of the baseline
year (a baseline measured after the plan began restarts the clock); with neither, at the start
of the earliest milestone or deadline year: the target is judged as if it were set for that year.
"""
from __future__ import annotations

import calendar
import math
import re
from dataclasses import dataclass
from datetime import date, datetime

from luoshi.errors import LuoshiError

COMPARATORS = (">=", ">", "<=", "<", "=", "~", "between")
KINDS, DIRECTIONS, NATURES = ("goal", "standard"), ("up", "down"), ("cumulative", "annual", "ratio")
METHODS, FORECASTS = ("linear", "geometric"), ("least_squares", "increment")
EPS = 1e-9
When = date | int | tuple | str  # a date, a year, (year, month), "YYYY", "YYYY-MM" or "YYYY-MM-DD"


class ScheduleError(LuoshiError):
    """A goal, report or rule the schedule cannot work with."""

    code = "schedule"


def months(when: When, *, start: bool = False) -> float:
    """`when` as months since the start of year 0: its end, or its start with `start=True`."""
    if isinstance(when, datetime):
        when = when.date()
    if isinstance(when, date):
        dim = calendar.monthrange(when.year, when.month)[1]
        return when.year * 12 + when.month - 1 + (when.day - start) / dim
    if isinstance(when, str):
        m = re.fullmatch(r"\s*(\d{4})(?:[-/.年](\d{1,2})(?:[-/.月](\d{1,2}))?)?[年月日]?\s*", when)
        if not m:
            raise ScheduleError(f"无法识别的时间：“{when}”（应为 2024、2024-08 或 2024-08-31）")
        y, mo, d = (int(g) if g else None for g in m.groups())
        when = y if mo is None else (y, mo) if d is None else _date(y, mo, d)
        return months(when, start=start)
    if isinstance(when, int) and not isinstance(when, bool):
        return when * 12 + (0 if start else 12)
    if isinstance(when, tuple) and len(when) == 2 and all(isinstance(x, int) for x in when):
        if not 1 <= when[1] <= 12:
            raise ScheduleError(f"月份无效：{when[0]}年{when[1]}月")
        return when[0] * 12 + when[1] - start
    raise ScheduleError(f"无法识别的时间：{when!r}")


def _date(y: int, mo: int, d: int) -> date:
    try:
        return date(y, mo, d)
    except ValueError as e:
        raise ScheduleError(f"日期无效：{y}年{mo}月{d}日") from e


def year_of(m: float) -> int:
    """The year a month index falls in; the end of a year belongs to that year."""
    return math.ceil(m / 12 - EPS) - 1


@dataclass(frozen=True)
class Rules:
    """An office's rules; the defaults are the published ones in domain.md."""

    yellow_behind: float = 10.0  # this many points behind or more: yellow (10 itself is yellow)
    red_behind: float = 30.0  # more than this many behind: red (30 itself is still yellow)
    method: str = "linear"  # how the schedule runs between its points: linear | geometric
    forecast_method: str = "least_squares"  # least_squares | increment (average monthly increment)
    forecast_points: int = 6  # the trend is taken from the last N reports
    decimals: int = 1  # points shown in the status text
    truncate: bool = True  # cut, not round, the points shown: 97.2 − 83.33 is published as 13.8
    growth_view: bool = False  # also compute the secondary Open SDG growth-ratio view

    def __post_init__(self):
        if not 0 <= self.yellow_behind <= self.red_behind:
            raise ScheduleError("规则无效：黄灯阈值应不小于 0 且不大于红灯阈值")
        if self.method not in METHODS or self.forecast_method not in FORECASTS:
            raise ScheduleError(f"规则无效：插值方法应为 {'/'.join(METHODS)}，预测方法应为 {'/'.join(FORECASTS)}")
        if self.forecast_points < 2 or self.decimals < 0:
            raise ScheduleError("规则无效：预测至少取 2 期数据，小数位数不能为负")


RULES = Rules()


@dataclass(frozen=True)
class Observation:
    """A reported value: cumulative (累计) for cumulative indicators, the value of the year so far
    for annual ones, the current ratio for ratios."""

    period: When
    value: float

    def __post_init__(self):
        self.at  # noqa: B018 - an unreadable period fails when reported, not when judged

    @property
    def at(self) -> float:
        return months(self.period)


@dataclass(frozen=True)
class Goal:
    """One target, with its indicator's direction and nature (from the catalog)."""

    value: float
    deadline: When
    comparator: str = ">="
    value_max: float | None = None
    kind: str = "goal"  # goal | standard (a facility threshold: met or not, never interpolated)
    direction: str = "up"  # up | down (lower is better: PUE)
    nature: str = "cumulative"  # cumulative | annual | ratio
    baseline: tuple[When, float] | None = None  # (year or date, value)
    start: When | None = None  # plan start
    milestones: tuple[tuple[When, float], ...] = ()  # year-by-year targets before the deadline

    def __post_init__(self):
        for name, value, allowed in (("comparator", self.comparator, COMPARATORS), ("kind", self.kind, KINDS),
                                     ("direction", self.direction, DIRECTIONS), ("nature", self.nature, NATURES)):
            if value not in allowed:
                raise ScheduleError(f"目标的 {name}“{value}”无效：只能是 {' / '.join(allowed)}")
        object.__setattr__(self, "value", float(self.value))
        if self.value_max is not None:
            object.__setattr__(self, "value_max", float(self.value_max))
        if self.comparator == "between" and (self.value_max is None or self.value_max < self.value):
            raise ScheduleError("区间目标需要不小于下限的上限（value_max）")
        object.__setattr__(self, "milestones", tuple(sorted(((w, float(v)) for w, v in self.milestones),
                                                            key=lambda p: months(p[0]))))
        self.end, self.origin  # noqa: B018 - unreadable times fail here, not in the middle of a judgement

    @property
    def end(self) -> float:
        return months(self.deadline)

    @property
    def origin(self) -> float:
        """Where the schedule starts (see the module's decisions)."""
        starts = [months(self.start, start=True)] if self.start is not None else []
        starts += [months(self.baseline[0])] if self.baseline else []
        if starts:
            return max(starts)
        return min(year_of(months(w)) for w, _ in (*self.milestones, (self.deadline, 0))) * 12.0


def goal_from_target(t, indicator=None, *, start: When | None = None, milestones=()) -> Goal:
    """A Goal from an extracted `Target` or a stored `TargetRow`, and its catalog `Indicator`
    (direction and nature; without one: up, cumulative). `start`: the plan's first year."""
    if t.year is None:
        raise ScheduleError(f"目标“{t.indicator}”没有目标年份，无法计算序时进度")
    b = getattr(t, "baseline", None)
    year, value = (b.year, b.value) if b is not None else (getattr(t, "baseline_year", None),
                                                           getattr(t, "baseline_value", None))
    return Goal(value=float(t.value), deadline=int(t.year), comparator=t.comparator,
                value_max=None if t.value_max is None else float(t.value_max), kind=t.kind,
                direction=getattr(indicator, "direction", "up"), nature=getattr(indicator, "nature", "cumulative"),
                baseline=(int(year), float(value)) if year is not None and value is not None else None,
                start=start, milestones=tuple(milestones))


def series(observations, until: float | None = None) -> list[tuple[float, float]]:
    """Reports as sorted (month, value), the later of two for one period winning, up to `until`."""
    by_month: dict[float, float] = {}
    for o in observations:
        by_month[o.at] = float(o.value)
    return sorted((m, v) for m, v in by_month.items() if until is None or m <= until + EPS)
