"""Numbers as plans write them: Arabic and Chinese numerals, 万/亿 scaling, percentages, ranges.

All matching runs on the folded text (see luoshi.read.clean.fold): ASCII digits and brackets,
same length as the text it stands for, so match offsets are text offsets.

cn2an is the usual library for Chinese numerals, but importing it costs ~150 ms (more than the
whole `luoshi extract` budget) and it rejects forms plans use (`十一点二万`), so the few rules
needed live here.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
CN_SMALL = {"十": 10, "百": 100, "千": 1000}
CN_CHARS = "零〇一二两三四五六七八九十百千万亿点"

# Measure words and units a target is counted in, longest first so 个工作日 wins over 个.
UNITS = (
    "个工作日 个百分点 个月 家次 人次 户次 台套 吨标准煤 平方公里 平方米 立方米 万千瓦 千瓦时 千瓦 兆瓦 公里 千米 公顷 标准机架 "
    "EFLOPS PFLOPS TFLOPS Gbps Mbps Tbps PB TB EB GB MW GW kW "
    "个 座 家 架 项 名 人 户 台 所 条 处 张 次 套 辆 亩 米 吨 件 款 种 场 栋 间 根 艘 部 篇 支 宗 笔 只 路 期 单 "
    "元 % ‰ 倍 分钟 小时 天 周"
).split()
# 万元/亿元 etc.: a multiplier stands between the number and the unit.
MULTIPLIERS = {"万亿": 1e12, "千亿": 1e11, "百亿": 1e10, "亿": 1e8, "千万": 1e7, "百万": 1e6, "万": 1e4}

_UNIT_RE = "|".join(re.escape(u) for u in sorted(UNITS, key=len, reverse=True))
_MULT_RE = "|".join(sorted(MULTIPLIERS, key=len, reverse=True))
_AR = r"\d{1,3}(?:,\d{3})+(?![\d,])(?:\.\d+)?|\d+(?:\.\d+)?"  # 10,000: thousands grouped
_CN = r"[一二两三四五六七八九十][零〇一二两三四五六七八九十百千万亿点]*"  # 零部件 is no number
_DASH = r"\s*(?:-|—{1,2}|–|~|～|至|到)\s*"

# One quantity: number [range] [multiplier] unit, or 百分之X. Named groups carry the pieces.
QUANTITY = re.compile(
    rf"(?P<pct>百分之(?P<pctnum>{_CN}|{_AR}))"
    rf"|(?P<num>{_AR}|{_CN})\s*(?P<numunit>%)?(?:{_DASH}(?P<num2>{_AR}|{_CN}))?"
    rf"\s*(?P<mult>{_MULT_RE})?\s*(?P<unit>{_UNIT_RE})?"
)


def cn_to_number(s: str) -> float | None:
    """`十一点二万` → 112000, `两` → 2, `一百五十` → 150, `二〇二五` → 2025; None if not a numeral."""
    if not s:
        return None
    mult = 1.0
    for m, f in (("万亿", 1e12), ("亿", 1e8), ("万", 1e4)):
        if s.endswith(m) and len(s) > len(m) and "点" in s:
            s, mult = s[: -len(m)], f
            break
    if "点" in s:
        whole, _, frac = s.partition("点")
        if not frac or any(c not in CN_DIGITS for c in frac):
            return None
        w = _cn_int(whole) if whole else 0
        if w is None:
            return None
        return (w + float("0." + "".join(str(CN_DIGITS[c]) for c in frac))) * mult
    v = _cn_int(s)
    return None if v is None else v * mult


def _cn_int(s: str) -> int | None:
    if all(c in CN_DIGITS for c in s):
        if len(s) == 1:
            return CN_DIGITS[s]
        return int("".join(str(CN_DIGITS[c]) for c in s))  # digit by digit: 二〇二五
    total, section, num = 0, 0, None
    last_small = 10**9
    for c in s:
        if c in CN_DIGITS:
            if num is not None and num != 0 and CN_DIGITS[c] != 0:
                return None  # two digits in a row inside a counted numeral: 十四五
            num = CN_DIGITS[c]
        elif c in CN_SMALL:
            f = CN_SMALL[c]
            if f >= last_small and section:
                return None
            section += (1 if num is None else num) * f
            num, last_small = None, f
        elif c == "万":
            section += num or 0
            total += section * 10_000
            section, num, last_small = 0, None, 10**9
        elif c == "亿":
            section += num or 0
            total = (total + section) * 100_000_000
            section, num, last_small = 0, None, 10**9
        else:
            return None
    return total + section + (num or 0)


def to_number(s: str) -> float | None:
    s = s.strip()
    if not s:
        return None
    if s[0].isdigit():
        try:
            return float(s.replace(",", ""))
        except ValueError:
            return None
    return cn_to_number(s)


@dataclass
class Quantity:
    start: int  # of the whole match in the text
    end: int
    value: float
    value_max: float | None
    unit: str
    chinese: bool  # written in Chinese numerals
    num_text: str


def parse_quantity(m: re.Match) -> Quantity | None:
    """A QUANTITY match → a value in base units, or None where it is no quantity."""
    if m.group("pct"):
        v = to_number(m.group("pctnum"))
        if v is None:
            return None
        return Quantity(m.start(), m.end(), v, None, "%", not m.group("pctnum")[0].isdigit(), m.group("pctnum"))
    num = m.group("num")
    v = to_number(num)
    if v is None:
        return None
    unit = m.group("numunit") or m.group("unit") or ""
    mult = MULTIPLIERS.get(m.group("mult") or "", 1.0)
    if m.group("unit") == "万千瓦":
        mult, unit = mult * 1e4, "千瓦"
    v2 = to_number(m.group("num2")) if m.group("num2") else None
    if m.group("num2") and v2 is None:
        return None
    if m.group("numunit") and m.group("unit") and m.group("unit") != "%":
        unit = "%"
    end = m.end()
    # Trailing spaces the optional groups swallowed are not part of the quantity.
    text = m.group(0)
    end -= len(text) - len(text.rstrip())
    return Quantity(m.start(), end, v * mult, (v2 * mult) if v2 is not None else None, unit,
                    not num[0].isdigit(), num)
