"""Targets and assignments from table rows: indicator tables and task tables."""
from __future__ import annotations

from luoshi.extract.assignments import split_units
from luoshi.extract.tables import (Table, column, header_years, name_and_unit, parse_cell_number,
                                   split_unit)
from luoshi.extract.targets import Found, scan_sentence, sentences
from luoshi.extract.numbers import Quantity
from luoshi.extract.years import year_of

_BASE_WORDS = ("基期", "基数", "基准", "现状", "现值", "完成值", "实际")
_TARGET_WORDS = ("目标", "预期", "计划")


def task_table(t: Table, view: str, folded: str, skip, first_year=None) -> tuple[list[Found], list[tuple]] | None:
    h = t.header
    lead = column(h, "牵头单位", "牵头部门", "责任单位", "责任部门")
    if lead is None:
        return None
    support = column(h, "配合单位", "配合部门", "协同单位", "参与单位")
    deadline = column(h, "完成时限", "时限", "完成时间", "时间节点", "进度安排")
    skip_cols = {i for i in (lead, support, deadline) if i is not None}
    skip_cols |= {i for i, c in enumerate(h) if c.text in ("序号", "编号")}
    found, clauses = [], []
    for row in t.rows:
        if len(row) != len(h):
            continue
        default_year = year_of(row[deadline].text) if deadline is not None else None
        for i, c in enumerate(row):
            if i in skip_cols or not c.text:
                continue
            for s, e in sentences(folded, c.start, c.end):
                found += scan_sentence(view, folded, s, e, skip, default_year, first_year)
        cells = [row[lead]] + ([row[support]] if support is not None and row[support].text else [])
        units, lead_n = [], 0
        for k, c in enumerate(cells):
            us = split_units(view[c.start:c.end], folded[c.start:c.end])
            units += us
            if k == 0:
                lead_n = len(us)
        if units:
            clauses.append((cells[0].start, cells[-1].end, units, max(1, lead_n)))
    return found, clauses


def indicator_table(t: Table, view: str, folded: str) -> list[Found]:
    h = t.header
    years = header_years(h)
    if not years:
        return []
    name_col = column(h, "指标", "名称", "项目")
    unit_col = next((i for i, c in enumerate(h) if c.text.strip() in ("单位", "计量单位")), None)
    ordered = sorted(years)
    base_cols = [i for i in ordered if any(w in h[i].text for w in _BASE_WORDS)]
    marked = [i for i in ordered if any(w in h[i].text for w in _TARGET_WORDS)]
    if not base_cols and marked and len(marked) < len(ordered):
        base_cols = [i for i in ordered if i < marked[0]]  # unmarked years before the marked targets
    elif not base_cols and not marked and len(ordered) == 2:
        base_cols = ordered[:1]  # 2021年 | 2023年: where it stands, where it goes
    target_cols = [i for i in ordered if i not in base_cols]
    base = base_cols[0] if base_cols else None
    if name_col is None:
        name_col = min(ordered) - 1 if min(ordered) > 0 else None
        if name_col is not None and unit_col == name_col:
            name_col -= 1
    if name_col is None or name_col < 0:
        return []
    out = []
    for row in t.rows:
        if len(row) != len(h) or not row[name_col].text:
            continue
        name, unit_text = name_and_unit(row[name_col].text)
        if unit_col is not None:
            unit_text = row[unit_col].text
        mult, unit = split_unit(unit_text or "")
        baseline = None
        if base is not None:
            b = parse_cell_number(row[base].text, folded[row[base].start:row[base].end])
            if b:
                baseline = (years[base], b[0] * mult)
        for j in target_cols:
            c = row[j]
            parsed = parse_cell_number(c.text, folded[c.start:c.end])
            if not parsed:
                continue
            value, cmp, pct = parsed
            q = Quantity(c.start, c.end, value * mult, None, "%" if pct else unit, False, c.text)
            f = Found(q, "".join(name.split()), cmp, years[j], "goal", (row[0].start, row[-1].end), baseline)
            out.append(f)
    return out
