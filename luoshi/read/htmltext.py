"""Plain text from HTML tokens, every character mapped back to the raw HTML.

Block elements break lines, table cells are separated by tabs (a small cell's inner paragraphs
become spaces so that a table row stays one line), whitespace collapses as a browser shows it,
and entities are decoded, each decoded character standing for the whole entity.
"""
from __future__ import annotations

import html
import re

from luoshi.read.htmlparse import END, START, TEXT, Node, Token
from luoshi.read.textmap import Builder, TextMap

BLOCK = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd", "tr", "table",
         "br", "hr", "section", "article", "header", "footer", "nav", "aside", "main", "blockquote", "pre",
         "form", "figure", "figcaption", "center", "caption", "address", "fieldset", "legend", "tbody", "thead",
         "tfoot", "title", "body", "html"}
_PIECE = re.compile(r"&(?:#[0-9]{1,7};?|#[xX][0-9a-fA-F]{1,6};?|[A-Za-z][A-Za-z0-9]{1,31};"
                    r"|(?:nbsp|amp|lt|gt|quot|copy|reg)(?![A-Za-z0-9;]))|[ \t\r\n\f\xa0]+")
_FLAT_CELL_HANZI = 1000  # a cell with more text than this is page layout, not a data table


def emit(raw: str, tokens: list[Token], segments: list[tuple[int, int]], skip: dict[int, int]) -> TextMap:
    """Text of the token ranges `segments`, jumping over skipped elements (first → last index)."""
    out = _Out(raw)
    for i0, i1 in segments:
        out.newline(tokens[i0].start, tokens[i0].start)
        i = i0 + (tokens[i0].kind == START)  # the container's own tag is not a cell or row of it
        flat: list[int] = []  # `last` of the open small table cells
        rows: list[list[int]] = []  # [last, cells so far] of the open table rows
        while i < i1:
            if i in skip and skip[i] > i:
                i = skip[i]
                continue
            while flat and i >= flat[-1]:
                flat.pop()
            while rows and i >= rows[-1][0]:
                rows.pop()
            tok = tokens[i]
            if tok.kind == TEXT:
                out.text(tok.start, tok.end)
            elif tok.kind in (START, END):
                _tag(out, tok, flat, rows)
            i += 1
    return out.builder.build()


def _tag(out: "_Out", tok: Token, flat: list[int], rows: list[list[int]]) -> None:
    name, node = tok.name, tok.parent
    if tok.kind == START and name in ("td", "th") and isinstance(node, Node) and not flat:
        small = node.hanzi + node.link_hanzi <= _FLAT_CELL_HANZI and _cells_in_row(node) >= 2
        if rows and rows[-1][1] > 0:
            (out.tab if small else out.newline)(tok.start, tok.end)
        if rows:
            rows[-1][1] += 1
        if small:
            flat.append(node.last)
    elif tok.kind == START and name == "tr" and isinstance(node, Node) and not flat:
        rows.append([node.last, 0])
        out.newline(tok.start, tok.end)
    elif flat and (name in BLOCK or name in ("td", "th")):
        out.space(tok.start, tok.end)  # inside a data cell: keep the row on one line
    elif name in BLOCK:
        out.newline(tok.start, tok.end)


def _cells_in_row(cell: Node) -> int:
    """A data table has rows of several cells; a page laid out with a table has rows of one."""
    row = cell.parent
    return sum(c.name in ("td", "th") for c in row.children) if row is not None and row.name == "tr" else 0


class _Out:
    """Collapses whitespace lazily: a space or line break is written only when text follows."""

    def __init__(self, raw: str):
        self.raw = raw
        self.builder = Builder()
        self.line_start = True  # nothing written on this line yet
        self.gap = True  # just wrote a separator: spaces are dropped
        self.pending_nl: tuple[int, int] | None = None
        self.pending_sp: tuple[int, int] | None = None

    def newline(self, s: int, e: int) -> None:
        self.pending_sp = None
        if not self.line_start and self.pending_nl is None:
            self.pending_nl = (s, e)

    def space(self, s: int, e: int) -> None:
        if not self.gap and self.pending_nl is None and self.pending_sp is None:
            self.pending_sp = (s, e)

    def tab(self, s: int, e: int) -> None:
        self.pending_sp = None
        self._flush()
        self.builder.replace("\t", s, e)
        self.line_start, self.gap = False, True

    def text(self, s: int, e: int) -> None:
        raw, pos = self.raw, s
        for m in _PIECE.finditer(raw, s, e):
            if m.start() > pos:
                self._put(pos, m.start())
            piece = m.group()
            value = html.unescape(piece) if piece[0] == "&" else " "
            if value.strip(" \t\r\n\f\xa0") == "":
                self.space(m.start(), m.end())
            elif value == piece:
                self._put(m.start(), m.end())
            else:
                self._put(m.start(), m.end(), value)
            pos = m.end()
        if pos < e:
            self._put(pos, e)

    def _flush(self) -> None:
        if self.pending_nl is not None:
            self.builder.replace("\n", *self.pending_nl)
            self.line_start = self.gap = True
        elif self.pending_sp is not None:
            self.builder.replace(" ", *self.pending_sp)
        self.pending_nl = self.pending_sp = None

    def _put(self, s: int, e: int, replacement: str | None = None) -> None:
        self._flush()
        if replacement is None:
            self.builder.copy(self.raw[s:e], s)
        else:
            self.builder.replace(replacement, s, e)
        self.line_start = self.gap = False
