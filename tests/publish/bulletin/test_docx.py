"""The DOCX bulletin read back with python-docx and lxml: page and grid of GB/T 9704-2012, the
fonts on styles and runs, head, tables, charts, signature, 版记 and the page-number footers."""
from __future__ import annotations

import io
import re
import zipfile
from dataclasses import replace

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm

from luoshi.publish.bulletin import docx_style as st
from luoshi.publish.bulletin.docx import render_docx, title_lines
from luoshi.publish.bulletin.docx_table import column_twips, table_pt
from luoshi.publish.bulletin.model import (
    Document,
    Figure,
    Heading,
    Paragraph,
    Table,
    date_cn,
    plain,
)


@pytest.fixture
def built(document: Document):
    data = render_docx(document)
    return document, docx.Document(io.BytesIO(data)), zipfile.ZipFile(io.BytesIO(data))


def _mm(emu) -> float:
    return emu / 36000


def _east_asia(el) -> str | None:
    fonts = el.find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
    return None if fonts is None else fonts.get(qn("w:eastAsia"))


def _val(el, path: str) -> str | None:
    found = el.find(path.replace("w:", "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"))
    return None if found is None else found.get(qn("w:val"))


def test_page_is_a4_with_the_official_margins(built):
    _, d, _ = built
    sec = d.sections[0]
    for got, want in ((sec.page_width, 210), (sec.page_height, 297), (sec.top_margin, 37),
                      (sec.bottom_margin, 35), (sec.left_margin, 28), (sec.right_margin, 26)):
        assert abs(_mm(got) - want) < 0.02  # twips round to 0.018 mm


def test_grid_is_22_lines_of_28_characters(built):
    _, d, _ = built
    grid = d.sections[0]._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "linesAndChars"
    pitch, space = int(grid.get(qn("w:linePitch"))), int(grid.get(qn("w:charSpace")))
    height_pt, width_pt = 225 / 25.4 * 72, 156 / 25.4 * 72
    assert 22 * pitch / 20 <= height_pt < 23 * pitch / 20
    char = 16 + space / 4096  # Word's character pitch: Normal's size plus charSpace/4096 pt
    assert 28 * char <= width_pt < 29 * char
    assert d.styles["Normal"].font.size.pt == 16


@pytest.mark.parametrize("style, font, size, bold", [
    ("公文正文", "仿宋_GB2312", 16, False), ("公文标题", "方正小标宋简体", 22, False), ("一级标题", "黑体", 16, False),
    ("二级标题", "楷体_GB2312", 16, False), ("三级标题", "仿宋_GB2312", 16, True), ("四级标题", "仿宋_GB2312", 16, False),
    ("页码", "宋体", 14, False), ("版记", "仿宋_GB2312", 14, False)])
def test_styles_name_the_official_fonts(built, style, font, size, bold):
    _, d, _ = built
    s = d.styles[style]
    fonts = s.element.rPr.find(qn("w:rFonts"))
    assert {fonts.get(qn(f"w:{a}")) for a in ("eastAsia", "ascii", "hAnsi")} == {font}
    assert s.font.size.pt == size and bool(s.font.bold) == bold


def test_body_paragraphs_are_exact_28_95_pt_justified_indented_two_characters(built):
    _, d, _ = built
    pf = d.styles["公文正文"].paragraph_format
    assert pf.line_spacing.pt == pytest.approx(28.95) and pf.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    ind = d.styles["公文正文"].element.pPr.find(qn("w:ind"))
    assert ind.get(qn("w:firstLineChars")) == "200" and ind.get(qn("w:firstLine")) == "640"


def test_no_theme_fonts_and_chinese_language(built):
    _, d, z = built
    for part in ("word/styles.xml", "word/document.xml", "word/footer1.xml"):
        assert not re.search(r"w:(eastAsia|ascii|hAnsi|cs)Theme=", z.read(part).decode()), part
    styles = z.read("word/styles.xml").decode()
    defaults = re.search(r"<w:docDefaults>.*</w:docDefaults>", styles, re.DOTALL).group(0)
    assert 'w:eastAsia="zh-CN"' in defaults and 'w:eastAsia="仿宋_GB2312"' in defaults
    assert d.core_properties.language == "zh-CN"


