"""Reading a filled report workbook back: check its unit and month cells and its structure, turn
each filled row of 填报 into a report line for `reports.submit(source="excel")` and each filled
row of 里程碑 into a `report_milestone` (excel_milestone_import.py), all in one transaction, all or
nothing. Every problem of both sheets comes back at once in `WorkbookInvalid`, named by sheet and
cell (填报!H5：“八千”不是数字；里程碑!F4：…).

A workbook without a 里程碑 sheet (a template from before milestones) imports as before. One
with milestone rows filled and no number row stores the milestones alone: no report of numbers
is made (`submit` refuses an empty one), and since milestone reports know no locked months,
such a workbook is not refused for its month being locked."""
from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from sqlalchemy.orm import Session

from luoshi.publish.excel_layout import (
    COLUMN_OF,
    COLUMNS,
    FIRST_ROW,
    HEADER_ROW,
    INPUT_FIELDS,
    MS_SHEET,
    PERIOD_CELL,
    SHEET,
    UNIT_CELL,
    CellError,
    WorkbookInvalid,
)
from luoshi.publish.excel_milestone_import import (
    milestone_structure,
    milestone_unit,
    read_milestones,
    store_milestones,
)
from luoshi.store.dispatch_models import Submission
from luoshi.store.work_models import MilestoneUpdate
from luoshi.track.report_lines import LABELS, Problem, ReportInvalid
from luoshi.track.reports import submit
from luoshi.track.timeliness import parse_period

# Problems of the report as a whole, and the cell each stands for (None: given outside the file).
_WHOLE = {"unit": UNIT_CELL, "period": PERIOD_CELL}


@dataclass
class Imported:
    """What a workbook stored: its report of numbers (None when only milestones were filled), the
    milestone updates, and how many milestone rows were the same as already stored (not stored
    again)."""

    unit_id: int
    period: str
    submission: Submission | None
    milestone_updates: list[MilestoneUpdate] = field(default_factory=list)
    unchanged: int = 0


def import_workbook(session: Session, path_or_bytes: str | Path | bytes, *, submitted_by: str | None = None,
                    as_of: date | None = None, correction_reason: str | None = None, commit: bool = True,
                    **kw) -> Imported:
    """Store the report and the milestone updates in a filled template (a path or the file's
    bytes) and commit; `WorkbookInvalid` naming every bad cell, and nothing stored, when anything
    is wrong. `kw` goes to `reports.submit` (its `only_unit` binds the milestones too);
    `commit=False` leaves the commit to the caller (an error still rolls back)."""
    wb = _workbook(path_or_bytes)
    ws, ms = wb[SHEET], wb[MS_SHEET] if MS_SHEET in wb.sheetnames else None
    errors = _structure(ws) + (milestone_structure(ms) if ms is not None else [])
    if errors:
        raise WorkbookInvalid(errors)
    unit, period = _text(ws[UNIT_CELL].value), _period(ws[PERIOD_CELL].value)
    lines, rows = [], []
    for r in range(FIRST_ROW, ws.max_row + 1):
        values = {field: ws[f"{COLUMN_OF[field]}{r}"].value for field in ("target_id", *INPUT_FIELDS)}
        if all(_text(values[f]) is None for f in INPUT_FIELDS):
            continue  # a target not reported this month (or an empty row)
        lines.append(values)
        rows.append(r)
    marks = read_milestones(ms) if ms is not None else []
    sub, ups, same, unit_id = None, [], 0, None
    try:
        if lines or not marks:  # an empty workbook still gets submit's "no lines" problem
            try:
                sub = submit(session, unit=unit or "", period=period or "", lines=lines, source="excel",
                             submitted_by=submitted_by, correction_reason=correction_reason, as_of=as_of,
                             commit=False, **kw)
                unit_id = sub.unit_id
            except ReportInvalid as e:
                errors += [_cell_error(p, rows, ms is not None) for p in e.problems]
        if marks:
            u, error = milestone_unit(session, unit, kw.get("only_unit"))
            errors += [error] if error else []
            if u is not None:
                unit_id = u.id
                ups, same, more = store_milestones(session, marks, unit_id=u.id, period=period or "", as_of=as_of,
                                                   reported_by=submitted_by)
                errors += more
        if errors:
            raise WorkbookInvalid(_unique(errors))
        if commit:
            session.commit()
    except BaseException:
        session.rollback()  # the numbers and the milestones go in together or not at all
        raise
    return Imported(unit_id, sub.period if sub else parse_period(period), sub, ups, same)


def _unique(errors: list[CellError]) -> list[CellError]:
    """Each error once; the unit and month cells once each (both sheets' checks may name them)."""
    seen, out = set(), []
    for e in errors:
        key = (e.sheet, e.cell) if e.sheet == SHEET and e.cell in (UNIT_CELL, PERIOD_CELL) else str(e)
        if key not in seen:
            seen.add(key)
            out.append(e)
    return out


def _workbook(path_or_bytes):
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    name = "上传的文件" if isinstance(path_or_bytes, (bytes, bytearray)) else f"文件 {path_or_bytes}"
    source = io.BytesIO(path_or_bytes) if isinstance(path_or_bytes, (bytes, bytearray)) else Path(path_or_bytes)
    if isinstance(source, Path) and not source.is_file():
        raise WorkbookInvalid([CellError(None, None, f"找不到{name}")])
    try:
        wb = load_workbook(source, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError, TypeError) as e:
        raise WorkbookInvalid([CellError(None, None, f"{name}不是有效的 Excel 工作簿（.xlsx），或已损坏："
                                                     f"请用本系统生成的模板填报后另存为 .xlsx")]) from e
    if SHEET not in wb.sheetnames:
        raise WorkbookInvalid([CellError(None, None, f"{name}中没有“{SHEET}”工作表，请使用本系统生成的月报模板")])
    return wb


def _structure(ws) -> list[CellError]:
    """The headers and the unit and month cells, as the template wrote them."""
    errors = []
    for col, header, _ in COLUMNS:
        got = _text(ws[f"{col}{HEADER_ROW}"].value)
        if got != header:
            errors.append(CellError(SHEET, f"{col}{HEADER_ROW}", f"表头应为“{header}”，实为“{got or '空'}”"
                                                                 "（请勿修改表头或增删列）"))
    if _text(ws[UNIT_CELL].value) is None:
        errors.append(CellError(SHEET, UNIT_CELL, "填报单位为空（请使用本系统为本单位生成的模板）"))
    if _period(ws[PERIOD_CELL].value) is None:
        errors.append(CellError(SHEET, PERIOD_CELL, "报告月份为空"))
    return errors


def _cell_error(p: Problem, rows: list[int], milestones: bool = False) -> CellError:
    if p.line is None:
        cell = _WHOLE.get(p.field)
        if cell:
            return CellError(SHEET, cell, p.message)
        if p.field == "lines":
            also = f"，或在“{MS_SHEET}”表中报送一个里程碑的状态" if milestones else ""
            return CellError(SHEET, None, f"{p.message}（请至少填写一行的“累计”{also}）")
        return CellError(None, None, f"{LABELS.get(p.field, p.field)}：{p.message}")
    col = COLUMN_OF.get(p.field)
    row = rows[p.line]
    if col is None:
        return CellError(SHEET, f"A{row}:L{row}", p.message)
    return CellError(SHEET, f"{col}{row}", p.message)


def _period(value) -> str | None:
    """The month cell: text as written, or a date Excel made of it."""
    if isinstance(value, (datetime, date)):
        return f"{value.year:04d}-{value.month:02d}"
    return _text(value)


def _text(value) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None
