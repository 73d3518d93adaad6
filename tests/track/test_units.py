"""The unit registry: names, the alias table, and the units of the five shared plans and
luoshi's sample plan, on SQLite and PostgreSQL."""
from __future__ import annotations

import csv
import io
import json

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from luoshi.cli import app
from luoshi.store import Store
from luoshi.store.dispatch_models import Unit, UnitAlias
from luoshi.track.unit_names import UnitAliasError, canonical_name, kind_of, load_aliases, qualify
from luoshi.track.units import Units, build_registry, get_or_create, resolve
from tests.store.stored_plans import store_all

LIAOCHENG, HEZE, SHANDONG = "371500", "371700", "370000"


def test_canonical_name():
    assert canonical_name("各县（市、区）人民政府") == canonical_name("各县(市、区)人民政府") == "各县(市、区)人民政府"
    assert canonical_name(" 市 工业和信息化局等 ") == "市工业和信息化局"
    assert canonical_name("市发展改革委等部门、") == "市发展改革委"
    assert canonical_name("市委〔网信办〕") == canonical_name("市委【网信办】") == "市委(网信办)"


@pytest.mark.parametrize("name,kind", [
    ("各县（市、区）人民政府", "government"), ("市属开发区管委会", "government"), ("有关市政府", "government"),
    ("聊城高新技术产业开发区管理委员会", "government"), ("市国有资产监督管理委员会", "department"),
    ("中国铁塔聊城分公司", "company"), ("国网聊城供电公司", "company"), ("山东高速集团", "company"),
    ("市工业和信息化局", "department"), ("市委网信办", "department"), ("聊城大学", "other")])
def test_kind_of(name, kind):
    assert kind_of(name) == kind


def test_qualify_by_region_and_its_parents():
    chain = ["聊城市", "山东省"]
    assert qualify("市工信局", chain) == ("聊城市工信局", 0)
    assert qualify("省工业和信息化厅", chain) == ("山东省工业和信息化厅", 1)
    assert qualify("各县（市、区）人民政府", chain) == ("聊城市各县(市、区)人民政府", 0)
    assert qualify("市市场监管局", chain) == ("聊城市市场监管局", 0)
    assert qualify("市场监管局", chain) == ("市场监管局", None)  # 市场 is no 市 prefix
    assert qualify("中国铁塔聊城分公司", chain) == ("中国铁塔聊城分公司", None)
    assert qualify("市工信局", []) == ("市工信局", None)


def test_alias_groups_match_whole_office_names_only():
    table = load_aliases()
    assert table.preferred("聊城市工信局") == "聊城市工业和信息化局"
    assert "聊城市工信局" in table.variants("聊城市工业和信息化局")
    assert table.preferred("山东省工信厅") == "山东省工业和信息化厅"
    assert not set(table.variants("山东省工信厅")) & set(table.variants("聊城市工信局"))
    assert table.variants("聊城市公共交通局") == ["聊城市公共交通局"]  # 交通局 only after a level word
    assert table.preferred("菏泽市发展改革委(能源局)") == "菏泽市发展和改革委员会"
    assert table.preferred("中国联通聊城市分公司") == "中国联通聊城分公司"
    assert table.preferred("聊城市自然资源局") == "聊城市自然资源局"  # never merged with 自然资源和规划局


def test_office_alias_file(tmp_path, monkeypatch):
    """An office that knows its city has one office for both names merges them in its own copy."""
    from luoshi.track.units import ALIASES_ENV, default_aliases

    f = tmp_path / "mine.toml"
    f.write_text('[[group]]\nnames = ["自然资源和规划局", "自然资源局"]\n', encoding="utf-8")
    monkeypatch.setenv(ALIASES_ENV, str(f))
    table = default_aliases()
    assert table.source == str(f) and table.preferred("聊城市自然资源局") == "聊城市自然资源和规划局"
    assert table.preferred("聊城市工信局") == "聊城市工信局"  # the shipped groups are not in it


def test_alias_file_errors(tmp_path):
    f = tmp_path / "a.toml"
    f.write_text('[[group]]\nnames = ["工信局", "工业和信息化局"]\n[[group]]\nnames = ["工信局", "经信局"]\n',
                 encoding="utf-8")
    with pytest.raises(UnitAliasError, match="第 2 组.*第 1 组"):
        load_aliases(f)
    f.write_text('[[group]]\nnames = ["工信局"]\n', encoding="utf-8")
    with pytest.raises(UnitAliasError, match="至少两个"):
        load_aliases(f)
    f.write_text('[[group]\n', encoding="utf-8")
    with pytest.raises(UnitAliasError, match="TOML"):
        load_aliases(f)
    with pytest.raises(UnitAliasError, match="无法读取"):
        load_aliases(tmp_path / "missing.toml")


