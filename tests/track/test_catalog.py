"""The indicator catalog: the shipped file, clear errors for a malformed one, name normalisation,
aliases and units, and linking targets (never silently across units)."""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from luoshi.extract import extract
from luoshi.read import read_path
from luoshi.store.models import TargetRow
from luoshi.track.catalog import CatalogError, linker, load_catalog, parse_catalog
from luoshi.track.normalize import norm_name
from tests.conftest import SEEDS, needs_corpus

GOOD = """
[[indicator]]
key = "5g_base_stations"
name = "5G基站"
aliases = ["5G基站总数"]
unit = "个"
direction = "up"
nature = "cumulative"
range = [0, 1000000]
"""


def test_shipped_catalog_is_valid_and_covers_the_genre(catalog):
    assert 60 <= len(catalog) <= 120
    for key in ("5g_base_stations", "5g_base_stations_per_10k", "dc_pue_new", "dc_pue_existing", "dc_utilization",
                "dc_racks", "compute_total", "iip_platforms", "cloud_enterprises", "charging_piles",
                "hydrogen_stations", "new_rd_institutions", "digital_economy_size", "digital_core_share",
                "software_revenue", "gigabit_users", "gov_online_rate"):
        assert catalog.get(key), key
    pue = catalog.get("dc_pue_new")
    assert (pue.direction, pue.nature, pue.range, pue.unit, pue.standard) == ("down", "ratio", (1.0, 3.0), "", True)
    for ind in catalog.indicators:
        if ind.unit == "%" and ind.nature == "ratio":
            assert 0 <= ind.range[0] and ind.range[1] <= 200, ind.key


@pytest.mark.parametrize("raw, a, b", [
    ("5G 基站（个）", "5G基站", None),
    ("５Ｇ基站【个】", "5G基站", None),
    ("“跨省通办”事项", "跨省通办事项", None),
    ("數據中心PUE值", "数据中心PUE值", None),
    ("充电桩保有量(万个)", "充电桩保有量", None),
    ("新型智慧城市试点示范县（市、区）", "新型智慧城市试点示范县(市、区)", "新型智慧城市试点示范县"),
])
def test_names_are_normalised(raw, a, b):
    assert norm_name(raw) == norm_name(a)
    if b:  # a bracket that is no unit stays
        assert norm_name(raw) != norm_name(b)


@pytest.mark.parametrize("name, unit, key, status", [
    ("5G基站", "个", "5g_base_stations", "exact"),
    ("5G 基站", "个", "5g_base_stations", "exact"),
    ("5G基站(个)", "个", "5g_base_stations", "exact"),
    ("5G基站总数", "个", "5g_base_stations", "exact"),
    ("全市5G基站总数", "个", "5g_base_stations", "fuzzy"),
    ("新建5G基站", "个", "5g_base_stations_new", "exact"),
    ("新增5G基站数", "个", "5g_base_stations_new", "fuzzy"),
    ("充电桩保有量", "个", "charging_piles", "exact"),
    ("各类充电桩保有量", "个", "charging_piles", "exact"),
    ("新能源汽车充电桩保有量", "个", "charging_piles", "exact"),
    ("充电基础设施保有量", "个", "charging_piles", "exact"),
    ("县城公共充电桩", "个", "public_charging_piles", "proposed"),  # narrower scope: the office decides
    ("数据中心PUE值", "", "dc_pue_new", "exact"),
    ("新建大型及以上数据中心PUE值", "", "dc_pue_new", "exact"),
    ("存量改造数据中心PUE值", "", "dc_pue_existing", "exact"),
    ("新型研发机构", "个", "new_rd_institutions", "exact"),  # 个 is one of the entry's measure words
    ("加氢站", "个", "hydrogen_stations", "exact"),
    ("5G基站", "%", "5g_base_stations", "proposed"),  # never linked silently across units
    ("算力规模", "PFLOPS", "compute_total", "proposed"),
    ("扩建数据中心上架率", "%", "dc_expansion_utilization", "exact"),
    ("口袋公园", "个", None, "none"),
    ("数字经济发展专项资金", "元", None, "none"),
])
def test_aliases_units_and_link_status(catalog, name, unit, key, status):
    m = catalog.match(name, unit)
    assert (m.key, m.status) == (key, status)
    assert (m.score is None) == (status == "none")


