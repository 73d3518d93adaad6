"""Quantified targets in running text: a number the plan commits to, with what it measures,
its comparator, deadline year and kind (a goal to reach or a standard facilities must meet)."""
from __future__ import annotations

import re
from dataclasses import dataclass

from luoshi.extract.names import after_last_verb, ends_with_object_verb, object_after, standard_object, strip_name
from luoshi.extract.numbers import QUANTITY, Quantity, parse_quantity
from luoshi.extract.years import YearMark, year_marks

_SENTENCE_END = re.compile(r"[。!?！？\n]")
_CLAUSE_DELIM = ",;:"
_BEFORE = sorted(
    [("不低于", ">="), ("不少于", ">="), ("不小于", ">="), ("至少", ">="), ("≥", ">="), (">=", ">="),
     ("不高于", "<="), ("不超过", "<="), ("不多于", "<="), ("不大于", "<="), ("≤", "<="), ("<=", "<="),
     ("控制在", "<="), ("超过", ">"), ("高于", ">"), ("多于", ">"), ("突破", ">"), ("大于", ">"), (">", ">"),
     ("低于", "<"), ("少于", "<"), ("小于", "<"), ("<", "<"), ("大约", "~"), ("约", "~"), ("近", "~"),
     ("超", ">")],
    key=lambda p: -len(p[0]),
)
_AFTER = re.compile(r"\s*(以上|以下|以内|左右|之内)")
_AFTER_CMP = {"以上": ">=", "以下": "<=", "以内": "<=", "之内": "<=", "左右": "~"}
# Words that may stand between a comparator and its number (至少建成1座, 控制在 2 公里).
_BRIDGE = re.compile(r"^(?:\s|建成|达到|达|为|到|在|新建|建设|完成|实现|培育|打造|开展|安排|引进|拥有)*$")
_ADJACENT_ONLY = {"约", "近", "大约", "超"}
_UNITLESS_NAME = re.compile(r"PUE|指数$|系数$|值$", re.I)
_STANDARD_CUE = re.compile(r"PUE|上架率|单桩|配建|原则上|方可|每座")
_SHARE = re.compile(r"比例|比重|占比")
_RECURRING = re.compile(r"每年|每季度|每月|每半年")  # 年均增长 keeps its deadline: the rate up to then
# Policy rules, not commitments: 给予…补助, 最高补助500万元, 按投资额的10%给予奖励.
_SUBSIDY = re.compile(r"补助|补贴|奖励|奖补|资助|贴息|给予")
# The plan describing itself: 聚焦4个方面, 梳理形成18项重点任务, 提出20条措施, （共18项）.
_FUND = re.compile(r"(?:资金|基金|经费|预算)$")  # 安排奖补资金2000万元 is a commitment
_CAP = re.compile(r"最高[^,;]{0,4}$")
_SELF = re.compile(r"^(?:方面|重点任务|任务|措施|条措施|项措施|部分|章|个方面|大行动|项行动|项工程|重点工作|项)$")
_BASELINE_BEFORE = re.compile(r"(?:从|由)\s*(?P<y>(?:19|20)\d{2})\s*年(?:底|末)?的?\s*$")
_BASELINE_AFTER = re.compile(r"^\s*(?:提高到|提升到|提高至|提升至|增长到|增加到|增至|上升到|下降到|降低到|降至|减少到)")
_ONE_OK_UNITS = {"个", "家", "座", "所"}


@dataclass
class Found:
    q: Quantity
    indicator: str
    comparator: str
    year: int | None
    kind: str
    sentence: tuple[int, int]
    baseline: tuple[int, float] | None = None


def sentences(text: str, start: int = 0, end: int | None = None):
    end = len(text) if end is None else end
    s = start
    for m in _SENTENCE_END.finditer(text, start, end):
        if m.start() > s:
            yield s, m.start() + (0 if m.group() == "\n" else 1)
        s = m.end()
    if s < end:
        yield s, end


