"""Progress over the store (luoshi.track.progress) on SQLite and PostgreSQL: the shared plans stored,
units, tasks and reports written by hand (tests/track/progress_data.py), every figure worked out
below by hand."""
from __future__ import annotations

import csv
import io
import json

import pytest
from sqlalchemy import event
from typer.testing import CliRunner

from luoshi.cli import app
from luoshi.track.lights import Light
from luoshi.track.progress import as_of_period, progress
from tests.track.progress_data import CAC, DATA, MIIT, MOBILE, World, build

approx = pytest.approx
runner = CliRunner()


@pytest.fixture
def world(db_url) -> World:
    w = build(db_url)
    # 聊城 5G基站 = 10000 by 2023 (plan 2021–2023, no baseline), reported by its lead 市工业和信息化局
    # from the plan's first month (so the first report stands for the start: lights.late_start):
    w.report(MIIT, "2021-01", {"5g": 3000})
    w.report(MIIT, "2021-12", {"5g": 4800})
    w.report(MIIT, "2022-06", {"5g": 6600, "5g_parks": 5})
    w.report(MIIT, "2022-06", {"5g": 6300}, version=2)  # the correction drops 5G+产业园
    w.report(MIIT, "2022-08", {"5g": 7000})
    w.report(MOBILE, "2022-08", {"5g": 2500})  # the supporting unit's own share
    w.report(MOBILE, "2022-09", {"5g": 2600})
    # 市大数据局: the PUE goal (四/(六): 1.3 by 2023 from 1.35 in 2021) and the standard (< 1.3)
    w.report(DATA, "2022-06", {"pue_goal": 1.33, "pue_standard": 1.28})
    w.report(DATA, "2022-12", {"pue_goal": 1.37, "pue_standard": 1.31})
    w.report(DATA, "2023-06", {"pue_goal": 1.29})
    return w


def judged(world: World, as_of, catalog, **kw):
    store = world.store()
    try:
        with store.session() as s:
            return {p.target_id: p for p in progress(s, as_of=as_of, catalog=catalog, **kw)}
    finally:
        store.close()


def test_liaocheng_5g_against_schedule(world, catalog):
    got = judged(world, "2022-08", catalog)
    p = got[world.targets["5g"]]
    # The task's text gives 10000 by 2023 with no baseline; the plan's indicator table (四/(六)) restates
    # it with 3500 in 2021, so that is the baseline and the schedule runs from the end of 2021 to the
    # end of 2023: 24 months. The end of August 2022 is 8 months in: 序时进度 8/24 = 33.33 %; expected
    # 3500 + 6500 × 8/24 = 5666.67; completion (7000 − 3500) / (10000 − 3500) = 53.85 %.
    # Gap 53.85 − 33.33 = +20.51 points: green, published cut to one decimal as 20.5.
    assert (p.scheduled, p.expected, p.completion) == (approx(33.3333, abs=1e-4), approx(5666.67, abs=0.01),
                                                       approx(53.8462, abs=1e-4))
    assert (p.gap, p.light, p.light_label, p.status) == (approx(20.5128, abs=1e-4), Light.GREEN, "绿",
                                                         "超序时进度20.5个百分点")
    # The table's row is the same commitment: judged on the task's reports, marked as its twin.
    twin = got[world.targets["5g_table"]]
    assert (twin.same_as, twin.last_value, twin.lead_unit, twin.completion) == (
        world.targets["5g"], 7000, MIIT, approx(53.8462, abs=1e-4))
    assert (p.lead_unit, p.reported_by, p.last_value, p.last_period) == (MIIT, MIIT, 7000, "2022-08")
    assert (p.indicator, p.value, p.unit, p.comparator, p.year, p.kind) == ("5G基站", 10000, "个", "=", 2023, "goal")
    # Least squares through (month 1, 3000), (12, 4800), (18, 6300), (20, 7000): means 12.75 and 5275,
    # Sxy = 44975, Sxx = 218.75, slope 205.6 a month; at month 36: 5275 + 205.6 × 23.25 = 10055.2.
    assert (p.forecast, p.forecast_reaches) == (approx(10055.2, abs=0.01), True)
    assert p.to_dict()["light"] == "green" and "assessment" not in p.to_dict()


