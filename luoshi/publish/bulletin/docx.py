"""The bulletin as a Word document in the official format (GB/T 9704-2012): a 情况通报-style head
(issuer in red, issue, red rule), title, 主送, the body, 附件, signature and the 版记.

Page, grid, styles and footers are in docx_style, tables in docx_table; every run also carries
its fonts, since WPS and older Word read the runs rather than the styles."""
from __future__ import annotations

import io
from datetime import datetime, time

import docx as python_docx  # python-docx (this module's own name shadows nothing: absolute import)
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.shared import Mm, Pt, Twips

from . import docx_style as st
from .docx_style import add_runs as _runs
from .docx_style import add_text as _text
from .docx_style import width
from .docx_table import render_table, table_props
from .model import Chart, Document, Heading, Paragraph, Table, date_cn

TITLE_CHARS = 20  # 2号 (22 pt) characters on a 156 mm line: 442 pt / 22


def render_docx(doc: Document) -> bytes:
    """The bulletin `doc` as DOCX bytes."""
    d = python_docx.Document()
    st.setup(d)
    st.footers(d)
    _properties(d, doc)
    _head(d, doc)
    for block in doc.blocks:
        if isinstance(block, Heading):
            _heading(d, block)
        elif isinstance(block, Paragraph):
            _runs(st.para(d, "公文正文"), block.runs, st.FANGSONG, 16)
        elif isinstance(block, Table):
            render_table(d, block)
        elif isinstance(block, Chart):
            _chart(d, block)
    _closing(d, doc)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def _properties(d, doc: Document) -> None:
    cp = d.core_properties
    cp.title, cp.author, cp.last_modified_by = doc.title, doc.issuer, doc.issuer
    cp.language, cp.subject, cp.revision = "zh-CN", f"{doc.region} {doc.period}", 1
    cp.created = cp.modified = datetime.combine(doc.signed, time())
    cp.comments = cp.keywords = ""


def _head(d, doc: Document) -> None:
    # The issuer on one line, as large as fits (at most 36 pt), in red 小标宋.
    size = min(36.0, int(440 / max(width(doc.issuer), 1) * 2) / 2)
    p = st.para(d, "版头机关")
    p.paragraph_format.space_before = Pt(24)
    _text(p, doc.issuer, st.XBS, size, color=st.RED)
    p = st.para(d, "版头期号")
    p.paragraph_format.space_before = Pt(12)
    _text(p, doc.issue, st.FANGSONG, 16)
    st.border(p._p, "bottom", pt=1.5, color=st.RED, space=8)  # the red rule under the head
    st.para(d, "公文正文")
    p = st.para(d, "公文标题")
    p.paragraph_format.line_spacing = Pt(33)  # 1.5 × 22 pt: wrapped title lines stay apart
    for i, line in enumerate(title_lines(doc.title)):
        if i:
            _text(p, "", st.XBS, 22).add_break()
        _text(p, line, st.XBS, 22)
    st.para(d, "公文正文")
    _text(st.para(d, "主送机关"), doc.recipients, st.FANGSONG, 16)


def title_lines(title: str) -> list[str]:
    """A title too long for one line in two balanced lines, broken where words end (after 于, 的,
    季度, 年度, a 、 …) rather than inside a term; longer titles are left to the word processor."""
    if width(title) <= TITLE_CHARS or width(title) > 2 * TITLE_CHARS:
        return [title]
    good = ("关于", "季度", "年度", "年", "的", "和", "与", "及", "、", "，", "情况")
    best: tuple[float, int] | None = None
    for i in range(1, len(title)):
        a, b = title[:i], title[i:]
        if width(a) > TITLE_CHARS or width(b) > TITLE_CHARS or (a[-1].isascii() and b[0].isascii()):
            continue
        score = abs(width(a) - width(b)) + (0 if a.endswith(good) else 6)
        if best is None or score < best[0]:
            best = (score, i)
    return [title] if best is None else [title[:best[1]], title[best[1]:]]


def _heading(d, h: Heading) -> None:
    font = {1: st.HEITI, 2: st.KAITI}.get(h.level, st.FANGSONG)
    p = st.para(d, st.HEADING_STYLES.get(h.level, "四级标题"))
    _text(p, h.text, font, 16, bold=h.level == 3)
    _runs(p, h.runs, st.FANGSONG, 16, bold=False)  # the paragraph goes on in body type


def _chart(d, c: Chart) -> None:
    from .charts import chart_png

    p = st.para(d, "插图")
    p.paragraph_format.keep_with_next = True
    p.add_run().add_picture(io.BytesIO(chart_png(c, width_mm=st.TEXT_WIDTH_MM)), width=Mm(st.TEXT_WIDTH_MM))
    _text(st.para(d, "图题"), c.caption, st.HEITI, 14)


def _closing(d, doc: Document) -> None:
    if doc.annex:
        st.para(d, "公文正文")
        for i, line in enumerate(doc.annex.splitlines()):
            p = st.para(d, "附件说明")
            if i:  # further annexes line up after 附件：
                st.indent_chars(p._p, first=0, left=5)
            _text(p, line, st.FANGSONG, 16)
    # Signature: the date 4 characters from the right edge, the issuer centred over it; a name
    # longer than the date keeps 2 characters to the right and the date is centred under it.
    date = date_cn(doc.signed)
    name_right = 4 + (width(date) - width(doc.issuer)) / 2
    date_right = 4.0
    if name_right < 2:
        name_right, date_right = 2, 2 + (width(doc.issuer) - width(date)) / 2
    st.para(d, "公文正文")
    for text, right in ((doc.issuer, name_right), (date, date_right)):
        p = st.para(d, "署名")
        st.indent_chars(p._p, right=right)
        _text(p, text, st.FANGSONG, 16)
    _colophon(d, doc, date)


def _colophon(d, doc: Document, date: str) -> None:
    """版记: 抄送 and 印发 between rules across the text width, in 4号 仿宋, one character in."""
    st.para(d, "公文正文")
    st.para(d, "公文正文")
    lines = ([f"抄送：{doc.copy_to}"] if doc.copy_to else []) + [f"{doc.issuer}\t{date}印发"]
    tbl = d.add_table(rows=len(lines), cols=1)
    # First and last rule 0.35 mm (about 1 pt), the one between 0.25 mm (0.75 pt); the text one
    # 14 pt character in from either end.
    table_props(tbl, {"top": 8, "bottom": 8, "insideH": 6}, 280)
    for row, line in zip(tbl.rows, lines):
        row.height = Mm(9)
        cell = row.cells[0]
        cell.width = Twips(st.TEXT_TWIPS)
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        p = cell.paragraphs[0]
        st.styled(p, "版记")
        if line.startswith("抄送："):  # wrapped lines align after the colon
            p.paragraph_format.left_indent = Pt(42)
            p.paragraph_format.first_line_indent = Pt(-42)
        else:
            p.paragraph_format.tab_stops.add_tab_stop(Twips(st.TEXT_TWIPS - 560), WD_TAB_ALIGNMENT.RIGHT)
        _text(p, line, st.FANGSONG, 14)
