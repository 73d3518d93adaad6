"""Timeliness of the monthly reports across units (luoshi.track.office_timeliness) on SQLite and
PostgreSQL: who reported on time, late, or not at all, on-time rates, reminders (催办), the lights
of the targets each unit leads; every figure worked out by hand below."""
from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest
from typer.testing import CliRunner

from luoshi.cli import app
from luoshi.track.office_timeliness import due_date, month_range, office_timeliness
from luoshi.track.timeliness import DispatchSettings
from tests.track.progress_data import CAC, DATA, MIIT, MOBILE, World, build, utc

approx = pytest.approx
runner = CliRunner()
AS_OF = date(2022, 7, 8)  # June's report is due on 10 July: two days left


@pytest.fixture
def world(db_url) -> World:
    w = build(db_url)
    # 市工业和信息化局 (leads 5G in plan 000, 2021–2023); times in UTC, days counted in 北京时间 (UTC+8):
    w.report(MIIT, "2022-01", {"5g": 4000}, at=utc(2022, 2, 9, 2))  # due 10 Feb: on time
    w.report(MIIT, "2022-02", {}, at=utc(2022, 3, 10, 15, 30))  # 23:30 on 10 March in Beijing: on time
    w.report(MIIT, "2022-03", {}, at=utc(2022, 4, 10, 17))  # 01:00 on 11 April in Beijing: 1 day late
    w.report(MIIT, "2022-04", {"5g": 5000}, at=utc(2022, 5, 20, 1))  # due 10 May: 10 days late
    w.report(MIIT, "2022-04", {"5g": 5200}, version=2, at=utc(2022, 6, 1))  # a correction: still 10 days late
    # May: nothing (due 10 June: missing, 28 days overdue on 8 July); June: not due yet (10 July).
    # 市大数据局 (leads the PUE standard and the PUE goal of plan 000):
    w.report(DATA, "2022-01", {"pue_standard": 1.28, "pue_goal": 1.34}, at=utc(2022, 2, 1))  # on time
    w.report(DATA, "2022-02", {}, at=utc(2022, 7, 9, 3))  # received after AS_OF: still missing on 8 July
    w.report(DATA, "2022-04", {}, at=utc(2022, 5, 10, 1))  # on time
    w.report(DATA, "2022-05", {}, at=utc(2022, 6, 9))  # on time
    w.report(DATA, "2022-06", {}, at=utc(2022, 7, 1))  # early: on time
    w.report(MOBILE, "2022-03", {}, at=utc(2022, 4, 1))  # a supporting unit owes no report
    # 市委网信办 (leads 5G in plan 002, 2020–2022) reports nothing.
    return w


def run(world: World, start="2022-01", end="2022-06", as_of=AS_OF, catalog=None, **kw):
    store = world.store()
    try:
        with store.session() as s:
            return office_timeliness(s, start=start, end=end, as_of=as_of, catalog=catalog, **kw)
    finally:
        store.close()


def test_due_dates_and_ranges():
    assert [due_date(p) for p in ("2022-01", "2022-12")] == [date(2022, 2, 10), date(2023, 1, 10)]
    assert due_date("2022-01", DispatchSettings(due_day=31)) == date(2022, 2, 28)  # a short month: its last day
    assert month_range("2021-11", "2022-02") == ["2021-11", "2021-12", "2022-01", "2022-02"]
    with pytest.raises(Exception, match="晚于"):
        month_range("2022-03", "2022-01")


def test_on_time_late_and_missing(world):
    t = run(world)
    units = {u.unit: u for u in t.units}
    assert set(units) == {MIIT, DATA, CAC}  # 中国移动 only supports
    miit, data, cac = units[MIIT], units[DATA], units[CAC]
    # 市工业和信息化局: Jan, Feb on time; Mar, Apr late; May missing; June pending → 2 of 5 due: 40 %.
    assert (miit.due, miit.on_time, miit.late, miit.missing, miit.pending) == (5, 2, 2, 1, 1)
    assert (miit.rate, miit.max_late_days) == (approx(40), 10)
    # 市大数据局: Jan, Apr, May and (early) June on time; Feb (received 9 July) and Mar missing → 4 of 6.
    assert (data.due, data.on_time, data.late, data.missing, data.pending) == (6, 4, 0, 2, 0)
    assert (data.rate, data.max_late_days) == (approx(400 / 6), None)
    # 市委网信办: nothing at all; Jan–May missing, June pending.
    assert (cac.due, cac.on_time, cac.missing, cac.pending, cac.rate) == (5, 0, 5, 1, 0)
    assert [(r.unit, r.period, r.due, r.submitted, r.days) for r in t.late] == [
        (MIIT, "2022-03", date(2022, 4, 10), date(2022, 4, 11), 1),
        (MIIT, "2022-04", date(2022, 5, 10), date(2022, 5, 20), 10)]
    # Days overdue on 8 July: from 10 March 21 + 30 + 31 + 30 + 8 = 120; from 10 April 20 + 31 + 30 + 8 = 89;
    # from 10 June 20 + 8 = 28.
    missing = {(r.unit, r.period): r.days for r in t.missing}
    assert missing[(DATA, "2022-02")] == 120 and missing[(DATA, "2022-03")] == 89 and missing[(MIIT, "2022-05")] == 28
    assert len(missing) == 2 + 1 + 5


