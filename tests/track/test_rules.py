"""Every rule of `luoshi check` on small plans of our own in an invented province with two cities,
and nothing a reviewer would reject: a goal beside a standard, different units, different years
outside a series, ratios summed, a stricter city standard."""
from __future__ import annotations

import pytest

from luoshi.model import Baseline, Metadata, Plan, Target
from luoshi.store import Store
from luoshi.store.models import Region
from luoshi.store.plans import save_plan
from luoshi.track.catalog import linker
from tests.track.helpers import assert_reviewable, checked

PROVINCE, CITY_A, CITY_B = "岚海省", "鹤汀市", "澈阳市"


def target(name, value, unit, cmp="=", year=2025, kind="goal", base=None, value_max=None) -> tuple:
    return (name, value, unit, cmp, year, kind, base, value_max)


def make_plan(title: str, region: str, level: str, targets: list[tuple]) -> Plan:
    text, out = title + "\n", []
    for name, value, unit, cmp, year, kind, base, value_max in targets:
        quote = f"到{year}年，{name}{cmp}{value}{unit}。" if year else f"{name}{cmp}{value}{unit}。"
        start = len(text) + quote.index(str(value))
        text += quote + "\n"
        out.append(Target(indicator=name, value=value, unit=unit, comparator=cmp, year=year, kind=kind,
                          span=(start, start + len(str(value))), value_max=value_max, quote=quote,
                          baseline=Baseline(base[0], base[1]) if base else None))
    md = Metadata(title=title, region=region, level=level, period=(2023, 2025))
    return Plan(md, [], out, [], text=text)


PLANS = [
    make_plan("岚海省新型基础设施建设行动计划", PROVINCE, "province", [
        target("5G基站", 20000, "个"),
        target("充电桩", 10000, "个", ">="),
        target("行政村5G通达率", 90, "%"),
        target("新建数据中心PUE值", 1.3, "", "<=", None, "standard"),
        target("数据中心上架率", 60, "%", ">=", None, "standard"),
    ]),
    make_plan("鹤汀市新基建行动方案", CITY_A, "city", [
        target("5G基站", 12000, "个", base=(2022, 5000)),
        target("充电桩", 6000, "个"),
        target("行政村5G通达率", 95, "%"),
        target("新建数据中心PUE值", 1.25, "", "<", None, "standard"),  # stricter: fine
        target("新建数据中心PUE值", 1.4, "", "=", 2025),  # a goal: never weighed against a standard
        target("数据中心上架率", 55, "%", ">", None, "standard"),  # looser floor
        target("算力总规模", 5, "EFLOPS"),
        target("加氢站", 3, "座", year=2024),
        target("新建5G基站", 3000, "个", year=2024),
        target("上云企业", 800, "家", base=(2022, 1000)),
        target("存量数据中心PUE值", 1.6, "", "<=", 2025, base=(2022, 1.5)),
        target("政务服务事项网上可办率", 120, "%"),
    ]),
    make_plan("鹤汀市数字经济发展行动方案", CITY_A, "city", [
        target("5G基站总数", 11000, "个"),  # disagrees with the other 鹤汀 plan for 2025
        target("算力总规模", 500, "PFLOPS"),  # another unit: no confident link, no disagreement
        target("加氢站", 2, "座", year=2025),  # a running total that goes backwards
        target("新建5G基站", 2000, "个", year=2025),  # a yearly amount may fall
    ]),
    make_plan("澈阳市新基建行动方案", CITY_B, "city", [
        target("充电桩", 5000, "个"),
        target("行政村5G通达率", 92, "%"),
        target("新建数据中心PUE值", 1.35, "", "<=", None, "standard"),
    ]),
]


@pytest.fixture
def invented(db_url, catalog):
    store = Store(db_url)
    try:
        with store.session() as s:
            s.add_all([Region(code="990000", name=PROVINCE, level="province"),
                       Region(code="990100", name=CITY_A, level="city", parent_code="990000"),
                       Region(code="990200", name=CITY_B, level="city", parent_code="990000")])
            s.flush()
            for i, p in enumerate(PLANS):
                save_plan(s, p, f"{i:064d}", p.metadata.title, linker=linker(catalog))
            s.commit()
    finally:
        store.close()
    return checked(db_url, catalog)


def messages(findings, kind):
    return [f.message for f in findings if f.kind == kind]


def test_every_rule_on_invented_plans(invented, catalog):
    findings, rows = invented
    assert sorted(messages(findings, "standard_looser"), reverse=True) == [
        "鹤汀市《鹤汀市新基建行动方案》要求数据中心上架率高于55%，宽于岚海省《岚海省新型基础设施建设行动计划》的不低于60%",
        "澈阳市《澈阳市新基建行动方案》要求新建数据中心PUE值不高于1.35，宽于岚海省《岚海省新型基础设施建设行动计划》的不高于1.3"]
    assert messages(findings, "plans_disagree") == [
        "鹤汀市的2份方案对2025年5G基站的目标不一致：《鹤汀市新基建行动方案》为1.2万个；《鹤汀市数字经济发展行动方案》为1.1万个"]
    backwards = messages(findings, "series_backwards")
    assert len(backwards) == 1 and "加氢站" in backwards[0] and "2025年的目标却低于2024年" in backwards[0]
    series = messages(findings, "series")
    assert len(series) == 1 and "新建5G基站" in series[0] and "2024年3000个" in series[0]
    assert sorted(messages(findings, "below_baseline")) == [
        "鹤汀市《鹤汀市新基建行动方案》中上云企业的2025年目标800家低于2022年的1000家",
        "鹤汀市《鹤汀市新基建行动方案》中存量数据中心PUE值的2025年目标1.6高于2022年的1.5"]
    assert messages(findings, "implausible_value") == [
        "鹤汀市《鹤汀市新基建行动方案》中政务服务事项网上可办率120%，超出合理范围（0–100%）"]
    assert messages(findings, "sum_of_children") == [
        "岚海省2025年充电桩保有量目标不低于1万个；所辖2个市的目标合计1.1万个，比岚海省目标多1000个"]
    assert [f.severity for f in findings] == sorted((f.severity for f in findings), key=["warning", "info"].index)
    assert_reviewable(findings, rows, catalog)


def test_nothing_a_reviewer_would_reject(invented):
    findings, _ = invented
    text = "\n".join(f.message for f in findings)
    assert "1.4" not in text  # 鹤汀's PUE goal is not weighed against standards
    assert "EFLOPS" not in text and "PFLOPS" not in text  # 5 EFLOPS and 500 PFLOPS are not compared
    assert "通达率" not in text  # ratios are not summed; equal-year ratios in one plan each are no series
    assert "1.25" not in text  # a stricter city standard is fine
    assert not any(f.kind == "sum_of_children" and "5G基站" in f.message for f in findings)  # 鹤汀 disagrees
