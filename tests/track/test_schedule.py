"""序时进度, lights, forecasts and the growth view: the figures city offices publish (domain.md)
exactly, and small goals of our own for the rest."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from luoshi.model import Baseline, Target
from luoshi.store.models import TargetRow
from luoshi.track.forecast import forecast, growth_view
from luoshi.track.goals import Goal, Rules, ScheduleError, goal_from_target, months
from luoshi.track.goals import Observation as Obs
from luoshi.track.lights import Light, assess, light
from luoshi.track.schedule import (baseline_value, completion_rate, elapsed_share, expected_value, is_met,
                                   scheduled_share, year_target)

approx = pytest.approx
ANNUAL = Goal(value=5e9, deadline=2024, nature="annual")  # 年度计划投资 50亿元
STATIONS = Goal(value=12000, deadline=2026, baseline=(2023, 3000), start=2024)  # 5G基站, 2024—2026
PUE = Goal(value=1.3, deadline=2025, comparator="<", direction="down", nature="ratio", baseline=(2022, 1.6), start=2023)
RANGE = Goal(value=2.5, value_max=3.0, comparator="between", deadline=2025, nature="ratio", baseline=(2022, 2.0),
             start=2023)


def monthly(values, year=2024):
    return [Obs((year, i + 1), v) for i, v in enumerate(values)]


def test_periods_count_months_to_their_end():
    end_of_august = 2024 * 12 + 8
    assert months(date(2024, 8, 31)) == months((2024, 8)) == months("2024-08") == months("2024年8月") == end_of_august
    assert months(date(2024, 8, 15)) == approx(2024 * 12 + 7 + 15 / 31)
    assert months(2023) == months("2023年") == months(2024, start=True) == months("2024", start=True) == 2024 * 12
    for bad in ("2024-13", "August", (2024, 0), "2024-02-30", 2024.5):
        with pytest.raises(ScheduleError):
            months(bad)
    with pytest.raises(ScheduleError):
        Obs("2024-13", 1)


def test_end_of_august_published_figure():
    assert elapsed_share(ANNUAL, date(2024, 8, 31)) == approx(66.67, abs=0.005)
    a = assess(ANNUAL, [Obs((2024, 8), 3.7e9)], date(2024, 8, 31))
    assert (a.completion, a.gap) == (approx(74.0), approx(7.33, abs=0.005))
    assert (a.light, a.label, a.status) == (Light.GREEN, "绿", "超序时进度7.3个百分点")
    assert assess(ANNUAL, [Obs((2024, 8), 3.7e9)], (2024, 8), Rules(decimals=2)).status == "超序时进度7.33个百分点"


def test_end_of_october_published_figure_is_cut_not_rounded():
    a = assess(ANNUAL, [Obs((2024, 10), 4.86e9)], "2024-10-31")
    assert (a.scheduled, a.completion) == (approx(83.33, abs=0.005), approx(97.2))
    assert a.gap == approx(13.87, abs=0.005) and a.status == "超序时进度13.8个百分点"
    assert assess(ANNUAL, [Obs((2024, 10), 4.86e9)], (2024, 10), Rules(truncate=False)).status.startswith("超序时进度13.9")


def test_multi_year_schedule_runs_linearly_from_the_baseline():
    assert (elapsed_share(STATIONS, (2024, 6)), expected_value(STATIONS, (2024, 6))) == (approx(100 / 6), approx(4500))
    assert expected_value(STATIONS, 2025) == approx(9000) and expected_value(STATIONS, 2026) == approx(12000)
    assert (elapsed_share(STATIONS, (2023, 6)), expected_value(STATIONS, (2023, 6))) == (0, 3000)
    assert elapsed_share(Goal(12000, 2026, baseline=(2023, 3000)), 2025) == approx(200 / 3)  # no start: baseline's
    assert elapsed_share(Goal(12000, 2026, baseline=(2024, 6000), start=2024), 2025) == approx(50)  # restarts
    behind, ahead = assess(STATIONS, [Obs((2025, 12), 8100)], 2025), assess(STATIONS, [Obs((2025, 12), 9900)], 2025)
    assert (behind.completion, behind.light, behind.status) == (approx(170 / 3), Light.YELLOW, "滞后序时进度10.0个百分点")
    assert (ahead.light, ahead.status) == (Light.GREEN, "超序时进度10.0个百分点")


def test_first_report_is_the_baseline_without_one():
    goal = Goal(value=1000, deadline=2025, start=2024)
    reports = [Obs((2024, 12), 500), Obs((2024, 3), 200)]
    assert baseline_value(goal, reports) == 200 and baseline_value(goal) == 0 and completion_rate(goal, 500) == 50
    flat = Goal(value=100, deadline=2025, baseline=(2023, 100))  # nothing to gain: met or not
    assert (completion_rate(flat, 100), completion_rate(flat, 90)) == (100, 0)
    # A first report for the schedule's first month stands for the start: 12/24 = 50 % elapsed,
    # (500 − 200) / (1000 − 200) = 37.5 % done, 12.5 behind.
    a = assess(goal, [Obs((2024, 12), 500), Obs((2024, 1), 200)], 2024)
    assert (a.baseline, a.completion, a.gap, a.status) == (200, approx(37.5), approx(-12.5), "滞后序时进度12.5个百分点")


def test_before_the_schedule_starts_nothing_is_behind():
    # 10000 by 2023 from 3500 at the end of 2021, in a plan that began with 2021: during 2021 the
    # value is still on its way to the baseline; from the end of 2021 the clock runs (24 months).
    goal = Goal(value=10000, deadline=2023, start=2021, baseline=(2021, 3500))
    early = assess(goal, [Obs((2021, 6), 1750)], (2021, 6))
    assert (early.light, early.gap, early.status) == (None, None, "基期内，尚未开始按序时进度考核")
    later = assess(goal, [Obs((2021, 6), 1750), Obs((2022, 3), 4000)], (2022, 3))
    # 3/24 = 12.5 % elapsed, (4000 − 3500) / 6500 = 7.69 % done: 4.8 behind, green.
    assert (later.light, later.gap) == (Light.GREEN, approx(500 / 65 - 12.5))
    # An annual flow (产业规模, a year's revenue) stated as 3000万 in 2021: 2021 is the base, not judged.
    flow = Goal(value=5e8, deadline=2023, start=2021, baseline=(2021, 3e7), nature="annual")
    assert assess(flow, [Obs((2021, 9), 3e8)], (2021, 9)).status == "基期内，尚未开始按序时进度考核"
    assert assess(flow, [Obs((2022, 9), 3e8)], (2022, 9)).light is not None


def test_a_later_first_report_restarts_the_clock():
    # Reporting began in March: 200 is the value at the end of March, and the schedule runs from
    # there to the end of 2025, 21 months. At the end of 2024: 9/21 = 42.86 % elapsed, 37.5 % done,
    # 5.36 behind (green), not 12.5 against a clock that started before anyone measured.
    goal = Goal(value=1000, deadline=2025, start=2024)
    a = assess(goal, [Obs((2024, 12), 500), Obs((2024, 3), 200)], 2024)
    assert (a.baseline, a.elapsed, a.completion, a.gap) == (200, approx(900 / 21), approx(37.5), approx(37.5 - 900 / 21))
    assert (a.light, a.status) == (Light.GREEN, "滞后序时进度5.3个百分点")
    # In the plan's last months a first report is on schedule, not 0 % done against 90 % elapsed.
    first = assess(goal, [Obs((2025, 10), 640)], (2025, 10))
    assert (first.gap, first.light) == (approx(0, abs=1e-9), Light.GREEN)
    # A stated baseline is the goal's own: the first report does not replace it.
    based = Goal(value=1000, deadline=2025, start=2024, baseline=(2023, 100))
    assert assess(based, [Obs((2024, 12), 500), Obs((2024, 3), 200)], 2024).baseline == 100


def test_milestones_bend_the_schedule():
    goal = Goal(value=10000, deadline=2023, start=2022, baseline=(2021, 0), milestones=[(2022, 6000)])
    assert [expected_value(goal, w) for w in ((2022, 6), 2022, (2023, 6))] == [approx(3000), approx(6000), approx(8000)]
    assert (scheduled_share(goal, (2023, 6)), elapsed_share(goal, (2023, 6))) == (approx(80), approx(75))
    a = assess(goal, [Obs((2023, 6), 8000)], (2023, 6))
    assert (a.gap, a.light, a.status) == (approx(0, abs=1e-9), Light.GREEN, "与序时进度持平")
    assert expected_value(Goal(10000, 2023, start=2022, baseline=(2021, 0)), (2023, 6)) == approx(7500)
    assert expected_value(Goal(200, 2030, baseline=(2020, 100)), 2025, rules=Rules(method="geometric")) == approx(141.42, abs=0.01)


def test_annual_targets_by_year():
    revenue = Goal(value=560, deadline=2025, nature="annual", baseline=(2023, 400))
    assert [year_target(revenue, y) for y in (2024, 2025)] == [approx(480), 560]
    assert year_target(Goal(560, 2025, nature="annual", baseline=(2023, 400), milestones=[(2024, 500)]), 2024) == 500
    assert year_target(Goal(560, 2025, nature="annual"), 2024) == 560
    a = assess(revenue, [Obs((2023, 12), 999), Obs((2024, 6), 240)], (2024, 6))  # last year's total is not this year's
    assert (a.actual, a.target, a.expected, a.gap) == (240, approx(480), approx(240), approx(0, abs=1e-9))
    assert assess(revenue, [Obs((2023, 12), 999)], (2024, 6)).light is None
    early = assess(revenue, (Obs(m, v) for m, v in (((2024, 6), 240), ((2024, 9), 490))), (2024, 9))  # any iterable
    assert (early.light, early.status, early.forecast.reaches) == (Light.GREEN, "已完成年度目标", True)


def test_pue_lower_is_better():
    assert expected_value(PUE, 2024) == approx(1.4)
    improving, worsening = assess(PUE, [Obs((2024, 12), 1.42)], 2024), assess(PUE, [Obs((2024, 12), 1.65)], 2024)
    assert (improving.completion, improving.gap, improving.light) == (approx(60), approx(-20 / 3), Light.GREEN)
    assert (worsening.completion, worsening.light, worsening.status) == (approx(-50 / 3), Light.RED, "滞后序时进度83.3个百分点")
    done = assess(PUE, [Obs((2024, 12), 1.28)], 2024)
    assert (done.reached, done.light, done.status) == (True, Light.GREEN, "已完成")
    assert is_met(Goal(1.3, 2025, "=", direction="down"), 1.25) and not is_met(Goal(1.3, 2025, "="), 1.25)


def test_standards_are_met_or_not():
    ceiling = Goal(value=1.3, deadline=2025, comparator="<", kind="standard", direction="down", nature="ratio")
    met, at, over = (assess(ceiling, [Obs((2024, 6), v)], (2024, 6)) for v in (1.25, 1.3, 1.35))
    assert (met.light, met.status, met.reached, met.scheduled, met.expected) == (Light.GREEN, "达标", True, None, None)
    assert (at.light, at.status) == (over.light, over.status) == (Light.RED, "未达标")
    assert assess(Goal(1.3, 2025, "<=", kind="standard", direction="down"), [Obs((2024, 6), 1.3)], 2024).reached


def test_ranges_are_met_inside():
    def at_2024(v, base=(2022, 2.0)):
        return assess(Goal(2.5, 2025, "between", 3.0, nature="ratio", baseline=base, start=2023), [Obs(2024, v)], 2024)

    assert all(at_2024(v).status == "已完成" for v in (2.5, 2.7, 3.0))
    low = at_2024(2.2)
    assert (low.completion, low.gap, low.light) == (approx(40), approx(-80 / 3), Light.YELLOW)
    assert (at_2024(3.2).light, at_2024(3.2).status) == (Light.YELLOW, "超出目标区间")
    assert at_2024(3.25, base=(2022, 3.5)).completion == approx(50)  # from above: toward 3.0
    late = assess(RANGE, [Obs(2025, 2.4)], (2026, 1))
    assert (late.light, late.status) == (Light.RED, "逾期未完成")


@pytest.mark.parametrize(("done", "expected"), [(40.01, Light.GREEN), (40, Light.YELLOW), (20, Light.YELLOW),
                                                (19.99, Light.RED)])
def test_thresholds_10_and_30_points_are_yellow(done, expected):
    a = assess(Goal(100, 2024, nature="annual"), [Obs((2024, 6), done)], (2024, 6))  # 序时进度 50 %
    assert a.light == expected


def test_light_rule():
    assert [light(g) for g in (-9.999, -10, -30, -30.001)] == [Light.GREEN, Light.YELLOW, Light.YELLOW, Light.RED]
    strict = Rules(yellow_behind=5, red_behind=20)
    assert [light(g, rules=strict) for g in (-4.9, -5, -20, -20.5)] == [Light.GREEN, Light.YELLOW, Light.YELLOW, Light.RED]
    assert light(-50, met=True) == Light.GREEN and light(5, failed=True) == Light.RED
    with pytest.raises(ScheduleError):
        Rules(yellow_behind=40)


def test_past_the_deadline():
    goal = Goal(12000, 2024, baseline=(2023, 3000))
    assert assess(goal, [Obs((2024, 12), 11000)], (2024, 12)).status == "滞后序时进度11.1个百分点"
    late = assess(goal, [Obs((2024, 12), 11000)], (2025, 1))
    assert (late.light, late.status, late.reached) == (Light.RED, "逾期未完成", False)
    assert assess(goal, [Obs((2024, 12), 12500)], (2025, 1)).light == Light.GREEN


def test_reports_after_the_date_are_ignored_and_none_means_no_light():
    a = assess(STATIONS, [Obs((2024, 6), 4500), Obs((2025, 6), 12000)], (2024, 6))
    assert (a.actual, a.reached) == (4500, False)
    none = assess(STATIONS, [], 2024)
    assert (none.light, none.label, none.status) == (None, "—", "暂无进度数据")


def test_annual_cap_counts_the_gap_the_other_way():
    cap = Goal(100, 2024, "<=", direction="down", nature="annual")
    assert assess(cap, [Obs((2024, 6), 40)], (2024, 6)).status == "超序时进度10.0个百分点"
    used = assess(cap, [Obs((2024, 6), 70)], (2024, 6))
    assert (used.light, used.reached) == (Light.YELLOW, False)
    assert assess(cap, [Obs((2024, 12), 95)], 2024).status == "已完成年度目标"


def test_forecast_rising_flat_and_falling():
    rising = forecast(Goal(1100, 2024, baseline=(2023, 0)), monthly([100, 200, 300, 400, 500, 600]))
    assert (rising.value, rising.slope, rising.reaches, rising.method) == (approx(1200), approx(100), True, "least_squares")
    assert not forecast(Goal(1300, 2024), monthly([100, 200, 300, 400, 500, 600])).reaches
    flat = forecast(Goal(1100, 2024), monthly([500] * 6))
    assert (flat.value, flat.slope, flat.reaches) == (approx(500), approx(0), False)
    assert forecast(Goal(500, 2024), monthly([500] * 6)).reaches
    falling = forecast(Goal(100, 2024), monthly([600, 500, 400, 300, 200, 100]))
    assert (falling.value, falling.reaches) == (approx(-500), False)


def test_forecast_lower_is_better():
    goal = Goal(1.3, 2025, "<", direction="down", nature="ratio")
    improving = forecast(goal, monthly([1.50, 1.48, 1.46, 1.44, 1.42, 1.40]))
    assert (improving.value, improving.reaches) == (approx(1.04), True)
    assert not forecast(goal, monthly([1.40, 1.41, 1.42])).reaches


def test_forecast_from_one_report():
    anchored = forecast(Goal(1200, 2024, baseline=(2023, 0)), [Obs((2024, 6), 600)])
    assert (anchored.value, anchored.method, anchored.reaches) == (approx(1200), "anchored", True)
    flat = forecast(Goal(1200, 2024), [Obs((2024, 6), 600)])
    assert (flat.value, flat.method, flat.reaches) == (600, "flat", False)
    annualised = forecast(ANNUAL, [Obs((2024, 8), 3.7e9)])
    assert (annualised.value, annualised.reaches) == (approx(5.55e9), True)
    assert forecast(Goal(1200, 2024), [Obs((2025, 1), 1300)]).method == "final"
    assert forecast(Goal(1.3, 2025, "<", kind="standard"), [Obs(2024, 1.2)]) is None


def test_forecast_methods_and_window():
    noisy = monthly([100, 300, 250, 400])
    assert forecast(Goal(2000, 2024), noisy).value == approx(1070)  # least squares: 262.5 + 85 × 9.5
    assert forecast(Goal(2000, 2024), noisy, Rules(forecast_method="increment")).value == approx(1200)  # 400 + 100 × 8
    late_rise = monthly([500, 500, 500, 500, 600, 700])
    assert forecast(Goal(2000, 2024), late_rise, Rules(forecast_points=3)).value == approx(1300)
    assert forecast(Goal(2000, 2024), late_rise).value < 1300


@pytest.mark.parametrize(("value", "band"), [(141.42, "on_track"), (130, "moderate"), (120, "limited"),
                                             (90, "deteriorating"), (210, "achieved")])
def test_growth_view_bands(value, band):
    goal = Goal(200, 2030, baseline=(2020, 100))
    assert growth_view(goal, [Obs(2025, value)]).band == band


def test_growth_view_band_edges():
    goal = Goal(200, 2030, baseline=(2020, 100))
    needed = 2 ** 0.1 - 1

    def at(ratio):  # the value at the end of 2025 that grew at `ratio` times the needed rate
        return growth_view(goal, [Obs(2025, 100 * (1 + ratio * needed) ** 5)]).band

    assert [at(r) for r in (0.95, 0.9499, 0.6, 0.5999, 0.0, -0.0001)] == [
        "on_track", "moderate", "moderate", "limited", "limited", "deteriorating"]


def test_growth_view_is_secondary_and_undefined_from_zero():
    goal = Goal(200, 2030, baseline=(2020, 100))
    view = growth_view(goal, [Obs(2025, 141.42)])
    assert (view.ratio, view.label) == (approx(1.0, abs=0.001), "进展顺利")
    assert growth_view(Goal(200, 2030, baseline=(2020, 0)), [Obs(2025, 50)]) is None
    assert assess(goal, [Obs(2025, 141.42)], 2025).growth is None
    assert assess(goal, [Obs(2025, 141.42)], 2025, Rules(growth_view=True)).growth.band == "on_track"


def test_goal_from_stored_and_extracted_targets(catalog):
    row = TargetRow(indicator="存量数据中心PUE值", value=Decimal("1.3"), value_max=None, comparator="<", year=2025,
                    kind="goal", baseline_year=2022, baseline_value=Decimal("1.6"))
    goal = goal_from_target(row, catalog.get("dc_pue_existing"), start=2023)
    assert goal == PUE
    extracted = Target("5G基站", 12000, "个", ">=", 2026, "goal", (0, 5), baseline=Baseline(2023, 3000))
    assert goal_from_target(extracted, catalog.get("5g_base_stations"), start=2024) == STATIONS
    with pytest.raises(ScheduleError):
        goal_from_target(Target("5G基站", 12000, "个", ">=", None, "goal", (0, 5)))


def test_goals_are_validated():
    for bad in ({"direction": "lower"}, {"nature": "stock"}, {"kind": "task"}, {"comparator": "between"},
                {"comparator": "between", "value_max": 1}, {"deadline": "soon"}):
        with pytest.raises(ScheduleError):
            Goal(**{"value": 2, "deadline": 2025, **bad})