def test_reminders(world):
    t = run(world)
    assert [(r.unit, r.kind, r.periods, r.days) for r in t.reminders] == [
        (DATA, "overdue", ("2022-02", "2022-03"), 120),
        (CAC, "overdue", ("2022-01", "2022-02", "2022-03", "2022-04", "2022-05"), 148),  # 18 + 31 + 30 + 31 + 30 + 8
        (MIIT, "overdue", ("2022-05",), 28),
        (CAC, "due_soon", ("2022-06",), 2),
        (MIIT, "due_soon", ("2022-06",), 2)]
    assert t.reminders[0].text == "市大数据局：2022年2月、2022年3月的月报超期未报，最长已超期120天"
    assert t.reminders[-1].text == "市工业和信息化局：2022年6月的月报将于2022-07-10到期（还有2天）"
    # On 6 July June's report is four days off: no longer in the reminders (three days by default).
    assert [r.kind for r in run(world, as_of=date(2022, 7, 6)).reminders].count("due_soon") == 0


def test_due_day_and_plan_periods(world):
    early = {u.unit: u for u in run(world, settings=DispatchSettings(due_day=5)).units}
    assert (early[MIIT].on_time, early[MIIT].late, early[MIIT].max_late_days) == (0, 4, 15)  # 9 Feb is 4 days late
    # Plan 002 ends with 2022: its lead owes November and December only; plan 000 runs into 2023.
    later = {u.unit: u for u in run(world, "2022-11", "2023-02", date(2023, 3, 20)).units}
    assert (later[CAC].missing, later[MIIT].missing, later[DATA].missing) == (2, 4, 4)


def test_unit_lights(world, catalog):
    units = {u.unit: u for u in run(world, catalog=catalog).units}
    # 5G (市工业和信息化局, plan 2021–2023, no baseline): reporting began in January 2022, so the first
    # report 4000 is the baseline there and the clock runs from the end of January 2022 to the end of
    # 2023, 23 months (lights.late_start). 8 July 2022 is (5 + 8/31) / 23 = 22.86 % of it; 5200 (April,
    # version 2) is (5200 − 4000) / (10000 − 4000) = 20 %: 2.9 behind, green. (Counted from the start
    # of 2021 it would be 50.72 % and red, against a value nobody measured then.) 5G+产业园: no report.
    assert units[MIIT].lights == {"green": 1, "yellow": 0, "red": 0, "none": 1}
    # PUE goal: (6 + 8/31) / 24 = 26.08 % of the way from the end of 2021; (1.34 − 1.35) / (1.3 − 1.35) = 20 %:
    # 6.1 behind, green. The standard: 1.28 < 1.3, green.
    assert units[DATA].lights == {"green": 2, "yellow": 0, "red": 0, "none": 0}
    assert units[CAC].lights == {"green": 0, "yellow": 0, "red": 0, "none": 1}


def test_cli_prints_json_and_csv_that_parse(world):
    argv = ["timeliness", "--from", "2022-01", "--to", "2022-06", "--as-of", "2022-07-08", "--db", world.url]
    r = runner.invoke(app, [*argv, "--format", "json"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert (data["from"], data["to"], data["as_of"]) == ("2022-01", "2022-06", "2022-07-08")
    miit = next(u for u in data["units"] if u["unit"] == MIIT)
    assert (miit["on_time"], miit["late"], miit["missing"], miit["green"]) == (2, 2, 1, 1)
    assert len(data["late"]) == 2 and len(data["missing"]) == 8 and len(data["remind"]) == 5
    r = runner.invoke(app, [*argv, "--format", "csv"])
    assert r.exit_code == 0, r.output
    rows = {x["单位"]: x for x in csv.DictReader(io.StringIO(r.stdout))}
    assert (rows[MIIT]["按时率%"], rows[MIIT]["逾期"], rows[MIIT]["绿"]) == ("40", "2", "1")
    r = runner.invoke(app, [*argv, "--format", "csv", "--list", "late"])
    late = list(csv.DictReader(io.StringIO(r.stdout)))
    assert [(x["月份"], x["逾期天数"]) for x in late] == [("2022-03", "1"), ("2022-04", "10")]
    table = runner.invoke(app, argv, env={"COLUMNS": "250"})
    assert table.exit_code == 0 and "催办提醒" in table.stdout and "超期未报" in table.stdout
    bad = runner.invoke(app, ["timeliness", "--from", "2022-13", "--to", "2022-01", "--db", world.url])
    assert bad.exit_code == 2 and "无效" in bad.output
