"""序时进度: where a target should be at a date and how far along it is, in percent.

- Baseline (`baseline_value`): the goal's, else the first report (placed at the schedule start,
  as offices count from "the plan's first reported value", when it is for the first month; a
  later first report restarts the clock: `lights.late_start`), else 0. Annual indicators (flows:
  新建, 收入) start every year from 0 and are judged within their year; their baseline and
  milestones only set the year's target (`year_target`).
- The schedule runs from the baseline at the start through the milestones to the target at the
  deadline, linearly unless `Rules.method` is geometric; 序时进度 (`scheduled_share`) is the time
  elapsed unless milestones bend the schedule, then the share of the way the schedule expects.
- Completion rate = (actual − baseline) ÷ (target − baseline); direction takes care of itself
  once a baseline is known. A range (between) is approached toward its bound nearer the baseline
  and met inside, bounds included.
"""
from __future__ import annotations

from itertools import pairwise

from luoshi.track.goals import EPS, RULES, Goal, Observation, Rules, When, months, series, year_of

__all__ = ["RULES", "Goal", "Observation", "Rules", "baseline_value", "completion_rate", "elapsed_share",
           "expected_value", "is_met", "judged_year", "scheduled_share", "target_value", "year_target"]


def baseline_value(goal: Goal, observations=()) -> float:
    """The value progress is counted from: the goal's baseline, else the first report, else 0.
    Annual indicators start every year from 0."""
    if goal.nature == "annual":
        return 0.0
    if goal.baseline:
        return float(goal.baseline[1])
    pts = series(observations)
    return pts[0][1] if pts else 0.0


def target_value(goal: Goal, baseline: float = 0.0) -> float:
    """The value progress runs toward: the goal's, or a range's bound nearer the baseline."""
    if goal.comparator == "between" and baseline > goal.value_max:
        return goal.value_max
    return goal.value


def is_met(goal: Goal, value: float, target: float | None = None) -> bool:
    """Whether `value` satisfies the goal: its comparator; = and ~ by direction (reaching the
    value counts); a range with its bounds included."""
    t = goal.value if target is None else target
    tol = EPS * max(1.0, abs(t))
    c = goal.comparator
    if c == "between":
        return goal.value - tol <= value <= goal.value_max + tol
    if c in (">", "<"):
        return value > t if c == ">" else value < t
    return value >= t - tol if c == ">=" or (c != "<=" and goal.direction == "up") else value <= t + tol


def judged_year(goal: Goal, as_of: When) -> int:
    """The year an annual indicator is judged in: that of `as_of`, at most the deadline's."""
    return min(year_of(months(as_of)), year_of(goal.end))


def year_target(goal: Goal, year: int, rules: Rules = RULES) -> float:
    """An annual indicator's target for one year: a milestone's or the deadline's value; between
    them (from the baseline year) interpolated; before the first with no baseline, the next one's."""
    knots = {year_of(goal.end): target_value(goal)}
    knots.update({year_of(months(w)): v for w, v in goal.milestones})
    if goal.baseline:
        knots.setdefault(year_of(months(goal.baseline[0])), float(goal.baseline[1]))
    before, after = [y for y in knots if y <= year], [y for y in knots if y >= year]
    if not after or not before:
        return knots[max(knots)] if not after else knots[min(after)]
    a, b = max(before), min(after)
    return knots[a] if a == b else _between(knots[a], knots[b], (year - a) / (b - a), rules.method)


def elapsed_share(goal: Goal, as_of: When) -> float:
    """The share of the time elapsed, in percent: from the schedule start to the deadline, or for
    annual indicators within the judged year (months ÷ 12)."""
    t = months(as_of)
    if goal.nature == "annual":
        return min(max(t - judged_year(goal, as_of) * 12, 0.0), 12.0) / 12 * 100
    span = goal.end - goal.origin
    if span <= EPS:
        return 100.0 if t >= goal.end - EPS else 0.0
    return min(max((t - goal.origin) / span, 0.0), 1.0) * 100


def expected_value(goal: Goal, as_of: When, baseline: float | None = None, rules: Rules = RULES) -> float:
    """The value the schedule expects by `as_of`: from the baseline at the schedule start through
    the milestones to the target at the deadline (linearly, or geometrically by `rules.method`);
    for annual indicators the year's target times the share of the year elapsed."""
    if goal.nature == "annual":
        return year_target(goal, judged_year(goal, as_of), rules) * elapsed_share(goal, as_of) / 100
    base = goal_base(goal, baseline)
    knots = [(goal.origin, base)] + [(m, v) for w, v in goal.milestones if goal.origin < (m := months(w)) < goal.end]
    knots.append((max(goal.end, goal.origin), target_value(goal, base)))
    t = min(max(months(as_of), knots[0][0]), knots[-1][0])
    for (a, va), (b, vb) in pairwise(knots):
        if t <= b:
            return vb if b - a <= EPS else _between(va, vb, (t - a) / (b - a), rules.method)
    return knots[-1][1]


def scheduled_share(goal: Goal, as_of: When, baseline: float | None = None, rules: Rules = RULES) -> float:
    """序时进度 in percent: the share of the way to the target the schedule expects by `as_of`.
    That is the time elapsed (`elapsed_share`) unless milestones or a geometric schedule bend it;
    then (expected − baseline) ÷ (target − baseline)."""
    bent = rules.method != "linear" or any(goal.origin < months(w) < goal.end for w, _ in goal.milestones)
    if goal.nature == "annual" or not bent:
        return elapsed_share(goal, as_of)
    base = goal_base(goal, baseline)
    target = target_value(goal, base)
    if abs(target - base) <= EPS * max(1.0, abs(target)):
        return elapsed_share(goal, as_of)
    return (expected_value(goal, as_of, base, rules) - base) / (target - base) * 100


def completion_rate(goal: Goal, actual: float, baseline: float | None = None, target: float | None = None) -> float:
    """(actual − baseline) ÷ (target − baseline) in percent; direction-aware by construction (a PUE
    from 1.6 toward 1.3 at 1.45 is 50 %). Where the target equals the baseline: 100 if met, else 0."""
    base = goal_base(goal, baseline)
    t = target_value(goal, base) if target is None else target
    if abs(t - base) <= EPS * max(1.0, abs(t)):
        return 100.0 if is_met(goal, actual, t) else 0.0
    return (actual - base) / (t - base) * 100


def goal_base(goal: Goal, baseline: float | None) -> float:
    if baseline is not None:
        return float(baseline)
    return float(goal.baseline[1]) if goal.baseline and goal.nature != "annual" else 0.0


def _between(a: float, b: float, f: float, method: str) -> float:
    """The value a fraction `f` of the way from a to b: linear, or geometric (constant growth rate)
    where both are positive."""
    if method == "geometric" and a > 0 and b > 0:
        return a * (b / a) ** f
    return a + (b - a) * f
