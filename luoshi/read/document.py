"""What a reader hands on: the original text (spans index it) and what to extract from."""
from __future__ import annotations

from dataclasses import dataclass, field

from luoshi.read.textmap import TextMap


@dataclass(frozen=True)
class Part:
    """Where a stretch of `Document.text` came from: a page, a paragraph, a table cell."""

    start: int
    end: int
    kind: str  # "page" | "paragraph" | "cell" | "line"
    page: int | None = None  # 1-based
    paragraph: int | None = None  # 0-based body paragraph index (DOCX)
    table: int | None = None  # 0-based table index (DOCX)
    row: int | None = None
    cell: int | None = None

    def to_json(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if v is not None}


@dataclass
class Document:
    """A plan file turned into text.

    `text` is the original: the decoded file for TXT and HTML (markup included), the text the
    reader produces for DOCX and PDF. Every span luoshi reports indexes `text`.
    `body` is what extraction reads, mapped back to `text`: the whole text for TXT/DOCX/PDF,
    the article body with markup stripped and entities decoded for HTML.
    """

    text: str
    format: str  # "txt" | "docx" | "pdf" | "html"
    body: TextMap
    encoding: str | None = None
    name: str | None = None
    parts: list[Part] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # HTML pages carry metadata outside the body (<meta>, the 信息公开 table); readers
    # put such fields here as name → (value, span).
    fields: dict[str, tuple[str, tuple[int, int]]] = field(default_factory=dict)

    @classmethod
    def plain(cls, text: str, format: str = "txt", **kwargs) -> "Document":
        return cls(text=text, format=format, body=TextMap.identity(text), **kwargs)
