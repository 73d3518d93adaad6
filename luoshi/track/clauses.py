"""What a stored responsibility clause answers for, recomputed from its version's text, sections
and clauses (the store keeps the clause's own span, not what it covers).

A clause covers the text from the previous clause's end, or from the start of its section when
that comes later, to itself (SPEC §4; luoshi.extract.assignments does the same on extraction).
A clause standing in a task-table row (序号 / 重点任务 / 目标任务 / 牵头单位 / 配合单位 / 完成时限, one
tab-separated line) answers for its row instead: the row's targets, its 重点任务 cell as the
title, its 完成时限 cell as the due date."""
from __future__ import annotations

import bisect
import calendar
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

TITLE_CHARS = 30
_ORDINAL = re.compile(r"^(?:\d{1,3}|[一二三四五六七八九十]{1,3}|\(?[一二三四五六七八九十\d]{1,3}\)?)[.、]?$")
_DEADLINE = re.compile(r"(20\d\d)\s*年\s*(?:(\d{1,2})\s*月)?")
_SENTENCE_END = re.compile(r"[。；;]")


class SectionLike(Protocol):
    path: str
    title: str
    start: int


class ClauseLike(Protocol):
    start: int
    end: int
    section: str | None


@dataclass(frozen=True)
class Clause:
    cover: tuple[int, int]  # the text the clause answers for
    row: tuple[int, int] | None  # its task-table row (the whole line), when it stands in one
    title: str
    due: str | None  # ISO date: the end of the month or year of the row's 完成时限

    def holds(self, start: int, end: int) -> bool:
        """Whether a target at [start, end) is one this clause answers for."""
        s, e = self.row or self.cover
        return s <= start and end <= e


def clauses(text: str, sections: Sequence[SectionLike], found: Sequence[ClauseLike]) -> list[Clause]:
    """One Clause per stored clause of a version, in the same order (by start)."""
    heads = sorted(sections, key=lambda h: h.start)
    starts = [h.start for h in heads]
    by_path = {h.path: h for h in heads}
    out, prev_end, first_of_head = [], 0, set()
    for a in found:
        k = bisect.bisect_right(starts, a.start)
        head = heads[k - 1] if k else None
        cover = (max(prev_end, head.start if head else 0), a.start)
        prev_end = a.end
        row = _row(text, a.start, a.end)
        if row:
            title, due = _row_title(text, row[0], a.start), _due(text[a.end:row[1]])
        else:
            title, due = _title(text, cover, by_path.get(a.section or "", head), first_of_head), None
        out.append(Clause(cover, row, title[:300], due))
    return out


def _row(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The line the clause stands in, when it is one row of a tab-separated table."""
    s = text.rfind("\n", 0, start) + 1
    e = text.find("\n", end)
    e = len(text) if e < 0 else e
    line = text[s:e]
    return (s, e) if "\t" in line and "\n" not in text[start:end] and "\t" in text[s:start] else None


def _row_title(text: str, row_start: int, clause_start: int) -> str:
    """The first cell of the row before the clause that is not an ordinal (the 重点任务 cell)."""
    for cell in text[row_start:clause_start].split("\t"):
        cell = " ".join(cell.split())
        if cell and not _ORDINAL.match(cell):
            return cell
    return ""


def _title(text: str, cover: tuple[int, int], head, first_of_head: set) -> str:
    """The section's title for the first clause under it; a later clause under the same heading
    gets its own text's start, so that tasks of one section can be told apart."""
    if head is not None and head.path not in first_of_head:
        first_of_head.add(head.path)
        return head.title
    snippet = " ".join(text[cover[0]:cover[1]].split())
    m = _SENTENCE_END.search(snippet, 0, TITLE_CHARS + 1)
    return snippet[: m.start()] if m and m.start() > 0 else snippet[:TITLE_CHARS]


def _due(cell: str) -> str | None:
    """2024年12月底前 → 2024-12-31; 2025年底 → 2025-12-31; 长期坚持 → None."""
    m = _DEADLINE.search(cell)
    if not m:
        return None
    year, month = int(m.group(1)), int(m.group(2) or 12)
    if not 1 <= month <= 12:
        return None
    return f"{year:04d}-{month:02d}-{calendar.monthrange(year, month)[1]:02d}"
