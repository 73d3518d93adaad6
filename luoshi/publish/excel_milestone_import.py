"""Reading the 里程碑 sheet of a filled monthly workbook back: `read_milestones` takes the rows
whose input cells are filled, and `store_milestones` reports each through
`report_milestone(source="excel", commit=False)`, collecting every problem as a `CellError`
(里程碑!F4：…) instead of stopping at the first; the caller (excel_import.py) commits or rolls
back, together with the numbers.

A row the same as the milestone's newest stored report, made by the same unit (state, date,
note, link), is not stored again, so importing a workbook a second time (to correct its numbers)
adds no copies of the milestone reports."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from luoshi.publish.excel_layout import (
    FIRST_ROW,
    HEADER_ROW,
    MS_COLUMN_OF,
    MS_COLUMNS,
    MS_INPUT_FIELDS,
    MS_SHEET,
    PERIOD_CELL,
    SHEET,
    UNIT_CELL,
    CellError,
)
from luoshi.store.work_models import MILESTONE_STATES, MilestoneUpdate
from luoshi.track.milestone_state import parse_day
from luoshi.track.milestones import (
    MilestoneInvalid,
    MilestoneNotFound,
    MilestoneProblem,
    report_milestone,
)
from luoshi.track.reports import resolve_unit

_ID = MS_COLUMN_OF["milestone_id"]
_CELL_OF = {"state": MS_COLUMN_OF["state"], "as_of": MS_COLUMN_OF["as_of"], "note": MS_COLUMN_OF["note"],
            "evidence_url": MS_COLUMN_OF["evidence_url"], "evidence": MS_COLUMN_OF["evidence_url"],
            "unit": _ID}  # the unit is right, the milestone is not one of its tasks'
_EMPTY = {"state": f"未选择状态：请从列表中选择{'、'.join(MILESTONE_STATES)}",
          "as_of": "未填写状态日期：应为 YYYY-MM-DD，如 2024-05-10（已完成填完成日期）"}
_NO_FILE = ("报“已完成”须在“证明链接”填写证明材料的链接（http 或 https）；文件不能随表格报送，"
            "请通过网页或 luoshi milestone report --evidence 上传")


@dataclass(frozen=True)
class MilestoneRow:
    """A filled row of the 里程碑 sheet, values as read (the milestone id as written)."""

    row: int
    milestone_id: object
    state: str | None
    as_of: date | str | None
    note: str | None
    evidence_url: str | None


def milestone_structure(ws) -> list[CellError]:
    """The 里程碑 sheet's headers, as the template wrote them."""
    errors = []
    for col, header, _ in MS_COLUMNS:
        got = _text(ws[f"{col}{HEADER_ROW}"].value)
        if got != header:
            errors.append(CellError(MS_SHEET, f"{col}{HEADER_ROW}",
                                    f"表头应为“{header}”，实为“{got or '空'}”（请勿修改表头或增删列）"))
    return errors


def read_milestones(ws) -> list[MilestoneRow]:
    """The rows with any input cell filled; the others are milestones not reported this month."""
    out = []
    for r in range(FIRST_ROW, ws.max_row + 1):
        v = {field: ws[f"{col}{r}"].value for col, _, field in MS_COLUMNS if field}
        if all(_text(v[f]) is None for f in MS_INPUT_FIELDS):
            continue
        day = v["as_of"]
        day = day.date() if isinstance(day, datetime) else day if isinstance(day, date) else _text(day)
        out.append(MilestoneRow(r, v["milestone_id"], _text(v["state"]), day, _text(v["note"]),
                                _text(v["evidence_url"])))
    return out


def milestone_unit(session: Session, unit: str | None, only_unit: int | None):
    """The reporting unit (填报!C1) for the milestone rows, or None and the error naming the cell."""
    u = resolve_unit(session, unit or "")
    if u is None:
        return None, CellError(SHEET, UNIT_CELL, f"未找到单位“{unit or ''}”（按单位全称或简称查找）")
    if only_unit is not None and u.id != only_unit:
        return None, CellError(SHEET, UNIT_CELL, f"只能报送本单位的报告，不能报送“{u.name}”的报告")
    return u, None


def store_milestones(session: Session, rows: list[MilestoneRow], *, unit_id: int, period: str,
                     as_of: date | None, reported_by: str | None) -> tuple[list[MilestoneUpdate], int, list[CellError]]:
    """Report each row's milestone (not committed): the updates added, how many rows were the same
    as the newest stored report (not stored again), and every problem by cell."""
    errors: list[CellError] = []
    wanted, first = [], {}
    for m in rows:
        mid = _id(m.milestone_id)
        if mid is None:
            errors.append(CellError(MS_SHEET, f"{_ID}{m.row}", "此行没有有效的里程碑编号：请只在模板列出的里程碑行中"
                                                               "填写，勿改动隐藏的“里程碑编号”列"))
        elif mid in first:
            errors.append(CellError(MS_SHEET, f"{_ID}{m.row}", f"与第{first[mid]}行是同一里程碑，每个里程碑只填一行"))
        else:
            first[mid] = m.row
            wanted.append((mid, m))
    newest = _newest(session, [mid for mid, _ in wanted])
    updates, same = [], 0
    for mid, m in wanted:
        if newest.get(mid) == (unit_id, *_fact(m)):
            same += 1
            continue
        try:
            updates.append(report_milestone(session, mid, unit=unit_id, state=m.state or "", as_of=m.as_of,
                                            period=period, note=m.note, evidence_url=m.evidence_url, source="excel",
                                            reported_by=reported_by, today=as_of, commit=False))
        except MilestoneNotFound as e:
            errors.append(CellError(MS_SHEET, f"{_ID}{m.row}", e.message))
        except MilestoneInvalid as e:
            errors += [_cell_error(p, m) for p in e.problems]
    return updates, same, errors


def _cell_error(p: MilestoneProblem, m: MilestoneRow) -> CellError:
    if p.field == "period":
        return CellError(SHEET, PERIOD_CELL, p.message)
    if p.field not in _CELL_OF:
        return CellError(None, None, str(p))  # 报送人, given outside the file
    empty = p.field in _EMPTY and getattr(m, p.field) in (None, "")
    message = _EMPTY[p.field] if empty else _NO_FILE if p.field == "evidence" else p.message
    return CellError(MS_SHEET, f"{_CELL_OF[p.field]}{m.row}", message)


def _newest(session: Session, ids: list[int]) -> dict[int, tuple]:
    """Who made each milestone's newest stored report and what it says, as `_fact` puts a row."""
    out: dict[int, tuple] = {}
    if ids:
        for r in session.execute(select(MilestoneUpdate.milestone_id, MilestoneUpdate.unit_id, MilestoneUpdate.state,
                                        MilestoneUpdate.as_of, MilestoneUpdate.note, MilestoneUpdate.evidence_url)
                                 .where(MilestoneUpdate.milestone_id.in_(ids)).order_by(MilestoneUpdate.version)):
            out[r.milestone_id] = (r.unit_id, r.state, r.as_of, r.note, r.evidence_url)
    return out


def _fact(m: MilestoneRow) -> tuple:
    day = parse_day(m.as_of)
    return m.state, day.isoformat() if day else None, m.note, m.evidence_url


def _id(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = _text(value)
    return int(text) if text and text.isdigit() else None


def _text(value) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None
