"""The bulletin's words (luoshi.publish.bulletin.compose) on the county world of
tests/web/pages/county_world.py: 聊城市, 2024Q4. Each sentence and table is checked against the
stored data through the core (progress, timeliness) or by hand from the world's design."""
from __future__ import annotations

import re

import pytest

from luoshi.publish.bulletin.compose import Masthead, compose, copy_to, subject
from luoshi.publish.bulletin.model import Chart, Figure, Heading, Paragraph, Table, plain
from luoshi.publish.bulletin.words import goal, ordinal_cn, points
from luoshi.store import Store
from luoshi.track.bulletin_data import bulletin_data
from luoshi.track.catalog import load_catalog
from luoshi.track.progress import progress
from tests.web.pages.county_world import JUDGED_ON, SETTINGS, build

CATALOG = load_catalog(None)


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    county = build(f"sqlite:///{tmp_path_factory.mktemp('compose')}/county.db")
    store = Store(county.url)
    try:
        with store.session() as s:
            data = bulletin_data(s, "聊城市", "2024Q4", catalog=CATALOG, settings=SETTINGS, on=JUDGED_ON)
            judged = {p.target_id: p for p in progress(s, region="聊城市", as_of="2024-12", catalog=CATALOG,
                                                       rules=SETTINGS.rules)}
    finally:
        store.close()
    return county, data, judged, compose(data)


def text(doc) -> str:
    out = []
    for b in doc.blocks:
        if isinstance(b, (Heading, Paragraph)):
            out.append((b.text if isinstance(b, Heading) else "") + plain(b.runs))
    return "\n".join(out)


def section(doc, title: str) -> list:
    """The blocks from the level-1 heading ending in `title` to the next one."""
    out, inside = [], False
    for b in doc.blocks:
        if isinstance(b, Heading) and b.level == 1:
            inside = b.text.endswith(title)
            continue
        if inside:
            out.append(b)
    return out


def test_the_masthead_follows_the_region_and_quarter(world):
    _, data, _, doc = world
    assert doc.issue == "2024年第4期" and doc.period == "2024Q4" and doc.as_of == "2024-12"
    assert doc.title == "关于2024年第四季度聊城市行动方案推进情况的通报"
    assert doc.recipients == "各县（市、区）人民政府，市直有关部门："
    assert doc.copy_to == "中共聊城市委办公室，聊城市人民政府办公室。"
    assert doc.signed == JUDGED_ON  # the quarter's reporting closed at the end of January
    own = compose(data, Masthead(issuer="聊城市数字经济工作专班办公室", recipients="各有关单位：", signed=JUDGED_ON.replace(day=5)))
    assert own.issuer == "聊城市数字经济工作专班办公室" and own.recipients == "各有关单位：" and own.signed.day == 5
    assert "聊城市数字经济工作专班办公室对2024年第四季度" in text(own)


def test_headings_tables_and_charts_are_numbered_in_order(world):
    doc = world[3]
    tops = [b.text for b in doc.blocks if isinstance(b, Heading) and b.level == 1]
    assert [t.split("、")[0] for t in tops] == [ordinal_cn(i) for i in range(1, len(tops) + 1)]
    assert [t.split("、", 1)[1] for t in tops] == ["总体情况", "各领域推进情况", "各地区推进情况", "量化指标完成情况",
                                                   "各单位推进和报送情况", "滞后指标", "月报报送情况", "下步工作要求"]
    captions = [b.caption for b in doc.blocks if isinstance(b, Table)]
    assert [c.split("　")[0] for c in captions] == ["表1", "表2", "表3", "表4"]
    charts = [b for b in doc.blocks if isinstance(b, Chart)]
    assert [c.caption.split("　")[0] for c in charts] == [f"图{i}" for i in range(1, len(charts) + 1)]


