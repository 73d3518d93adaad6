"""The key-project library as an Excel workbook (滚动更新): the sheet is written, edited as a person
would (a value changed, a row added, the rest left alone) and imported: one new version, one new
project, nothing for the untouched rows. A bad sheet is rejected whole, each error named by cell,
nothing stored. SQLite only: the storing itself is test_projects' business."""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from luoshi.publish.project_excel import WorkbookInvalid, import_project_sheet, write_project_sheet
from luoshi.track import projects
from luoshi.track.project_queries import link, project_rows
from tests.track.project_data import at, build_projects, counts

WHEN = at("2024-06-20 10:00")


@pytest.fixture
def world(tmp_path):
    w = build_projects(f"sqlite:///{tmp_path}/luoshi.db")
    with w.session() as s:
        kw = {"source": "cli", "at": at("2024-05-01 09:00")}
        projects.add(s, {"name": "澜州市数据中心二期", "unit": "市工信局", "county": "东昌府区", "planned_investment": 1200.5,
                         "completed_investment": 300, "planned_start": "2024-03", "planned_end": "2025-12-31",
                         "actual_start": "2024-04-02", "in_statistics": True}, **kw)
        projects.add(s, {"name": "5G基站补点", "unit": "市工信局", "planned_investment": 800}, **kw)
        projects.add(s, {"name": "城市算力中心", "unit": "市发展和改革委员会", "planned_investment": 2000}, **kw)
        link(s, "XM-0001", task=w.task1)
    return w


def sheet(world, path):
    with world.session() as s:
        return write_project_sheet(s, path)


def load(world, path, **kw):
    with world.session() as s:
        return import_project_sheet(s, path, at=kw.pop("at", WHEN), **kw)


def edit(path, cells: dict[str, object], *, drop_row: int | None = None):
    """Type values into cells ("F2": 450), as a person would; `drop_row` deletes a row."""
    wb = load_workbook(path)
    ws = wb["项目库"]
    for ref, value in cells.items():
        ws[ref] = value
    if drop_row:
        ws.delete_rows(drop_row)
    wb.save(path)
    return path


def rows_by_code(path) -> dict[str, int]:
    ws = load_workbook(path)["项目库"]
    return {ws[f"A{r}"].value: r for r in range(2, ws.max_row + 1) if ws[f"A{r}"].value}


def stored(world) -> dict[str, list[tuple]]:
    with world.session() as s:
        return {r["code"]: [(v.version, v.change, v.source, v.completed_investment, v.reason)
                            for v in projects.history(s, r["code"])] for r in project_rows(s, include_retired=True)}


def test_the_sheet_holds_the_library_with_validations_and_help(world, tmp_path):
    path = sheet(world, tmp_path / "项目库.xlsx")
    wb = load_workbook(path)
    assert wb.sheetnames == ["项目库", "说明"]
    ws = wb["项目库"]
    assert [c.value for c in ws[1]] == ["项目编号", "项目名称", "责任单位", "所在区县", "计划总投资（万元）", "累计完成投资（万元）",
                                        "计划开工", "计划竣工", "实际开工", "是否入统（是/否）", "关联任务编号", "变更说明"]
    assert [c.value for c in ws[2]] == ["XM-0001", "澜州市数据中心二期", "市工业和信息化局", "东昌府区", 1200.5, 300, "2024-03",
                                        "2025-12-31", "2024-04-02", "是", str(world.task1), None]
    assert [ws[f"{c}3"].value for c in "ABCEJK"] == ["XM-0002", "5G基站补点", "市工业和信息化局", 800, "否", None]
    rules = {dv.type: (dv.operator, dv.formula1, str(dv.sqref)) for dv in ws.data_validations.dataValidation}
    assert rules["list"][1] == '"是,否"' and rules["list"][2].startswith("J2:J")
    assert rules["decimal"][:2] == ("greaterThanOrEqual", "0") and {"E2", "F2"} <= {
        part.split(":")[0] for part in rules["decimal"][2].split()}
    assert "万元" in " ".join(str(c.value) for c in wb["说明"]["A"])


