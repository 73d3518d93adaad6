"""Indicator names and units brought to one spelling before they are compared.

`norm_name` is for matching only: NFKC, traditional → simplified, no spaces or quotes, every
bracket as ( ), lower-case Latin letters, and a trailing unit in brackets (`5G基站(个)`) dropped.
`core` goes further for fuzzy matching (filler words such as 各类/累计/总数 dropped);
`markers` are the words that change what a name counts (新建, 存量, 县城, 公共, 占比 …): two
names that differ in them are never a confident match.
"""
from __future__ import annotations

import re
import unicodedata

_BRACKETS = str.maketrans({"（": "(", "）": ")", "〔": "(", "〕": ")", "[": "(", "]": ")", "【": "(", "】": ")",
                           "［": "(", "］": ")", "〖": "(", "〗": ")", "﹝": "(", "﹞": ")", "{": "(", "}": ")"})
_DROP = re.compile(r"[\s\"'“”‘’「」『』《》〈〉·•]+")
_UNIT_WORDS = ("个工作日|个百分点|人次|家次|户次|台套|平方公里|平方米|千瓦时|千瓦|兆瓦|公里|千米|标准机架|"
               "个|家|座|架|户|元|项|名|人|所|处|条|台|张|次|套|辆|亩|件|款|路|期|天|小时|分钟|%|‰|倍|[a-z]+")
_TRAILING_UNIT = re.compile(rf"\((?:万亿|亿|千万|百万|万|千|百)?(?:{_UNIT_WORDS})?\)$")

# Words that add nothing to what is counted; dropped before fuzzy scoring.
_FILLER = re.compile(r"^(?:全市|全省|全区|全县|全州|区内|市内|各类|累计建成|累计|建成|达到)"
                     r"|(?:总数|数量|总量|个数|总规模|保有量)$|相关")
# Words that change what is counted. Longest first; a name's markers are the set it contains.
_MARKER_WORDS = (
    "新建 新增 新开通 扩建 年度 年均 增长 增速 提高 提升 下降 减少 存量 既有 改造 在用 "
    "县城 县域 县级 乡镇 农村 行政村 自然村 村级 城市 城区 主城区 市级 省级 国家级 自治区级 全国 涉农 社区 "
    "公共 每万人 人均 占比 比重 比例 普及率 覆盖率 通达率 上云率 满意率 "
    "平均 核心 中小 规模以上 规上 重点 示范 标杆 试点 智能 大型 快充 家庭 个人 "
    "增加值 营业收入 产值 收入 零售额 投资 资金 "
    "5g 千兆 10g-pon ipv6 物联网 人工智能 工业互联网 数据中心 充电 加氢 软件 电子信息"
)
MARKERS = tuple(sorted(_MARKER_WORDS.split(), key=len, reverse=True))

_trad: dict | None = None


def _traditional() -> dict:
    global _trad
    if _trad is None:
        from luoshi.read.clean import _traditional_table

        _trad = _traditional_table()
    return _trad


def norm_text(s: str) -> str:
    """NFKC, traditional → simplified, brackets as ( ), no spaces or quotes, lower-case Latin."""
    s = unicodedata.normalize("NFKC", s or "").translate(_BRACKETS)
    s = s.translate(_traditional())
    return _DROP.sub("", s).lower()


def norm_name(s: str) -> str:
    """A name as it is looked up in the catalog: `5G 基站（个）` → `5g基站`."""
    s = norm_text(s)
    while True:
        cut = _TRAILING_UNIT.sub("", s)
        if cut == s or not cut:
            return s
        s = cut


def norm_unit(s: str | None) -> str:
    """A unit as it is compared: `個` → `个`, `％` → `%`, None → ``."""
    return norm_text(s or "")


def core(name: str) -> str:
    """A normalised name without filler words, for fuzzy scoring."""
    prev = None
    while prev != name:
        prev, name = name, _FILLER.sub("", name)
    return name or prev


def markers(name: str) -> frozenset[str]:
    """The scope and quantity words of a normalised name (a longer marker hides the shorter
    ones inside it: 主城区 is not also 城区)."""
    found = []
    rest = name
    for m in MARKERS:
        if m in rest:
            found.append(m)
            rest = rest.replace(m, "\0")
    return frozenset(found)
