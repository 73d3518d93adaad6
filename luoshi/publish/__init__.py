"""Publishing to and reading back from office files: the monthly report as an Excel workbook."""
from luoshi.publish.excel_report import WorkbookInvalid, import_workbook, write_template

__all__ = ["WorkbookInvalid", "import_workbook", "write_template"]
