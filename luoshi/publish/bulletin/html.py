"""The bulletin as one standalone HTML file, the reading copy the web app serves: no script, no
external resource, every style in a single <style> element (served under a CSP that allows that
block by its hash, `style_hash`), charts as inline SVG drawn here. Every Figure is a link to its
row in the closing annex "附：数字来源", which names the targets and reports it is read from."""
from __future__ import annotations

import base64
import hashlib
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader
from markupsafe import Markup, escape

from luoshi.publish.bulletin.model import Chart, Document, Figure, Heading, Paragraph, Table, date_cn

TEMPLATES = Path(__file__).parent / "templates"
LIGHT_NAMES = {"green": "绿灯", "yellow": "黄灯", "red": "红灯", "none": "未判断"}
LIGHT_COLORS = {"green": "#2e7d32", "yellow": "#e0a800", "red": "#c62828", "none": "#9e9e9e"}
SERIES_COLORS = ["#1f4e79", "#a6a6a6", "#c55a11", "#548235"]


@dataclass(frozen=True)
class Ref:
    """One target, report or submission as shown: its text, its URL (None: plain text) and a hint."""

    text: str
    url: str | None
    hint: str


@dataclass(frozen=True)
class Links:
    """How ids become names and URLs; the web app passes its own routes. Any part may be left out:
    an id without a name shows as 指标 #12 / 单位 #7, one without a URL as plain text."""

    target_url: Callable[[int], str] | None = None
    report_url: Callable[[int, str], str] | None = None
    submission_url: Callable[[int], str] | None = None
    target_name: Mapping[int, str] = field(default_factory=dict)
    unit_name: Mapping[int, str] = field(default_factory=dict)

    def target(self, tid: int) -> Ref:
        return Ref(self.target_name.get(tid) or f"指标 #{tid}", self.target_url(tid) if self.target_url else None,
                   f"指标 #{tid}")

    def report(self, unit: int, period: str) -> Ref:
        name = self.unit_name.get(unit) or f"单位 #{unit}"
        return Ref(f"{name} {period}", self.report_url(unit, period) if self.report_url else None,
                   f"单位 #{unit} {period} 月报")

    def submission(self, sid: int) -> Ref:
        return Ref(f"报送版本 #{sid}", self.submission_url(sid) if self.submission_url else None, f"报送版本 #{sid}")


def number_text(v: float | None) -> str:
    """A figure's value as plain digits (no exponent, no trailing zeros); — when there is none."""
    if v is None:
        return "—"
    if float(v).is_integer():
        return str(int(v))
    return f"{v:.6f}".rstrip("0").rstrip(".")


def _refs(refs: list[Ref]) -> Markup:
    """The annex's list of targets or reports, written here rather than by template macros: a
    province's annex has thousands (the macros were most of the page's time)."""
    if not refs:
        return Markup("—")
    items = []
    for r in refs:
        text, hint = escape(r.text), escape(r.hint)
        items.append(f'<li><a href="{escape(r.url)}" target="_top" title="{hint}">{text}</a></li>' if r.url
                     else f'<li><span title="{hint}">{text}</span></li>')
    return Markup("<ul>" + "".join(items) + "</ul>")


# A count of a province's targets names a thousand of them: the reading copy lists the first ones
# and points to the xlsx annex (指标索引, 报告索引), which names every one.
LISTED = 30


def render_html(doc: Document, *, links: Links | None = None) -> str:
    links = links or Links()
    blocks, doc_css = _blocks(doc)
    rows = []
    for f in doc.figures():
        reports = [*(("r", u, p) for u, p in f.source.reports), *(("s", x, None) for x in f.source.submissions)]
        rows.append({"fig": f, "value": number_text(f.value),
                     "targets": _refs([links.target(t) for t in f.source.targets[:LISTED]]),
                     "more_targets": max(len(f.source.targets) - LISTED, 0),
                     "reports": _refs([links.report(a, b) if k == "r" else links.submission(a)
                                       for k, a, b in reports[:LISTED]]),
                     "more_reports": max(len(reports) - LISTED, 0)})
    return _template().render(doc=doc, blocks=blocks, rows=rows, doc_css=doc_css,
                         signed=date_cn(doc.signed))


@cache
def _template():
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True, trim_blocks=True, lstrip_blocks=True,
                      keep_trailing_newline=True)
    return env.get_template("bulletin.html")


_STYLE = re.compile(r"<style>(.*?)</style>", re.DOTALL)


