"""The bulletin's words: `compose(data)` turns `BulletinData` into a `Document`. Every sentence is
built from the data (counts, shares, names, the units' own reasons); nothing is praised or
judged beyond what the figures say, and a section with nothing to report says so plainly.

The sections, as a 季通报 has them: 一、总体情况 (lights, completion against 序时进度, the change
since last quarter, a chart by area); 二、各领域推进情况 (the areas of the region's own plans) and,
for a region with plans below it, 各地区 by child; 三、量化指标完成情况 (the indicator table); 四、
各单位推进和报送情况 (both rankings, a chart of lights by unit); 五、滞后指标 (with reasons and next
steps); 六、月报报送情况 (late and missing); 七、下步工作要求 (who must do what, by name)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from luoshi.publish.bulletin import sections, sections_units
from luoshi.publish.bulletin.model import Chart, Document, Heading, Paragraph, Table
from luoshi.publish.bulletin.words import Figures, month_cn, ordinal_cn
from luoshi.track.bulletin_data import BulletinData

RECIPIENTS = {"province": "各市人民政府，省直有关部门：", "city": "各县（市、区）人民政府，市直有关部门：",
              "county": "各乡镇人民政府、街道办事处，县直有关部门："}


@dataclass(frozen=True)
class Masthead:
    """What the office decides, not the data: who issues it, to whom, copied to whom, the date."""

    issuer: str | None = None  # default: the region's 调度办
    recipients: str | None = None
    copy_to: str | None = None
    signed: date | None = None  # default: the day the quarter's reporting closed (or today)


def compose(data: BulletinData, head: Masthead | None = None) -> Document:
    head = head or Masthead()
    d, q = data.dashboard, data.quarter
    level = data.region.level or "city"
    issuer = head.issuer or f"{data.region.name}{subject(d)}调度办公室"
    fig = Figures()
    # The region's own plans first, then those below it, each in the order stored.
    plans = sorted({(t.progress.region != data.region.name, t.progress.plan_id, t.progress.plan_title or "")
                    for t in d.targets})
    names = ("、".join(f"《{title}》" for *_, title in plans) if len(plans) <= 2 else
             f"{data.region.name}及所辖地区{len(plans)}个行动方案")
    blocks = [Paragraph([(f"为推动{names or '各行动方案'}落地落实，{issuer}对{q.label}（截至{month_cn(q.end)}）"
                         f"各项量化指标推进情况和各责任单位月报报送情况进行了调度。现将有关情况通报如下。")])]
    for part in (sections.overview, sections.areas, sections.children, sections.indicators, sections_units.units,
                 sections_units.lagging, sections_units.reporting, sections_units.requirements):
        blocks += part(data, fig)
    _number_headings(blocks)
    return Document(
        issuer=issuer, issue=f"{q.year}年第{q.number}期",
        title=f"关于{q.label}{data.region.name}{subject(d)}推进情况的通报",
        recipients=head.recipients or RECIPIENTS.get(level, RECIPIENTS["city"]), signed=head.signed or data.judged_on,
        blocks=blocks, region=data.region.name, period=q.key, as_of=q.end,
        copy_to=head.copy_to or copy_to(data.region.name, level),
        annex=f"附件：{q.label}量化指标完成情况明细表（另附电子表格）")


def copy_to(region: str, level: str) -> str:
    """抄送: the Party committee's and the government's general offices of the region."""
    office = "办公厅" if level == "province" else "办公室"
    party = region + ("县" if region.endswith("县") else "")  # 中共莘县县委, 中共聊城市委
    return f"中共{party}委{office}，{region}人民政府{office}。"


_WRAP = re.compile(r"^(?:关于印发)?(.*?)(?:的通知)?$")
_PERIOD = re.compile(r"[（(][^（）()]*\d{4}[^（）()]*[）)]$")


def subject(d) -> str:
    """What the bulletin is about: the one plan's subject (新型基础设施建设三年行动), else 行动方案."""
    titles = {t.progress.plan_title or "" for t in d.targets}
    if len(titles) != 1:
        return "行动方案"
    title = _PERIOD.sub("", _WRAP.match(next(iter(titles))).group(1)).strip()
    region = d.region.name
    for prefix in (region, region.rstrip("省市县区"), "全省", "全市", "全县"):
        if prefix and title.startswith(prefix):
            title = title[len(prefix):]
            break
    title = re.sub(r"(?:实施)?方案$", "", title)
    return title or "行动方案"


def _number_headings(blocks) -> None:
    """Numbers the level-1 headings (一、二、…), the tables (表1) and the charts (图1) in order: a
    section left out leaves no gap."""
    n = {"h": 0, "t": 0, "c": 0}
    for b in blocks:
        if isinstance(b, Heading) and b.level == 1:
            n["h"] += 1
            b.text = f"{ordinal_cn(n['h'])}、{b.text}"
        elif isinstance(b, Table):
            n["t"] += 1
            b.caption = f"表{n['t']}　{b.caption}"
        elif isinstance(b, Chart):
            n["c"] += 1
            b.key, b.caption = f"C{n['c']}", f"图{n['c']}　{b.caption}"
