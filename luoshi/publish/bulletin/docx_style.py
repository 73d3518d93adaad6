"""The GB/T 9704-2012 page and type for the DOCX bulletin: A4, margins, the 22×28 grid, the named
paragraph styles with their East-Asian fonts, and the "— 1 —" page-number footers.

python-docx knows nothing of East-Asian fonts, so fonts are written as `w:rFonts` by hand, on
the styles and again on every run (WPS reads the runs). The file keeps the official font names;
servers map them to free stand-ins (luoshi/data/fonts/fonts.conf)."""
from __future__ import annotations

from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from .model import Run

XBS, FANGSONG, HEITI, KAITI, SONGTI = "方正小标宋简体", "仿宋_GB2312", "黑体", "楷体_GB2312", "宋体"
# GB/T 9704 asks for "red" without a value; Word templates of offices use pure red, which also
# prints as the spot red the printing houses expect. C00000 would read brownish on paper.
RED = "FF0000"
BODY_PT = 16  # 3号
# 22 lines in the 225 mm text height: 225 mm = 637.8 pt / 22 = 28.99 pt; 580 twips (29 pt) would
# leave room for 21 lines only, so offices use 579 twips = 28.95 pt (22 × 28.95 = 636.9 pt).
LINE_TWIPS = 579
LINE_PT = LINE_TWIPS / 20
# 28 characters in the 156 mm text width: 156 mm = 442.2 pt / 28 = 15.793 pt per character, i.e.
# 0.207 pt narrower than the 16 pt body size. Word's charSpace is that difference × 4096.
CHAR_SPACE = round((156 / 25.4 * 72 / 28 - BODY_PT) * 4096)  # -848
TEXT_WIDTH_MM = 156
TEXT_TWIPS = 8844  # 156 mm
CHAR_TWIPS = BODY_PT * 20  # one body character, for indents given in twips (LibreOffice reads these)

# name: (font, size pt, bold, alignment, first-line indent in characters, snap to the line grid)
STYLES = {
    "公文正文": (FANGSONG, 16, False, "justify", 2, True),
    "公文标题": (XBS, 22, False, "center", 0, False),
    "一级标题": (HEITI, 16, False, "justify", 2, True),
    "二级标题": (KAITI, 16, False, "justify", 2, True),
    # Level 3 in bold 仿宋: it keeps 1. apart from （1） in long sections, as many offices do.
    "三级标题": (FANGSONG, 16, True, "justify", 2, True),
    "四级标题": (FANGSONG, 16, False, "justify", 2, True),
    "主送机关": (FANGSONG, 16, False, "left", 0, True),
    "版头机关": (XBS, 26, False, "center", 0, False),
    "版头期号": (FANGSONG, 16, False, "center", 0, False),
    "附件说明": (FANGSONG, 16, False, "left", 2, True),
    "署名": (FANGSONG, 16, False, "right", 0, True),
    # Tables and charts: 黑体 4号 captions; the cells set their own size (see docx.table_pt).
    "表题": (HEITI, 14, False, "center", 0, False),
    "图题": (HEITI, 14, False, "center", 0, False),
    "表格文字": (FANGSONG, 14, False, "center", 0, False),
    "表注": (FANGSONG, 10.5, False, "left", 0, False),
    "插图": (FANGSONG, 16, False, "center", 0, False),
    "版记": (FANGSONG, 14, False, "left", 0, False),  # 4号
    "页码": (SONGTI, 14, False, "right", 0, False),  # 4号 宋体
}
HEADING_STYLES = {1: "一级标题", 2: "二级标题", 3: "三级标题", 4: "四级标题"}
ALIGN = {"left": WD_ALIGN_PARAGRAPH.LEFT, "right": WD_ALIGN_PARAGRAPH.RIGHT,
         "center": WD_ALIGN_PARAGRAPH.CENTER, "justify": WD_ALIGN_PARAGRAPH.JUSTIFY}


