"""The first sections of the bulletin: the overall picture, the action areas, the regions below,
and the indicator table. Each function returns its blocks (empty when it has nothing to say);
level-1 headings are numbered by `compose`."""
from __future__ import annotations

from luoshi.publish.bulletin.model import Chart, Heading, Paragraph, Table
from luoshi.publish.bulletin.words import (
    Figures,
    goal,
    month_cn,
    number,
    ordinal_cn,
    points,
)
from luoshi.track.bulletin_data import BulletinData
from luoshi.track.dashboard_rows import TargetLine
from luoshi.track.lights import points_text

LIGHT_CN = {"green": "绿灯", "yellow": "黄灯", "red": "红灯", "none": "未判断"}
COLOUR_CN = {"green": "绿", "yellow": "黄", "red": "红", "none": "—"}
FULL_TABLE = 60  # up to this many targets the body lists them all; more: the lagging ones (all in the annex)
LAGGING_TABLE = 100  # and of those at most this many, the most behind first


def ids(lines: list[TargetLine], light: str | None = None) -> tuple[int, ...]:
    return tuple(t.progress.target_id for t in lines if light is None or t.light == light)


def averages(lines: list[TargetLine]) -> tuple[float | None, float | None, list[int]]:
    """Average completion (capped at 100) and 序时进度 over the judged lines, and their ids."""
    judged = [t.progress for t in lines if t.progress.light is not None and t.progress.completion is not None
              and t.progress.scheduled is not None]
    if not judged:
        return None, None, []
    return (sum(min(p.completion, 100.0) for p in judged) / len(judged),
            sum(p.scheduled for p in judged) / len(judged), [p.target_id for p in judged])


def light_runs(fig: Figures, lines: list[TargetLine], what: str) -> list:
    """"绿灯3项、黄灯1项、红灯2项" (lights with none left out), with the unjudged after."""
    runs: list = []
    for light in ("green", "yellow", "red"):
        n = sum(1 for t in lines if t.light == light)
        if n:
            runs += ["、" if runs else "", LIGHT_CN[light], fig.count_of(n, f"{what}{LIGHT_CN[light]}指标数",
                                                                       targets=ids(lines, light)), "项"]
    none = sum(1 for t in lines if t.light == "none")
    if none:
        runs += ["；" if runs else "", "尚未判断", fig.count_of(none, f"{what}未判断指标数", targets=ids(lines, "none")),
                 "项"]
    return runs


def against_schedule(fig: Figures, lines: list[TargetLine], what: str) -> list:
    done, due, judged = averages(lines)
    if done is None:
        return ["尚无可与序时进度比较的指标"]
    gap = done - due
    side = "超序时进度" if gap > 0 else "落后序时进度"
    return ["平均完成率", fig.pct(done, f"{what}平均完成率", targets=judged), "，平均序时进度",
            fig.pct(due, f"{what}平均序时进度", targets=judged),
            *(["，与序时进度持平"] if abs(gap) < 0.05 else
              [f"，{side}", fig(f"{abs(gap):.1f}", f"{what}平均完成率与序时进度之差（百分点）", round(gap, 1),
                                targets=judged), "个百分点"])]


def overview(data: BulletinData, fig: Figures) -> list:
    d, rules = data.dashboard, data.rules
    lines = d.targets
    plans = len({t.progress.plan_id for t in lines})
    runs = [f"截至{month_cn(d.as_of)}底，纳入调度的", fig.count_of(plans, "纳入调度的方案数"), "个方案共有量化指标",
            fig.count_of(len(lines), "量化指标数", targets=ids(lines)), "项。"]
    if not lines:
        return [Heading(1, "总体情况"), Paragraph(runs[:-1] + ["项，本季度无可调度的指标。"])]
    runs += ["其中", *light_runs(fig, lines, "全部"), "。", *against_schedule(fig, lines, "已判断指标"), "。"]
    p = data.previous
    if p is not None:
        now = d.totals.counts
        change = []
        for light in ("red", "yellow", "green"):
            delta = getattr(now, light) - getattr(p.counts, light)
            if delta:
                change += [f"{'、' if change else ''}{LIGHT_CN[light]}指标{'增加' if delta > 0 else '减少'}",
                           fig(str(abs(delta)), f"{LIGHT_CN[light]}指标数较上季度末的变化", delta), "项"]
        runs += [f"与上季度末（{month_cn(data.quarter.previous().end)}）相比，", *(change or ["各灯指标数均无变化"]), "。"]
    rule = (f"（落后序时进度{points_text(rules.yellow_behind, rules)}至{points_text(rules.red_behind, rules)}个百分点"
            f"为黄灯，超过{points_text(rules.red_behind, rules)}个百分点为红灯；期限已过未完成或标准未达到的为红灯。）")
    blocks = [Heading(1, "总体情况"), Paragraph(runs + [rule])]
    chart = area_chart(data) or children_chart(data)
    if chart:
        blocks.append(chart)
    return blocks