@pytest.fixture
def registry(db_url):
    """The five shared plans and the sample, stored, with their units registered; a session."""
    stored = store_all(db_url)
    store = Store(stored.url)
    s = store.session()
    build_registry(s)
    s.commit()
    yield s
    s.close()
    store.close()


def _units_of(s, region, office) -> set[int]:
    return set(s.scalars(select(Unit.id).join(UnitAlias).where(Unit.region_code == region,
                                                                UnitAlias.alias.contains(office))))


def test_one_unit_per_office_and_region(registry):
    s = registry
    gx = resolve(s, "市工业和信息化局", LIAOCHENG)
    assert gx.name == "聊城市工业和信息化局" and gx.kind == "department" and gx.region_code == LIAOCHENG
    for spelling in ("市工信局", "聊城市工信局", "市 工业和信息化局", "聊城市工业和信息化局"):
        assert resolve(s, spelling, LIAOCHENG) is gx
    assert _units_of(s, LIAOCHENG, "工业和信息化局") == {gx.id}
    heze = resolve(s, "市工信局", HEZE)
    assert heze is not gx and heze.name == "菏泽市工业和信息化局"
    assert resolve(s, "省工信厅", LIAOCHENG).name == "山东省工业和信息化厅"
    assert resolve(s, "省工信厅", LIAOCHENG).region_code == SHANDONG
    fgw = resolve(s, "市发展改革委", HEZE)
    assert resolve(s, "市发展改革委(能源局)", HEZE) is fgw and fgw.name == "菏泽市发展和改革委员会"
    assert resolve(s, "市应急局", LIAOCHENG).name == "聊城市应急管理局"
    assert resolve(s, "市城管局", LIAOCHENG) is resolve(s, "市城市管理局", LIAOCHENG)


def test_collectives_and_companies(registry):
    s = registry
    counties = resolve(s, "各县(市、区)人民政府", LIAOCHENG)
    assert resolve(s, "各县（市、区）人民政府", LIAOCHENG) is counties
    assert counties.kind == "government" and counties.name == "聊城市各县(市、区)人民政府"
    assert counties is not resolve(s, "各县（市、区）人民政府", region_name="澜州市")
    tower = resolve(s, "中国铁塔聊城分公司")
    assert tower.kind == "company" and tower.region_code == LIAOCHENG
    assert resolve(s, "中国联通聊城市分公司") is resolve(s, "中国联通聊城分公司")
    assert resolve(s, "国网聊城供电公司").kind == "company"
    assert resolve(s, "市属开发区管委会", LIAOCHENG).kind == "government"


def test_relative_name_without_region(registry):
    s = registry
    assert resolve(s, "市工信局") is None  # 聊城, 菏泽 and 澜州 each have one
    assert resolve(s, "市医保局").name == "聊城市医疗保障局"  # only 聊城's plans name it
    assert resolve(s, "市通信发展管理办公室").name == "澜州市通信发展管理办公室"  # a city without a code
    assert resolve(s, "省工信厅").name == "山东省工业和信息化厅"
    assert resolve(s, "各县(市、区)人民政府") is None
    assert resolve(s, "不存在的局", LIAOCHENG) is None


def test_registering_again_changes_nothing(registry):
    s = registry

    def count(model):
        return s.scalar(select(func.count()).select_from(model))

    units, aliases = count(Unit), count(UnitAlias)
    build_registry(s)
    assert (count(Unit), count(UnitAlias)) == (units, aliases)
    new = get_or_create(s, "县工信局", "371521")  # 阳谷县: a county's own office
    assert new.name == "阳谷县工业和信息化局" and new.region_code == "371521"
    assert get_or_create(s, "县工业和信息化局", "371521") is new
    assert Units(s).get_or_create("市工业和信息化局", "371521").name == "聊城市工业和信息化局"
    assert count(Unit) == units + 1
    s.rollback()


def test_units_command(registry, db_url):
    runner = CliRunner()
    r = runner.invoke(app, ["units", "--db", db_url, "--format", "json"])
    assert r.exit_code == 0, r.output
    rows = json.loads(r.stdout)
    gx = next(x for x in rows if x["name"] == "聊城市工业和信息化局")
    assert gx["kind"] == "department" and gx["region"] == "聊城市" and gx["lead_tasks"] == 0
    assert "聊城市委网信办" in next(x for x in rows if x["name"] == "聊城市委网络安全和信息化委员会办公室")["aliases"]
    r = runner.invoke(app, ["units", "--db", db_url, "--format", "csv"])
    assert r.exit_code == 0, r.output
    cells = list(csv.DictReader(io.StringIO(r.stdout)))
    assert len(cells) == len(rows) and {"单位", "类型", "地区", "牵头任务", "配合任务", "其他写法"} <= set(cells[0])
    assert next(c for c in cells if c["单位"] == "中国铁塔聊城分公司")["类型"] == "企业"
