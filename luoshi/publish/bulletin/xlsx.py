"""The bulletin's annex (附件) as an xlsx workbook: every Figure with what it is read from
(数字来源), one sheet per table of the bulletin with its numbers as numeric cells, indexes of the
targets and reports with their links, and any extra sheets the composer adds. The bytes are the
same for the same Document, so a stored version can be compared with a new one."""
from __future__ import annotations

import io
import re
from copy import copy
import unicodedata
from dataclasses import dataclass
from datetime import datetime, time
from zipfile import ZIP_DEFLATED, ZipFile, ZipInfo

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter

from luoshi.publish.bulletin.html import LIGHT_NAMES, Links, number_text
from luoshi.publish.bulletin.model import Document, Figure, Table

BOLD = Font(bold=True)
LINK = Font(color="0563C1", underline="single")
HEAD_FILL = PatternFill("solid", fgColor="D9D9D9")
LIGHT_FILLS = {"green": "C6E0B4", "yellow": "FFE699", "red": "F4B6B6", "none": "E7E6E6"}
MAX_WIDTH = 60
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
                links: Links | None = None) -> bytes:
    links = links or Links()
    wb = Workbook()
    about = wb.active
    about.title = "说明"
    contents: list[tuple[str, str]] = []

    def sheet(name: str, what: str, header: list[str], rows: list[list]) -> None:
        ws = wb.create_sheet(sheet_name(name, wb.sheetnames))
        _fill(ws, f"{doc.title}（{doc.issue}）附件：{what}", header, rows)
        contents.append((ws.title, what))

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
    _fill(about, f"{doc.title}（{doc.issue}）附件", ["项目", "内容"],
          [["发文机关", doc.issuer], ["期号", doc.issue], ["标题", doc.title], ["地区", doc.region],
           ["统计期", doc.period], ["截至月份", doc.as_of], ["成文日期", C(doc.signed, "yyyy\"年\"m\"月\"d\"日\"")],
           ["说明", ("“数字来源”表逐一列出通报中的数字：编号与网页版通报中的编号一致，数值为计算所得的数，"
                    "文中写法为通报中印出的样子。")]]
          + [[f"工作表“{n}”", w] for n, w in contents])
    stamp = datetime.combine(doc.signed, time())
    wb.properties.created = wb.properties.modified = stamp
    wb.properties.creator = wb.properties.lastModifiedBy = doc.issuer
    wb.properties.title = doc.title
    return _save(wb, stamp)


def sheet_name(caption: str, taken: list[str]) -> str:
    """A valid, unused sheet name: no []:*?/\\ and at most 31 characters."""
    base = re.sub(r"[\[\]:*?/\\]", "_", caption).strip().strip("'") or "表"
    name, n = base[:31], 1
    while name.lower() in (t.lower() for t in taken):
        n += 1
        name = base[:31 - len(f"({n})")] + f"({n})"
    return name


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


def _width(v) -> int:
    s = number_text(v) if isinstance(v, (int, float)) else str(v)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def _fill(ws, title: str, header: list[str], rows: list[list]) -> None:
    """Title in row 1, bold header in row 2 (both frozen), then the rows; widths fit the text."""
    ws.append([title])
    ws["A1"].font = Font(bold=True, size=12)
    ws.append(header)
    for c in ws[2]:
        c.font, c.fill, c.alignment = BOLD, HEAD_FILL, Alignment(horizontal="center", vertical="center")
    widths = [_width(h) for h in header]
    styles: dict[tuple, object] = {}
    at = 2  # the row just written (ws.max_row scans every cell: quadratic over a province's rows)
    for row in rows:
        ws.append([c.value if isinstance(c, C) else c for c in row])
        at += 1
        for j, spec in enumerate(row):
            cell = ws.cell(at, j + 1)
            if isinstance(spec, C):
                look = (spec.fmt, spec.fill, bool(spec.link))
                if look not in styles:  # styling a cell through openpyxl's descriptors is slow: copy it
                    if spec.fmt:
                        cell.number_format = spec.fmt
                    if spec.fill:
                        cell.fill = PatternFill("solid", fgColor=spec.fill)
                    if spec.link:
                        cell.font = LINK
                    styles[look] = copy(cell._style)
                else:
                    cell._style = copy(styles[look])
                if spec.link:
                    cell.hyperlink = spec.link
            if len(row) > 1:  # a lone note row would otherwise set its column's width
                widths += [0] * (j + 1 - len(widths))
                widths[j] = max(widths[j], _width(cell.value if cell.value is not None else ""))
    for j, w in enumerate(widths):
        ws.column_dimensions[get_column_letter(j + 1)].width = min(max(w + 2, 6), MAX_WIDTH)
        if w + 2 > MAX_WIDTH:
            for (cell,) in ws.iter_rows(min_row=3, min_col=j + 1, max_col=j + 1):
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A3"


def _save(wb: Workbook, stamp: datetime) -> bytes:
    """The workbook's bytes with fixed dates: openpyxl's save_workbook stamps `modified` with the
    clock and zip entries carry the time of writing, so both are set to `stamp` here."""
    raw = io.BytesIO()
    ExcelWriter(wb, ZipFile(raw, "w", ZIP_DEFLATED)).save()  # closes the archive
    out = io.BytesIO()
    with ZipFile(raw) as src, ZipFile(out, "w", ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = ZipInfo(info.filename, stamp.timetuple()[:6])
            entry.compress_type, entry.external_attr = ZIP_DEFLATED, info.external_attr
            dst.writestr(entry, src.read(info.filename))
    return out.getvalue()
