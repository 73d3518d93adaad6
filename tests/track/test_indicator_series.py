"""One indicator across plans (luoshi.track.indicator_series): the reported series is what
progress judges, and the schedule line is the expected value `lights.assess` computes, worked out
here by hand. The world: tests/track/report_data.py (5G基站 ≥ 12000 by 2026 from 6000 at the end of
2023; 新建5G基站 3000 a year)."""
from __future__ import annotations

from datetime import date

import pytest

from luoshi.track.goals import Rules
from luoshi.track.dashboard_regions import default_month
from luoshi.track.indicator_series import (
    IndicatorNotFound,
    indicator_counts,
    indicator_view,
)
from luoshi.track.reports import submit
from tests.track.report_data import SUPPORT, build

RULES = Rules()


@pytest.fixture
def world(db_url):
    w = build(db_url)
    store = w.store()
    try:
        with store.session() as s:
            for unit, period, lines in (
                    ("市工业和信息化局", "2024-03", [{"target_id": w.stock, "cumulative": 6500},
                                              {"target_id": w.new, "cumulative": 800}]),
                    ("市工业和信息化局", "2024-06", [{"target_id": w.stock, "cumulative": 7200},
                                              {"target_id": w.new, "cumulative": 1400}]),
                    (SUPPORT, "2024-06", [{"target_id": w.stock, "cumulative": 300, "delay_reason": "本单位份额",
                                            "next_steps": "按计划推进"}]),  # its own share
                    ("市工业和信息化局", "2024-09", [{"target_id": w.stock, "cumulative": 7600}])):  # after as_of
                received = date(2024, int(period[5:]) + 1, 5)  # on time
                submit(s, unit=unit, period=period, lines=lines, source="api", as_of=received)
    finally:
        store.close()
    return w


def view(w, key, as_of="2024-06", catalog=None):
    store = w.store()
    try:
        with store.session() as s:
            return indicator_view(s, key, as_of=as_of, catalog=catalog, rules=RULES)
    finally:
        store.close()


def test_a_cumulative_target_against_its_straight_schedule(world, catalog):
    v = view(world, "5g_base_stations", catalog=catalog)
    assert v.as_of == "2024-06" and [r.target_id for r in v.rows] == [world.stock]
    (s,) = v.series
    # The lead's figures up to June only: the supporting unit's 300 and September's are not read.
    assert s.reported == {"2024-03": 6500.0, "2024-06": 7200.0}
    # From 6000 (end of 2023) to 12000 (end of 2026) over 36 months: 166.67 a month.
    assert len(s.expected) == 36 and min(s.expected) == "2024-01" and max(s.expected) == "2026-12"
    for k, month in enumerate(sorted(s.expected), 1):
        assert s.expected[month] == pytest.approx(6000 + 6000 * k / 36)
    assert s.expected["2024-06"] == pytest.approx(7000) == pytest.approx(s.row.expected)
    assert s.row.last_value == 7200 and s.row.light.value == "green"
    assert v.months == sorted(s.expected) and s.threshold is None


def test_an_annual_target_starts_again_each_year(world, catalog):
    (s,) = view(world, "5g_base_stations_new", catalog=catalog).series
    assert s.reported == {"2024-03": 800.0, "2024-06": 1400.0}
    assert s.expected["2024-03"] == pytest.approx(750) and s.expected["2024-12"] == pytest.approx(3000)
    assert s.expected["2025-01"] == pytest.approx(250) and s.expected["2026-06"] == pytest.approx(1500)
    assert s.row.expected == pytest.approx(s.expected["2024-06"]) == pytest.approx(1500)


def test_no_report_no_line_and_an_unknown_key(world, catalog):
    v = view(world, "5g_base_stations", as_of="2024-02", catalog=catalog)
    assert [r.target_id for r in v.rows] == [world.stock] and v.series == [] and v.months == []
    assert v.rows[0].status == "暂无进度数据"
    with pytest.raises(IndicatorNotFound) as e:
        view(world, "no_such_indicator", catalog=catalog)
    assert e.value.http_status == 404 and "no_such_indicator" in e.value.message


def test_counts_of_the_indicators_with_targets(world, catalog):
    store = world.store()
    try:
        with store.session() as s:
            counts = {c.indicator.key: (c.targets, c.plans) for c in indicator_counts(s, catalog)}
    finally:
        store.close()
    assert counts == {"5g_base_stations": (1, 1), "5g_base_stations_new": (1, 1)}


def test_the_month_judged_by_default(world, tmp_path):
    for w, day, expected in ((world, date(2026, 11, 23), "2024-09"),  # the latest month reported
                             (build(f"sqlite:///{tmp_path}/empty.db"), date(2026, 1, 5), "2025-12")):  # none
        store = w.store()
        try:
            with store.session() as s:
                assert default_month(s, day) == expected
        finally:
            store.close()
