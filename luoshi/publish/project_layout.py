"""The layout of the key-project workbook (重点项目库), shared by the writer (project_excel.py) and
the importer (project_import.py).

Sheet 项目库: row 1 the headers (frozen), from row 2 one row per live project; a person edits
values, adds rows (项目编号 left blank gets one assigned) and deletes rows (retired on import only
when asked). Errors are the monthly report's CellError / WorkbookInvalid (excel_layout.py)."""
from __future__ import annotations

from luoshi.publish.excel_layout import CellError, WorkbookInvalid

__all__ = ["CellError", "WorkbookInvalid"]
SHEET, HELP_SHEET = "项目库", "说明"
HEADER_ROW, FIRST_ROW = 1, 2
SPARE_ROWS = 500  # rows below the projects that keep the validations and text formats, for added projects
# (column, header, field: a key of project_rules.FIELDS, or code / tasks / reason)
COLUMNS = (
    ("A", "项目编号", "code"),
    ("B", "项目名称", "name"),
    ("C", "责任单位", "unit"),
    ("D", "所在区县", "county"),
    ("E", "计划总投资（万元）", "planned_investment"),
    ("F", "累计完成投资（万元）", "completed_investment"),
    ("G", "计划开工", "planned_start"),
    ("H", "计划竣工", "planned_end"),
    ("I", "实际开工", "actual_start"),
    ("J", "是否入统（是/否）", "in_statistics"),
    ("K", "关联任务编号", "tasks"),
    ("L", "变更说明", "reason"),
)
COLUMN_OF = {field: col for col, _, field in COLUMNS}
HEADER_OF = {field: header for _, header, field in COLUMNS}
PROJECT_FIELDS = ("name", "unit", "county", "planned_investment", "completed_investment", "planned_start",
                  "planned_end", "actual_start", "in_statistics")
MONEY_COLUMNS = (COLUMN_OF["planned_investment"], COLUMN_OF["completed_investment"])
TEXT_COLUMNS = tuple(COLUMN_OF[f] for f in ("code", "planned_start", "planned_end", "actual_start", "tasks"))
WIDTHS = {"A": 11, "B": 34, "C": 24, "D": 12, "E": 14, "F": 14, "G": 11, "H": 11, "I": 11, "J": 10, "K": 14,
          "L": 28}
LAST_COLUMN = COLUMNS[-1][0]