def own_areas(data: BulletinData) -> list:
    """The areas of the plans of the region itself (a province's own plan, not its cities')."""
    region = data.region.name
    rows = [a for a in data.dashboard.areas if a.region == region]
    return rows or (data.dashboard.areas if len({a.plan_id for a in data.dashboard.areas}) == 1 else [])


def area_lines(data: BulletinData, area) -> list[TargetLine]:
    return [t for t in data.dashboard.targets if t.progress.plan_id == area.plan_id and t.area == area.title]


def area_chart(data: BulletinData) -> Chart | None:
    rows = [(a, averages(area_lines(data, a))) for a in own_areas(data)]
    rows = [(a, v) for a, v in rows if v[0] is not None]
    if len(rows) < 2:
        return None
    return Chart("C1", "各领域平均完成率与序时进度", "progress", [a.title for a, _ in rows],
                 {"完成率": [round(v[0], 1) for _, v in rows], "序时进度": [round(v[1], 1) for _, v in rows]})


def children_chart(data: BulletinData) -> Chart | None:
    """Completion against 序时进度 by child region, for a region whose own plans have no areas."""
    by_id = {t.progress.target_id: t for t in data.dashboard.targets}
    rows = [(c.name, averages([by_id[i] for i in c.targets])) for c in data.dashboard.children]
    rows = [(n, v) for n, v in rows if v[0] is not None]
    if len(rows) < 2:
        return None
    return Chart("C1", "各地区平均完成率与序时进度", "progress", [n for n, _ in rows],
                 {"完成率": [round(v[0], 1) for _, v in rows], "序时进度": [round(v[1], 1) for _, v in rows]})


def areas(data: BulletinData, fig: Figures) -> list:
    rows = own_areas(data)
    if not rows:
        return []
    blocks: list = [Heading(1, "各领域推进情况")]
    for n, a in enumerate(rows, 1):
        lines = area_lines(data, a)
        runs = ["量化指标", fig.count_of(len(lines), f"{a.title}：量化指标数", targets=ids(lines)), "项，",
                *light_runs(fig, lines, f"{a.title}："), "；", *against_schedule(fig, lines, f"{a.title}："), "。"]
        behind = sorted((t for t in lines if t.light in ("red", "yellow")), key=lambda t: t.progress.gap or 0)
        if behind:
            runs.append("落后较多的是")
            for i, t in enumerate(behind[:3]):
                p = t.progress
                runs += ["、" if i else "", f"{p.indicator}（", fig(f"{abs(p.gap):.1f}", f"{p.indicator}：落后序时进度（百分点）",
                                                                 round(p.gap, 1), targets=(p.target_id,)), "个百分点）"]
            runs.append("。")
        blocks.append(Heading(2, f"（{ordinal_cn(n)}）{a.title}。", runs))
    return blocks