def set_fonts(el, font: str, size: float | None = None, bold: bool | None = None, color: str | None = None):
    """Fonts (ascii, hAnsi, East-Asian, complex script: all one face, digits included, as offices
    type them), size, bold and colour on a run's or a style's `w:rPr`, theme fonts removed."""
    rpr = el.get_or_add_rPr() if hasattr(el, "get_or_add_rPr") else _child(el, "w:rPr")
    fonts = _child(rpr, "w:rFonts")
    for attr in list(fonts.attrib):
        if attr.lower().endswith("theme"):
            del fonts.attrib[attr]
    for attr in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(qn(f"w:{attr}"), font)
    fonts.set(qn("w:hint"), "eastAsia")
    if size is not None:
        for tag in ("w:sz", "w:szCs"):
            _child(rpr, tag).set(qn("w:val"), str(round(size * 2)))
    if bold is not None:
        for tag in ("w:b", "w:bCs"):
            _child(rpr, tag).set(qn("w:val"), "1" if bold else "0")
    if color is not None:
        _child(rpr, "w:color").set(qn("w:val"), color)
    return rpr


# Child order of the elements written by hand: Word rejects a file whose children are out of
# the schema's sequence (LibreOffice silently ignores some of them).
ORDER = {
    "pPr": "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers pBdr shd "
           "tabs suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE autoSpaceDN bidi "
           "adjustRightInd snapToGrid spacing ind contextualSpacing mirrorIndents suppressOverlap jc "
           "textDirection textAlignment textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange",
    "rPr": "rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss imprint noProof "
           "snapToGrid vanish webHidden color spacing w kern position sz szCs highlight u effect bdr shd "
           "fitText vertAlign rtl cs em lang eastAsianLayout specVanish oMath",
    "tblPr": "tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize tblW jc "
             "tblCellSpacing tblInd tblBorders shd tblLayout tblCellMar tblLook tblCaption tblDescription",
    "trPr": "cnfStyle divId gridBefore gridAfter wBefore wAfter cantSplit trHeight tblHeader tblCellSpacing jc hidden",
    "pBdr": "top left bottom right between bar",
    "tblBorders": "top left bottom right insideH insideV",
    "tblCellMar": "top left bottom right",
}
ORDER = {k: v.split() for k, v in ORDER.items()}


def child(parent, tag: str, **attrs: str):
    """The `tag` child of `parent` ("w:ind"), added in schema order where missing; `attrs` set."""
    el = parent.find(qn(tag))
    if el is None:
        el = OxmlElement(tag)
        seq = ORDER.get(parent.tag.rsplit("}", 1)[-1], [])
        name = tag.split(":", 1)[1]
        later = seq[seq.index(name) + 1:] if name in seq else []
        nxt = next((c for c in parent if c.tag.rsplit("}", 1)[-1] in later), None)
        if nxt is not None:
            nxt.addprevious(el)
        else:
            parent.append(el)
    for k, v in attrs.items():
        el.set(qn(f"w:{k}"), v)
    return el


_child = child


def no_snap(p_el) -> None:
    """Lines of this paragraph ignore the document grid (big type, tables, pictures)."""
    _child(p_el.get_or_add_pPr(), "w:snapToGrid").set(qn("w:val"), "0")


def indent_chars(p_el, *, first: float | None = None, left: float | None = None, right: float | None = None) -> None:
    """Indents in characters (those given, 0 included: it overrides the style's): `w:*Chars` for
    Word and WPS, twips of a 16 pt character for LibreOffice."""
    ind = _child(p_el.get_or_add_pPr(), "w:ind")
    for name, chars in (("firstLine", first), ("left", left), ("right", right)):
        if chars is not None:
            ind.set(qn(f"w:{name}"), str(round(chars * CHAR_TWIPS)))
            ind.set(qn(f"w:{name}Chars"), str(round(chars * 100)))


def border(p_el, side: str, *, pt: float, color: str = "000000", space: int = 1) -> None:
    """A paragraph rule (`side` top | bottom) across the text width; `pt` in points."""
    pbdr = _child(p_el.get_or_add_pPr(), "w:pBdr")
    b = _child(pbdr, f"w:{side}")
    for k, v in (("val", "single"), ("sz", str(round(pt * 8))), ("space", str(space)), ("color", color)):
        b.set(qn(f"w:{k}"), v)


