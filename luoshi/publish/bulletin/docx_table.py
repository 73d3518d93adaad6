"""Tables of the DOCX bulletin: caption above in 黑体, a bordered table at the text width whose
header row repeats on each page, type sized to the number of columns, the row's light in colour,
the note below in 五号."""
from __future__ import annotations

from copy import deepcopy

from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.oxml.ns import qn
from docx.shared import Mm, Twips

from . import docx_style as st
from .docx_style import TEXT_TWIPS, width
from .docx_style import add_runs as _runs
from .docx_style import add_text as _text
from .model import Figure, Run, Table, plain

LIGHT_TEXT = {"green": "2E7D32", "yellow": "B7791F", "red": "C62828"}  # darker amber: legible on white
LIGHT_COLUMNS = ("灯", "亮灯", "灯号", "亮灯情况")
CELL_MARGIN = 57  # 1 mm left and right in table cells (Word's 1.9 mm wastes narrow columns)


def table_pt(columns: int) -> float:
    """Cell type: 3号 body type fits no real table on A4. 4号 (14 pt) up to 6 columns, 小四 (12 pt)
    for 7–8 and 五号 (10.5 pt) from 9 on, where a column is some 16 mm, about four characters."""
    return 14 if columns <= 6 else 12 if columns <= 8 else 10.5


def ems(text: str) -> float:
    """Set width in ems, a little generous: Latin digits of the stand-in fonts are about 0.6 em and
    the word processors add space between Chinese and Latin runs."""
    latin = sum(1 for c in text if c.isascii())
    return len(text) - 0.4 * latin + (0.3 if 0 < latin < len(text) else 0)


def twips_for(text: str, size: float) -> float:
    return ems(text) * size * 20 + 2 * CELL_MARGIN + 20


def column_twips(t: Table, size: float) -> list[int]:
    """Column widths from `t.widths`, scaled to the text width, but each at least as wide as its
    short entries (a number, 2025年, 红灯, a header of up to three characters) so they do not
    break; what a narrow column gains comes from the columns with room to spare."""
    n = len(t.header)
    rel = [float(w) for w in t.widths[:n]] if len(t.widths) >= n and sum(t.widths[:n]) > 0 else [1.0] * n
    cols = [TEXT_TWIPS * w / sum(rel) for w in rel]
    need = [0.0] * n
    for row in [t.header, *([plain_cell(c) for c in r] for r in t.rows)]:
        for i, text in enumerate(row[:n]):
            if width(text) <= (3 if row is t.header else 6):
                need[i] = max(need[i], twips_for(text, size))
    short = sum(max(nd - c, 0) for c, nd in zip(cols, need))
    spare = sum(max(c - nd, 0) for c, nd in zip(cols, need))
    if 0 < short < spare:
        cols = [nd if nd > c else c - (c - nd) * short / spare for c, nd in zip(cols, need)]
    return [round(c) for c in cols]


def plain_cell(cell) -> str:
    return plain(cell) if isinstance(cell, list) else cell.text if isinstance(cell, Figure) else str(cell)


def _cell(cell, runs: list[Run], align: str, size: float, *, bold=False, color=None, width_tw=0) -> None:
    tcpr = cell._tc.get_or_add_tcPr()
    tcw = tcpr.get_or_add_tcW()
    tcw.type, tcw.w = "dxa", width_tw
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    p = cell.paragraphs[0]
    st.styled(p, "表格文字")
    p.alignment = st.ALIGN.get(align, st.ALIGN["left"])
    _runs(p, runs, st.HEITI if bold else st.FANGSONG, size, bold=bold or bool(color), color=color)


def render_table(d, t: Table) -> None:
    cap = st.para(d, "表题")
    cap.paragraph_format.keep_with_next = True
    _text(cap, t.caption, st.HEITI, 14)
    n, size = len(t.header), table_pt(len(t.header))
    widths = column_twips(t, size)
    # The header, then one prototype row per light: each data row is a copy of its prototype with
    # the texts put in (building every cell through python-docx took seconds for a province).
    lights = list(dict.fromkeys(t.light[i] if i < len(t.light) else "" for i in range(len(t.rows))))
    tbl = d.add_table(rows=1 + len(lights), cols=n)
    tbl.autofit = False
    table_props(tbl, {s: 4 for s in ("top", "left", "bottom", "right", "insideH", "insideV")}, CELL_MARGIN)
    st.child(tbl._tbl.tblPr, "w:tblLayout", type="fixed")
    for col, w in zip(tbl.columns, widths):
        col.width = Twips(w)
    # The light shows in the 灯 column; tables without one colour their last column (the gap).
    light_col = next((i for i, h in enumerate(t.header) if h in LIGHT_COLUMNS), n - 1)
    protos = {}
    for r, row in enumerate(tbl.rows):
        tr_pr = row._tr.get_or_add_trPr()
        st.child(tr_pr, "w:cantSplit")
        row.height = Mm(8)
        if r == 0:
            st.child(tr_pr, "w:tblHeader")  # repeated at the top of each page
            for c, (cell, text) in enumerate(zip(row.cells, t.header)):
                _cell(cell, [text], "center", size, bold=True, width_tw=widths[c])
                if twips_for(text, size) > widths[c] and len(text) >= 4:  # 完成/时限, not 完成时/限
                    run = cell.paragraphs[0].runs[0]
                    run.text = text[:len(text) // 2]
                    run.add_break()
                    run.add_text(text[len(text) // 2:])
            continue
        light = lights[r - 1]
        for c, cell in enumerate(row.cells):
            align = t.align[c] if c < len(t.align) else "left"
            color = LIGHT_TEXT.get(light) if c == light_col else None
            _cell(cell, ["0"], align, size, color=color, width_tw=widths[c])
        protos[light] = row._tr
    for tr in protos.values():
        tbl._tbl.remove(tr)
    for i, cells in enumerate(t.rows):
        tr = deepcopy(protos[t.light[i] if i < len(t.light) else ""])
        for c, w_t in enumerate(tr.iter(qn("w:t"))):
            value = cells[c] if c < len(cells) else ""
            text = plain_cell(value)
            w_t.text = text
            if text != text.strip():
                w_t.set(qn("xml:space"), "preserve")
        tbl._tbl.append(tr)
    if t.note:
        _text(st.para(d, "表注"), t.note, st.FANGSONG, 10.5)


def table_props(tbl, rules: dict[str, int], margin: int) -> None:
    """Full text width, centred; `rules` per side in eighths of a point (missing: none); cell
    margins left and right in twips."""
    tbl.alignment = WD_TABLE_ALIGNMENT.CENTER
    tbl_pr = tbl._tbl.tblPr
    st.child(tbl_pr, "w:tblW", w=str(TEXT_TWIPS), type="dxa")
    borders = st.child(tbl_pr, "w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        sz = rules.get(side, 0)
        st.child(borders, f"w:{side}", val="single" if sz else "nil", sz=str(sz), space="0", color="000000")
    mar = st.child(tbl_pr, "w:tblCellMar")
    for side in ("left", "right"):
        st.child(mar, f"w:{side}", w=str(margin), type="dxa")
