"""Invented county plans for the demo's county map: one short 三年行动方案 for each of the eight
counties and districts of 聊城市, a real city, so the dashboard's county outlines (the bundled
map package) have plans, units and reports to colour. The text is luoshi's own template; only the
names of the divisions are real. Each text says in its first line that it is invented, and its
title carries （示例）.

The same targets stand in 总体目标 and again in the task that carries them, worded alike, so that
progress judges the 总体目标 line on the task's reports (target_goals.py: twins)."""
from __future__ import annotations

import random
from dataclasses import dataclass


@dataclass(frozen=True)
class County:
    name: str  # 阳谷县
    code: str  # 371521
    scope: str  # 县 / 区 / 市: how its own departments and the text name it (县工业和信息化局, 全县)
    short: str  # the 文号's prefix: 阳政发
    towns: str  # whom the notice goes to

    @property
    def slug(self) -> str:
        return SLUGS[self.name]


_TOWNS_COUNTY = "各乡镇人民政府、街道办事处"
COUNTIES = [
    County("东昌府区", "371502", "区", "东昌政发", "各街道办事处、乡镇人民政府"),
    County("茌平区", "371503", "区", "茌政发", "各街道办事处、乡镇人民政府"),
    County("阳谷县", "371521", "县", "阳政发", _TOWNS_COUNTY),
    County("莘县", "371522", "县", "莘政发", _TOWNS_COUNTY),
    County("东阿县", "371524", "县", "东阿政发", _TOWNS_COUNTY),
    County("冠县", "371525", "县", "冠政发", _TOWNS_COUNTY),
    County("高唐县", "371526", "县", "高政发", _TOWNS_COUNTY),
    County("临清市", "371581", "市", "临政发", "各镇人民政府、街道办事处"),
]
SLUGS = {"东昌府区": "dcf", "茌平区": "cp", "阳谷县": "yg", "莘县": "sx", "东阿县": "de", "冠县": "gx",
         "高唐县": "gt", "临清市": "lq"}
NOTE = "本文为落实系统演示用虚构文本，所列单位职责和数字均为虚构，不代表任何地方的实际情况。"

TEMPLATE = """{note}

{county}人民政府文件

{short}〔2024〕{number}号

{county}人民政府关于印发{title}的通知

{towns}，{s}政府各部门、各直属机构：

现将《{title}》印发给你们，请结合实际，认真组织实施。

{county}人民政府

2024年3月{day}日

{title}

为贯彻落实全市数字基础设施建设部署，适度超前建设新型基础设施，夯实全{s}数字经济发展底座，结合我{s}实际，制定本方案。

一、总体目标

到2026年，全{s}5G基站总数达到{g5}个，千兆宽带用户达到{gig}万户，数据中心标准机架达到{racks}架，\
数据中心平均PUE值降至{pue}以下，上云企业达到{cloud}家，物联网感知终端达到{iot}万个。

二、重点任务

（一）加快5G和千兆光网建设。推进5G网络向乡镇、行政村和产业园区延伸，实施千兆光网入户工程，推动铁塔、管道、\
机房等资源共建共享。到2026年，全{s}5G基站总数达到{g5}个，千兆宽带用户达到{gig}万户。\
〔责任单位：{s}工业和信息化局、{s}住房和城乡建设局，{towns_short}〕

（二）推动算力设施绿色集约发展。依托{park}建设{s}级数据中心，推进存量机房整合改造和节能降耗。到2026年，\
全{s}数据中心标准机架达到{racks}架，数据中心平均PUE值降至{pue}以下。〔责任单位：{s}发展和改革局、{s}工业和信息化局〕

（三）深化数字技术融合应用。实施企业“上云用数赋智”行动，部署城市感知和数字乡村设施，推动感知数据共享复用。\
到2026年，全{s}上云企业达到{cloud}家，物联网感知终端达到{iot}万个。〔责任单位：{s}大数据中心、{s}农业农村局、{s}科学技术局〕

三、保障措施

建立{s}数字基础设施建设工作专班，实行“月调度、季通报”，各责任单位每月10日前报送上月进展情况。{s}财政统筹安排\
专项资金，对列入年度计划的重点项目用地、用能优先保障。

{county}人民政府办公室2024年3月{day2}日印发
"""


def title_of(c: County) -> str:
    return f"{c.name}数字基础设施建设三年行动方案（示例）（2024—2026年）"


def county_numbers(c: County, rnd: random.Random) -> dict:
    """The county's own targets, varied by the seed (drawn in a fixed order)."""
    return {"g5": rnd.randrange(900, 2600, 10), "gig": round(rnd.uniform(2.0, 6.0), 1),
            "racks": rnd.randrange(400, 1500, 50), "pue": rnd.choice(("1.3", "1.25")),
            "cloud": rnd.randrange(300, 1200, 10), "iot": round(rnd.uniform(0.8, 3.0), 1),
            "number": rnd.randrange(3, 30), "day": rnd.randrange(11, 25)}


def county_text(c: County, rnd: random.Random) -> str:
    n = county_numbers(c, rnd)
    return TEMPLATE.format(note=NOTE, county=c.name, short=c.short, title=title_of(c), towns=c.towns, s=c.scope,
                           towns_short="各镇（街道）" if c.scope != "县" else "各乡镇人民政府（街道办事处）",
                           park=f"{c.name}经济开发区" if c.scope != "区" else f"{c.name}数字经济产业园",
                           day2=n["day"] + 2, **n)


def county_texts(seed: int) -> list[tuple[County, str]]:
    """Every county's text, in COUNTIES order, from one seeded generator."""
    rnd = random.Random(f"luoshi-demo-counties-{seed}")
    return [(c, county_text(c, rnd)) for c in COUNTIES]