def setup(doc) -> None:
    """Defaults without theme fonts, zh-CN, the page and grid, and the named styles."""
    styles = doc.styles.element
    for fonts in styles.iter(qn("w:rFonts")):
        for attr in list(fonts.attrib):
            if attr.lower().endswith("theme"):
                del fonts.attrib[attr]
    rpr_default = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault"))
    set_fonts(rpr_default, FANGSONG, BODY_PT)
    lang = _child(rpr_default.find(qn("w:rPr")), "w:lang")
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    ppr_default = styles.find(qn("w:docDefaults")).find(qn("w:pPrDefault")).find(qn("w:pPr"))
    ppr_default.remove(ppr_default.find(qn("w:spacing")))  # the template's 10 pt after, 1.15 lines
    font_lang = doc.settings.element.find(qn("w:themeFontLang"))
    if font_lang is not None:
        font_lang.set(qn("w:eastAsia"), "zh-CN")
    normal = doc.styles["Normal"]
    set_fonts(normal.element, FANGSONG, BODY_PT)
    _section(doc.sections[0])
    for name, spec in STYLES.items():
        _style(doc, name, *spec)
    for level, name in HEADING_STYLES.items():  # outline levels: Word's navigation pane lists them
        _child(doc.styles[name].element.get_or_add_pPr(), "w:outlineLvl").set(qn("w:val"), str(level - 1))
        doc.styles[name].paragraph_format.keep_with_next = True


def _style(doc, name, font, size, bold, align, first, snap):
    style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = doc.styles["Normal"]
    style.quick_style = True
    set_fonts(style.element, font, size, bold)
    pf = style.paragraph_format
    pf.alignment = ALIGN[align]
    pf.space_before = pf.space_after = Pt(0)
    pf.widow_control = True
    if snap:  # body lines: exactly one grid line each
        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        pf.line_spacing = Pt(LINE_PT)
        # No punctuation hanging past the right edge of the text area: the line keeps 28 characters.
        _child(style.element.get_or_add_pPr(), "w:overflowPunct", val="0")
    else:
        pf.line_spacing = 1.0
        no_snap(style.element)
    if first:
        indent_chars(style.element, first=first)


def _section(sec) -> None:
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.top_margin, sec.bottom_margin = Mm(37), Mm(35)
    sec.left_margin, sec.right_margin = Mm(28), Mm(26)
    sec.header_distance = Mm(15)
    # The page number's dash line sits 7 mm under the text area (35 - 7 = 28 mm above the page
    # edge); a 14 pt line is about 6 mm high, so its baseline box starts about 25 mm up.
    sec.footer_distance = Mm(25)
    grid = sec._sectPr.find(qn("w:docGrid"))  # the template has one, the last of w:sectPr
    grid.attrib.clear()
    grid.set(qn("w:type"), "linesAndChars")
    grid.set(qn("w:linePitch"), str(LINE_TWIPS))
    grid.set(qn("w:charSpace"), str(CHAR_SPACE))


def footers(doc) -> None:
    """"— 1 —" in 4号 宋体 at the outer side, one character in from the edge of the text area:
    odd pages right, even pages left (GB/T 9704-2012 7.5)."""
    doc.settings.odd_and_even_pages_header_footer = True
    sec = doc.sections[0]
    for footer, align, side in ((sec.footer, "right", "right"), (sec.even_page_footer, "left", "left")):
        footer.is_linked_to_previous = False
        p = footer.paragraphs[0]
        p.style = doc.styles["页码"]
        p.alignment = ALIGN[align]
        ind = _child(p._p.get_or_add_pPr(), "w:ind")  # one 14 pt character, in twips
        ind.set(qn(f"w:{side}"), "280")
        _page_number(p)


def _page_number(p) -> None:
    def run(text: str = ""):
        r = p.add_run(text)
        set_fonts(r._r, SONGTI, 14)
        return r._r

    run("— ")
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        r = run()
        if kind:
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), kind)
            r.append(fld)
        elif text == " PAGE ":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            r.append(instr)
        else:
            t = OxmlElement("w:t")
            t.text = text
            r.append(t)
    run(" —")


def styled(p, name: str):
    """`p` in the paragraph style `name`, written directly: python-docx looks a style up by name
    through every style of the document each time, which was most of a big table's time."""
    p._p.get_or_add_pPr().style = name  # the style ids of luoshi's styles are their names
    return p


def para(container, name: str):
    """A new paragraph of `container` (the document, a cell) in the style `name`."""
    return styled(container.add_paragraph(), name)


def width(text: str) -> float:
    """Printed width in CJK characters: ASCII letters and digits are half as wide."""
    return sum(0.5 if ord(c) < 128 else 1 for c in text)


def add_text(p, text: str, font: str, size: float, bold: bool | None = None, color: str | None = None):
    r = p.add_run(text)
    set_fonts(r._r, font, size, bold, color)
    return r


def add_runs(p, runs: list[Run], font: str, size: float, bold: bool | None = None, color: str | None = None) -> None:
    for r in runs:
        add_text(p, r if isinstance(r, str) else r.text, font, size, bold, color)