def style_hash(html: str) -> str:
    """The CSP source ('sha256-…') of the page's single <style> element."""
    found = _STYLE.findall(html)
    if len(found) != 1:
        raise ValueError(f"expected one <style> element, found {len(found)}")
    digest = hashlib.sha256(found[0].encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def _blocks(doc: Document) -> tuple[list[dict], str]:
    """The blocks as the template draws them, and the CSS rules that depend on the document (the
    issuer's size, the tables' column widths), which go in the one <style> element."""
    seen: dict[str, int] = {}

    def run(r):
        if not isinstance(r, Figure):
            return r
        seen[r.key] = seen.get(r.key, 0) + 1  # a figure printed twice gets a second anchor
        return {"fig": r, "id": f"ref-{r.key}" + (f"-{seen[r.key]}" if seen[r.key] > 1 else "")}

    out, css, tables = [], [], 0
    for b in doc.blocks:
        if isinstance(b, Heading):
            out.append({"kind": "heading", "level": b.level, "text": b.text, "runs": [run(r) for r in b.runs]})
        elif isinstance(b, Paragraph):
            out.append({"kind": "para", "runs": [run(r) for r in b.runs]})
        elif isinstance(b, Table):
            tables += 1
            tid, total = f"T{tables}", sum(b.widths) or 1
            css += [f"#{tid} col:nth-child({i + 1}){{width:{100 * w / total:.1f}%}}" for i, w in enumerate(b.widths)]
            align = [a if a in ("left", "right", "center") else "left" for a in b.align]
            rows = [{"light": b.light[i] if i < len(b.light) else "",
                     "cells": [(align[j] if j < len(align) else "left", run(c)) for j, c in enumerate(row)]}
                    for i, row in enumerate(b.rows)]
            out.append({"kind": "table", "id": tid, "caption": b.caption, "header": b.header,
                        "cols": len(b.widths), "rows": rows, "note": b.note})
        elif isinstance(b, Chart):
            out.append({"kind": "chart", "key": b.key, "caption": b.caption, "svg": chart_view(b)})
    # The red head on one line where it can: 30 pt, smaller for a long issuer (156 mm ≈ 442 pt, less the letter spacing).
    size = max(16, min(30, int(420 / max(len(doc.issuer), 1))))
    return out, "\n".join([f".issuer {{ font-size: {size}pt; }}", *css])


# Chart geometry (SVG user units ≈ CSS px). Bars run horizontally so that 40 units stay legible:
# the chart grows in height, one band per category.
WIDTH, FONT, LABEL_CHARS, RIGHT = 640, 12, 12, 52


def _step(top: float) -> float:
    """A round tick step giving at most six ticks up to `top`."""
    for unit in (1, 10, 100, 1000, 10000, 100000):
        for s in (1, 2, 2.5, 5):
            if top / (s * unit) <= 6:
                return s * unit
    return top


def chart_view(chart: Chart) -> dict:
    """Everything the template needs to draw the chart: bars (with category, series and value),
    texts, grid lines and legend, in SVG coordinates."""
    lights = chart.kind == "lights"
    names = [k for k in LIGHT_NAMES if k in chart.series] + [k for k in chart.series if k not in LIGHT_NAMES] \
        if lights else list(chart.series)
    color = {k: LIGHT_COLORS.get(k, "#666") if lights else SERIES_COLORS[i % len(SERIES_COLORS)]
             for i, k in enumerate(names)}
    n = len(chart.categories)
    values = [[float(chart.series[k][i] or 0) for k in names] for i in range(n)]
    if lights:
        top = max([sum(max(v, 0) for v in vs) for vs in values] + [1])
        step = max(1.0, _step(top))
    else:
        top = max([v for vs in values for v in vs] + [100])
        step = _step(top)
    top = math.ceil(top / step) * step
    label_w = min(max([len(c) for c in chart.categories] + [2]), LABEL_CHARS) * FONT + 8
    plot_x, plot_w = label_w, WIDTH - label_w - RIGHT
    scale = plot_w / top
    bar_h = 16 if lights else 9
    band = bar_h + 10 if lights else len(names) * (bar_h + 2) + 10
    y0 = 44  # legend row, then the tick labels
    legend = [{"x": plot_x + i * 84, "color": color[k], "name": LIGHT_NAMES.get(k, k)} for i, k in enumerate(names)]
    ticks = [{"x": plot_x + t * step * scale, "text": number_text(t * step)} for t in range(int(top / step) + 1)]
    bars, texts = [], []
    for i, cat in enumerate(chart.categories):
        y = y0 + i * band + 5
        short = cat if len(cat) <= LABEL_CHARS else cat[:LABEL_CHARS - 1] + "…"
        texts.append({"x": plot_x - 6, "y": y + (band - 10) / 2 + 4, "anchor": "end", "text": short, "cls": "cat",
                      "title": cat})
        x = plot_x
        for j, k in enumerate(names):
            v = values[i][j]
            w = max(v, 0) * scale
            by = y if lights else y + j * (bar_h + 2)
            shown = number_text(v) + ("" if lights else "%")
            bars.append({"x": x, "y": by, "w": w, "h": bar_h, "color": color[k], "category": cat, "series": k,
                         "value": number_text(v), "title": f"{cat} {LIGHT_NAMES.get(k, k)} {shown}"})
            if lights:
                if w >= 14 and v:
                    texts.append({"x": x + w / 2, "y": by + 12, "anchor": "middle", "text": shown, "cls": "in"})
                x += w
            else:
                texts.append({"x": plot_x + w + 3, "y": by + 8, "anchor": "start", "text": shown, "cls": "val"})
        if lights:
            texts.append({"x": x + 4, "y": y + 12, "anchor": "start", "text": number_text(sum(values[i])),
                          "cls": "val"})
    height = y0 + n * band + 8
    return {"width": WIDTH, "height": height, "bars": bars, "texts": texts, "legend": legend, "ticks": ticks,
            "plot_top": y0, "plot_bottom": height - 8, "scale": scale, "title": chart.caption}
