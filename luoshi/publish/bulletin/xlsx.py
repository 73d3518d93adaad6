"""The bulletin's annex (附件) as an xlsx workbook: every Figure with what it is read from
(数字来源), one sheet per table of the bulletin with its numbers as numeric cells, indexes of the
targets and reports with their links, and any extra sheets the composer adds. Written with
XlsxWriter (a province's annex has tens of thousands of cells: openpyxl took seconds). The bytes are the same
for the same Document, so a stored version can be compared with a new one."""
from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time
from numbers import Number

from xlsxwriter import Workbook
from xlsxwriter.format import Format
from xlsxwriter.url import Url, UrlTypes

from luoshi.publish.bulletin.html import LIGHT_NAMES, Links, number_text
from luoshi.publish.bulletin.model import Document, Figure, Table

LINK = {"font_color": "#0563C1", "underline": 1}
HEAD = {"bold": True, "pattern": 1, "bg_color": "#D9D9D9", "align": "center", "valign": "vcenter"}
WRAP = {"text_wrap": True, "valign": "top"}
LIGHT_FILLS = {"green": "C6E0B4", "yellow": "FFE699", "red": "F4B6B6", "none": "E7E6E6"}
MAX_WIDTH = 60
MAX_URL, MAX_LINKS = 2079, 65530  # Excel's limits: an address's length, hyperlinks in one sheet
FIGURE_HEADER = ["编号", "内容", "数值", "文中写法", "依据的指标编号", "依据的指标", "依据的报告", "报告版本编号"]


@dataclass(frozen=True)
class C:
    """A cell with a number format, a hyperlink or a fill colour."""

    value: object
    fmt: str | None = None
    link: str | None = None
    fill: str | None = None


def number_format(text: str) -> str:
    """The Excel format that shows a figure's value as the bulletin prints it ("58.3%" → 0.0"%":
    the cell keeps the figure's value 58.3, not 0.583); General when the text is more than a number."""
    m = re.fullmatch(r"([+-]?)(\d[\d,]*)(?:\.(\d+))?(%?)", text.strip())
    if not m:
        return "General"
    fmt = ("#,##0" if "," in m[2] else "0") + ("." + "0" * len(m[3]) if m[3] else "") + ('"%"' if m[4] else "")
    return f"+{fmt};-{fmt};{fmt}" if m[1] == "+" else fmt


def figure_cell(f: Figure) -> C | str:
    return C(f.value, number_format(f.text)) if f.value is not None else f.text


def render_xlsx(doc: Document, *, extra: dict[str, tuple[list[str], list[list]]] | None = None,
                links: Links | None = None, base_url: str | None = None) -> bytes:
    links = links or Links()
    out = io.BytesIO()
    # Numbers that are not finite become #NUM! rather than an error; dates without a format show as ISO.
    wb = Workbook(out, {"in_memory": True, "nan_inf_to_errors": True, "default_date_format": "yyyy-mm-dd"})
    book = _Book(wb)
    about = wb.add_worksheet("说明")
    names, contents = ["说明"], []

    def sheet(name: str, what: str, header: list[str], rows: list[list]) -> None:
        names.append(sheet_name(name, names))
        _fill(book, wb.add_worksheet(names[-1]), f"{doc.title}（{doc.issue}）附件：{what}", header, rows)
        contents.append((names[-1], what))

    figures = doc.figures()
    sheet("数字来源", "通报中的每个数字及其依据", FIGURE_HEADER, [_figure_row(f, links) for f in figures])
    for t in (b for b in doc.blocks if isinstance(b, Table)):
        sheet(t.caption, t.caption, *_table(t))
    # Which figures use each target, report and submission (one pass: a province has thousands).
    uses: dict[tuple, list[str]] = {}
    for f in figures:
        for key in ({("t", t) for t in f.source.targets} | {("r", r) for r in f.source.reports}
                    | {("s", x) for x in f.source.submissions}):
            uses.setdefault(key, []).append(f.key)
    targets = sorted(k for kind, k in uses if kind == "t")
    if targets:
        sheet("指标索引", "数字所依据的指标", ["指标编号", "指标", "链接", "用到它的数字"],
              [[t, links.target_name.get(t, ""), *_link_uses(links.target(t), uses[("t", t)])] for t in targets])
    reports = sorted(k for kind, k in uses if kind == "r")
    subs = sorted(k for kind, k in uses if kind == "s")
    if reports or subs:
        rows = [["月报", u, links.unit_name.get(u, ""), p, "", *_link_uses(links.report(u, p), uses[("r", (u, p))])]
                for u, p in reports]
        rows += [["报送版本", "", "", "", s, *_link_uses(links.submission(s), uses[("s", s)])] for s in subs]
        sheet("报告索引", "数字所依据的月度报告及其报送版本",
              ["类型", "单位编号", "单位", "月份", "版本编号", "链接", "用到它的数字"], rows)
    for name, (header, rows) in (extra or {}).items():
        sheet(name, name, header, rows)
    _fill(book, about, f"{doc.title}（{doc.issue}）附件", ["项目", "内容"],
          [["发文机关", doc.issuer], ["期号", doc.issue], ["标题", doc.title], ["地区", doc.region],
           ["统计期", doc.period], ["截至月份", doc.as_of], ["成文日期", C(doc.signed, "yyyy\"年\"m\"月\"d\"日\"")],
           ["说明", ("“数字来源”表逐一列出通报中的数字：编号与网页版通报中的编号一致，数值为计算所得的数，"
                    "文中写法为通报中印出的样子。")]]
          + [[f"工作表“{n}”", w] for n, w in contents])
    # XlsxWriter writes modified = created and stamps zip entries 1980-01-01: the bytes depend on nothing else.
    props = {"title": doc.title, "author": doc.issuer, "created": datetime.combine(doc.signed, time())}
    if base_url:  # the site the relative links (/plans/3#t-12) belong to: Excel resolves them against it
        props["hyperlink_base"] = base_url
    wb.set_properties(props)
    wb.close()
    return out.getvalue()


