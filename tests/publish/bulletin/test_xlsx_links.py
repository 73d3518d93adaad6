"""The xlsx annex at the edges XlsxWriter guards: links kept exactly as given (the web app's relative
paths too), Excel's limits on hyperlinks, text that looks like a formula or a URL, non-finite
numbers, wide columns and sheet names Excel counts in UTF-16 units."""
from __future__ import annotations

import io
import re
import warnings
import zipfile
from datetime import date

from openpyxl import load_workbook

from luoshi.publish.bulletin.html import Links
from luoshi.publish.bulletin.model import Document, Paragraph, Table
from luoshi.publish.bulletin.xlsx import MAX_LINKS, MAX_URL, C, render_xlsx, sheet_name

WEB = Links(target_url=lambda t: f"/plans/3#t-{t}", report_url=lambda u, p: f"/api/reports/{u}/{p}")


def empty(*blocks) -> Document:
    return Document("办公室", "2022年第3期", "通报", "各单位：", date(2022, 10, 1), [Paragraph(["见附件。"]), *blocks],
                    "某市", "2022Q3", "2022-09")


def quietly(doc, **kw) -> bytes:
    with warnings.catch_warnings():  # XlsxWriter warns when it drops a link: none may be dropped that way
        warnings.simplefilter("error")
        return render_xlsx(doc, **kw)


def test_relative_links_are_kept_as_given(document):
    wb = load_workbook(io.BytesIO(quietly(document, links=WEB)))
    f7 = next(r for r in wb["数字来源"].iter_rows(min_row=3) if r[0].value == "F7")
    assert f7[4].value == "11" and f7[4].hyperlink.target == "/plans/3#t-11" and not f7[4].hyperlink.location
    assert f7[6].hyperlink.target == "/api/reports/7/2022-09"
    assert f7[4].font.u == "single" and f7[4].font.color.rgb.endswith("0563C1")
    index = {r[0].value: r for r in wb["指标索引"].iter_rows(min_row=3)}
    assert index[12][2].value == "/plans/3#t-12" and index[12][2].hyperlink.target == "/plans/3#t-12"


def test_a_url_too_long_for_excel_stays_as_text():
    long = "https://luoshi.example/x?" + "a" * MAX_URL
    ok = "https://luoshi.example/plans/3#t-1"
    wb = load_workbook(io.BytesIO(quietly(empty(), extra={"链接": (["编号", "链接"], [[1, C(long, link=long)],
                                                                                 [2, C(ok, link=ok)]])})))
    (_, a), (_, b) = wb["链接"].iter_rows(min_row=3)
    assert a.value == long and a.hyperlink is None and a.font.u is None
    assert b.hyperlink.target == ok


def test_links_beyond_excels_limit_per_sheet_stay_as_text():
    rows = [[i, C(f"https://luoshi.example/t/{i}", link=f"https://luoshi.example/t/{i}")] for i in range(MAX_LINKS + 5)]
    data = quietly(empty(), extra={"链接": (["编号", "链接"], rows)})
    with zipfile.ZipFile(io.BytesIO(data)) as z:  # read as XML: openpyxl takes seconds over 65,535 rows
        sheet = z.read("xl/worksheets/sheet3.xml").decode()  # 说明, 数字来源, then 链接
        strings = re.findall(r"<si><t>(.*?)</t></si>", z.read("xl/sharedStrings.xml").decode())
    linked = re.findall(r'<hyperlink ref="B(\d+)"', sheet)
    assert MAX_LINKS == 65530 and len(linked) == MAX_LINKS and linked[-1] == str(MAX_LINKS + 2)
    last = {int(r): strings[int(v)] for r, v in re.findall(r'<c r="B(\d+)"[^>]* t="s"><v>(\d+)</v>', sheet)
            if int(r) > MAX_LINKS + 2}
    assert last == {i + 3: f"https://luoshi.example/t/{i}" for i in range(MAX_LINKS, MAX_LINKS + 5)}


def test_text_stays_text_and_odd_numbers_do_not_break_the_file():
    wb = load_workbook(io.BytesIO(quietly(empty(), extra={"杂项": (["甲", "乙", "丙", "丁"], [
        ["=SUM(A1:A2)", "https://luoshi.example/", float("nan"), True]])})))
    (a, b, c, d), = wb["杂项"].iter_rows(min_row=3)
    assert a.value == "=SUM(A1:A2)" and a.data_type == "s"  # not a formula
    assert b.value == "https://luoshi.example/" and b.hyperlink is None  # not turned into a link
    assert c.value == "=#NUM!" and d.value is True  # an error cell, where openpyxl wrote "nan" (a damaged file)


def test_a_very_wide_column_wraps_below_its_header():
    long = "这是一段很长的说明文字，" * 8
    t = Table("表1 说明", ["指标", "说明"], [["甲", long], ["乙", "短"]], ["left", "left"], [1, 1])
    ws = load_workbook(io.BytesIO(quietly(empty(t))))["表1 说明"]
    assert 60 <= ws.column_dimensions["B"].width < 61 and ws.column_dimensions["A"].width < 10
    assert ws["B3"].alignment.wrap_text and ws["B4"].alignment.wrap_text and ws["B3"].alignment.vertical == "top"
    assert not ws["A3"].alignment.wrap_text and not ws["B2"].alignment.wrap_text and ws["B2"].font.b


def test_sheet_names_fit_excels_count_of_utf16_units():
    rare = "𠀀" * 20  # beyond the BMP: two UTF-16 units each
    name = sheet_name(rare, [])
    assert name == "𠀀" * 15 and len(name.encode("utf-16-le")) // 2 == 30
    assert sheet_name(rare, [name]) == "𠀀" * 14 + "(2)"
    assert sheet_name("a" * 30 + "'b", []) == "a" * 30  # no apostrophe at the end once cut
    t = Table(rare, ["指标"], [["甲"]], ["left"], [1])
    assert load_workbook(io.BytesIO(quietly(empty(t, t)))).sheetnames[2:] == ["𠀀" * 15, "𠀀" * 14 + "(2)"]
