"""Checking one [[indicator]] entry of a catalog file. Every problem names the entry (its number
and key) and the field, in Chinese, because the person who fixes the file is an office's editor."""
from __future__ import annotations

from luoshi.track.catalog import (
    DIRECTIONS,
    FIELDS,
    KEY_PATTERN,
    NATURES,
    REQUIRED,
    CatalogError,
    Indicator,
)
from luoshi.track.normalize import norm_name

_MULTIPLIER_PREFIX = ("万", "亿", "千万", "百万")
_NATURE_WORDS = "cumulative（累计）、annual（年度或期内）或 ratio（比率）"


def check_entry(entry, i: int, source: str) -> Indicator:
    """One validated Indicator, or a CatalogError naming the entry and field."""
    if not isinstance(entry, dict):
        raise CatalogError(f"指标目录 {source} 第 {i} 个条目不是 [[indicator]] 表")
    key = entry.get("key")
    label = f"第 {i} 个条目（key = {key}）" if isinstance(key, str) else f"第 {i} 个条目"

    def fail(fld: str, problem: str):
        raise CatalogError(f"指标目录 {source} {label}的字段 {fld}：{problem}")

    for fld in sorted(set(entry) - FIELDS):
        fail(fld, f"未知字段（可用字段：{'、'.join(sorted(FIELDS))}）")
    for fld in REQUIRED:
        if fld not in entry:
            fail(fld, "缺少必填字段")
    for fld in ("key", "name", "unit", "direction", "nature"):
        if not isinstance(entry[fld], str):
            fail(fld, "应为文本（用引号括起）")
    if not KEY_PATTERN.match(key):
        fail("key", f"“{key}”不合规：只能用小写英文字母、数字、下划线和连字符，且不超过 64 个字符")
    if not norm_name(entry["name"]):
        fail("name", "不能为空")
    unit = entry["unit"].strip()
    if unit.startswith(_MULTIPLIER_PREFIX) and unit not in ("万千瓦",):
        fail("unit", f"“{unit}”带有万/亿：目标的数值已折算为基本单位，这里应写基本单位（如 个、元）")
    if entry["direction"] not in DIRECTIONS:
        fail("direction", f"“{entry['direction']}”无效：只能是 up（越大越好）或 down（越小越好）")
    if entry["nature"] not in NATURES:
        fail("nature", f"“{entry['nature']}”无效：只能是 {_NATURE_WORDS}")
    aliases = _str_list(entry.get("aliases", []), "aliases", fail)
    units = _str_list(entry.get("units", []), "units", fail)
    for u in units:
        if u.strip().startswith(_MULTIPLIER_PREFIX):
            fail("units", f"“{u}”带有万/亿：只能写同一单位的其他量词")
    rng = entry["range"]
    if (not isinstance(rng, list) or len(rng) != 2
            or not all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in rng)):
        fail("range", "应为两个数 [最小值, 最大值]，如 [0, 100]")
    if rng[0] > rng[1]:
        fail("range", f"最小值 {rng[0]} 大于最大值 {rng[1]}")
    standard = entry.get("standard", False)
    if not isinstance(standard, bool):
        fail("standard", "应为 true 或 false")
    return Indicator(key=key, name=entry["name"].strip(), unit=unit, direction=entry["direction"],
                     nature=entry["nature"], range=(float(rng[0]), float(rng[1])),
                     aliases=tuple(a.strip() for a in aliases), units=tuple(u.strip() for u in units),
                     standard=standard)


def _str_list(value, fld: str, fail) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(x, str) for x in value):
        fail(fld, "应为文本的列表，如 [\"5G基站总数\", \"5G基站数\"]")
    for x in value:
        if not norm_name(x):
            fail(fld, "含有空的名称")
    return value
