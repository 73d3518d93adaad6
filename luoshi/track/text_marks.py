"""A plan's text with its extracted items marked where they stand: the character spans of
sections, responsibility clauses and targets made into a properly nested tree, whatever the
spans do to each other.

Spans that nest (a target inside a clause) nest; a span that crosses the end of an enclosing one
is split there, and the rest goes on as a continuation piece (`Mark.first` is False), so the
pieces of each span together cover exactly its characters and every piece nests. Of two spans
that start together, the longer encloses the shorter; of two equal spans, sections enclose
clauses, clauses targets. Empty spans and spans outside the text are dropped; a span running past
the end is cut there. No markup here: the web layer escapes the text pieces as it writes them."""
from __future__ import annotations

import heapq
from dataclasses import dataclass, field

# Which of two equal spans encloses the other.
KIND_ORDER = {"section": 0, "clause": 1, "target": 2}


@dataclass(frozen=True)
class Span:
    kind: str  # section | clause | target
    id: int
    start: int
    end: int


@dataclass
class Mark:
    """One piece of a span; `children` are text (str) and the pieces nested inside it."""

    span: Span
    start: int
    end: int
    first: bool  # the span's first piece (the one to carry its element id)
    children: list = field(default_factory=list)


def pieces(spans: list[Span], length: int) -> list[tuple[int, int, Span, bool]]:
    """The spans cut into properly nested pieces (start, end, span, first), in document order
    (an enclosing piece before the pieces inside it)."""
    heap = []
    for n, s in enumerate(spans):
        start, end = max(s.start, 0), min(s.end, length)
        if start < end:
            heap.append((start, -end, KIND_ORDER.get(s.kind, 9), n, s, True))
    heapq.heapify(heap)
    out, open_ends = [], []  # open_ends: the ends of the pieces enclosing the current position
    while heap:
        start, neg_end, order, n, s, first = heapq.heappop(heap)
        end = -neg_end
        while open_ends and open_ends[-1] <= start:
            open_ends.pop()
        if open_ends and end > open_ends[-1]:
            # Crosses the end of the innermost enclosing piece: this piece stops there, the rest
            # starts again after it (where the enclosing piece is closed).
            heapq.heappush(heap, (open_ends[-1], neg_end, order, n, s, False))
            end = open_ends[-1]
        out.append((start, end, s, first))
        open_ends.append(end)
    return out


def marked(text: str, spans: list[Span]) -> list:
    """The text as a list of str and Mark nodes (see the module) whose text, read in order,
    is `text` exactly."""
    root: list = []
    stack: list[tuple[int, list]] = [(len(text), root)]  # (end, children) of the open containers
    pos = 0
    for start, end, span, first in pieces(spans, len(text)):
        while stack[-1][0] <= start and len(stack) > 1:  # close the containers that end before it
            close_end, children = stack.pop()
            _text(children, text, pos, close_end)
            pos = close_end
        _text(stack[-1][1], text, pos, start)
        pos = start
        mark = Mark(span, start, end, first)
        stack[-1][1].append(mark)
        stack.append((end, mark.children))
    while len(stack) > 1:
        close_end, children = stack.pop()
        _text(children, text, pos, close_end)
        pos = close_end
    _text(root, text, pos, len(text))
    return root


def _text(children: list, text: str, start: int, end: int) -> None:
    if end > start:
        children.append(text[start:end])


def plain(nodes: list) -> str:
    """The text a tree holds, in order (the inverse of `marked`)."""
    return "".join(n if isinstance(n, str) else plain(n.children) for n in nodes)