def sheet_name(caption: str, taken: list[str]) -> str:
    """A valid, unused sheet name: no []:*?/\\, at most 31 characters (UTF-16 units, as Excel counts)
    and no apostrophe at either end."""
    base = re.sub(r"[\[\]:*?/\\]", "_", caption).strip().strip("'") or "表"
    name, n = _cut(base, 31).rstrip("'"), 1
    while name.lower() in (t.lower() for t in taken):
        n += 1
        name = _cut(base, 31 - len(f"({n})")) + f"({n})"
    return name


def _cut(s: str, units: int) -> str:
    """`s` cut to at most `units` UTF-16 units (a character beyond the BMP counts two)."""
    out = 0
    for i, ch in enumerate(s):
        out += 2 if ord(ch) > 0xFFFF else 1
        if out > units:
            return s[:i]
    return s


def _figure_row(f: Figure, links: Links) -> list:
    s = f.source
    targets = [links.target(t) for t in s.targets]
    reports = [links.report(u, p) for u, p in s.reports]
    subs = [links.submission(x) for x in s.submissions]

    def ids(values, refs):  # one id links straight to its page; several are linked in the index sheets
        text = "、".join(str(v) for v in values)
        return C(text, link=refs[0].url) if len(refs) == 1 and refs[0].url else text

    value = C(f.value, number_format(f.text)) if f.value is not None else None  # the text is in 文中写法
    return [f.key, f.label, value, f.text, ids(s.targets, targets), "、".join(r.text for r in targets),
            ids([r.text for r in reports], reports), ids(s.submissions, subs)]


def _table(t: Table) -> tuple[list[str], list[list]]:
    lit = bool(t.light)
    rows = []
    for i, row in enumerate(t.rows):
        light = t.light[i] if i < len(t.light) else ""
        cells = [figure_cell(c) if isinstance(c, Figure) else c for c in row]
        keys = "、".join(c.key for c in row if isinstance(c, Figure))
        rows.append(cells + ([C(LIGHT_NAMES.get(light, light), fill=LIGHT_FILLS.get(light))] if lit else []) + [keys])
    if t.note:
        rows.append([t.note])
    return t.header + (["灯色"] if lit else []) + ["数字编号"], rows


def _link_uses(ref, keys: list[str]) -> list:
    return [C(ref.url, link=ref.url) if ref.url else "", "、".join(keys)]


class _CharWidths(dict):
    """Each character's width once looked up: CJK (wide and fullwidth) counts double."""

    def __missing__(self, ch: str) -> int:
        self[ch] = w = 2 if unicodedata.east_asian_width(ch) in "WF" else 1
        return w


