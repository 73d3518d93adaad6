"""The later sections of the bulletin: the units' rankings, the lagging targets with the units' own
reasons and next steps, late and missing reports, and the requirements that follow from them."""
from __future__ import annotations

from collections import defaultdict

from luoshi.publish.bulletin.model import Chart, Heading, Paragraph, Table
from luoshi.publish.bulletin.words import Figures, goal, month_cn, number, percent, points
from luoshi.track.bulletin_data import BulletinData

LAGGING_SHOWN = 30  # lagging targets written out in the body; every one is in the annex
UNITS_CHARTED = 30


def _rank(n: int | None) -> str:
    return str(n) if n is not None else "—"


def units(data: BulletinData, fig: Figures) -> list:
    rows = data.units
    if not rows:
        return []
    months = data.quarter.months
    light_of = {t.progress.target_id: t.light for t in data.dashboard.targets}
    progress_rows, light = [], []
    for s in rows:
        progress_rows.append([
            _rank(s.progress_rank), s.name,
            fig.count_of(len(s.targets), f"{s.name}：牵头指标数", targets=s.targets),
            *(fig.count_of(getattr(s.counts, k), f"{s.name}：{cn}指标数",
                           targets=[i for i in s.targets if light_of[i] == k]) for k, cn in
              (("green", "绿灯"), ("yellow", "黄灯"), ("red", "红灯"))),
            fig.pct(s.completion, f"{s.name}：平均完成率", targets=s.judged),
            fig.pct(s.scheduled, f"{s.name}：平均序时进度", targets=s.judged),
            fig(points(s.gap), f"{s.name}：平均完成率与序时进度之差（百分点）",
                None if s.gap is None else round(s.gap, 1), targets=s.judged)])
        light.append("red" if s.counts.red else "yellow" if s.counts.yellow else "green" if s.counts.green else "none")
    last = len(rows) + 1
    reporting = sorted(rows, key=lambda s: (s.reporting_rank or last, s.name))
    reporting_rows = []
    for s in reporting:
        owed = [(s.unit_id, m) for m in months]
        reporting_rows.append([
            _rank(s.reporting_rank), s.name, fig.count_of(s.due, f"{s.name}：本季度应报月报数", reports=owed),
            fig.count_of(s.on_time, f"{s.name}：按时报送数", reports=owed),
            fig.count_of(s.late, f"{s.name}：逾期报送数", reports=owed),
            fig.count_of(s.missing, f"{s.name}：超期未报数", reports=owed),
            fig(percent(s.rate), f"{s.name}：按时报送率", None if s.rate is None else round(s.rate, 1), reports=owed)])
    blocks = [Heading(1, "各单位推进和报送情况"),
              Paragraph([("按各单位牵头指标的平均完成率与平均序时进度之差排名（完成率超过100%的按100%计），"
                         "尚无可判断指标的单位不参与排名。")]),
              Table("各单位推进情况排名", ["排名", "单位", "指标数", "绿灯", "黄灯", "红灯", "平均完成率", "平均序时进度", "差距"],
                    progress_rows, ["center", "left"] + ["right"] * 7, [0.9, 4.2, 1.1, 1, 1, 1, 1.7, 1.7, 1.3], light),
              Paragraph([(f"按{data.quarter.label}（{month_cn(months[0])}至{month_cn(months[-1])}）月报按时报送率排名，"
                         "按时率相同的超期未报、逾期少者在前。")]),
              Table("各单位月报报送情况排名", ["排名", "单位", "应报", "按时", "逾期", "超期未报", "按时率"], reporting_rows,
                    ["center", "left"] + ["right"] * 5, [0.9, 5, 1.2, 1.2, 1.2, 1.6, 1.6])]
    charted = sorted(rows, key=lambda s: (-s.counts.red, -s.counts.yellow, s.name))[:UNITS_CHARTED]
    if len(charted) >= 2:
        title = "各单位牵头指标红黄绿灯情况" + (f"（红灯、黄灯最多的{len(charted)}个单位）" if len(rows) > len(charted) else "")
        blocks.append(Chart("C", title, "lights", [s.name for s in charted],
                            {k: [getattr(s.counts, k) for s in charted] for k in ("green", "yellow", "red", "none")}))
    return blocks


