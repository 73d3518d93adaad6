"""The plan as luoshi understands it. Every extracted item carries `span`: [start, end) character
offsets into `Document.text`, the original decoded text (see ../shared/corpus/SPEC.md)."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

Span = tuple[int, int]


@dataclass
class Metadata:
    title: str | None = None
    issuer: str | None = None  # 发文机关
    doc_number: str | None = None  # 文号, e.g. 聊政字〔2021〕19号
    issued: str | None = None  # ISO date: 成文日期, else 印发/发布 date
    region: str | None = None  # e.g. 聊城市
    level: str | None = None  # province | city | county
    period: tuple[int, int] | None = None  # plan years, inclusive
    # Where each field was found, for grounding: field name → span.
    spans: dict[str, Span] = field(default_factory=dict)

    def to_json(self) -> dict:
        d = {k: getattr(self, k) for k in ("title", "issuer", "doc_number", "issued", "region", "level")}
        d["period"] = list(self.period) if self.period else None
        d["spans"] = {k: list(v) for k, v in self.spans.items()}
        return d


@dataclass
class Section:
    path: str  # ordinals joined by "/", brackets half-width: 二/(一)/1
    title: str
    span: Span
    level: int = 1

    def to_json(self) -> dict:
        return {"path": self.path, "title": self.title, "span": list(self.span)}


@dataclass
class Baseline:
    year: int | None
    value: float

    def to_json(self) -> dict:
        return {"year": self.year, "value": self.value}


@dataclass
class Target:
    indicator: str
    value: float
    unit: str
    comparator: str  # >= > <= < ~ between =
    year: int | None
    kind: str  # goal | standard
    span: Span  # the number and its unit as written
    value_max: float | None = None
    baseline: Baseline | None = None
    section: str | None = None  # path of the enclosing section
    source: str = "text"  # text | table
    quote: str = ""  # the sentence it stands in, for people

    def to_json(self) -> dict:
        return {
            "indicator": self.indicator,
            "value": _num(self.value),
            "value_max": _num(self.value_max),
            "unit": self.unit,
            "comparator": self.comparator,
            "year": self.year,
            "baseline": self.baseline.to_json() if self.baseline else None,
            "kind": self.kind,
            "span": list(self.span),
            "section": self.section,
            "source": self.source,
            "quote": self.quote,
        }


@dataclass
class Assignment:
    units: list[str]  # first is the lead (牵头单位)
    span: Span  # the clause
    lead_count: int = 1  # how many of `units` lead (牵头); the rest cooperate (配合)
    section: str | None = None
    covers: Span | None = None  # the task text the clause answers for

    @property
    def lead(self) -> str | None:
        return self.units[0] if self.units else None

    def to_json(self) -> dict:
        return {
            "units": list(self.units),
            "lead": self.units[: self.lead_count],
            "support": self.units[self.lead_count :],
            "span": list(self.span),
            "covers": list(self.covers) if self.covers else None,
            "section": self.section,
        }


@dataclass
class Plan:
    metadata: Metadata
    sections: list[Section]
    targets: list[Target]
    assignments: list[Assignment]
    text: str = ""  # Document.text: spans index it
    format: str = "txt"
    warnings: list[str] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.sections or self.targets or self.assignments)

    def to_json(self, with_text: bool | None = None) -> dict:
        """The extraction JSON of SPEC.md. `text` is included for DOCX/PDF (their original text is
        the reader's, so spans can only be checked against it) unless `with_text` says otherwise."""
        d = {
            "metadata": self.metadata.to_json(),
            "sections": [s.to_json() for s in self.sections],
            "targets": [t.to_json() for t in self.targets],
            "assignments": [a.to_json() for a in self.assignments],
            "format": self.format,
            "warnings": list(self.warnings),
        }
        if with_text if with_text is not None else self.format in ("docx", "pdf"):
            d["text"] = self.text
        return d


def _num(v: float | None):
    if v is None:
        return None
    if float(v).is_integer() and abs(v) < 1e17:
        return int(v)
    return v


__all__ = ["Span", "Metadata", "Section", "Baseline", "Target", "Assignment", "Plan", "asdict"]
