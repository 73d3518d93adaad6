"""A unit's desk (luoshi.track.unit_inbox) over the small world of report_data (plan 2024–2026):
the months it owes as the office judges them, its reminders, the lights of its own targets only.

On 5 July 2024 the desk lists July back to January. 5G基站总数 runs from 6000 (end of 2023) to
12000 (end of 2026): 36 months, so at the end of June 序时进度 is 6/36 = 16.67 % and 6300 is
300/6000 = 5 % done, 11.7 points behind: yellow."""
from __future__ import annotations

from datetime import date

import pytest

from luoshi.track.catalog import load_catalog
from luoshi.track.reports import find_unit, submit
from luoshi.track.timeliness import DispatchSettings
from luoshi.track.unit_inbox import recent_periods, unit_inbox
from tests.track.report_data import build

AS_OF = date(2024, 7, 5)
RULES = DispatchSettings()


@pytest.fixture
def world(tmp_path):
    w = build(f"sqlite:///{tmp_path}/luoshi.db")
    store = w.store()
    try:
        with store.session() as s:
            for period, total, day, reason in (("2024-03", 6200, date(2024, 4, 8), None),
                                               ("2024-03", 6250, date(2024, 4, 9), "更正"),
                                               ("2024-06", 6300, AS_OF, None)):
                submit(s, unit=w.lead, period=period, source="cli", as_of=day, settings=RULES, correction_reason=reason,
                       lines=[{"target_id": w.stock, "cumulative": total, "delay_reason": "审批慢",
                               "next_steps": "加快"}])
    finally:
        store.close()
    return w


def desk(w, unit):
    store = w.store()
    try:
        with store.session() as s:
            return unit_inbox(s, find_unit(s, unit), catalog=load_catalog(None), as_of=AS_OF, settings=RULES)
    finally:
        store.close()


def test_recent_periods_run_back_from_this_month():
    assert recent_periods(date(2024, 2, 29), 3) == ["2024-02", "2024-01", "2023-12", "2023-11"]


def test_the_lead_owes_each_month_and_is_reminded_of_the_missing_ones(world):
    d = desk(world, world.lead)
    assert [(r.period, r.state, r.days) for r in d.reports] == [
        ("2024-07", "pending", 36), ("2024-06", "on_time", 0), ("2024-05", "missing", 25),
        ("2024-04", "missing", 56), ("2024-03", "on_time", 0), ("2024-02", "missing", 117),
        ("2024-01", "missing", 146)]
    assert d.versions == {"2024-03": 2, "2024-06": 1}
    assert [r.text for r in d.reminders] == [
        "市工业和信息化局：2024年1月、2024年2月、2024年4月、2024年5月的月报超期未报，最长已超期146天"]
    assert d.judged_at == "2024-06"
    targets = {x["id"]: x["progress"] for t in d.tasks for x in t["targets"]}
    assert set(targets) == {world.stock, world.new}  # not the other unit's
    stock = targets[world.stock]
    assert (stock.light.value, round(stock.scheduled, 2), round(stock.completion, 2)) == ("yellow", 16.67, 5.0)
    assert targets[world.new].light is None and dict(d.lights) == {"yellow": 1, "none": 1}


def test_a_supporting_unit_owes_no_report_but_sees_its_task(world):
    d = desk(world, world.support)
    assert d.reports == [] and d.reminders == []
    assert [t["title"] for t in d.tasks] == ["加快5G网络深度覆盖"] and sum(d.lights.values()) == 2
    other = desk(world, world.other_unit)
    assert {x["id"] for t in other.tasks for x in t["targets"]} == {world.other}
    assert [r.text for r in other.reminders][0].startswith("市发展和改革委员会：2024年1月")
