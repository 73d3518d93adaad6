"""Tables as plain text (cells by tabs, rows by lines): indicator tables (指标体系: a name, a unit,
a base-year column and target-year columns) and task tables (任务分解表: 牵头单位 / 配合单位 /
完成时限 columns)."""
from __future__ import annotations

import re
from dataclasses import dataclass

from luoshi.extract.numbers import MULTIPLIERS
from luoshi.extract.years import year_of


@dataclass
class Cell:
    start: int  # view offsets of the stripped cell text
    end: int
    text: str


@dataclass
class Table:
    start: int
    end: int
    header: list[Cell]
    rows: list[list[Cell]]


def find_tables(view: str) -> list[Table]:
    """Runs of at least two consecutive lines with tab-separated cells."""
    tables, block = [], []
    pos = 0
    for line in view.split("\n"):
        s, e = pos, pos + len(line)
        pos = e + 1
        if "\t" in line.strip("\r"):
            block.append(_cells(view, s, e))
            continue
        if len(block) >= 2:
            tables.append(_table(block))
        block = []
    if len(block) >= 2:
        tables.append(_table(block))
    return tables


def _cells(view: str, s: int, e: int) -> list[Cell]:
    cells, pos = [], s
    for raw in view[s:e].split("\t"):
        cs, ce = pos, pos + len(raw)
        pos = ce + 1
        while cs < ce and view[cs] in " \r\u3000":
            cs += 1
        while ce > cs and view[ce - 1] in " \r\u3000":
            ce -= 1
        cells.append(Cell(cs, ce, view[cs:ce]))
    return cells


def _table(block) -> Table:
    header, rows = block[0], block[1:]
    # A two-level header (类别 指标 单位 目标值 / — — — 2025年 2026年 2027年): its second row
    # has years and no data; the header is the two rows read column by column.
    if rows and not header_years(header) and header_years(rows[0]) and not any(
        _NUM_CELL.match(c.text) for c in rows[0]
    ):
        second, rows = rows[0], rows[1:]
        first = header + [Cell(header[-1].end, header[-1].end, "")] * (len(second) - len(header))
        header = [Cell(a.start, b.end, a.text + b.text if a.text != b.text else a.text)
                  for a, b in zip(first, second)]
    return Table(block[0][0].start, block[-1][-1].end, header, rows)


def column(header: list[Cell], *words: str) -> int | None:
    for i, c in enumerate(header):
        if any(w in c.text for w in words):
            return i
    return None


_NUM_CELL = re.compile(r"^(?P<cmp>≥|≤|>=|<=|>|<|约|不低于|不少于|不高于|不超过)?\s*(?P<num>\d+(?:\.\d+)?)\s*(?P<pct>%)?"
                       r"\s*(?P<after>以上|以下|左右)?$")
_CMP = {"≥": ">=", ">=": ">=", "不低于": ">=", "不少于": ">=", "≤": "<=", "<=": "<=", "不高于": "<=",
        "不超过": "<=", ">": ">", "<": "<", "约": "~", "以上": ">=", "以下": "<=", "左右": "~"}
_UNIT_IN_NAME = re.compile(r"\s*[(（]\s*(?P<unit>[^()（）]{1,8})\s*[)）]\s*$")


def parse_cell_number(text: str, folded: str) -> tuple[float, str, bool] | None:
    """`≥98` → (98, '>=', False); `—` → None. The bool says a % sign was written."""
    m = _NUM_CELL.match(folded.strip())
    if not m:
        return None
    cmp = _CMP.get(m.group("cmp") or m.group("after") or "", "=")
    return float(m.group("num")), cmp, bool(m.group("pct"))


def split_unit(unit: str) -> tuple[float, str]:
    """`亿元` → (1e8, '元'); `万人` → (1e4, '人'); `—` → (1, '')."""
    unit = unit.strip()
    if not unit or unit in ("—", "-", "/", "无"):
        return 1.0, ""
    for m in sorted(MULTIPLIERS, key=len, reverse=True):
        if unit.startswith(m) and len(unit) > len(m):
            return MULTIPLIERS[m], unit[len(m):]
    return 1.0, unit


def name_and_unit(cell: str) -> tuple[str, str | None]:
    m = _UNIT_IN_NAME.search(cell)
    if m:
        return cell[: m.start()].strip(), m.group("unit")
    return cell.strip(), None


def header_years(header: list[Cell]) -> dict[int, int]:
    """Column index → the year its header names."""
    out = {}
    for i, c in enumerate(header):
        y = year_of(c.text)
        if y:
            out[i] = y
    return out
