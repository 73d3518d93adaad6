"""The xlsx annex, read back with openpyxl: every figure as a numeric cell equal to its value, one
sheet per table, hyperlinks to targets and reports, and identical bytes for the same Document."""
from __future__ import annotations

import io
import zipfile
from dataclasses import replace
from datetime import date, datetime

from openpyxl import load_workbook

from luoshi.publish.bulletin.html import Links
from luoshi.publish.bulletin.model import Document, Figure, Paragraph, Source, Table
from luoshi.publish.bulletin.xlsx import FIGURE_HEADER, number_format, render_xlsx, sheet_name

LINKS = Links(target_url=lambda t: f"https://luoshi.example/plans/3#t-{t}",
              report_url=lambda u, p: f"https://luoshi.example/api/reports/{u}/{p}",
              target_name={11: "5G基站数量"}, unit_name={7: "市通信管理局"})


def book(doc, **kw):
    return load_workbook(io.BytesIO(render_xlsx(doc, **kw)))


def rows(ws):
    return [list(r) for r in ws.iter_rows(min_row=3)]


def test_every_figure_with_its_value_and_sources(document):
    wb = book(document, links=LINKS)
    ws = wb["数字来源"]
    assert [c.value for c in ws[2]] == FIGURE_HEADER
    assert document.title in ws["A1"].value and document.issue in ws["A1"].value
    figs = document.figures()
    got = rows(ws)
    assert [r[0].value for r in got] == [f.key for f in figs]
    for r, f in zip(got, figs):
        assert r[1].value == f.label and r[3].value == f.text
        assert isinstance(r[2].value, (int, float)) and r[2].value == f.value  # a number, not text
        assert r[2].number_format == number_format(f.text)
        assert r[4].value == ("、".join(map(str, f.source.targets)) or None)
        assert r[7].value == ("、".join(map(str, f.source.submissions)) or None)
    f7 = next(r for r in got if r[0].value == "F7")
    assert f7[5].value == "5G基站数量"
    assert f7[4].hyperlink.target == "https://luoshi.example/plans/3#t-11"
    assert f7[6].value == "市通信管理局 2022-09"
    assert f7[6].hyperlink.target == "https://luoshi.example/api/reports/7/2022-09"
    f1 = next(r for r in got if r[0].value == "F1")  # two targets: named, linked from the index sheet
    assert f1[5].value == "5G基站数量、指标 #12" and f1[4].hyperlink is None
    assert f7[2].number_format == "0" and got[2][2].number_format == '0.0"%"'  # F3 printed 58.3%
    assert ws.freeze_panes == "A3" and ws["A2"].font.b


def test_index_sheets_link_every_target_and_report(document):
    wb = book(document, links=LINKS)
    targets = {r[0].value: r for r in rows(wb["指标索引"])}
    assert sorted(targets) == [1, 2, 3, 4, 5, 11, 12]
    assert targets[11][1].value == "5G基站数量" and targets[11][3].value == "F1、F3、F4、F5、F6、F7、F8"
    assert all(r[2].hyperlink.target == f"https://luoshi.example/plans/3#t-{t}" for t, r in targets.items())
    reports = rows(wb["报告索引"])
    assert [(r[0].value, r[1].value, r[2].value, r[3].value, r[6].value) for r in reports] == [
        ("月报", 7, "市通信管理局", "2022-08", "F9"), ("月报", 7, "市通信管理局", "2022-09", "F7"),
        ("报送版本", None, None, None, "F7")]
    assert reports[0][5].hyperlink.target == "https://luoshi.example/api/reports/7/2022-08"
    assert reports[2][4].value == 301 and reports[2][5].hyperlink is None  # no submission URL given


