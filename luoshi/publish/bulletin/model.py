"""The bulletin (季通报) as a document, before any format: headings, paragraphs, tables and charts
whose numbers are `Figure`s, each naming the targets and reports it is read from. The DOCX, PDF,
HTML and xlsx renderers all draw this one model, so every number printed is the same figure in
every format and can be traced (the HTML links it, the xlsx annex lists it)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class Source:
    """What a figure is read from: targets (their ids), monthly reports owed or sent as
    (unit id, YYYY-MM), and the exact submissions (ids of the versions read)."""

    targets: tuple[int, ...] = ()
    reports: tuple[tuple[int, str], ...] = ()
    submissions: tuple[int, ...] = ()


@dataclass(frozen=True)
class Figure:
    """A number in the text: `key` (F1, F2, …) is its row in the annex and its anchor in the HTML."""

    key: str
    text: str  # as printed: "12", "66.7%", "落后8.3个百分点"
    label: str  # what it is, in Chinese: "红灯指标数"
    value: float | None
    source: Source = field(default_factory=Source)


Run = str | Figure


@dataclass
class Heading:
    """一、 (level 1, 黑体), （一） (2, 楷体), 1. (3, 仿宋), （1） (4, 仿宋). `text` includes the number;
    `runs` continue the paragraph in body type after the heading (（一）总体进展。本季度……)."""

    level: int
    text: str
    runs: list[Run] = field(default_factory=list)


@dataclass
class Paragraph:
    runs: list[Run]


@dataclass
class Table:
    """`caption`: 表1 … above the table; `align`: left | right | center per column; `widths`:
    relative column widths; `light`: per row, the light a row stands for (green | yellow | red |
    none | "") for renderers that mark it."""

    caption: str
    header: list[str]
    rows: list[list[Run]]
    align: list[str]
    widths: list[float]
    light: list[str] = field(default_factory=list)
    note: str = ""


@dataclass
class Chart:
    """`kind`: progress (per category, completion against 序时进度: series "完成率" and "序时进度",
    percent) | lights (per category, targets by light: series "green", "yellow", "red", "none")."""

    key: str
    caption: str
    kind: str
    categories: list[str]
    series: dict[str, list[float]]


Block = Heading | Paragraph | Table | Chart


@dataclass
class Document:
    issuer: str  # 发文机关
    issue: str  # 期号: 2022年第3期
    title: str  # 关于…的通报
    recipients: str  # 主送机关
    signed: date  # 成文日期
    blocks: list[Block]
    region: str
    period: str  # 2022Q3
    as_of: str  # the month judged, YYYY-MM
    copy_to: str = ""  # 抄送
    annex: str = ""  # 附件 line(s) after the body

    def figures(self) -> list[Figure]:
        """Every figure in document order (each key once)."""
        seen: dict[str, Figure] = {}
        for b in self.blocks:
            runs = b.runs if isinstance(b, (Heading, Paragraph)) else \
                [c for row in b.rows for c in row] if isinstance(b, Table) else []
            for r in runs:
                if isinstance(r, Figure) and r.key not in seen:
                    seen[r.key] = r
        return list(seen.values())


def plain(runs: list[Run]) -> str:
    """The runs as text."""
    return "".join(r.text if isinstance(r, Figure) else r for r in runs)


def date_cn(d: date) -> str:
    """成文日期 in Arabic numerals, as GB/T 9704-2012 writes it: 2022年10月8日."""
    return f"{d.year}年{d.month}月{d.day}日"
