"""The monthly report as an Excel workbook: `write_template` makes one for a unit and a month,
`import_workbook` (excel_import.py) reads a filled one back through `reports.submit`.

The template lists every target of the unit's current tasks with what it is measured against
and the latest running total reported before the month; when the month was already reported,
the input columns hold that report, so a correction edits it. The 里程碑 sheet
(excel_milestones.py) lists the milestones of the unit's tasks, so one workbook a month carries
everything the unit owes."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, Protection
from openpyxl.worksheet.datavalidation import DataValidation
from sqlalchemy import select
from sqlalchemy.orm import Session

from luoshi.publish.excel_import import Imported, import_workbook
from luoshi.publish.excel_layout import (
    COLUMN_OF,
    COLUMNS,
    FIRST_ROW,
    HELP_SHEET,
    INPUT_FIELDS,
    INPUT_FILL,
    MS_SHEET,
    NUMBER_COLUMNS,
    PERIOD_CELL,
    SHEET,
    UNIT_CELL,
    WIDTHS,
    CellError,
    WorkbookInvalid,
    write_headers,
    write_unit_and_month,
)
from luoshi.publish.excel_milestones import write_milestone_sheet
from luoshi.store.models import TargetRow
from luoshi.track.reports import _earlier, current_lines, find_unit
from luoshi.track.tasks import tasks_of_unit
from luoshi.track.timeliness import parse_period, period_label

__all__ = ["CellError", "Imported", "WorkbookInvalid", "import_workbook", "template_rows", "write_template"]
_SYMBOL = {">=": "≥", "<=": "≤", ">": ">", "<": "<", "=": "", "==": ""}
NUMBER_FIELDS = ("month_value", "cumulative")


def template_rows(session: Session, unit, period: str) -> list[dict]:
    """One row per target of the unit's current tasks: task, target, latest earlier 累计 and this
    month's current report (if any), keyed by the layout's fields and headers."""
    tasks = tasks_of_unit(session, unit)
    order = [(t, tt.target_id) for t in tasks for tt in t.targets]
    ids = {tid for _, tid in order}
    targets = {x.id: x for x in session.scalars(select(TargetRow).where(TargetRow.id.in_(ids)))} if ids else {}
    earlier = _earlier(session, unit.id, period, ids) if ids else {}
    now = {ln.target_id: ln for ln in current_lines(session, unit.id, period)}
    rows, seen = [], set()
    for task, tid in sorted(order, key=lambda p: (p[0].plan_id, p[0].assignment_id, targets[p[1]].start)):
        if tid in seen:
            continue
        seen.add(tid)
        x, line = targets[tid], now.get(tid)
        rows.append({"target_id": tid, "任务": f"{task.section or ''} {task.title}".strip(), "指标": x.indicator,
                     "目标值": _target_value(x), "单位": x.unit, "年份": x.year,
                     "上月累计": _plain(earlier[tid][-1][1]) if earlier.get(tid) else None,
                     **{f: (_plain(getattr(line, f)) if f in NUMBER_FIELDS else getattr(line, f)) if line else None
                        for f in INPUT_FIELDS}})
    return rows



def write_template(session: Session, unit: str | int, period: str, path):
    """Write the report template of `unit` (name, alias or id) for `period` to `path` (.xlsx), or
    to a binary file object (the web app answers with the bytes): sheets 填报, 里程碑 and 说明."""
    u, period = find_unit(session, unit), parse_period(period)
    rows = template_rows(session, u, period)
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    write_unit_and_month(ws, u.name, period)
    write_headers(ws, COLUMNS, WIDTHS)
    for r, row in enumerate(rows, start=FIRST_ROW):
        for col, header, field in COLUMNS:
            cell = ws[f"{col}{r}"]
            cell.value = row.get(field or header)
            cell.alignment = Alignment(vertical="top", wrap_text=col in "BJKL")
            if field in INPUT_FIELDS:
                cell.protection, cell.fill = Protection(locked=False), INPUT_FILL
    last = FIRST_ROW + max(len(rows), 1) - 1
    numbers = DataValidation(type="decimal", operator="between", formula1="-1E+21", formula2="1E+21", allow_blank=True,
                             showErrorMessage=True, errorTitle="请输入数字", error="当月、累计只能填写数字（可带小数）")
    ws.add_data_validation(numbers)
    for col in NUMBER_COLUMNS:
        numbers.add(f"{col}{FIRST_ROW}:{col}{last}")
    ws.column_dimensions[COLUMN_OF["target_id"]].hidden = True
    ws.freeze_panes = f"A{FIRST_ROW}"
    ws.protection.sheet = True  # no password: it guards against slips, not people
    ws.protection.formatColumns = ws.protection.formatRows = False
    milestones = write_milestone_sheet(session, wb, u, period)
    _help(wb.create_sheet(HELP_SHEET), u.name, period, len(rows), milestones)
    if hasattr(path, "write"):
        wb.save(path)
        return path
    path = Path(path)
    wb.save(path)
    return path


def _help(ws, unit_name: str, period: str, count: int, milestones: int) -> None:
    text = [f"{unit_name} {period_label(period)} 月报填报说明", "",
            f"1. 在“{SHEET}”表中逐行填写黄色单元格（共 {count} 个指标），其余单元格已锁定，请勿改动。",
            "2. “当月”填本月完成值，“累计”填截至本月的累计完成值（必填），只能填写数字，不要带单位。",
            "3. “上月累计”为此前最近一次报送的累计值；累计值一般不应减少，确需核减的须在导入时填写更正说明。",
            "4. 进度滞后于序时进度的指标，须填写“滞后原因”和“下步措施”。",
            "5. 未填写任何内容的行视为本月不报送该指标。",
            f"6. 请勿修改表头、填报单位（{UNIT_CELL}）和报告月份（{PERIOD_CELL}），勿增删列；导入时将核对。",
            "7. 同一月份再次导入即为更正（生成新版本），须填写更正说明。",
            ("8. 导入：luoshi report import 文件名 [--by 报送人] [--reason 更正说明]；"
             "有误时将逐一列出出错的单元格，全部改正后整表重新导入。"),
            (f"9. “{MS_SHEET}”表列出本单位任务的里程碑（共 {milestones} 个），"
             "“当前状态”为截至本月末的状态（逾期未完成按滞后计）。"),
            ("10. 有进展的里程碑填写黄色单元格：“状态”从下拉列表选择；“状态日期”按 YYYY-MM-DD 填写该状态的起始日期"
             "（已完成填完成日期），不能晚于导入当天。"),
            "11. 报“滞后”须在“情况说明”中写明原因；未填写的里程碑视为本月不报送。",
            ("12. 报“已完成”须附证明材料，表中只能填“证明链接”（http:// 或 https:// 开头）。文件无法随表格报送："
             "请在网页上传，或用 luoshi milestone report 里程碑编号 --evidence 文件名 报送（编号在隐藏的 A 列）。"),
            f"13. 指标与里程碑一并导入，任一处有误则都不保存；只填“{MS_SHEET}”表、不填指标也可导入。"]
    for i, line in enumerate(text, start=1):
        ws[f"A{i}"] = line
    ws["A1"].font = Font(bold=True, size=14)
    ws.column_dimensions["A"].width = 110


def _target_value(x: TargetRow) -> str:
    value = _plain(x.value)
    if x.value_max is not None:
        return f"{value}–{_plain(x.value_max)}"
    return f"{_SYMBOL.get(x.comparator, x.comparator or '')}{value}"


def _plain(v) -> int | float | None:
    """A stored number for a cell: int when whole."""
    if v is None:
        return None
    d = Decimal(v) if not isinstance(v, Decimal) else v
    return int(d) if d == d.to_integral_value() else float(d)