def scan_sentence(view: str, folded: str, s: int, e: int, skip, default_year=None, first_year=None) -> list[Found]:
    """Targets in view[s:e] (one sentence). `skip(pos)` is true inside clauses, titles, quotes;
    a year before `first_year` (the plan's first) describes the past, not a commitment."""
    out: list[Found] = []
    marks = fenbie = None  # computed on the first plausible quantity: most sentences have none
    prev_end = s
    prev: Found | None = None
    pending_baseline = None
    fenbie_i, fenbie_list = 0, -1
    for m in QUANTITY.finditer(folded, s, e):
        if not (m.group("unit") or m.group("pct") or m.group("numunit") or m.group("num")[0].isdigit()):
            continue  # 进一步, 统一: a Chinese numeral with no unit is never a quantity
        q = parse_quantity(m)
        if q is None or skip(q.start) or not _plausible(folded, q, s, e):
            continue
        if marks is None:
            marks = year_marks(folded, s, e)
            fenbie = _fenbie_years(folded, s, e, marks)
        clause_start = _clause_start(folded, s, q.start)
        pre_full = folded[clause_start:q.start]
        name_from = max(clause_start, prev_end)
        pre_raw = folded[name_from:q.start]
        cut = name_from + after_last_verb(pre_raw)
        pre_name = strip_name(view[cut:q.start], folded[cut:q.start])
        if not q.unit and not _UNITLESS_NAME.search(pre_name):
            continue
        after = folded[q.end:e]
        if _BASELINE_BEFORE.search(folded[max(s, q.start - 12):q.start]) and _BASELINE_AFTER.match(after):
            y = int(_BASELINE_BEFORE.search(folded[max(s, q.start - 12):q.start]).group("y"))
            pending_baseline = (y, q.value, pre_name)
            prev_end = q.end
            continue
        mark = _governing(marks, q.start)
        if mark and (mark.present or first_year and mark.year < first_year) or "已" in pre_full:
            prev_end = q.end
            continue  # describes the present, not a commitment
        year = mark.year if mark else default_year
        if fenbie and q.start > fenbie[0][0]:
            k = sum(1 for x in fenbie[0] if x < q.start) - 1
            if k != fenbie_list:
                fenbie_list, fenbie_i = k, 0
            if fenbie_i < len(fenbie[1]):
                year = fenbie[1][fenbie_i]
                fenbie_i += 1
        if _RECURRING.search(pre_full):
            year = None
        # What follows the number: 以上/左右…, then maybe the object it counts.
        am = _AFTER.match(after)
        obj_start = q.end + (am.end() if am else 0)
        if q.unit in ("小时", "分钟", "天") and not pre_full.strip() and "\u4e00" <= folded[q.end:q.end + 1] <= "\u9fff" \
                and not am:
            prev_end = q.end
            continue  # 24小时便利店, 15分钟生活圈 opening a clause: names, not durations to meet
        if am and am.group(1) in ("以上", "以下") and pre_name and not ends_with_object_verb(pre_raw) \
                and _starts_word(folded, obj_start, e) and not listed_before(prev, prev_end, clause_start):
            prev_end = q.end
            continue  # 年综合能耗5000吨标准煤以上重点用能企业: the number sizes the companies
        if am and _starts_word(folded, obj_start, e) and (
            _quantity_follows(folded, obj_start, e)
            or am.group(1) in ("以上", "以下") and q.unit != "%" and not folded[clause_start:q.start].strip()
            and _PREDICATE.search(folded, obj_start, _clause_end(folded, obj_start, e))
        ):
            continue  # 20户以上自然村(通达率达到100%): the number sizes a class of places, it is no target
        post_name = object_after(view[obj_start:e], folded[obj_start:e]) if _starts_word(folded, obj_start, e) else ""
        enum_cut = "、" in pre_raw  # 济南、青岛、潍坊3个试验区: the places are no part of the name
        listed = prev is not None and prev_end > clause_start or pre_raw.rstrip().endswith(("和", "及", "与", "、"))
        if post_name and (not pre_name or enum_cut or listed or ends_with_object_verb(pre_raw)):
            name = post_name
        elif post_name and pre_name:
            name = pre_name + post_name
        elif len(pre_name) <= 2 and prev is not None:
            name = prev.indicator
        elif pre_name:
            name = pre_name
        elif prev is not None:
            name = prev.indicator
        elif pending_baseline:
            name = pending_baseline[2]
        else:
            name = _subject_before(view, folded, s, clause_start)
        if q.value_max is not None:
            cmp = "between"
        elif am:
            cmp = _AFTER_CMP[am.group(1)]
        else:
            cmp = _comparator_before(folded[clause_start:q.start])
            if cmp is None:
                cmp = prev.comparator if (prev is not None and not pre_name and prev_end > clause_start - 2) else "="
        clause = folded[clause_start:_clause_end(folded, q.end, e)]
        if (_SUBSIDY.search(clause) and not _FUND.search(name)) or _CAP.search(pre_full):
            prev_end = q.end
            continue  # a subsidy rule or cap, not a commitment
        if _SELF.match(name) or _SELF.match(post_name or "-") or pre_full.endswith("(共"):
            prev_end = q.end
            continue
        kind = _kind(name, pre_full, after, year)
        if q.unit:
            q.unit = view[q.end - len(q.unit):q.end] if folded[q.end - len(q.unit):q.end] == q.unit else q.unit
        if kind == "standard":
            obj = standard_object(view[q.end:e], after)
            if obj and obj not in name:
                name = obj + name
        f = Found(q, name, cmp, year, kind, (s, e))
        if pending_baseline:
            f.baseline = pending_baseline[:2]
            pending_baseline = None
        out.append(f)
        prev, prev_end = f, q.end
    return out


def listed_before(prev, prev_end: int, clause_start: int) -> bool:
    return prev is not None and prev_end > clause_start


