"""The 里程碑 sheet of the monthly workbook: `write_milestone_sheet` lists the milestones of the
unit's current tasks (lead or support) with their state at the end of the month and input
columns for this month's report; excel_milestone_import.py reads it back.

A unit without milestones still gets the sheet, its one row saying so, so that every template
has the same sheets. Files cannot travel in a cell: 已完成 needs a link here, files go through the
web or `luoshi milestone report --evidence` (the 说明 sheet says so)."""
from __future__ import annotations

from openpyxl.styles import Alignment, Protection
from openpyxl.worksheet.datavalidation import DataValidation
from sqlalchemy.orm import Session

from luoshi.publish.excel_layout import (
    FIRST_ROW,
    INPUT_FILL,
    MS_COLUMN_OF,
    MS_COLUMNS,
    MS_INPUT_FIELDS,
    MS_SHEET,
    MS_WIDTHS,
    write_headers,
    write_unit_and_month,
)
from luoshi.store.work_models import MILESTONE_STATES
from luoshi.track.milestone_rows import milestone_rows

NONE_TEXT = "本单位当前任务没有里程碑，无需填写本表。"


def write_milestone_sheet(session: Session, wb, unit, period: str) -> int:
    """Add the 里程碑 sheet as the workbook's second; returns how many milestones it lists."""
    rows = milestone_rows(session, unit=unit, as_of=period)  # judged on the month's last day
    ws = wb.create_sheet(MS_SHEET, 1)
    write_unit_and_month(ws, unit.name, period)
    write_headers(ws, MS_COLUMNS, MS_WIDTHS)
    for r, m in enumerate(rows, start=FIRST_ROW):
        shown = {"milestone_id": m["id"], "任务": f"{m['section'] or ''} {m['task']}".strip(), "里程碑": m["title"],
                 "完成时限": m["due"], "当前状态": m["status"]}
        for col, header, field in MS_COLUMNS:
            cell = ws[f"{col}{r}"]
            cell.value = shown.get(field or header)
            cell.alignment = Alignment(vertical="top", wrap_text=col in "BCEHI")
            if field in MS_INPUT_FIELDS:
                cell.protection, cell.fill = Protection(locked=False), INPUT_FILL
        ws[f"{MS_COLUMN_OF['as_of']}{r}"].number_format = "@"  # typed 2024-05-10 stays text, not a date serial
    if rows:
        _validations(ws, FIRST_ROW + len(rows) - 1)
    else:
        ws[f"B{FIRST_ROW}"] = NONE_TEXT
    ws.column_dimensions[MS_COLUMN_OF["milestone_id"]].hidden = True
    ws.freeze_panes = f"A{FIRST_ROW}"
    ws.protection.sheet = True  # as 填报: against slips, not people
    ws.protection.formatColumns = ws.protection.formatRows = False
    return len(rows)


def _validations(ws, last: int) -> None:
    col = MS_COLUMN_OF
    states = DataValidation(type="list", formula1='"' + ",".join(MILESTONE_STATES) + '"', allow_blank=True,
                            showErrorMessage=True, errorTitle="状态无效",
                            error=f"只能选择{'、'.join(MILESTONE_STATES)}")
    day = DataValidation(type="textLength", operator="equal", formula1="10", allow_blank=True, showErrorMessage=True,
                         errorTitle="日期格式", error="请按 YYYY-MM-DD 填写，如 2024-05-10")
    first = f"{col['evidence_url']}{FIRST_ROW}"
    link = DataValidation(type="custom", formula1=f'OR(LEFT({first},7)="http://",LEFT({first},8)="https://")',
                          allow_blank=True, showErrorMessage=True, errorTitle="链接无效",
                          error="只能填写 http:// 或 https:// 开头的链接；文件请通过网页或命令行上传")
    for dv, field in ((states, "state"), (day, "as_of"), (link, "evidence_url")):
        ws.add_data_validation(dv)
        dv.add(f"{col[field]}{FIRST_ROW}:{col[field]}{last}")


