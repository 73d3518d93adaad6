"""`luoshi plans`, `show` and `targets` over the stored plans, on SQLite and PostgreSQL."""
from __future__ import annotations

import csv
import io
import json

import pytest
from sqlalchemy import update
from typer.testing import CliRunner

from luoshi.cli import app
from luoshi.store import Store
from luoshi.store.models import TargetRow
from tests.store.stored_plans import Stored, save_text, store_all

runner = CliRunner()
WIDE = {"COLUMNS": "300"}


@pytest.fixture
def stored(db_url) -> Stored:
    return store_all(db_url)


def run(stored: Stored, *args, fmt: str | None = None):
    argv = [str(a) for a in args] + ["--db", stored.url] + (["--format", fmt] if fmt else [])
    return runner.invoke(app, argv, env=WIDE)


def as_json(stored: Stored, *args):
    r = run(stored, *args, fmt="json")
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)


def as_csv(stored: Stored, *args) -> list[dict]:
    r = run(stored, *args, fmt="csv")
    assert r.exit_code == 0, r.output
    return list(csv.DictReader(io.StringIO(r.stdout)))


def test_plans_lists_every_plan(stored):
    rows = as_json(stored, "plans")
    assert len(rows) == 6
    for r in rows:
        name = stored.name_of(r["id"])
        plan = stored.plans[name]
        assert r["title"] == plan.metadata.title and r["region"] == plan.metadata.region
        assert (r["versions"], r["targets"], r["assignments"]) == (1, len(plan.targets), len(plan.assignments))
    assert {r["level"] for r in rows} == {"city", "province"}
    table = run(stored, "plans")
    assert table.exit_code == 0 and "聊政字〔2021〕19号" in table.stdout and "省级" in table.stdout
    assert "澜州市数字基础设施建设三年行动方案" in table.stdout
    cells = as_csv(stored, "plans")
    assert len(cells) == 6 and {"编号", "标题", "版本", "目标"} <= set(cells[0])


@pytest.mark.parametrize("ref,name", [(None, "000"), ("聊政字〔2021〕19号", "000"), ("聊政字(2021)19号", "000"),
                                      ("数字聊城", "002"), ("淄政办字〔2021〕78号", "004"), ("澜州", "sample")])
def test_show_by_id_doc_number_or_title_part(stored, ref, name):
    ref = ref or str(stored.saved[name].plan_id)
    data = as_json(stored, "show", ref)
    plan = stored.plans[name]
    assert data["plan"]["id"] == stored.saved[name].plan_id
    assert data["metadata"]["title"] == plan.metadata.title
    assert data["version"]["number"] == 1 and data["plan"]["versions"] == 1
    assert [s["path"] for s in data["sections"]] == [s.path for s in plan.sections]
    assert [(t["indicator"], t["value"], t["span"]) for t in data["targets"]] == \
        [(t.indicator, t.to_json()["value"], list(t.span)) for t in plan.targets]
    assert all(isinstance(t["id"], int) for t in data["targets"])
    assert [a["units"] for a in data["assignments"]] == [a.units for a in plan.assignments]


def test_show_table_and_csv(stored):
    r = run(stored, "show", "聊政字〔2021〕19号")
    assert r.exit_code == 0, r.output
    for words in ("聊城市新基建三年行动方案", "提纲", "推进充电桩和加氢站建设", "量化目标", "5G基站", "1万", "责任分工"):
        assert words in r.stdout
    cells = as_csv(stored, "show", "1")
    assert len(cells) == len(stored.plans[stored.name_of(1)].targets) and "指标" in cells[0]


@pytest.mark.parametrize("ref,words", [("新基建", ["聊城市新基建", "山东省新基建", "菏泽市新基建", "多个"]),
                                       ("没有这个方案", ["没有找到"]), ("999", ["没有找到"])])
def test_show_refuses_an_unknown_or_ambiguous_plan(stored, ref, words):
    r = run(stored, "show", ref)
    assert r.exit_code == 2
    assert "错误" in r.stderr and all(w in r.stderr for w in words)
    assert "Traceback" not in r.output


def test_show_a_given_version(stored, tmp_path):
    old = stored.text("sample")
    v2 = save_text(stored.url, old.replace("1.2万个", "1.5万个"), tmp_path)
    assert v2.status == "version" and v2.number == 2
    latest = as_json(stored, "show", "澜政字〔2024〕12号")
    first = as_json(stored, "show", "澜政字〔2024〕12号", "--version", "1")
    assert (latest["version"]["number"], first["version"]["number"], latest["plan"]["versions"]) == (2, 1, 2)
    def values(d):
        return {t["value"] for t in d["targets"] if t["indicator"] == "5G基站总数"}

    assert 15000 in values(latest) and 12000 in values(first) and 15000 not in values(first)
    assert run(stored, "show", "澜州", "--version", "5").exit_code == 2
    assert [r["versions"] for r in as_json(stored, "plans") if r["id"] == v2.plan_id] == [2]


