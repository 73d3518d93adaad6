"""Deadline years in a sentence: 到2023年, 2020年底前, 2024年、2025年分别…, 到“十四五”末, 截至2022年底."""
from __future__ import annotations

import re
from dataclasses import dataclass

_YEAR = re.compile(
    r"(?P<pre>截至|截止到|截止|(?<!达)到|至|力争到|力争|预计到|在)?\s*"  # 达到2023年的2倍: no deadline
    r"(?:(?P<y1>(?:19|20)\d{2})\s*(?:年)?\s*(?:-|—{1,2}|–|~|至|到)\s*)?"
    r"(?P<y>(?:19|20)\d{2})\s*年(?P<post>底|末|年底|年末|上半年|下半年|中)?(?:前|以前)?"
)
_PLAN_PERIOD = re.compile(r"[“\"]?十(?P<n>[一二三四五六七八九])五[”\"]?(?:期间|时期|末|末期|规划期)")
_FIVE_YEAR_END = {"二": 2015, "三": 2020, "四": 2025, "五": 2030}  # 十X五: the plan period's last year


@dataclass
class YearMark:
    start: int
    end: int
    year: int
    present: bool  # 截至2022年底: what follows describes the present, not a commitment
    reference: bool = False  # 较2023年提高…: a base of comparison, no deadline


_REFERENCE_BEFORE = ("较", "比", "相比", "同比", "与", "对比")
# Openers of a description of the present: 目前, “十四五”以来, 2021年以来.
_PRESENT = re.compile(r"目前|当前|现有|(?:(?:19|20)\d{2}\s*年|[“\"]?十[一二三四五六七八九]五[”\"]?)以来")


def year_marks(folded: str, start: int = 0, end: int | None = None) -> list[YearMark]:
    end = len(folded) if end is None else end
    marks = []
    for m in _YEAR.finditer(folded, start, end):
        y = int(m.group("y"))
        # A date like 2021年7月25日 inside a sentence still names its year.
        present = (m.group("pre") or "").startswith("截")
        before = folded[max(start, m.start() - 2):m.start()]
        # 较2023年提高…; 达到2023年的2倍: a base of comparison. (到2026年的75%: a deadline.)
        reference = not m.group("pre") and (before.endswith(_REFERENCE_BEFORE) or folded.startswith("的", m.end()))
        marks.append(YearMark(m.start(), m.end(), y, present, reference))
    for m in _PRESENT.finditer(folded, start, end):
        marks.append(YearMark(m.start(), m.end(), 0, True))
    for m in _PLAN_PERIOD.finditer(folded, start, end):
        y = _FIVE_YEAR_END.get(m.group("n"))
        if y and not folded.startswith("以来", m.end()):
            marks.append(YearMark(m.start(), m.end(), y, False))
    marks.sort(key=lambda k: k.start)
    return marks


def year_of(text: str) -> int | None:
    """The year a cell or phrase names (2024年12月底前 → 2024), or None (长期坚持)."""
    marks = [m for m in year_marks(text) if m.year]
    if marks:
        return marks[-1].year
    m = re.search(r"(?:19|20)\d{2}", text)
    return int(m.group(0)) if m else None