def _clause_start(folded: str, s: int, pos: int) -> int:
    """Start of the clause that ends at pos: after the last , ; : outside parentheses."""
    k = max(folded.rfind(",", s, pos), folded.rfind(";", s, pos), folded.rfind(":", s, pos))
    if ")" not in folded[max(k, s):pos]:
        return max(k + 1, s)  # the common case: no parenthesis to look inside
    depth = 0
    for k in range(pos - 1, s - 1, -1):
        c = folded[k]
        if c == ")":
            depth += 1
        elif c == "(":
            depth = max(0, depth - 1)
        elif depth == 0 and c in _CLAUSE_DELIM:
            return k + 1
    return s


_PREDICATE = re.compile(r"实现|达到|具备|覆盖|开通|接入|通达|完成|建成|纳入")


def _clause_end(folded: str, i: int, e: int) -> int:
    return min([x for x in (folded.find(c, i, e) for c in ",;") if x >= 0] or [e])


def _quantity_follows(folded: str, i: int, e: int) -> bool:
    """Another quantity in the same clause after i?"""
    for m in QUANTITY.finditer(folded, i, _clause_end(folded, i, e)):
        if m.group("unit") or m.group("pct") or m.group("numunit"):
            return True
    return False


def _subject_before(view: str, folded: str, s: int, clause_start: int) -> str:
    """比重逐年提高，到2026年力争达到12%: the name stands in the clause before."""
    if clause_start <= s + 1:
        return ""
    prev_start = _clause_start(folded, s, clause_start - 1)
    return strip_name(view[prev_start:clause_start - 1], folded[prev_start:clause_start - 1])


def _plausible(folded: str, q: Quantity, s: int, e: int) -> bool:
    """Numbers that are names or ordinals (5G, IPv6, 1+30+N, 第一, 4A级, 一张图) are no targets."""
    before = folded[q.start - 1] if q.start > s else ""
    after = folded[q.end] if q.end < e else ""
    if before and (before.isascii() and (before.isalnum() or before in "+.·/") or before in "第±"):
        return False
    if after and not q.unit and after.isascii() and (after.isalnum() or after in "+"):
        return False
    if q.unit in ("千伏",):
        return False
    if q.unit == "期" and folded.startswith(("工程", "项目"), q.end):
        return False  # 二期工程 names a phase
    if not q.unit and after == "年":
        return False  # a year: 达到2023年的2倍
    if q.chinese:
        if q.value == 1 and q.unit not in _ONE_OK_UNITS:
            return False
        if q.value == 1 and after and (after in "一二三四五六七八九" or after.isascii()):
            return False  # 一个平台一个号, 一个APP: slogans
    return True


def _starts_word(folded: str, i: int, e: int) -> bool:
    """Does a noun follow the quantity (建成5000个5G基站, 10个智慧园区)?"""
    while i < e and folded[i] == " ":
        i += 1
    if i >= e or folded[i] in "的和及与或至到":
        return False  # 560亿元和650亿元: a conjunction leads to the next quantity, not an object
    c = folded[i]
    return "\u4e00" <= c <= "\u9fff" or c in "“\"" or (c.isascii() and c.isalnum() and re.match(r"[0-9A-Za-z+]+[\u4e00-\u9fff]", folded[i:e]) is not None)


def _governing(marks: list[YearMark], pos: int) -> YearMark | None:
    found = None
    for m in marks:
        if m.end > pos:
            break
        if not m.reference:
            found = m
    return found


def _fenbie_years(folded, s, e, marks):
    """2024年、2025年…分别达到A和B: ([offsets of each 分别], [2024, 2025]) or None. Each 分别
    in the sentence pairs the same years with its own list of numbers."""
    i = folded.find("分别", s, e)
    if i < 0:
        return None
    years = [m.year for m in marks if m.end <= i and not m.present and not m.reference]
    if len(years) < 2:
        return None
    starts = []
    while i >= 0:
        starts.append(i)
        i = folded.find("分别", i + 2, e)
    return starts, years


def _comparator_before(pre: str) -> str | None:
    best = None
    for word, cmp in _BEFORE:
        k = pre.rfind(word)
        if k < 0:
            continue
        between = pre[k + len(word):]
        if word in _ADJACENT_ONLY and between.strip():
            continue
        if not _BRIDGE.match(between):
            continue
        end = k + len(word)
        if best is None or end > best[0]:
            best = (end, cmp)
    return best[1] if best else None


def _kind(name: str, pre: str, after: str, year: int | None) -> str:
    """A standard is a threshold each facility or project must meet, not an amount to reach."""
    if re.match(r"\s*(?:以上|以下|以内)?的", after) and not re.match(r"\s*的(?:目标|水平)", after):
        return "standard"
    if "平均" in name:
        return "goal"
    if _STANDARD_CUE.search(name) or _STANDARD_CUE.search(pre):
        return "standard"
    if re.search(r"应\s*$", pre):
        return "standard"
    if year is None and name.startswith("新建") and _SHARE.search(name):
        return "standard"
    return "goal"
