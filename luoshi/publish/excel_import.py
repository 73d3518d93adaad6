"""Reading a filled report workbook back: check its unit and month cells and its structure, turn
each filled row into a report line and store them with `reports.submit(source="excel")`, all or
nothing. Every problem comes back at once in `WorkbookInvalid`, named by sheet and cell
(填报!H5：“八千”不是数字)."""
from __future__ import annotations

import io
import zipfile
from datetime import date, datetime
from pathlib import Path

from sqlalchemy.orm import Session

from luoshi.publish.excel_layout import (
    COLUMN_OF,
    COLUMNS,
    FIRST_ROW,
    HEADER_ROW,
    INPUT_FIELDS,
    PERIOD_CELL,
    SHEET,
    UNIT_CELL,
    CellError,
    WorkbookInvalid,
)
from luoshi.store.dispatch_models import Submission
from luoshi.track.report_lines import LABELS, Problem, ReportInvalid
from luoshi.track.reports import submit

# Problems of the report as a whole, and the cell each stands for (None: given outside the file).
_WHOLE = {"unit": UNIT_CELL, "period": PERIOD_CELL}


def import_workbook(session: Session, path_or_bytes: str | Path | bytes, *, submitted_by: str | None = None,
                    as_of: date | None = None, correction_reason: str | None = None, **kw) -> Submission:
    """Store the report in a filled template (a path or the file's bytes); `WorkbookInvalid` naming
    every bad cell, and nothing stored, when anything is wrong. `kw` goes to `reports.submit`."""
    ws = _sheet(path_or_bytes)
    errors = _structure(ws)
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
    try:
        return submit(session, unit=unit or "", period=period or "", lines=lines, source="excel",
                      submitted_by=submitted_by, correction_reason=correction_reason, as_of=as_of, **kw)
    except ReportInvalid as e:
        raise WorkbookInvalid([_cell_error(p, rows) for p in e.problems]) from None


def _sheet(path_or_bytes):
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
    return wb[SHEET]


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


def _cell_error(p: Problem, rows: list[int]) -> CellError:
    if p.line is None:
        cell = _WHOLE.get(p.field)
        if cell:
            return CellError(SHEET, cell, p.message)
        if p.field == "lines":
            return CellError(SHEET, None, f"{p.message}（请至少填写一行的“累计”）")
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