def test_the_overview_counts_lights_and_the_change_since_last_quarter(world):
    _, data, judged, doc = world
    overview = plain(section(doc, "总体情况")[0].runs)
    lights = [p.light.value if p.light else "none" for p in judged.values() if p.same_as is None]
    n = {k: lights.count(k) for k in ("green", "yellow", "red", "none")}
    assert n == {"green": 5, "yellow": 2, "red": 2, "none": 1}
    assert f"共有量化指标{len(lights)}项。其中绿灯{n['green']}项、黄灯{n['yellow']}项、红灯{n['red']}项；尚未判断{n['none']}项" in overview
    done = [min(p.completion, 100) for p in judged.values() if p.light is not None]
    assert f"平均完成率{sum(done) / len(done):.1f}%，平均序时进度33.3%" in overview
    before = data.previous.counts
    assert f"红灯指标增加{2 - before.red}项" in overview and before.red == 0  # no red at the end of September


def test_the_indicator_table_matches_progress_target_by_target(world):
    _, data, judged, doc = world
    table = next(b for b in doc.blocks if isinstance(b, Table) and b.caption.endswith("量化指标完成情况"))
    assert table.header == ["序号", "指标", "牵头单位", "目标值", "完成时限", "序时进度", "实际值", "完成率", "差距", "灯"]
    assert len(table.rows) == 10
    for row, light in zip(table.rows, table.light):
        tid = row[3].source.targets[0]
        p = judged[tid]
        assert all(f.source.targets == (tid,) for f in row if isinstance(f, Figure))
        assert row[1] == f"{p.indicator}（{p.unit}）"
        assert row[3].value == p.value and row[3].text == goal(p.comparator, p.value, p.value_max)
        assert (row[6].value if p.last_value is not None else row[6]) == (p.last_value if p.last_value is not None else "—")
        for cell, v in ((row[5], p.scheduled), (row[7], p.completion)):
            assert plain([cell]) == ("—" if v is None else f"{v:.1f}%")
            assert isinstance(cell, Figure) == (v is not None)  # a dash is no figure: nothing to trace
        assert plain([row[8]]) == points(p.gap)
        assert light == (p.light.value if p.light else "none") and row[9] == {"green": "绿灯", "yellow": "黄灯",
                                                                                "red": "红灯", "none": "未判断"}[light]
        if p.last_value is not None:  # the actual value names the submission it was read from
            assert row[6].source.submissions == (data.submission_of[tid],)


def test_lagging_targets_carry_the_units_own_reasons(world):
    county, _, judged, doc = world
    items = [b for b in section(doc, "滞后指标") if isinstance(b, Heading)]
    assert [re.sub(r"^\d+\.", "", b.text) for b in items] == [
        "5G基站总数（阳谷县工业和信息化局）。", "5G基站总数（聊城市工业和信息化局）。",
        "千兆宽带用户（阳谷县工业和信息化局）。", "千兆宽带用户（东昌府区工业和信息化局）。"]
    first = plain(items[0].runs)
    assert "截至2024年12月为605个" in first and "（红灯）" in first
    assert "滞后原因：2024-12阳谷县5G基站总数：项目审批滞后。" in first and "下步措施：2024-12：加快审批，下月补齐。" in first
    # 东昌府区 sent nothing in December: November's reason is its latest word.
    assert "滞后原因：2024-11东昌府区千兆宽带用户：项目审批滞后。" in plain(items[3].runs)


def test_late_and_missing_reports_are_named_with_their_days(world):
    doc = world[3]
    body = "\n".join(b.text + plain(b.runs) for b in section(doc, "月报报送情况") if isinstance(b, Heading))
    para = plain(section(doc, "月报报送情况")[0].runs)
    assert "应报月报21份，按时报送15份，逾期报送2份，超期未报4份，按时报送率71.4%" in para
    assert "阳谷县工业和信息化局11月月报逾期5天" in body and "聊城市工业和信息化局12月月报逾期3天" in body
    assert "东昌府区发展和改革局10月月报已超期82天" in body  # due 2024-11-10, judged 2025-01-31


