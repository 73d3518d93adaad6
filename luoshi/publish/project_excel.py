"""The key-project library as an Excel workbook for rolling updates (滚动更新):
`write_project_sheet` writes every live project, one row each, with a help sheet;
`import_project_sheet` (project_import.py) reads an edited one back, all or nothing."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.datavalidation import DataValidation
from sqlalchemy.orm import Session

from luoshi.publish.excel_layout import write_headers
from luoshi.publish.project_import import ImportSummary, import_project_sheet
from luoshi.publish.project_layout import (
    COLUMNS,
    FIRST_ROW,
    HEADER_ROW,
    HELP_SHEET,
    LAST_COLUMN,
    MONEY_COLUMNS,
    SHEET,
    SPARE_ROWS,
    TEXT_COLUMNS,
    WIDTHS,
    CellError,
    WorkbookInvalid,
)
from luoshi.track.project_queries import project_rows

__all__ = ["CellError", "ImportSummary", "WorkbookInvalid", "import_project_sheet", "sheet_rows",
           "write_project_sheet"]


def sheet_rows(session: Session) -> list[dict]:
    """Every live project as a row of the sheet, keyed by the layout's fields."""
    return [{"code": r["code"], "name": r["name"], "unit": r["unit"], "county": r["county"],
             "planned_investment": _plain(r["planned_investment"]),
             "completed_investment": _plain(r["completed_investment"]), "planned_start": r["planned_start"],
             "planned_end": r["planned_end"], "actual_start": r["actual_start"],
             "in_statistics": "是" if r["in_statistics"] else "否", "tasks": "、".join(map(str, r["tasks"])) or None,
             "reason": None} for r in project_rows(session)]


def write_project_sheet(session: Session, path: str | Path) -> Path:
    """Write the current library to `path` (.xlsx): the 项目库 sheet and its 说明."""
    rows = sheet_rows(session)
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    write_headers(ws, COLUMNS, WIDTHS, HEADER_ROW)
    for r, row in enumerate(rows, start=FIRST_ROW):
        for col, _, field in COLUMNS:
            ws[f"{col}{r}"].value = row[field]
    last = FIRST_ROW + len(rows) + SPARE_ROWS - 1
    for col in TEXT_COLUMNS:  # typed dates and codes stay text rather than Excel's date serials
        for r in range(FIRST_ROW, last + 1):
            ws[f"{col}{r}"].number_format = "@"
    money = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True,
                           showErrorMessage=True, errorTitle="请输入金额",
                           error="投资额以万元为单位，只能填写不小于 0 的数字（可带小数），不要带单位")
    flag = DataValidation(type="list", formula1='"是,否"', allow_blank=True, showErrorMessage=True,
                          errorTitle="请选择", error="是否入统只能填“是”或“否”")
    for dv in (money, flag):
        ws.add_data_validation(dv)
    for col in MONEY_COLUMNS:
        money.add(f"{col}{FIRST_ROW}:{col}{last}")
    flag.add(f"J{FIRST_ROW}:J{last}")
    ws.freeze_panes = f"A{FIRST_ROW}"
    ws.auto_filter.ref = f"A{HEADER_ROW}:{LAST_COLUMN}{max(FIRST_ROW, len(rows) + HEADER_ROW)}"
    _help(wb.create_sheet(HELP_SHEET), len(rows))
    path = Path(path)
    wb.save(path)
    return path


def _help(ws, count: int) -> None:
    text = ["重点项目库滚动更新说明", "",
            (f"1. “{SHEET}”表每行一个在库项目（现有 {count} 个）。修改单元格即为变更，"
             "导入后生成新版本，旧版本保留可查。"),
            "2. 新增项目：在表末另起一行填写；“项目编号”可留空，导入时自动编号（XM-0001 起）。",
            "3. 项目名称、责任单位必填；责任单位须为单位名录中的单位（全称或简称，如 市工信局）。",
            "4. 所在区县按行政区划名称填写（如 东昌府区），能识别的自动关联区划代码，其余按原文保存。",
            "5. 计划总投资、累计完成投资以万元为单位，填写不小于 0 的数字，不要带单位。",
            ("6. 计划开工、计划竣工、实际开工填写 YYYY-MM-DD 或 YYYY-MM（如 2024-03）；计划竣工不得早于计划开工，"
             "实际开工不得晚于今天。"),
            "7. 是否入统填“是”或“否”（空白视为“否”）。",
            "8. 关联任务编号填写任务编号（luoshi tasks 可查），多个用顿号或逗号分隔；留空即取消该项目与任务的关联。",
            "9. 变更说明：本行变更的原因，随新版本保存（选填）。",
            "10. 删除一行不会删除项目；导入时加 --retire-missing --reason 原因，表中没有的在库项目才会退库。",
            "11. 请勿修改表头、增删列。导入时整表核对：有任何错误都不保存，并逐一列出出错的单元格。",
            "12. 导入：luoshi project import 文件名 [--by 填报人] [--retire-missing --reason 退库原因]"]
    for i, line in enumerate(text, start=1):
        ws[f"A{i}"] = line
    ws["A1"].font = Font(bold=True, size=14)
    ws.column_dimensions["A"].width = 110


def _plain(v) -> int | float | None:
    """A stored amount for a cell: int when whole."""
    if v is None:
        return None
    d = Decimal(v)
    return int(d) if d == d.to_integral_value() else float(d)
