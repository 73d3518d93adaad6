"""DOCX: the body in order, paragraphs and tables interleaved, each part located."""
from __future__ import annotations

import io

import docx
import pytest

from luoshi.errors import EmptyDocument, ReadError
from luoshi.read import read_bytes
from tests.formats import SAMPLE_TEXT, to_docx, truncated_docx

TABLE_PLAN = (
    "附件\n"
    "重点任务分解表\n"
    "序号\t重点任务\t牵头单位\t完成时限\n"
    "1\t建成5G基站1万个\t市工业和信息化局\t2024年底\n"
    "2\t新建充电桩2000个\t市发展改革委\t2025年\n"
    "各单位要按月报送进展情况。"
)


def _save(document) -> bytes:
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def test_paragraphs_become_lines():
    doc = read_bytes(to_docx(SAMPLE_TEXT))
    assert doc.format == "docx"
    assert doc.text == SAMPLE_TEXT
    assert doc.body.text == doc.text
    paragraphs = [p for p in doc.parts if p.kind == "paragraph"]
    assert len(paragraphs) == SAMPLE_TEXT.count("\n") + 1
    for i, (part, line) in enumerate(zip(paragraphs, SAMPLE_TEXT.split("\n"))):
        assert part.paragraph == i
        assert doc.text[part.start:part.end] == line


def test_tables_stay_in_body_order_one_row_per_line():
    doc = read_bytes(to_docx(TABLE_PLAN, tables=True))
    assert doc.text == TABLE_PLAN
    kinds = [p.kind for p in doc.parts]
    # two paragraphs, twelve cells, then the closing paragraph: the table sits between them.
    assert kinds == ["paragraph"] * 2 + ["cell"] * 12 + ["paragraph"]
    cell = next(p for p in doc.parts if p.kind == "cell" and p.row == 1 and p.cell == 2)
    assert (cell.table, doc.text[cell.start:cell.end]) == (0, "市工业和信息化局")
    assert doc.parts[-1].paragraph == 2


def test_merged_cells_appear_once_and_columns_stay_aligned():
    d = docx.Document()
    table = d.add_table(rows=3, cols=3)
    for r, row in enumerate([["序号", "任务", "牵头单位"], ["1", "建设基站", "市工信局"], ["2", "建设充电桩", ""]]):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    table.cell(0, 0).merge(table.cell(0, 1)).text = "序号及任务"  # horizontal merge
    table.cell(1, 2).merge(table.cell(2, 2))  # vertical merge
    doc = read_bytes(_save(d))
    lines = doc.text.split("\n")
    assert lines[0] == "序号及任务\t牵头单位"
    assert lines[1] == "1\t建设基站\t市工信局"
    assert lines[2] == "2\t建设充电桩\t"
    assert doc.text.count("市工信局") == 1


def test_cell_paragraphs_and_nested_tables_stay_on_the_row_line():
    d = docx.Document()
    d.add_paragraph("前言")
    table = d.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "牵头单位"
    cell = table.cell(0, 1)
    cell.text = "市发展改革委"
    cell.add_paragraph("市财政局")
    inner = cell.add_table(rows=1, cols=2)
    inner.cell(0, 0).text = "内表甲"
    inner.cell(0, 1).text = "内表乙"
    doc = read_bytes(_save(d))
    assert doc.text == "前言\n牵头单位\t市发展改革委 市财政局 内表甲 内表乙"


def test_tracked_insertions_count_and_deletions_do_not():
    d = docx.Document()
    p = d.add_paragraph("到2025年建成")
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    from lxml import etree

    ins = etree.SubElement(p._p, f"{{{w}}}ins")
    etree.SubElement(etree.SubElement(ins, f"{{{w}}}r"), f"{{{w}}}t").text = "5G基站"
    dele = etree.SubElement(p._p, f"{{{w}}}del")
    etree.SubElement(etree.SubElement(dele, f"{{{w}}}r"), f"{{{w}}}delText").text = "4G基站"
    p.add_run("1万个。")
    assert read_bytes(_save(d)).text == "到2025年建成5G基站1万个。"


def test_truncated_docx_is_a_read_error():
    with pytest.raises(ReadError, match="DOCX 文件已损坏或不完整"):
        read_bytes(truncated_docx())


def test_docx_without_text_is_empty():
    d = docx.Document()
    d.add_paragraph("")
    with pytest.raises(EmptyDocument, match="没有文字"):
        read_bytes(_save(d))


def test_corrupt_document_xml_is_a_read_error():
    import zipfile

    src = zipfile.ZipFile(io.BytesIO(to_docx("正文")))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for info in src.infolist():
            data = src.read(info)
            z.writestr(info, b"<w:document><oops" if info.filename == "word/document.xml" else data)
    with pytest.raises(ReadError, match="DOCX"):
        read_bytes(buf.getvalue())