def test_link_sets_fields_on_rows_and_plain_objects(catalog):
    rows = [TargetRow(indicator="5G基站总数", unit="个", kind="goal"),
            SimpleNamespace(indicator="数据中心PUE值", unit="", kind="standard"),
            SimpleNamespace(indicator="图层数据", unit="项", kind="goal")]
    linker(catalog)(rows)
    assert [(r.indicator_key, r.link_status) for r in rows] == [
        ("5g_base_stations", "exact"), ("dc_pue_new", "exact"), (None, "none")]
    assert rows[0].link_score == 1.0 and rows[2].link_score is None
    assert catalog.keys_for("5G基站（个）") == {"5g_base_stations"} == catalog.keys_for("5G_BASE_STATIONS")


@needs_corpus
def test_table_row_and_sentence_of_the_liaocheng_plan_link_to_one_key(catalog):
    plan = extract(read_path(SEEDS / "000_037a804c3b2171ca.txt"))
    text = plan.text
    sentence = text.index("到 2023 年建成 5G 基站 10000 个")
    row = text.index("5G基站(个)\t3500\t10000")
    found = {}
    for t in plan.targets:
        for where, start, length in (("sentence", sentence, 25), ("row", row, 20)):
            if start <= t.span[0] < start + length:
                found[where] = t
    assert set(found) == {"sentence", "row"}
    assert found["row"].source == "table" and found["sentence"].source == "text"
    links = [catalog.match(t.indicator, t.unit, t.kind) for t in found.values()]
    assert {(m.key, m.status) for m in links} == {("5g_base_stations", "exact")}
    assert [catalog.match(n, "个").key for n in ("5G 基站", "5G基站(个)")] == ["5g_base_stations"] * 2


def test_an_office_catalog_replaces_the_shipped_one(tmp_path):
    p = tmp_path / "mine.toml"
    p.write_text(GOOD, encoding="utf-8")
    cat = load_catalog(p)
    assert len(cat) == 1 and cat.match("5G基站总数（个）", "个").status == "exact"


def _entry(**changes) -> str:
    fields = {"key": '"5g"', "name": '"5G基站"', "unit": '"个"', "direction": '"up"', "nature": '"cumulative"',
              "range": "[0, 100]"}
    fields.update(changes)
    return "[[indicator]]\n" + "".join(f"{k} = {v}\n" for k, v in fields.items() if v is not None)


@pytest.mark.parametrize("text, words", [
    (_entry(unit=None), ["第 1 个条目", "key = 5g", "unit", "缺少必填字段"]),
    (_entry(direction='"better"'), ["direction", "better", "up", "down"]),
    (_entry(nature='"total"'), ["nature", "cumulative"]),
    (_entry(range="[5]"), ["range", "[最小值, 最大值]"]),
    (_entry(range="[100, 0]"), ["range", "最小值 100 大于最大值 0"]),
    (_entry(range='["a", "b"]'), ["range"]),
    (_entry(alias='["5G基站数"]'), ["alias", "未知字段"]),
    (_entry(aliases='"5G基站数"'), ["aliases", "列表"]),
    (_entry(unit='"万个"'), ["unit", "万个", "基本单位"]),
    (_entry(key='"5G Base"'), ["key", "5G Base"]),
    (_entry(standard='"yes"'), ["standard", "true"]),
    (_entry() + _entry(), ["第 2 个条目", "key", "重复"]),
    (_entry() + _entry(key='"other"', aliases='["5G 基站"]'), ["第 2 个条目", "other", "aliases", "5g"]),
    ("[[indicator]]\nkey = \"a\"\nname = \n", ["TOML", "第 3 行"]),
    ("# nothing here\n", ["没有 [[indicator]] 条目"]),
    ("[indicators]\nkey = 1\n", ["未知的顶层字段", "indicators"]),
])
def test_malformed_catalogs_are_named_clearly(text, words):
    with pytest.raises(CatalogError) as e:
        parse_catalog(text, "mine.toml")
    msg = str(e.value)
    assert "mine.toml" in msg
    for w in words:
        assert w in msg, (w, msg)


def test_a_missing_catalog_file_is_a_catalog_error(tmp_path):
    with pytest.raises(CatalogError, match="无法读取指标目录"):
        load_catalog(tmp_path / "absent.toml")