def test_properties(built):
    doc, d, _ = built
    assert d.core_properties.title == doc.title and d.core_properties.author == doc.issuer


def _body(d):
    return [p for p in d.paragraphs]


def test_head_issuer_in_red_then_issue_over_a_red_rule_then_title(built):
    doc, d, _ = built
    ps = _body(d)
    assert ps[0].text == doc.issuer and ps[0].style.name == "版头机关"
    run = ps[0].runs[0]
    assert str(run.font.color.rgb) == "FF0000" and _east_asia(run._r) == "方正小标宋简体"
    assert run.font.size.pt * len(doc.issuer) <= 156 / 25.4 * 72  # one line
    assert ps[1].text == doc.issue
    rule = ps[1]._p.pPr.find(f"{qn('w:pBdr')}/{qn('w:bottom')}")
    assert rule.get(qn("w:color")) == "FF0000" and rule.get(qn("w:sz")) == "12"  # 1.5 pt
    title = next(p for p in ps if p.style.name == "公文标题")
    assert title.text.replace("\n", "") == doc.title
    assert all(_east_asia(r._r) == "方正小标宋简体" and r.font.size.pt == 22 for r in title.runs)
    recipients = next(p for p in ps if p.style.name == "主送机关")
    assert recipients.text == doc.recipients


def test_title_breaks_into_balanced_lines_where_words_end():
    assert title_lines("关于2022年第三季度新型基础设施建设推进情况的通报") == ["关于2022年第三季度", "新型基础设施建设推进情况的通报"]
    assert title_lines("关于第三季度工作的通报") == ["关于第三季度工作的通报"]
    for line in title_lines("关于2023年度全市数字经济和新型基础设施建设重点任务推进情况的通报"):
        assert st.width(line) <= 20


def test_headings_and_runs_carry_their_fonts(built):
    doc, d, _ = built
    want = {1: ("一级标题", "黑体"), 2: ("二级标题", "楷体_GB2312"), 3: ("三级标题", "仿宋_GB2312"), 4: ("四级标题", "仿宋_GB2312")}
    paragraphs = iter(_body(d))
    for block in doc.blocks:
        if isinstance(block, Heading):
            style, font = want[block.level]
            p = next(p for p in paragraphs if p.style.name == style)
            assert p.runs[0].text == block.text and _east_asia(p.runs[0]._r) == font
            assert bool(p.runs[0].bold) == (block.level == 3)
            for r in p.runs[1:]:  # the paragraph goes on in body type
                assert _east_asia(r._r) == "仿宋_GB2312" and r.bold is False
            assert p.text == block.text + plain(block.runs)
        elif isinstance(block, Paragraph):
            p = next(p for p in paragraphs if p.style.name == "公文正文" and p.text)
            assert p.text == plain(block.runs)
            assert all(_east_asia(r._r) == "仿宋_GB2312" and r.font.size.pt == 16 for r in p.runs)


def _all_text(d) -> str:
    cells = [c.text for t in d.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in d.paragraphs] + cells)


def test_every_figure_is_in_the_text(built):
    doc, d, _ = built
    text = _all_text(d)
    assert doc.figures()
    for f in doc.figures():
        assert f.text in text, f.key


def test_table_cells_are_the_documents_figures_with_a_repeated_bold_header(built):
    doc, d, _ = built
    t = next(b for b in doc.blocks if isinstance(b, Table))
    table = d.tables[0]
    assert [c.text for c in table.rows[0].cells] == t.header
    for row, want in zip(table.rows[1:], t.rows):
        assert [c.text for c in row.cells] == [r.text if isinstance(r, Figure) else r for r in want]
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert all(r.bold for c in table.rows[0].cells for r in c.paragraphs[0].runs)
    size = table_pt(len(t.header))
    for c in table.rows[1].cells:
        assert all(_east_asia(r._r) == "仿宋_GB2312" and r.font.size.pt == size for r in c.paragraphs[0].runs)
    widths = [int(g.get(qn("w:w"))) for g in table._tbl.tblGrid.findall(qn("w:gridCol"))]
    assert abs(sum(widths) - 8844) <= len(widths)  # 156 mm
    aligns = [c.paragraphs[0].alignment for c in table.rows[1].cells]
    assert aligns[0] == WD_ALIGN_PARAGRAPH.LEFT and aligns[1] == WD_ALIGN_PARAGRAPH.RIGHT
    assert aligns[2] == WD_ALIGN_PARAGRAPH.CENTER
    caption = [p for p in d.paragraphs if p.style.name == "表题"]
    assert [p.text for p in caption] == [t.caption]
    # No 灯 column in the fixture's table: the red row's last cell (the gap) is red.
    assert str(table.rows[1].cells[-1].paragraphs[0].runs[0].font.color.rgb) == "C62828"
    assert table.rows[1].cells[0].paragraphs[0].runs[0].font.color.rgb is None


