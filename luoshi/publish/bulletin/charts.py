"""Bulletin charts as PNG, drawn by matplotlib's object API (no pyplot: no global figures, no
backend state shared between requests) and imported only when a chart is drawn, so luoshi's
commands start fast.

progress: per category, 完成率 against 序时进度 (percent) as grouped bars; lights: per category, the
targets by light as stacked bars. Few short names get vertical bars, otherwise horizontal bars
with the figure as tall as its categories need (a province has 16 cities, a chart of units 30+)."""
from __future__ import annotations

import io
import math
import warnings
from functools import lru_cache

from .model import Chart

COLORS = {"green": "#2e7d32", "yellow": "#f9a825", "red": "#c62828", "none": "#9e9e9e"}
LIGHT_LABELS = {"green": "绿灯", "yellow": "黄灯", "red": "红灯", "none": "未判断"}
PROGRESS_COLORS = {"完成率": "#1f5b99", "序时进度": "#b0b7c3"}
PREFERRED = ("Noto Sans CJK SC", "Noto Serif CJK SC", "AR PL UKai CN", "Source Han Sans SC",
             "WenQuanYi Zen Hei", "SimHei", "Microsoft YaHei")
MAX_HEIGHT_MM = 200  # leaves the caption room on a page of 225 mm
MM = 1 / 25.4


@lru_cache(maxsize=1)
def cjk_font() -> str | None:
    """The family charts write Chinese in: the first installed of PREFERRED, else any font whose
    name or file says CJK; None (and one warning) where there is none: Chinese then shows as boxes."""
    from matplotlib import font_manager

    fonts = font_manager.fontManager.ttflist
    names = {f.name for f in fonts}
    for name in PREFERRED:
        if name in names:
            return name
    for f in fonts:
        if "CJK" in f.name or "CJK" in f.fname.upper():
            return f.name
    warnings.warn("未找到中文字体，图表中的汉字将显示为方框（请安装 fonts-noto-cjk）", RuntimeWarning, stacklevel=2)
    return None