def lagging(data: BulletinData, fig: Figures) -> list:
    rows = data.dashboard.lagging
    if not rows:
        return [Heading(1, "滞后指标"), Paragraph(["本季度末没有黄灯、红灯指标。"])]
    red = sum(1 for t in rows if t.light == "red")
    blocks = [Heading(1, "滞后指标"),
              Paragraph(["截至", month_cn(data.dashboard.as_of), "底，红灯指标", fig.count_of(red, "红灯指标数（滞后）",
                         targets=[t.progress.target_id for t in rows if t.light == "red"]), "项、黄灯指标",
                         fig.count_of(len(rows) - red, "黄灯指标数（滞后）",
                                      targets=[t.progress.target_id for t in rows if t.light == "yellow"]),
                         "项" + ("，按落后程度列出如下（滞后原因和下步措施为牵头单位在月报中所填）。" if len(rows) <= LAGGING_SHOWN else
                                f"，以下列出落后最多的{LAGGING_SHOWN}项（滞后原因和下步措施为牵头单位在月报中所填），其余见附件。")])]
    for i, t in enumerate(rows[:LAGGING_SHOWN], 1):
        p, one = t.progress, (t.progress.target_id,)
        sub = data.submission_of.get(p.target_id)
        lead = "、".join(u.name for u in t.units) or p.lead_unit or "未明确牵头单位"
        runs = [f"目标{p.deadline}年" if p.deadline else "目标", fig(goal(p.comparator, p.value, p.value_max, p.unit), f"{p.indicator}：目标值",
                                                                    p.value, targets=one)]
        if p.last_value is not None:
            runs += [f"，截至{month_cn(p.last_period)}为", fig(f"{number(p.last_value)}{p.unit}", f"{p.indicator}：实际值",
                                                            p.last_value, targets=one, submissions=[sub] if sub else [],
                                                            reports=[(u.unit_id, p.last_period) for u in t.units[:1]])]
        if p.completion is not None and p.gap is not None:
            runs += ["，完成率", fig.pct(p.completion, f"{p.indicator}：完成率", targets=one), "，落后序时进度",
                     fig(f"{abs(p.gap):.1f}", f"{p.indicator}：落后序时进度（百分点）", round(p.gap, 1), targets=one), "个百分点"]
        else:
            runs.append(f"，{p.status}" if p.status else "")
        runs.append(f"（{'红灯' if t.light == 'red' else '黄灯'}）。")
        r = t.reason
        runs.append(f"滞后原因：{r.delay_reason.rstrip('。')}。" if r and r.delay_reason else "牵头单位未说明滞后原因。")
        runs.append(f"下步措施：{r.next_steps.rstrip('。')}。" if r and r.next_steps else "牵头单位未提出下步措施。")
        blocks.append(Heading(3, f"{i}.{p.indicator}（{lead}）。", runs))
    return blocks


def reporting(data: BulletinData, fig: Figures) -> list:
    d, units_ = data.dashboard, data.units
    due = sum(s.due for s in units_)
    if not due:
        return []
    on_time, late, missing = (sum(getattr(s, k) for s in units_) for k in ("on_time", "late", "missing"))
    owed = [(s.unit_id, m) for s in units_ for m in data.quarter.months]
    runs = [f"{data.quarter.label}各单位应报月报", fig.count_of(due, "本季度应报月报数", reports=owed), "份，按时报送",
            fig.count_of(on_time, "本季度按时报送数", reports=owed), "份，逾期报送",
            fig.count_of(late, "本季度逾期报送数", reports=[(r.unit_id, r.period) for r in d.late]), "份，超期未报",
            fig.count_of(missing, "本季度超期未报数", reports=[(r.unit_id, r.period) for r in d.missing]), "份，按时报送率",
            fig(percent(on_time / due * 100), "本季度按时报送率", round(on_time / due * 100, 1), reports=owed), "。"]
    blocks = [Heading(1, "月报报送情况"), Paragraph(runs)]
    for title, rows, word in (("逾期报送", d.late, "逾期"), ("超期未报", d.missing, "已超期")):
        if not rows:
            continue
        by_unit: dict[str, list] = defaultdict(list)
        for r in rows:
            by_unit[r.unit].append(r)
        parts: list = []
        for unit, reports in by_unit.items():
            parts += ["；" if parts else "", unit]
            for j, r in enumerate(sorted(reports, key=lambda r: r.period)):
                parts += ["、" if j else "", f"{int(r.period[5:])}月月报{word}",
                          fig(str(r.days or 0), f"{unit}{month_cn(r.period)}月报{word}天数", r.days or 0,
                              reports=[(r.unit_id, r.period)]), "天"]
        n = len(blocks) - 1
        blocks.append(Heading(2, f"（{'一二'[n - 1]}）{title}。", parts + ["。"]))
    return blocks


def requirements(data: BulletinData, fig: Figures) -> list:
    """Who must do what next, by name, from the figures (nothing when nothing lags)."""
    red_units = sorted({u.name for t in data.dashboard.lagging if t.light == "red" for u in t.units})
    silent = sorted({u.name for t in data.dashboard.lagging for u in t.units
                     if not (t.reason and t.reason.delay_reason)})
    missing = sorted({r.unit for r in data.dashboard.missing})
    items = []
    if red_units:
        items.append(f"红灯指标的牵头单位（{'、'.join(red_units)}）要对照序时进度逐项查找原因，明确完成时限和措施。")
    if silent:
        items.append(f"{'、'.join(silent)}在月报中未说明部分滞后指标的原因，下月月报须逐项写明滞后原因和下步措施。")
    if missing:
        items.append(f"{'、'.join(missing)}有超期未报的月报，须尽快补报，并说明未按时报送的原因。")
    if not items:
        return []
    numbers = "一二三四"
    return [Heading(1, "下步工作要求"), *(Heading(2, f"（{numbers[i]}）", [text]) for i, text in enumerate(items))]