def test_edited_sheet_adds_changes_and_leaves_the_rest(world, tmp_path):
    path = sheet(world, tmp_path / "项目库.xlsx")
    rows = rows_by_code(path)
    new = max(rows.values()) + 1
    edit(path, {f"F{rows['XM-0001']}": 450, f"L{rows['XM-0001']}": "6月调度",
                f"B{new}": "智慧灯杆", f"C{new}": "市工信局", f"D{new}": "济南市市中区", f"E{new}": "2,000",
                f"G{new}": datetime(2024, 7, 1), f"H{new}": "2025-06", f"J{new}": "是",
                f"K{new}": f"{world.task1}、{world.task2}"})
    before = stored(world)
    done = load(world, path, changed_by="王五")
    assert done.counts() == {"added": 1, "changed": 1, "unchanged": 2, "retired": 0, "relinked": 0}
    assert (done.added, done.changed, done.unchanged) == (["XM-0004"], ["XM-0001"], ["XM-0002", "XM-0003"])
    after = stored(world)
    assert after["XM-0001"] == before["XM-0001"] + [(2, "change", "excel", Decimal("450"), "6月调度")]
    assert after["XM-0002"] == before["XM-0002"] and after["XM-0003"] == before["XM-0003"]
    with world.session() as s:
        new_row = project_rows(s, code="XM-0004")[0]
        old_row = project_rows(s, code="XM-0001")[0]
    assert (new_row["unit_id"], new_row["region_code"], new_row["planned_investment"], new_row["planned_start"],
            new_row["planned_end"], new_row["in_statistics"], new_row["changed_by"]) == (
        world.base.lead, "370103", Decimal("2000"), "2024-07-01", "2025-06", True, "王五")
    assert new_row["tasks"] == sorted([world.task1, world.task2]) and old_row["tasks"] == [world.task1]
    assert (old_row["name"], old_row["planned_investment"], old_row["actual_start"]) == (
        "澜州市数据中心二期", Decimal("1200.5"), "2024-04-02")
    # the library written again and imported as it is: nothing new
    again = load(world, sheet(world, tmp_path / "again.xlsx"))
    assert again.counts() == {"added": 0, "changed": 0, "unchanged": 4, "retired": 0, "relinked": 0}
    assert stored(world) == after


def test_a_bad_sheet_is_rejected_whole_with_every_cell_named(world, tmp_path):
    path = sheet(world, tmp_path / "项目库.xlsx")
    rows = rows_by_code(path)
    a, b, c = rows["XM-0001"], rows["XM-0002"], rows["XM-0003"]
    edit(path, {f"F{a}": 450,  # a good change that must not be stored either
                f"E{b}": "八百", f"G{b}": "2025-06", f"H{b}": "2024-12",
                f"C{c}": "市不存在局", f"J{c}": "也许", f"K{c}": "99999"})
    before = (counts(world.url), stored(world))
    with pytest.raises(WorkbookInvalid) as e:
        load(world, path)
    got = {(err.sheet, err.cell): err.message for err in e.value.errors}
    assert set(got) == {("项目库", f"E{b}"), ("项目库", f"H{b}"), ("项目库", f"C{c}"), ("项目库", f"J{c}"),
                        ("项目库", f"K{c}")}
    assert "八百" in got[("项目库", f"E{b}")] and "不是数字" in got[("项目库", f"E{b}")]
    assert "早于计划开工" in got[("项目库", f"H{b}")]
    assert "市不存在局" in got[("项目库", f"C{c}")] and "单位名录" in got[("项目库", f"C{c}")]
    assert "是" in got[("项目库", f"J{c}")] and "99999" in got[("项目库", f"K{c}")]
    assert str(e.value.errors[0]).startswith(f"项目库!E{b}：")  # by row, then column
    assert e.value.http_status == 422 and "共 5 处问题" in e.value.message
    assert (counts(world.url), stored(world)) == before


def test_missing_rows_are_retired_only_when_asked_with_a_reason(world, tmp_path):
    path = edit(sheet(world, tmp_path / "项目库.xlsx"), {}, drop_row=rows_by_code(tmp_path / "项目库.xlsx")["XM-0003"])
    assert load(world, path).counts()["retired"] == 0
    with pytest.raises(WorkbookInvalid) as e:
        load(world, path, retire_missing=True)
    assert [(err.cell, "XM-0003" in err.message, "原因" in err.message) for err in e.value.errors] == [(None, True, True)]
    done = load(world, path, retire_missing=True, reason="2024年调出", changed_by="王五")
    assert done.retired == ["XM-0003"]
    assert stored(world)["XM-0003"][-1] == (2, "retire", "excel", None, "2024年调出")
    # a retired project's row cannot come back through the sheet
    edit(path, {"A5": "XM-0003", "B5": "城市算力中心", "C5": "市发展和改革委员会"})
    with pytest.raises(WorkbookInvalid) as e:
        load(world, path)
    assert [(err.cell, "已退库" in err.message) for err in e.value.errors] == [("A5", True)]


@pytest.mark.parametrize("cells, cell, words", [
    ({"A3": "XM-0001"}, "A3", "重复"),
    ({"C1": "单位"}, "C1", "表头应为“责任单位”"),
    ({"B2": None}, "B2", "项目名称必填"),
    ({"A9": "XM-0009", "C9": "市工信局"}, "B9", "项目名称必填"),
])
def test_what_a_sheet_may_not_hold(world, tmp_path, cells, cell, words):
    path = edit(sheet(world, tmp_path / "项目库.xlsx"), cells)
    before = counts(world.url)
    with pytest.raises(WorkbookInvalid) as e:
        load(world, path)
    assert any(err.cell == cell and words in err.message for err in e.value.errors), e.value.errors
    assert counts(world.url) == before


@pytest.mark.parametrize("content, words", [(b"not a workbook", "不是有效的 Excel"), (None, "没有“项目库”工作表")])
def test_an_unreadable_file_is_one_error(world, tmp_path, content, words):
    if content is None:
        from openpyxl import Workbook

        path = tmp_path / "other.xlsx"
        Workbook().save(path)
        content = path.read_bytes()
    with pytest.raises(WorkbookInvalid) as e:
        load(world, content)
    assert len(e.value.errors) == 1 and words in e.value.errors[0].message