def test_light_column_is_coloured_and_the_note_small(document):
    t = Table("表2　指标", ["序号", "指标", "绿灯", "灯"], [["1", "甲", "2", "绿灯"], ["2", "乙", "0", "红灯"], ["3", "丙", "1", "黄灯"]],
              ["center", "left", "right", "center"], [1, 4, 1, 1], ["green", "red", "yellow"], note="注：说明。")
    d = docx.Document(io.BytesIO(render_docx(replace(document, blocks=[t]))))
    table = d.tables[0]
    colours = [str(row.cells[3].paragraphs[0].runs[0].font.color.rgb) for row in table.rows[1:]]
    assert colours == ["2E7D32", "C62828", "B7791F"]
    assert all(row.cells[2].paragraphs[0].runs[0].font.color.rgb is None for row in table.rows[1:])  # 绿灯 counts
    note = next(p for p in d.paragraphs if p.style.name == "表注")
    assert note.text == "注：说明。" and note.runs[0].font.size.pt == 10.5


def test_narrow_columns_widen_to_keep_short_entries_on_one_line(document):
    header = ["序号", "指标", "牵头单位", "目标值", "完成时限", "序时进度", "实际值", "完成率", "差距", "灯"]
    t = Table("表", header, [["1", "某项指标", "某局", "100", "2025年", "60.0%", "50", "40.5%", "-3.5", "红灯"]],
              ["left"] * 10, [0.8, 4, 3, 1.6, 1.4, 1.4, 1.8, 1.4, 1.3, 0.9])
    size = table_pt(10)
    widths = column_twips(t, size)
    assert size == 10.5 and abs(sum(widths) - 8844) <= 10
    assert widths[9] >= 2 * size * 20 + 2 * 57  # 红灯 fits between the cell margins
    assert widths[4] >= (2 * 0.6 + 1) * size * 20 + 2 * 57  # and so does 2025年
    plain_share = [8844 * w / 17.6 for w in t.widths]
    assert widths[1] < plain_share[1]  # the wide column gave the room
    # A four-character header too wide for its column breaks in the middle, not after three.
    d = docx.Document(io.BytesIO(render_docx(replace(document, blocks=[t]))))
    cells = [c.text for c in d.tables[0].rows[0].cells]
    assert cells[4] == "完成\n时限" and cells[5] == "序时\n进度" and cells[1] == "指标"
    assert [c.replace("\n", "") for c in cells] == header


def test_chart_is_a_picture_at_the_text_width_with_its_caption_below(built):
    doc, d, z = built
    pictures = d.inline_shapes
    charts = [b for b in doc.blocks if b.__class__.__name__ == "Chart"]
    assert len(pictures) == len(charts) == 2
    for shape in pictures:
        assert shape.width == Mm(156)
    media = [n for n in z.namelist() if n.startswith("word/media/")]
    assert len(media) == 2 and all(z.read(n)[:8] == b"\x89PNG\r\n\x1a\n" for n in media)
    ps = d.paragraphs
    for chart in charts:
        i = next(i for i, p in enumerate(ps) if p.text == chart.caption)
        assert ps[i].style.name == "图题" and ps[i - 1]._p.xpath(".//pic:pic")
        assert ps[i].alignment is None and ps[i].style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER


def test_annex_signature_and_colophon(built):
    doc, d, _ = built
    ps = d.paragraphs
    annex = next(p for p in ps if p.style.name == "附件说明")
    assert annex.text == doc.annex
    assert d.styles["附件说明"].element.pPr.find(qn("w:ind")).get(qn("w:firstLineChars")) == "200"
    sig = [p for p in ps if p.style.name == "署名"]
    assert [p.text for p in sig] == [doc.issuer, date_cn(doc.signed)] == [doc.issuer, "2022年10月12日"]
    assert d.styles["署名"].paragraph_format.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    ind = [p._p.pPr.find(qn("w:ind")) for p in sig]
    name_right, date_right = (int(i.get(qn("w:rightChars"))) / 100 for i in ind)
    # The long name keeps 2 characters to the right and the date (7 wide) is centred under it.
    assert name_right == 2 and date_right == 2 + (st.width(doc.issuer) - st.width("2022年10月12日")) / 2
    colophon = d.tables[-1]
    lines = [row.cells[0].text for row in colophon.rows]
    assert lines == [f"抄送：{doc.copy_to}", f"{doc.issuer}\t{date_cn(doc.signed)}印发"]
    assert all(_east_asia(r._r) == "仿宋_GB2312" and r.font.size.pt == 14
               for row in colophon.rows for r in row.cells[0].paragraphs[0].runs)
    borders = colophon._tbl.tblPr.find(qn("w:tblBorders"))
    assert [borders.find(qn(f"w:{s}")).get(qn("w:sz")) for s in ("top", "insideH", "bottom")] == ["8", "6", "8"]


def test_short_signature_is_centred_over_the_date_4_characters_in(document):
    annex = "附件：1.指标完成情况明细表\n2.月报报送情况表"
    d = docx.Document(io.BytesIO(render_docx(replace(document, issuer="市发展改革委", copy_to="", annex=annex))))
    annexes = [p for p in d.paragraphs if p.style.name == "附件说明"]
    assert [p.text for p in annexes] == annex.splitlines()
    second = annexes[1]._p.pPr.find(qn("w:ind"))  # lines up after 附件：
    assert (second.get(qn("w:leftChars")), second.get(qn("w:firstLineChars"))) == ("500", "0")
    sig = [p for p in d.paragraphs if p.style.name == "署名"]
    rights = [int(p._p.pPr.find(qn("w:ind")).get(qn("w:rightChars"))) / 100 for p in sig]
    assert rights == [4 + (7 - 6) / 2, 4]
    assert [row.cells[0].text for row in d.tables[-1].rows] == ["市发展改革委\t2022年10月12日印发"]


def _footer_parts(footer):
    p = footer.paragraphs[0]
    runs = p._p.findall(qn("w:r"))
    return p, runs


@pytest.mark.parametrize("which, align, side", [("footer", "right", "right"), ("even_page_footer", "left", "left")])
def test_page_numbers_between_em_dashes_in_songti_at_the_outer_side(built, which, align, side):
    _, d, _ = built
    assert d.settings.odd_and_even_pages_header_footer
    p, runs = _footer_parts(getattr(d.sections[0], which))
    xml = p._p.xml
    assert re.search(r"<w:instrText[^>]*> PAGE </w:instrText>", xml)
    kinds = [r.find(qn("w:fldChar")).get(qn("w:fldCharType")) for r in runs if r.find(qn("w:fldChar")) is not None]
    assert kinds == ["begin", "separate", "end"]
    assert runs[0].findtext(qn("w:t")) == "— " and runs[-1].findtext(qn("w:t")) == " —"
    for r in runs:
        assert _east_asia(r) == "宋体" and _val(r, "w:rPr/w:sz") == "28"  # 4号
    assert p._p.pPr.find(qn("w:jc")).get(qn("w:val")) == align
    assert p._p.pPr.find(qn("w:ind")).get(qn(f"w:{side}")) == "280"  # one 14 pt character


def test_elements_follow_the_schema_order(built):
    """Word refuses a file whose children are out of sequence; check what was written by hand."""
    _, _, z = built
    from lxml import etree

    for part in ("word/document.xml", "word/styles.xml", "word/footer1.xml", "word/footer2.xml"):
        root = etree.fromstring(z.read(part))
        for parent, order in st.ORDER.items():
            for el in root.iter(qn(f"w:{parent}")):
                names = [c.tag.rsplit("}", 1)[-1] for c in el]
                known = [order.index(n) for n in names if n in order]
                assert known == sorted(known), (part, parent, names)
                assert len(names) == len(set(names)), (part, parent, names)
