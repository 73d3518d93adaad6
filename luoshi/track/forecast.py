"""Where a target is heading: the value at the deadline extrapolated from the reports (`forecast`),
and, as a secondary view only, Open SDG's growth-ratio measure (`growth_view`).

Forecast (`Rules.forecast_method`):
- least_squares (default): a straight line fitted to the last `Rules.forecast_points` reports,
  read at the deadline; robust to one noisy month.
- increment: the average monthly increment between the first and last of those reports, carried
  on from the last report.
A single report has no trend of its own: it is joined to the baseline at the schedule start
where the goal has one (for annual indicators to 0 at the start of the year, which annualises the
year so far), else held flat. A report at or after the deadline is the final value. Annual
indicators are forecast to the end of the year of the latest report, against that year's target.
Standards are met or not, never forecast.

Growth view: observed compound annual growth since the base ÷ the growth needed from the base to
reach the target by its deadline; ≥ 0.95 on track, 0.6–0.95 moderate, 0–0.6 limited, below 0
deteriorating, a target already met overrides. It ignores elapsed plan time and is undefined
for values at or below zero (counts that start at nothing), annual flows and standards.
"""
from __future__ import annotations

from dataclasses import dataclass

from luoshi.track.goals import EPS, RULES, Goal, Rules, When, months, series, year_of
from luoshi.track.schedule import baseline_value, is_met, target_value, year_target


@dataclass(frozen=True)
class Forecast:
    value: float  # the value expected at the horizon
    reaches: bool  # whether that meets the target
    target: float
    method: str  # least_squares | increment | anchored (one report and the baseline) | flat | final
    slope: float  # per month
    points: int  # reports used
    horizon: float  # months index: the deadline, or for annual indicators the end of the year


def forecast(goal: Goal, observations, rules: Rules = RULES, as_of: When | None = None) -> Forecast | None:
    """The value at the deadline extrapolated from the reports (up to `as_of` if given)."""
    observations = list(observations)
    pts = series(observations, None if as_of is None else months(as_of))
    if goal.kind == "standard" or not pts:
        return None
    if goal.nature == "annual":
        year = min(year_of(pts[-1][0]), year_of(goal.end))
        pts = [p for p in pts if year_of(p[0]) == year]
        if not pts:
            return None
        horizon, anchor, target = (year + 1) * 12.0, (year * 12.0, 0.0), year_target(goal, year, rules)
    else:
        horizon = goal.end
        anchor = (goal.origin, float(goal.baseline[1])) if goal.baseline else None
        target = target_value(goal, baseline_value(goal, [o for o in observations if o.at <= pts[-1][0] + EPS]))
    pts = pts[-rules.forecast_points:]
    (t1, v1) = pts[-1]
    if t1 >= horizon - EPS:
        method, slope, value = "final", 0.0, v1
    elif len(pts) == 1:
        if anchor and anchor[0] < t1 - EPS:
            method, slope = "anchored", (v1 - anchor[1]) / (t1 - anchor[0])
        else:
            method, slope = "flat", 0.0
        value = v1 + slope * (horizon - t1)
    elif rules.forecast_method == "increment":
        method, slope = "increment", (v1 - pts[0][1]) / (t1 - pts[0][0])
        value = v1 + slope * (horizon - t1)
    else:
        method, slope, value = "least_squares", *_fit(pts, horizon)
    return Forecast(value, is_met(goal, value, target), target, method, slope, len(pts), horizon)


def _fit(pts: list[tuple[float, float]], at: float) -> tuple[float, float]:
    """Ordinary least squares through the points: (slope, the line's value at `at`)."""
    n = len(pts)
    mx = sum(t for t, _ in pts) / n
    my = sum(v for _, v in pts) / n
    sxx = sum((t - mx) ** 2 for t, _ in pts)
    slope = sum((t - mx) * (v - my) for t, v in pts) / sxx if sxx > EPS else 0.0
    return slope, my + slope * (at - mx)


GROWTH_BANDS = {"achieved": "已实现目标", "on_track": "进展顺利", "moderate": "进展一般", "limited": "进展有限",
                "deteriorating": "趋于恶化"}


@dataclass(frozen=True)
class GrowthView:
    """Secondary view (Open SDG): not the office's 序时进度 and never the light."""

    band: str  # achieved | on_track | moderate | limited | deteriorating
    ratio: float  # observed ÷ needed compound annual growth
    observed: float  # compound annual growth since the base, e.g. 0.05 for 5 %
    needed: float  # compound annual growth needed from the base to the target by the deadline

    @property
    def label(self) -> str:
        return GROWTH_BANDS[self.band]


def growth_view(goal: Goal, observations, as_of: When | None = None) -> GrowthView | None:
    """Open SDG's measure from the goal's baseline (else the first report) to the latest report;
    None where it is undefined (see the module)."""
    pts = series(observations, None if as_of is None else months(as_of))
    if goal.kind == "standard" or goal.nature == "annual" or not pts:
        return None
    t0, v0 = (months(goal.baseline[0]), float(goal.baseline[1])) if goal.baseline else pts[0]
    t1, v1 = pts[-1]
    target = target_value(goal, v0)
    if min(v0, v1, target) <= 0 or t1 - t0 <= EPS or goal.end - t0 <= EPS:
        return None
    observed = (v1 / v0) ** (12 / (t1 - t0)) - 1
    needed = (target / v0) ** (12 / (goal.end - t0)) - 1
    if abs(needed) <= EPS:
        return None
    ratio = observed / needed
    r = round(ratio, 9)  # the band edges hold exactly: 0.95 is on track, 0.6 moderate, 0 limited
    if is_met(goal, v1, target):
        band = "achieved"
    else:
        band = "on_track" if r >= 0.95 else "moderate" if r >= 0.6 else "limited" if r >= 0 else "deteriorating"
    return GrowthView(band, ratio, observed, needed)