_CHAR_WIDTH = _CharWidths()


def _width(v) -> int:
    s = number_text(v) if isinstance(v, (int, float)) else str(v)
    return len(s) if s.isascii() else sum(map(_CHAR_WIDTH.__getitem__, s))


class _Link(Url):
    """A hyperlink to its address exactly as given, as openpyxl wrote it. XlsxWriter refuses an address
    without a scheme (the web app's /plans/3#t-12, which Excel resolves against the workbook's
    HyperlinkBase) and moves an address's #anchor out of it; Excel and WPS open it with the anchor in."""

    def _parse_url(self) -> None:
        self._link_type = UrlTypes.URL


class _Book:
    """The workbook with its formats, one per look (XlsxWriter adds a style per Format object)."""

    def __init__(self, wb: Workbook) -> None:
        self.wb, self.looks = wb, {}
        self.title, self.head = wb.add_format({"bold": True, "font_size": 12}), wb.add_format(HEAD)

    def look(self, fmt: str | None, fill: str | None, link: bool, wrap: bool) -> Format | None:
        key = (fmt, fill, link, wrap)
        if key not in self.looks:
            props = {**({"num_format": fmt} if fmt else {}), **({"pattern": 1, "bg_color": "#" + fill} if fill else {}),
                     **(LINK if link else {}), **(WRAP if wrap else {})}
            self.looks[key] = self.wb.add_format(props) if props else None
        return self.looks[key]


def _fill(book: _Book, ws, title: str, header: list[str], rows: list[list]) -> None:
    """Title in row 1, bold header in row 2 (both frozen), then the rows; widths fit the text, and a
    column wider than MAX_WIDTH wraps its text."""
    ws.write_string(0, 0, title, book.title)
    for j, h in enumerate(header):
        _put(ws, 1, j, h, book.head)
    widths = _widths(header, rows)
    wrap = book.look(None, None, False, True)
    plain = [wrap if w + 2 > MAX_WIDTH else None for w in widths]
    linked = 0
    for i, row in enumerate(rows, 2):
        for j, c in enumerate(row):
            kind = type(c)
            if kind is str and c:  # the common cases first: a province's annex has ~100,000 cells
                ws.write_string(i, j, c, plain[j])
            elif kind is float or kind is int:
                ws.write_number(i, j, c, plain[j])
            elif kind is not C:
                _put(ws, i, j, c, plain[j])
            elif c.link and linked < MAX_LINKS and len(c.link.encode("utf-16-le")) <= 2 * MAX_URL:
                url = _Link(c.link)
                url.text = "" if c.value is None else str(c.value)
                ws.write_url(i, j, url, book.look(c.fmt, c.fill, True, plain[j] is not None))
                linked += 1
            else:  # beyond Excel's limits a link's cell keeps its text, without the link
                _put(ws, i, j, c.value, book.look(c.fmt, c.fill, False, plain[j] is not None))
    for j, w in enumerate(widths):
        ws.set_column(j, j, min(max(w + 2, 6), MAX_WIDTH))
    ws.freeze_panes(2, 0)


def _widths(header: list[str], rows: list[list]) -> list[int]:
    """Each column's widest text (a lone note row is left out: it would widen its column)."""
    widths = [0] * max([len(header), *map(len, rows)])
    seen: dict = {}  # the same names and units recur down a column
    for row in [header, *(r for r in rows if len(r) > 1)]:
        for j, c in enumerate(row):
            v = c.value if type(c) is C else c
            if v is not None:
                w = seen.get(v)
                if w is None:
                    w = seen[v] = _width(v)
                widths[j] = max(widths[j], w)
    return widths


def _put(ws, row: int, col: int, v, look: Format | None) -> None:
    """One cell by its type (XlsxWriter's write() would read "=…" as a formula and "http…" as a link)."""
    if v is None or v == "":
        if look is not None:
            ws.write_blank(row, col, None, look)
    elif isinstance(v, str):
        ws.write_string(row, col, v, look)
    elif isinstance(v, bool):
        ws.write_boolean(row, col, v, look)
    elif isinstance(v, Number):
        ws.write_number(row, col, v, look)
    elif isinstance(v, (date, time)):
        ws.write_datetime(row, col, v, look)
    else:
        ws.write_string(row, col, str(v), look)