def chart_png(chart: Chart, *, width_mm: float = 156, dpi: int = 200) -> bytes:
    """`chart` as a PNG `width_mm` wide at `dpi` (type sizes are true points at that width)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    if chart.kind not in ("progress", "lights"):
        raise ValueError(f"unknown chart kind {chart.kind!r}")
    n = max(len(chart.categories), 1)
    longest = max((len(c) for c in chart.categories), default=0)
    vertical = n <= 6 and longest <= 6
    # Horizontal: one band per category, a little wider for the two bars of progress charts.
    band_mm = 9 if chart.kind == "progress" else 6.5
    height_mm = 80 if vertical else min(MAX_HEIGHT_MM, 28 + n * band_mm)
    fig = Figure(figsize=(width_mm * MM, height_mm * MM), dpi=dpi)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    font = cjk_font()
    label_pt = max(6.0, min(9.0, (height_mm - 28) / n / 25.4 * 72 * 0.75)) if not vertical else 9.0
    _layout(fig, width_mm, height_mm, vertical, longest * label_pt)
    text = {"family": font, "size": label_pt} if font else {"size": label_pt}
    if chart.kind == "progress":
        _progress(ax, chart, vertical, text)
    else:
        _lights(ax, chart, vertical, text)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.tick_params(labelsize=label_pt)
    ax.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncol=4, frameon=False,
              prop={**text, "size": 9}, handlelength=1.2, borderaxespad=0.2)
    buf = io.BytesIO()
    # Flat colours compress well at zlib level 1, three times faster than the default 6.
    fig.savefig(buf, format="png", dpi=dpi, facecolor="white", pil_kwargs={"compress_level": 1})
    return buf.getvalue()


def _layout(fig, width_mm: float, height_mm: float, vertical: bool, label_width_pt: float) -> None:
    """Margins from the label sizes (constrained layout measures every text and doubled the
    drawing time): room for the legend above, tick labels below and category names on the left."""
    w, h = width_mm / 25.4 * 72, height_mm / 25.4 * 72  # points
    left = 40 if vertical else min(label_width_pt + 12, w * 0.45)
    fig.subplots_adjust(left=left / w, right=1 - 34 / w, top=1 - 24 / h, bottom=(30 if vertical else 36) / h)


def _values(chart: Chart, name: str) -> list[float]:
    vals = chart.series.get(name) or []
    out = [math.nan if v is None else float(v) for v in vals]
    return (out + [math.nan] * len(chart.categories))[:len(chart.categories)]


def _axis_categories(ax, cats: list[str], vertical: bool, text: dict) -> None:
    pos = list(range(len(cats)))
    if vertical:
        ax.set_xticks(pos, cats, **text)
    else:
        ax.margins(y=0.5 / max(len(cats), 1))  # half a band above the first bar and below the last
        ax.set_yticks(pos, cats, **text)
        ax.invert_yaxis()  # the first category on top, as tables read


def _progress(ax, chart: Chart, vertical: bool, text: dict) -> None:
    from matplotlib.ticker import PercentFormatter

    cats = chart.categories
    done, due = _values(chart, "完成率"), _values(chart, "序时进度")
    top = max([100.0] + [v for v in done + due if not math.isnan(v)])
    thick = min(0.38, 0.12 + 0.06 * len(cats)) if vertical else 0.38
    small = {**text, "size": min(text["size"], 7.5)}
    for k, (name, vals) in enumerate((("完成率", done), ("序时进度", due))):
        pos = [i + (k - 0.5) * thick for i in range(len(cats))]
        bars = (ax.bar if vertical else ax.barh)(pos, [0 if math.isnan(v) else v for v in vals], thick,
                                                  color=PROGRESS_COLORS[name], label=name)
        if len(cats) <= 20:
            for b, v in zip(bars, vals):
                x, y = (b.get_x() + b.get_width() / 2, b.get_height()) if vertical else \
                    (b.get_width(), b.get_y() + b.get_height() / 2)
                ax.annotate("—" if math.isnan(v) else f"{v:.1f}%", (x, y), xytext=(0, 2) if vertical else (2, 0),
                            textcoords="offset points", ha="center" if vertical else "left",
                            va="bottom" if vertical else "center", **small)
    _axis_categories(ax, cats, vertical, text)
    limit = top * 1.15
    (ax.set_ylim if vertical else ax.set_xlim)(0, limit)
    (ax.yaxis if vertical else ax.xaxis).set_major_formatter(PercentFormatter(decimals=0))
    (ax.yaxis if vertical else ax.xaxis).grid(True, color="#e0e0e0", linewidth=0.6)
    ax.set_axisbelow(True)


def _lights(ax, chart: Chart, vertical: bool, text: dict) -> None:
    from matplotlib.ticker import MaxNLocator

    cats = chart.categories
    base = [0.0] * len(cats)
    thick = min(0.62, 0.2 + 0.08 * len(cats)) if vertical else 0.62  # few columns: not slabs
    small = {**text, "size": min(text["size"], 7.5)}
    for key in ("green", "yellow", "red", "none"):
        vals = [0.0 if math.isnan(v) else v for v in _values(chart, key)]
        if not any(vals) and key == "none":
            continue  # 未判断 only where some target has no light yet
        bars = (ax.bar if vertical else ax.barh)(range(len(cats)), vals, thick, base, color=COLORS[key],
                                                  label=LIGHT_LABELS[key])
        for b, v in zip(bars, vals):
            if v:
                ax.text(b.get_x() + b.get_width() / 2, b.get_y() + b.get_height() / 2, f"{v:g}", ha="center",
                        va="center", color="white", **small)
        base = [b + v for b, v in zip(base, vals)]
    _axis_categories(ax, cats, vertical, text)
    axis = ax.yaxis if vertical else ax.xaxis
    axis.set_major_locator(MaxNLocator(integer=True))
    axis.grid(True, color="#e0e0e0", linewidth=0.6)
    ax.set_axisbelow(True)
    (ax.set_ylabel if vertical else ax.set_xlabel)("指标数（项）", **text)