def children(data: BulletinData, fig: Figures) -> list:
    rows = [c for c in data.dashboard.children if c.counts.total]
    if not rows:
        return []
    by_id = {t.progress.target_id: t for t in data.dashboard.targets}
    table_rows, light = [], []
    for c in rows:
        mine = [by_id[i] for i in c.targets]
        done, due, judged = averages(mine)
        table_rows.append([c.name, fig.count_of(c.counts.total, f"{c.name}：量化指标数", targets=ids(mine)),
                           *(fig.count_of(getattr(c.counts, k), f"{c.name}：{LIGHT_CN[k]}指标数", targets=ids(mine, k))
                             for k in ("green", "yellow", "red")),
                           fig.pct(done, f"{c.name}：平均完成率", targets=judged),
                           fig.pct(due, f"{c.name}：平均序时进度", targets=judged)])
        light.append(c.counts.colour if c.counts.colour in ("green", "yellow", "red") else "none")
        table_rows[-1].append(COLOUR_CN[light[-1]])
    return [Heading(1, "各地区推进情况"),
            Paragraph([(f"{data.region.name}所辖各地区的方案及本地区单位牵头的量化指标情况见下表。地区颜色：红灯指标占已判断指标"
                       "三分之一及以上为红，红灯、黄灯合计占三分之一及以上为黄，其余为绿。")]),
            Table("各地区量化指标推进情况", ["地区", "指标数", "绿灯", "黄灯", "红灯", "平均完成率", "平均序时进度", "灯"],
                  table_rows, ["left"] + ["right"] * 6 + ["center"], [3, 1.5, 1.2, 1.2, 1.2, 2, 2, 1], light)]


def indicators(data: BulletinData, fig: Figures) -> list:
    lines = data.dashboard.targets
    if not lines:
        return []
    lagging = data.dashboard.lagging
    shown = lines if len(lines) <= FULL_TABLE else lagging[:LAGGING_TABLE]
    d_as_of = data.dashboard.as_of  # a value of an earlier month says which
    rows, light = [], []
    for i, t in enumerate(shown, 1):
        p = t.progress
        sub = data.submission_of.get(p.target_id)
        one = (p.target_id,)
        rows.append([str(i), p.indicator + (f"（{p.unit}）" if p.unit else ""),
                     "、".join(u.name for u in t.units) or (p.lead_unit or "—"),
                     fig(goal(p.comparator, p.value, p.value_max), f"{p.indicator}：目标值",
                         p.value, targets=one),
                     f"{p.deadline}年" if p.deadline else "—",
                     fig.pct(p.scheduled, f"{p.indicator}：序时进度", targets=one),
                     fig(number(p.last_value) + (f"（{int(p.last_period[5:])}月）" if p.last_period and p.last_period != d_as_of else ""),
                         f"{p.indicator}：实际值", p.last_value, targets=one,
                         reports=[(u.unit_id, p.last_period) for u in t.units[:1]] if p.last_period else [],
                         submissions=[sub] if sub else []),
                     fig.pct(p.completion, f"{p.indicator}：完成率", targets=one),
                     fig(points(p.gap), f"{p.indicator}：完成率与序时进度之差（百分点）",
                         None if p.gap is None else round(p.gap, 1), targets=one),
                     LIGHT_CN[t.light]])
        light.append(t.light)
    intro = (f"全部{len(lines)}项量化指标的完成情况见下表。" if shown is lines else
             f"量化指标共{len(lines)}项，表中列出其中黄灯、红灯指标{len(shown)}项，全部指标见附件。"
             if len(shown) == len(lagging) else
             f"量化指标共{len(lines)}项，其中黄灯、红灯指标{len(lagging)}项，表中列出落后最多的{len(shown)}项，"
             "全部指标见附件。")
    note = (f"实际值为截至{month_cn(d_as_of)}的最新报送值，括号内为早于该月的报送月份；"
            "差距为完成率减序时进度（百分点），负数为落后。")
    return [Heading(1, "量化指标完成情况"), Paragraph([intro + note]),
            Table("量化指标完成情况" if shown is lines else "黄灯、红灯指标完成情况",
                  ["序号", "指标", "牵头单位", "目标值", "完成时限", "序时进度", "实际值", "完成率", "差距", "灯"], rows,
                  ["center", "left", "left", "right", "center", "right", "right", "right", "right", "center"],
                  [0.8, 4, 3, 1.6, 1.4, 1.4, 1.8, 1.4, 1.3, 0.9], light)]