def test_the_light_turns_as_time_passes_without_reports(world, catalog):
    # Still 7000 (53.85 %): end of May 2023 is 17/24 = 70.83 % → 16.99 behind: yellow;
    # end of November 2023 23/24 = 95.83 % → 41.99 behind: red; after the deadline: 逾期未完成.
    may, november, after = (judged(world, m, catalog)[world.targets["5g"]] for m in ("2023-05", "2023-11", "2024-01"))
    assert (may.gap, may.light) == (approx(-16.987, abs=1e-3), Light.YELLOW)
    assert may.status == "滞后序时进度16.9个百分点"
    assert (november.gap, november.light) == (approx(-41.987, abs=1e-3), Light.RED)
    assert (after.light, after.status) == (Light.RED, "逾期未完成")


def test_a_correction_replaces_the_first_version(world, catalog):
    got = judged(world, "2022-06", catalog)
    p = got[world.targets["5g"]]
    # Version 2 says 6300 (version 1 said 6600): 序时进度 6/24 = 25 %, completion
    # (6300 − 3500) / 6500 = 43.08 %, 18.08 ahead (version 1 would have been 47.69 %).
    assert (p.last_value, p.completion, p.gap) == (6300, approx(43.0769, abs=1e-4), approx(18.0769, abs=1e-4))
    assert (p.light, p.status) == (Light.GREEN, "超序时进度18.0个百分点")
    parks = got[world.targets["5g_parks"]]  # version 1's line is gone with version 1
    assert (parks.last_value, parks.light, parks.status, parks.lead_unit) == (None, None, "暂无进度数据", MIIT)


def test_a_supporting_units_line_never_stands_for_the_target(world, catalog):
    p = judged(world, "2022-09", catalog)[world.targets["5g"]]
    # 中国移动 reported 2500 (August) and 2600 (September): its share. The lead's 7000 (August) stands:
    # 序时进度 9/24 = 37.5 %, completion 53.85 %: 16.35 ahead.
    assert (p.last_value, p.last_period, p.reported_by) == (7000, "2022-08", MIIT)
    assert (p.gap, p.status) == (approx(16.3462, abs=1e-4), "超序时进度16.3个百分点")


def test_pue_is_judged_lower_is_better(world, catalog):
    goal, standard = world.targets["pue_goal"], world.targets["pue_standard"]
    june, december, next_june = (judged(world, m, catalog) for m in ("2022-06", "2022-12", "2023-06"))
    # 1.3 by 2023 from 1.35 at the end of 2021 (the baseline year ends after the plan's start, so the
    # schedule runs from there): 24 months. June 2022: 6/24 = 25 %; completion
    # (1.33 − 1.35) / (1.3 − 1.35) = 40 %: 15 points ahead. Read "up", 1.33 ≥ 1.3 would count as done.
    p = june[goal]
    assert (p.indicator_key, p.scheduled, p.completion, p.gap) == ("dc_pue_new", approx(25), approx(40), approx(15))
    assert (p.light, p.status, p.assessment.reached) == (Light.GREEN, "超序时进度15.0个百分点", False)
    # December 2022: 12/24 = 50 %; 1.37 is worse than the baseline: (1.37 − 1.35) / (−0.05) = −40 %, 90 behind.
    p = december[goal]
    assert (p.scheduled, p.completion, p.gap, p.light) == (approx(50), approx(-40), approx(-90), Light.RED)
    assert (next_june[goal].light, next_june[goal].status) == (Light.GREEN, "已完成")  # 1.29 ≤ 1.3
    # The standard (< 1.3, no year: judged within the plan, to 2023): met or not, never interpolated.
    assert (june[standard].light, june[standard].status, june[standard].deadline) == (Light.GREEN, "达标", 2023)
    assert (december[standard].light, december[standard].status) == (Light.RED, "未达标")  # 1.31
    assert june[standard].scheduled is None and june[standard].lead_unit == DATA


