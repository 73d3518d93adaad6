"""A plan's text with its spans marked: nested spans nest, crossing spans are split so that every
piece nests, and the pieces of each span cover exactly its characters."""
from __future__ import annotations

import random
from itertools import pairwise

from luoshi.track.text_marks import Mark, Span, marked, pieces, plain

TEXT = "到2026年，全市5G基站总数达到1.2万个。（责任单位：市工业和信息化局）"


def walk(nodes, parent=None, out=None):
    """Every Mark with its parent Mark."""
    out = [] if out is None else out
    for n in nodes:
        if isinstance(n, Mark):
            out.append((n, parent))
            walk(n.children, n, out)
    return out


def test_a_target_inside_a_clause_nests_in_it():
    clause = Span("clause", 1, 0, len(TEXT))
    target = Span("target", 7, TEXT.index("1.2万个"), TEXT.index("1.2万个") + 5)
    nodes = marked(TEXT, [target, clause])  # the order given does not matter
    assert plain(nodes) == TEXT
    assert len(nodes) == 1 and nodes[0].span == clause and nodes[0].first
    inner = [n for n in nodes[0].children if isinstance(n, Mark)]
    assert [(m.span, plain(m.children)) for m in inner] == [(target, "1.2万个")]
    assert nodes[0].children[0] == "到2026年，全市5G基站总数达到"


def test_crossing_spans_are_split_at_the_enclosing_end():
    a, b = Span("clause", 1, 0, 10), Span("target", 2, 5, 15)
    nodes = marked(TEXT, [a, b])
    assert plain(nodes) == TEXT
    assert [(p[0], p[1], p[2].id, p[3]) for p in pieces([a, b], len(TEXT))] == [(0, 10, 1, True), (5, 10, 2, True),
                                                                            (10, 15, 2, False)]
    first, second = nodes[0], nodes[1]
    assert first.span == a and [m.span for m, _ in walk(first.children)] == [b]
    assert second.span == b and not second.first and plain(second.children) == TEXT[10:15]


def test_equal_spans_sections_enclose_clauses_enclose_targets():
    spans = [Span("target", 3, 2, 6), Span("section", 1, 2, 6), Span("clause", 2, 2, 6)]
    nodes = marked(TEXT, spans)
    kinds = [m.span.kind for m, _ in walk(nodes)]
    assert kinds == ["section", "clause", "target"]
    assert [m.span.kind for m, p in walk(nodes) if p is not None and p.span.kind == "section"] == ["clause"]


def test_empty_and_outside_spans_are_dropped_and_overruns_cut():
    nodes = marked("abcdef", [Span("target", 1, 3, 3), Span("target", 2, 9, 12), Span("clause", 3, 4, 99),
                              Span("target", 4, -2, 2)])
    assert plain(nodes) == "abcdef"
    assert [(m.span.id, plain(m.children)) for m, _ in walk(nodes)] == [(4, "ab"), (3, "ef")]


def test_random_spans_always_cover_their_text_and_nest():
    rng = random.Random(20261123)
    text = "".join(rng.choice("澜州市5G基站数据中心，。\n<&>") for _ in range(200))
    for _ in range(300):
        spans = []
        for i in range(rng.randint(0, 12)):
            start = rng.randint(0, len(text) - 1)
            spans.append(Span(rng.choice(["section", "clause", "target"]), i, start,
                              start + rng.randint(1, 60)))
        nodes = marked(text, spans)
        assert plain(nodes) == text
        found = walk(nodes)
        for m, parent in found:
            assert plain(m.children) == text[m.start:m.end]
            if parent is not None:
                assert parent.start <= m.start and m.end <= parent.end
        for s in spans:
            mine = sorted((m for m, _ in found if m.span is s), key=lambda m: m.start)
            assert "".join(plain(m.children) for m in mine) == text[s.start:min(s.end, len(text))]
            assert [m.first for m in mine] == [True] + [False] * (len(mine) - 1)
            assert all(a.end == b.start for a, b in pairwise(mine))  # contiguous pieces