def test_requirements_name_the_units_behind(world):
    req = "\n".join(plain(b.runs) for b in section(world[3], "下步工作要求"))
    assert "红灯指标的牵头单位（聊城市工业和信息化局、阳谷县工业和信息化局）" in req
    assert "东昌府区发展和改革局、东昌府区工业和信息化局有超期未报的月报" in req


def test_every_figure_is_traced_to_targets_or_reports_of_the_region(world):
    county, _, judged, doc = world
    figures = doc.figures()
    assert [f.key for f in figures] == [f"F{i}" for i in range(1, len(figures) + 1)]
    units = set(county.units.values())
    for f in figures:
        assert set(f.source.targets) <= set(judged), f
        assert {u for u, _ in f.source.reports} <= units, f
        if f.label.endswith("指标数"):  # a count of targets names exactly the targets it counts
            assert f.value == len(f.source.targets), f
        elif f.label not in ("纳入调度的方案数",) and "较上季度末" not in f.label:
            assert f.source.targets or f.source.reports, f


def test_subject_and_copy_to_words():
    assert copy_to("山东省", "province") == "中共山东省委办公厅，山东省人民政府办公厅。"
    assert copy_to("莘县", "county") == "中共莘县县委办公室，莘县人民政府办公室。"

    class D:  # the two fields subject() reads
        def __init__(self, titles, region):
            self.targets = [type("T", (), {"progress": type("P", (), {"plan_title": t})()})() for t in titles]
            self.region = type("R", (), {"name": region})()

    assert subject(D(["聊城市新型基础设施建设三年行动方案（2021—2023年）"], "聊城市")) == "新型基础设施建设三年行动"
    assert subject(D(["关于印发全市数字经济发展实施方案的通知"], "聊城市")) == "数字经济发展"
    assert subject(D(["甲方案", "乙方案"], "聊城市")) == "行动方案"


def test_the_progress_chart_falls_back_to_the_regions_below(world):
    _, data, judged, doc = world
    chart = next(b for b in doc.blocks if isinstance(b, Chart) and b.kind == "progress")
    # 聊城市's own plan has a single area, so the chart compares its counties.
    assert chart.caption.endswith("各地区平均完成率与序时进度")
    assert chart.categories == ["东昌府区", "茌平区", "阳谷县"]
    # 阳谷县: 41, 605, 24000 → 36.67, 0.83, 13.33 % complete.
    yg = chart.categories.index("阳谷县")
    assert chart.series["完成率"][yg] == round((110 / 3 + 5 / 6 + 40 / 3) / 3, 1)
    assert chart.series["序时进度"] == [33.3, 33.3, 33.3]


def test_the_regions_below_are_coloured_by_the_dashboards_rule(world):
    _, data, _, doc = world
    table = next(b for b in doc.blocks if isinstance(b, Table) and b.caption.endswith("各地区量化指标推进情况"))
    kids = {c.name: c for c in data.dashboard.children}
    got = {row[0]: (row[-1], light) for row, light in zip(table.rows, table.light)}
    # 阳谷县 red (1 red of 3 judged), 东昌府区 yellow (1 yellow of 2 judged), 茌平区 green.
    assert got == {"阳谷县": ("红", "red"), "东昌府区": ("黄", "yellow"), "茌平区": ("绿", "green")}
    assert all(kids[name].counts.colour == light for name, (_, light) in got.items())


def test_the_annex_tells_targets_of_several_regions_apart(world):
    from luoshi.publish.bulletin.annex import target_names

    _, data, judged, _ = world
    names = target_names(data)
    five_g = {names[tid] for tid, p in judged.items() if p.indicator == "5G基站总数"}
    assert five_g == {"5G基站总数（聊城市）", "5G基站总数（阳谷县）", "5G基站总数（东昌府区）", "5G基站总数（茌平区）"}