def test_one_sheet_per_table_with_numeric_cells_and_keys(document):
    table = next(b for b in document.blocks if isinstance(b, Table))
    wb = book(document)
    assert wb.sheetnames == ["说明", "数字来源", "表1 量化指标完成情况", "指标索引", "报告索引"]
    ws = wb["表1 量化指标完成情况"]
    assert [c.value for c in ws[2]] == table.header + ["灯色", "数字编号"]
    (row,) = rows(ws)
    for cell, run in zip(row, table.rows[0]):
        if isinstance(run, Figure):
            assert isinstance(cell.value, (int, float)) and cell.value == run.value
        else:
            assert cell.value == run
    assert row[6].value == "红灯" and row[6].fill.fgColor.rgb.endswith("F4B6B6")
    assert row[7].value == "F5、F6、F7、F8"
    assert row[3].number_format == '0.0"%"' and row[5].number_format == "0.0"  # 75.0% and -33.0
    assert ws.freeze_panes == "A3"
    assert ws.column_dimensions["A"].width >= 2 * len("5G基站数量（个）")  # CJK counts double


def test_text_figures_notes_odd_captions_and_extra_sheets():
    none = Figure("F1", "暂无数据", "实际值", None, Source(targets=(4,)))
    pct = Figure("F2", "+12.5%", "增速", 12.5)
    big = Figure("F3", "1,234", "基站", 1234)
    t = Table("表2 a/b:c*[d]? 一个很长很长很长很长很长很长的表题", ["指标", "实际值", "增速", "基站"],
              [["甲", none, pct, big]], ["left"] * 4, [1] * 4, note="注：数据截至9月。")
    doc = Document("办公室", "2022年第3期", "通报", "各单位：", date(2022, 10, 1),
                   [Paragraph(["见表。"]), t, replace(t, caption="表2 a/b:c*[d]? 一个很长很长很长很长很长很长的表题")],
                   "某市", "2022Q3", "2022-09")
    wb = book(doc, extra={"全部指标": (["编号", "名称", "完成率"], [[4, "指标甲", 0.5], [5, "指标乙", None]])})
    name = wb.sheetnames[2]
    assert len(name) <= 31 and not set("[]:*?/\\") & set(name) and name.startswith("表2 a_b_c__d__")
    assert len(wb.sheetnames[3]) <= 31 and wb.sheetnames[3].endswith("(2)")
    row, note = rows(wb[name])
    assert row[1].value == "暂无数据" and row[2].value == 12.5 and row[2].number_format == '+0.0"%";-0.0"%";0.0"%"'
    assert row[3].value == 1234 and row[3].number_format == "#,##0" and row[4].value == "F1、F2、F3"
    assert note[0].value == "注：数据截至9月。"
    figs = {r[0].value: r for r in rows(wb["数字来源"])}
    assert figs["F1"][2].value is None and figs["F1"][3].value == "暂无数据"
    ws = wb["全部指标"]
    assert "通报" in ws["A1"].value and [c.value for c in ws[2]] == ["编号", "名称", "完成率"]
    assert [[c.value for c in r] for r in rows(ws)] == [[4, "指标甲", 0.5], [5, "指标乙", None]]
    about = {r[0].value: r[1].value for r in rows(wb["说明"])}
    assert about["期号"] == "2022年第3期" and about["成文日期"] == datetime(2022, 10, 1)
    assert "工作表“全部指标”" in about


def test_same_document_same_bytes(document):
    first, second = render_xlsx(document, links=LINKS), render_xlsx(document, links=LINKS)
    assert first == second
    with zipfile.ZipFile(io.BytesIO(first)) as z:  # XlsxWriter stamps every entry with a fixed date, not the clock
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    props = load_workbook(io.BytesIO(first)).properties
    assert props.created == props.modified == datetime(2022, 10, 12)
    document.signed = date(2022, 10, 13)
    assert render_xlsx(document, links=LINKS) != first


def test_sheet_name_is_unique_case_insensitively():
    assert sheet_name("数字来源", ["数字来源"]) == "数字来源(2)"
    assert sheet_name("Sheet", ["sheet", "Sheet(2)"]) == "Sheet(3)"
    assert sheet_name("[]", []) == "__"
    assert sheet_name("'表'", []) == "表"
