"""The monthly report as an Excel workbook: a template is generated, filled as a person would
(values typed into the input cells), and imported; a bad one is rejected whole, every error named
by sheet and cell, nothing stored. SQLite only: the storing itself is test_reports' business."""
from __future__ import annotations

from datetime import date

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from luoshi.cli import app
from luoshi.publish.excel_report import WorkbookInvalid, import_workbook, write_template
from luoshi.track.reports import current_lines, submit
from luoshi.track.timeliness import today
from tests.track.report_data import LEAD, build, counts

AS_OF, MARCH = date(2024, 4, 5), "2024-03"


@pytest.fixture
def world(tmp_path):
    return build(f"sqlite:///{tmp_path}/luoshi.db")


def template(world, path, unit="市工信局", period=MARCH):
    store = world.store()
    try:
        with store.session() as s:
            return write_template(s, unit, period, path)
    finally:
        store.close()


def rows_by_target(ws) -> dict[int, int]:
    return {ws[f"A{r}"].value: r for r in range(3, ws.max_row + 1) if ws[f"A{r}"].value is not None}


def fill(path, values: dict[int, dict[str, object]], extra: list[tuple] = ()):
    """Type values into the input columns (by header), as a person would; `extra`: added rows."""
    wb = load_workbook(path)
    ws = wb["填报"]
    col = {ws.cell(2, c).value: ws.cell(2, c).column_letter for c in range(1, ws.max_column + 1)}
    rows = rows_by_target(ws)
    for tid, cells in values.items():
        for header, v in cells.items():
            ws[f"{col[header]}{rows[tid]}"] = v
    for row in extra:
        r = ws.max_row + 1
        for header, v in row:
            ws[f"{col[header]}{r}"] = v
    wb.save(path)
    return path


def load(world, path, **kw):
    store = world.store()
    try:
        with store.session() as s:
            return import_workbook(s, path, as_of=kw.pop("as_of", AS_OF), **kw)
    finally:
        store.close()


def rejected(world, data, **kw) -> list[str]:
    before = counts(world.url)
    with pytest.raises(WorkbookInvalid) as e:
        load(world, data, **kw)
    assert counts(world.url) == before and e.value.exit_code == 2 and e.value.http_status == 422
    return [str(x) for x in e.value.errors]


def test_the_template_lists_the_units_targets_and_guards_the_rest(world, tmp_path):
    wb = load_workbook(template(world, tmp_path / "t.xlsx"))
    ws = wb["填报"]
    assert (ws["C1"].value, ws["E1"].value) == (LEAD, MARCH)
    assert [ws.cell(2, c).value for c in range(1, 13)] == [
        "目标编号", "任务", "指标", "目标值", "单位", "年份", "上月累计", "当月", "累计", "进展情况", "滞后原因", "下步措施"]
    assert set(rows_by_target(ws)) == {world.stock, world.new}  # not the other unit's target
    r = rows_by_target(ws)[world.stock]
    assert (ws[f"C{r}"].value, ws[f"D{r}"].value, ws[f"E{r}"].value) == ("5G基站总数", "≥12000", "个")
    assert ws.column_dimensions["A"].hidden and ws.freeze_panes == "A3" and ws.protection.sheet
    assert not ws[f"H{r}"].protection.locked and not ws[f"L{r}"].protection.locked and ws[f"C{r}"].protection.locked
    assert {str(dv.sqref) for dv in ws.data_validations.dataValidation if dv.type == "decimal"} == {"H3:H4 I3:I4"}
    assert "说明" in wb.sheetnames and "月报填报说明" in wb["说明"]["A1"].value


def test_a_filled_template_is_stored(world, tmp_path):
    path = fill(template(world, tmp_path / "t.xlsx"), {
        world.stock: {"当月": 500, "累计": 6500, "进展情况": "新建基站500个"},
        world.new: {"当月": "300", "累计": 800}})
    sub = load(world, path, submitted_by="张三")
    assert (sub.submission.version, sub.submission.source, sub.submission.submitted_by) == (1, "excel", "张三")
    store = world.store()
    with store.session() as s:
        got = {ln.target_id: (float(ln.month_value), float(ln.cumulative), ln.narrative)
               for ln in current_lines(s, world.lead, MARCH)}
    store.close()
    assert got == {world.stock: (500, 6500, "新建基站500个"), world.new: (300, 800, None)}
    # April's template shows March's running total
    ws = load_workbook(template(world, tmp_path / "apr.xlsx", period="2024-04"))["填报"]
    assert ws[f"G{rows_by_target(ws)[world.stock]}"].value == 6500


