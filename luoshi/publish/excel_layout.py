"""The layout of the monthly-report workbook, shared by the template writer and the importer,
and the error that names each bad cell.

Sheet 填报: row 1 holds the unit (C1) and the month (E1) the importer reads back; row 2 the
headers (frozen); from row 3 one row per target. Column A, the target id, is hidden; H–L are
the input columns, the rest is locked.

Sheet 里程碑 (templates since milestones; older ones lack it): row 1 repeats unit and month for
the reader (the importer reads 填报's); row 2 the headers; from row 3 one row per milestone of the
unit's current tasks. Column A, the milestone id, is hidden; F–I are the input columns."""
from __future__ import annotations

from dataclasses import dataclass

from openpyxl.styles import Alignment, Font, PatternFill

from luoshi.errors import LuoshiError

SHEET, HELP_SHEET = "填报", "说明"
UNIT_LABEL, UNIT_CELL, PERIOD_LABEL, PERIOD_CELL = "B1", "C1", "D1", "E1"
HEADER_ROW, FIRST_ROW = 2, 3
# (column, header, field of a report line or None for a read-only column)
COLUMNS = (
    ("A", "目标编号", "target_id"),
    ("B", "任务", None),
    ("C", "指标", None),
    ("D", "目标值", None),
    ("E", "单位", None),
    ("F", "年份", None),
    ("G", "上月累计", None),
    ("H", "当月", "month_value"),
    ("I", "累计", "cumulative"),
    ("J", "进展情况", "narrative"),
    ("K", "滞后原因", "delay_reason"),
    ("L", "下步措施", "next_steps"),
)
INPUT_FIELDS = ("month_value", "cumulative", "narrative", "delay_reason", "next_steps")
COLUMN_OF = {field: col for col, _, field in COLUMNS if field}
NUMBER_COLUMNS = (COLUMN_OF["month_value"], COLUMN_OF["cumulative"])
INPUT_FILL, HEAD_FILL = PatternFill("solid", fgColor="FFF2CC"), PatternFill("solid", fgColor="D9E1F2")


def write_headers(ws, columns, widths: dict[str, float], row: int = HEADER_ROW) -> None:
    """The header row every luoshi workbook has: bold, shaded, centred, with the column widths.
    `columns`: (column letter, header, …) tuples."""
    for col, header, *_ in columns:
        cell = ws[f"{col}{row}"]
        cell.value, cell.font, cell.fill = header, Font(bold=True), HEAD_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[col].width = widths[col]


def write_unit_and_month(ws, unit_name: str, period: str) -> None:
    """Row 1 of a report sheet: the unit and the month the importer reads back."""
    ws[UNIT_LABEL], ws[UNIT_CELL], ws[PERIOD_LABEL], ws[PERIOD_CELL] = "填报单位", unit_name, "报告月份", period
    ws[PERIOD_CELL].number_format = "@"  # text: Excel must not make a date of 2024-03
    for c in (UNIT_LABEL, PERIOD_LABEL):
        ws[c].font = Font(bold=True)

MS_SHEET = "里程碑"
MS_COLUMNS = (  # (column, header, field of a milestone report or None for a read-only column)
    ("A", "里程碑编号", "milestone_id"),
    ("B", "任务", None),
    ("C", "里程碑", None),
    ("D", "完成时限", None),
    ("E", "当前状态", None),
    ("F", "状态", "state"),
    ("G", "状态日期", "as_of"),
    ("H", "情况说明", "note"),
    ("I", "证明链接", "evidence_url"),
)
MS_INPUT_FIELDS = ("state", "as_of", "note", "evidence_url")
MS_COLUMN_OF = {field: col for col, _, field in MS_COLUMNS if field}
MS_WIDTHS = {"A": 8, "B": 30, "C": 24, "D": 12, "E": 26, "F": 10, "G": 12, "H": 36, "I": 36}
WIDTHS = {"A": 8, "B": 28, "C": 22, "D": 12, "E": 8, "F": 8, "G": 12, "H": 12, "I": 12, "J": 36, "K": 28, "L": 28}


@dataclass(frozen=True)
class CellError:
    """One thing wrong in a workbook: where (sheet and cell, either may be None) and why (Chinese)."""

    sheet: str | None
    cell: str | None
    message: str

    def __str__(self) -> str:
        where = f"{self.sheet}!{self.cell}" if self.sheet and self.cell else (self.sheet or "")
        return f"{where}：{self.message}" if where else self.message

    def to_dict(self) -> dict:
        return {"sheet": self.sheet, "cell": self.cell, "message": self.message}


class WorkbookInvalid(LuoshiError):
    """A report workbook that cannot be stored, with every bad cell; nothing of it was stored."""

    code = "workbook_invalid"
    http_status = 422

    def __init__(self, errors: list[CellError]):
        self.errors = list(errors)
        shown = "；".join(map(str, self.errors[:3])) + ("……" if len(self.errors) > 3 else "")
        super().__init__(f"报表未导入：共 {len(self.errors)} 处问题。{shown}")

    def to_dict(self) -> dict:
        return {"code": self.code, "message": self.message, "errors": [e.to_dict() for e in self.errors]}
