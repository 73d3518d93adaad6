"""The numbered outline: 一、 → (一) → 1. → (1). Matching runs on folded text (ASCII brackets)."""
from __future__ import annotations

import re
from dataclasses import dataclass

from luoshi.extract.numbers import cn_to_number
from luoshi.model import Section

_CN = "[一二三四五六七八九十]{1,3}"
HEADING = re.compile(
    rf"^[ \t]*(?:(?P<l1>{_CN})、|\((?P<l2>{_CN})\)|(?P<l3>\d{{1,2}})[ ]?[.、](?![\d.])|\((?P<l4>\d{{1,2}})\))[ ]*",
    re.M,
)


@dataclass
class Heading:
    level: int
    ordinal: str  # as written, brackets half-width: 一 / (一) / 1 / (1)
    number: int
    start: int  # view offsets: ordinal start … title end
    end: int
    body_end: int  # where the section's own text ends (next heading of any level)
    path: str = ""
    title: str = ""


def find_headings(view_text: str, folded: str) -> list[Heading]:
    heads: list[Heading] = []
    expected: dict[int, int] = {}
    running: dict[int, int] = {}  # the next number at each level, parents aside
    for m in HEADING.finditer(folded):
        level = next(i for i, g in enumerate(("l1", "l2", "l3", "l4"), 1) if m.group(g))
        raw = m.group(f"l{level}")
        number = int(raw) if raw.isdigit() else int(cn_to_number(raw) or 0)
        line_end = folded.find("\n", m.end())
        line_end = len(folded) if line_end < 0 else line_end
        rest = folded[m.end():line_end]
        if "\t" in rest or not rest.strip():
            continue  # a table row or a lone ordinal, not a heading
        # Outline ordinals count up within their parent; a restart at 1 opens a new parent; task
        # lists number their items on across parents (一、 1. 2. 二、 3. 4.).
        if number != 1 and expected.get(level, 1) != number and running.get(level) != number:
            continue
        cut = rest.find("。")
        title_end = m.end() + (cut if cut >= 0 else len(rest.rstrip()))
        if cut < 0 and len(rest.strip()) > 60:
            continue  # a numbered sentence, not a heading
        title = view_text[m.end():title_end].strip()
        start = m.start() + (len(m.group(0)) - len(m.group(0).lstrip(" \t")))
        ordinal = raw if level in (1, 3) else f"({raw})"
        heads.append(Heading(level, ordinal, number, start, title_end, len(view_text), title=title))
        expected[level] = number + 1
        running[level] = number + 1
        for deeper in range(level + 1, 5):
            expected.pop(deeper, None)
    stack: list[Heading] = []
    for i, h in enumerate(heads):
        while stack and stack[-1].level >= h.level:
            stack.pop()
        stack.append(h)
        h.path = "/".join(x.ordinal for x in stack)
        if i + 1 < len(heads):
            h.body_end = heads[i + 1].start
    return heads


def sections(heads: list[Heading], view) -> list[Section]:
    return [Section(h.path, h.title, view.span(h.start, h.end), h.level) for h in heads]


def section_at(heads: list[Heading], pos: int) -> Heading | None:
    """The innermost heading whose text contains view offset `pos`."""
    found = None
    lo, hi = 0, len(heads)
    while lo < hi:
        mid = (lo + hi) // 2
        if heads[mid].start <= pos:
            lo = mid + 1
        else:
            hi = mid
    if lo:
        found = heads[lo - 1]
    return found
