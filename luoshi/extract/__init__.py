"""text → Plan: metadata, outline, targets and responsibility assignments, each with its span in
the original text.

    from luoshi.read import read_path
    from luoshi.extract import extract
    plan = extract(read_path("plan.docx"))
"""
from __future__ import annotations

import bisect
import re

from luoshi.extract.assignments import find_assignments, to_assignments
from luoshi.extract.metadata import extract_metadata
from luoshi.extract.outline import find_headings, section_at, sections
from luoshi.extract.rows import indicator_table, task_table
from luoshi.extract.tables import find_tables
from luoshi.extract.targets import scan_sentence, sentences
from luoshi.extract.years import year_of
from luoshi.model import Baseline, Plan, Target
from luoshi.read.clean import clean, fold
from luoshi.read.document import Document

_BOOK = re.compile(r"《[^《》\n]{1,80}》")
# Quoted phrases are names and slogans (“1+30+N”, “一个平台一个号”), not commitments.
_SHORT_QUOTE = re.compile(r"“[^“”\n]{1,30}”|\"[^\"\n]{1,30}\"")


_DEADLINE_LINE = re.compile(r"^[ \t]*(?:完成时限|完成时间|时间节点|完成期限|时限要求)\s*:\s*([^\n]+)$", re.M)


def _item_deadlines(heads, folded: str):
    """A task list item's own 完成时限：2025年底 line gives the year of its targets that name none."""
    blocks = []
    for h in heads:
        m = _DEADLINE_LINE.search(folded, h.start, h.body_end)
        if m and (year := year_of(m.group(1))):
            blocks.append((h.start, h.body_end, year))

    def lookup(pos: int) -> int | None:
        for s, e, y in blocks:
            if s <= pos < e:
                return y
        return None

    return lookup


class _RangeSet:
    """Is a position inside any of these [start, end) ranges? (bisect: plans have hundreds)"""

    def __init__(self, ranges):
        merged = []
        for s, e in sorted(ranges):
            if merged and s <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], e)
            else:
                merged.append([s, e])
        self.starts = [r[0] for r in merged]
        self.ends = [r[1] for r in merged]

    def __call__(self, pos: int) -> bool:
        i = bisect.bisect_right(self.starts, pos) - 1
        return i >= 0 and pos < self.ends[i]


def extract(doc: Document) -> Plan:
    view = clean(doc.body)
    vt = view.text
    folded = fold(vt)
    heads = find_headings(vt, folded)
    tables = find_tables(vt)

    clauses = find_assignments(vt, folded)
    # Numbers inside clauses, document titles and short quoted names are never targets.
    blocked = [(s, e) for s, e, _, _ in clauses]
    blocked += [m.span() for m in _BOOK.finditer(folded)] + [m.span() for m in _SHORT_QUOTE.finditer(vt)]
    skip = _RangeSet(blocked)

    body_start = next((h.start for h in heads if h.level == 1), heads[0].start if heads else 0)
    md, md_spans = extract_metadata(vt, folded, body_start, doc.fields)
    md.spans = {k: view.span(*v) for k, v in md_spans.items()}
    first_year = md.period[0] if md.period else None

    in_table = _RangeSet([(t.start, t.end) for t in tables])
    deadlines = _item_deadlines(heads, folded)
    found = []
    for s, e in sentences(folded):
        if in_table(s):
            continue
        found += scan_sentence(vt, folded, s, e, skip, deadlines(s), first_year)
    for t in tables:
        rows = task_table(t, vt, folded, skip, first_year)
        if rows is not None:
            found += rows[0]
            clauses += rows[1]
        else:
            found += indicator_table(t, vt, folded)
    clauses.sort()
    found.sort(key=lambda f: f.q.start)

    targets = []
    for f in found:
        h = section_at(heads, f.q.start)
        targets.append(Target(
            indicator=f.indicator, value=f.q.value, value_max=f.q.value_max, unit=f.q.unit,
            comparator=f.comparator, year=f.year, kind=f.kind, span=view.span(f.q.start, f.q.end),
            baseline=Baseline(*f.baseline) if f.baseline else None, section=h.path if h else None,
            source="table" if in_table(f.q.start) else "text",
            quote=vt[f.sentence[0]:f.sentence[1]].strip(),
        ))
    plan = Plan(metadata=md, sections=sections(heads, view), targets=targets,
                assignments=to_assignments(clauses, view, heads), text=doc.text, format=doc.format,
                warnings=list(doc.warnings))
    if plan.is_empty:
        plan.warnings.append("未识别出提纲、量化目标或责任单位：这可能不是一份行动方案")
    return plan