def test_targets_of_one_indicator_across_plans(stored):
    rows = as_json(stored, "targets", "--indicator", "5G基站")
    by_plan = {}
    for r in rows:
        by_plan.setdefault(stored.name_of(r["plan_id"]), []).append(r)
        text = stored.text(stored.name_of(r["plan_id"]))
        assert r["indicator"] == "5G基站" and r["unit"] == "个"
        assert text[r["span"][0]:r["span"][1]].strip() and r["quote"] in text
    # Seed 004 (淄博) states no 5G target (its gold file has none); the other four all do.
    assert set(by_plan) == {"000", "001", "002", "003"}
    assert sorted(r["source"] for r in by_plan["000"]) == ["table", "text"]  # sentence and table row
    assert {r["value"] for r in by_plan["000"]} == {10000} and by_plan["001"][0]["value"] == 112000
    regions = [(r["region"], r["year"]) for r in rows]
    assert regions[0] == ("山东省", 2022) and regions == sorted(regions, key=lambda x: ({"山东省": 0}.get(x[0], 1),) + x)
    table = run(stored, "targets", "--indicator", "5G基站")
    assert "11.2万" in table.stdout and "表格" in table.stdout and "数字聊城建设三年行动计划" in table.stdout
    cells = as_csv(stored, "targets", "--indicator", "５Ｇ基站（个）")
    assert len(cells) == len(rows) and {c["数值"] for c in cells} >= {"112000", "10000"}


def test_targets_follow_the_catalog_key_when_linked(stored):
    store = Store(stored.url)
    try:
        with store.session() as s:
            s.execute(update(TargetRow).where(TargetRow.indicator.in_(["5G基站", "5G基站总数"]))
                      .values(indicator_key="5g_base_stations", link_status="exact"))
            s.commit()
    finally:
        store.close()
    by_name = {(r["plan_id"], r["span"][0]) for r in as_json(stored, "targets", "-i", "5G基站")}
    by_key = {(r["plan_id"], r["span"][0]) for r in as_json(stored, "targets", "-i", "5G_BASE_STATIONS")}
    assert by_name == by_key
    assert {stored.name_of(p) for p, _ in by_name} == {"000", "001", "002", "003", "sample"}
    cells = as_csv(stored, "targets", "-i", "5G基站总数")
    assert {c["目录键"] for c in cells} == {"5g_base_stations"} and len(cells) == len(by_name)


def test_targets_with_the_shipped_catalog_linked(stored):
    from luoshi.track.catalog import load_catalog, relink
    from luoshi.track.normalize import norm_name

    before = {(r["plan_id"], r["span"][0]) for r in as_json(stored, "targets", "-i", "5G基站")}
    catalog = load_catalog()
    key = catalog.names[norm_name("5G基站")]
    store = Store(stored.url)
    try:
        with store.session() as s:
            relink(s, catalog)
            s.commit()
    finally:
        store.close()
    rows = as_json(stored, "targets", "-i", "5G基站")
    assert {(r["plan_id"], r["span"][0]) for r in rows} >= before
    assert {r["indicator_key"] for r in rows} == {key}
    assert {stored.name_of(r["plan_id"]) for r in rows} >= {"000", "001", "002", "003", "sample"}
    assert {"5G基站", "5G基站总数"} <= {r["indicator"] for r in rows}
    assert {(r["plan_id"], r["span"][0]) for r in as_json(stored, "targets", "-i", key)} == \
        {(r["plan_id"], r["span"][0]) for r in rows}


def test_targets_by_region_and_year(stored):
    liaocheng = as_json(stored, "targets", "--region", "聊城")
    assert {stored.name_of(r["plan_id"]) for r in liaocheng} == {"000", "002"}
    shandong = as_json(stored, "targets", "--region", "山东省")  # with its cities
    assert {stored.name_of(r["plan_id"]) for r in shandong} == {"000", "001", "002", "003"}
    y2022 = as_json(stored, "targets", "--year", "2022", "--region", "371700")
    assert y2022 and {r["year"] for r in y2022} == {2022} and {r["region"] for r in y2022} == {"菏泽市"}
    everything = as_json(stored, "targets")
    assert len(everything) == sum(len(p.targets) for p in stored.plans.values())
    r = run(stored, "targets", "--indicator", "没有的指标")
    assert r.exit_code == 0 and "没有符合条件" in r.stderr


def test_show_names_the_plans_above_and_below(stored):
    city = as_json(stored, "show", "聊政字〔2021〕19号")
    assert city["parent"]["title"].startswith("山东省新基建")
    province = as_json(stored, "show", city["parent"]["id"])
    assert province["parent"] is None
    assert "聊城市新基建三年行动方案(2021—2023年)" in [c["title"] for c in province["children"]]
    assert not any(c["title"].startswith("数字聊城") for c in province["children"])  # another subject