def test_a_bad_workbook_is_rejected_whole_with_each_cell_named(world, tmp_path):
    store = world.store()
    with store.session() as s:
        submit(s, unit=LEAD, period="2024-02", lines=[{"target_id": world.stock, "cumulative": 6500}],
               source="api", as_of=date(2024, 3, 5))
    store.close()
    path = template(world, tmp_path / "t.xlsx")
    rows = rows_by_target(load_workbook(path)["填报"])
    fill(path, {world.stock: {"当月": -100, "累计": 6400}, world.new: {"当月": 300, "累计": "八千"}},
         extra=[(("目标编号", world.other), ("累计", 2))])
    got = rejected(world, path)
    s, n, other = rows[world.stock], rows[world.new], max(rows.values()) + 1
    assert f"填报!I{n}：“八千”不是数字" in got
    assert any(e.startswith(f"填报!I{s}：") and "更正说明" in e for e in got), got
    assert any(e.startswith(f"填报!A{other}：") and "不属于" in e for e in got), got


def test_the_unit_and_month_cells_are_checked(world, tmp_path):
    path = fill(template(world, tmp_path / "t.xlsx"), {world.stock: {"累计": 6500}})
    wb = load_workbook(path)
    wb["填报"]["C1"], wb["填报"]["E1"], wb["填报"]["I2"] = "市不存在局", "2024-13", "合计"
    wb.save(path)
    got = rejected(world, path)
    assert len(got) == 1 and got[0].startswith("填报!I2：表头应为“累计”")
    wb["填报"]["I2"] = "累计"
    wb.save(path)
    got = rejected(world, path.read_bytes())
    assert [e.split("：")[0] for e in got] == ["填报!C1", "填报!E1"]
    assert "市不存在局" in got[0] and "无效" in got[1]


@pytest.mark.parametrize("data", [b"not a workbook", b"PK\x03\x04broken zip", "目标编号,累计\n1,2\n"])
def test_a_file_that_is_no_xlsx_is_a_clear_error(world, tmp_path, data):
    path = tmp_path / "月报.xlsx"
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    (msg,) = rejected(world, path)
    assert "不是有效的 Excel 工作簿" in msg


def test_cli_template_then_import(tmp_path):
    world = build(f"sqlite:///{tmp_path}/luoshi.db", year=today().year)  # the CLI reports for today
    runner, out, month = CliRunner(), tmp_path / "t.xlsx", world.period(today().month)
    r = runner.invoke(app, ["report", "template", "市工信局", month, "-o", str(out), "--db", world.url])
    assert r.exit_code == 0, r.output
    fill(out, {world.stock: {"当月": 500, "累计": "八千"}, world.new: {"累计": 2900, "滞后原因": "选址受阻"}})
    r = runner.invoke(app, ["report", "import", str(out), "--db", world.url])
    assert r.exit_code == 2 and "填报!I3：“八千”不是数字" in r.stderr and "共" in r.stderr
    assert counts(world.url) == (0, 0)
    fill(out, {world.stock: {"累计": 8000, "滞后原因": "选址受阻", "下步措施": "协调共享站址"},
               world.new: {"下步措施": "协调共享站址"}})
    r = runner.invoke(app, ["report", "import", str(out), "--by", "张三", "--db", world.url])
    assert r.exit_code == 0, r.output
    assert "第1版" in r.stdout and counts(world.url) == (1, 2)


def test_cli_import_of_a_locked_month_needs_approved(tmp_path):
    world = build(f"sqlite:///{tmp_path}/luoshi.db", year=2024)  # March 2024 is long locked
    runner, out = CliRunner(), tmp_path / "t.xlsx"
    assert runner.invoke(app, ["report", "template", "市工信局", MARCH, "-o", str(out), "--db", world.url]).exit_code == 0
    fill(out, {world.stock: {"当月": 500, "累计": 6500}})
    r = runner.invoke(app, ["report", "import", str(out), "--db", world.url])
    assert r.exit_code == 2 and "锁定" in r.output and counts(world.url) == (0, 0)
    r = runner.invoke(app, ["report", "import", str(out), "--approved", "--db", world.url])
    assert r.exit_code == 0 and "经调度办公室同意补报" in r.stdout and counts(world.url) == (1, 1)