def test_year_by_year_targets_bend_the_schedule(world, catalog):
    world.report("澜州市通信发展管理办公室", "2025-06", {"lz_5g_2026": 9000})
    p = judged(world, "2025-06", catalog, plan="澜州")[world.targets["lz_5g_2026"]]
    # 5G基站总数 12000 by 2026 from 6850 (2023); the same plan asks 9800 by 2025. End of June 2025 is
    # 18 of the 24 months to 2025: expected 6850 + (9800 − 6850) × 18/24 = 9062.5, so 序时进度 is
    # (9062.5 − 6850) / (12000 − 6850) = 42.96 % (time alone: 18/36 = 50 %).
    # Completion (9000 − 6850) / 5150 = 41.75 %: 1.21 behind, green. No task: any unit's report counts.
    assert (p.expected, p.scheduled, p.completion) == (approx(9062.5), approx(42.9612, abs=1e-4),
                                                       approx(41.7476, abs=1e-4))
    assert (p.gap, p.light, p.status) == (approx(-1.2136, abs=1e-4), Light.GREEN, "滞后序时进度1.2个百分点")
    assert (p.lead_unit, p.reported_by) == (None, "澜州市通信发展管理办公室")


def test_selection_by_region_and_plan(world, catalog):
    stored = world.stored
    names = {stored.name_of(p.plan_id) for p in judged(world, "2022-08", catalog, region="山东省").values()}
    assert names == {"000", "001", "002", "003"}  # the province, 聊城 and 菏泽 (淄博's plan has no targets)
    liaocheng = judged(world, "2022-08", catalog, region="聊城市")
    assert {stored.name_of(p.plan_id) for p in liaocheng.values()} == {"000", "002"}
    assert len(liaocheng) == len(stored.plans["000"].targets) + len(stored.plans["002"].targets)
    one = judged(world, "2022-08", catalog, plan="数字聊城")
    assert {stored.name_of(p.plan_id) for p in one.values()} == {"002"}
    dl = one[world.targets["dl_5g"]]
    assert (dl.lead_unit, dl.light, dl.status) == (CAC, None, "暂无进度数据")
    table = liaocheng[world.targets["5g_table"]]  # the same 10000 in the table: the task's reports count
    assert (table.same_as, table.last_value, table.light_label) == (world.targets["5g"], 7000, "绿")
    parks = liaocheng[world.targets["5g_parks"]]
    assert parks.same_as is None  # 5G+产业园 has a twin in the table, not the other way round


def test_a_fixed_number_of_queries(world, catalog):
    store = world.store()
    statements = []
    event.listen(store.engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    try:
        with store.session() as s:
            rows = progress(s, as_of="2023-06", catalog=catalog)
    finally:
        store.close()
    # the office's settings, versions, targets, task units, current report lines, unit names:
    # however many targets
    assert len(rows) > 150 and len(statements) == 6


def test_as_of_is_a_month_or_a_date():
    from datetime import date

    assert as_of_period("2022-08") == as_of_period(date(2022, 8, 1)) == as_of_period(date(2022, 8, 31)) == "2022-08"
    with pytest.raises(Exception, match="无法识别"):
        as_of_period("August")


def test_cli_prints_json_and_csv_that_parse(world):
    argv = ["progress", "--as-of", "2022-08", "--region", "聊城市", "--db", world.url]
    r = runner.invoke(app, [*argv, "--format", "json"])
    assert r.exit_code == 0, r.output
    rows = {x["target_id"]: x for x in json.loads(r.stdout)}
    five_g = rows[world.targets["5g"]]
    assert (five_g["light"], five_g["light_label"], five_g["last_value"]) == ("green", "绿", 7000)
    assert five_g["scheduled"] == approx(33.3333, abs=1e-4)
    r = runner.invoke(app, [*argv, "--format", "csv"])
    assert r.exit_code == 0, r.output
    cells = {int(x["目标编号"]): x for x in csv.DictReader(io.StringIO(r.stdout))}
    row = cells[world.targets["5g"]]
    assert (row["灯"], row["最新值"], row["序时进度%"], row["预计完成"]) == ("绿", "7000", "33.3333", "是")
    assert cells[world.targets["5g_table"]]["同一目标"] == str(world.targets["5g"])
    table = runner.invoke(app, argv, env={"COLUMNS": "300"})
    assert table.exit_code == 0 and "超序时进度20.5个百分点" in table.stdout and "1万个（2023年）" in table.stdout
    bad = runner.invoke(app, ["progress", "--as-of", "August", "--db", world.url])
    assert bad.exit_code == 2 and "错误" in bad.output
