"""A forgiving HTML tokenizer and tree that keep exact offsets into the raw text.

The stdlib parser reports positions as line/column and decodes entities for us; here every token
and element knows its [start, end) in the raw string, which is what span mapping needs.
Malformed markup never raises: a stray `<` is text, an unknown end tag is ignored, unclosed
elements end with the document.
"""
from __future__ import annotations

import re

TEXT, START, END, OTHER = range(4)
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
        "track", "wbr", "keygen"}
RAW = {"script", "style", "textarea", "title", "noscript", "xmp", "iframe", "noembed", "noframes"}
_TAG = re.compile(r"""<!--.*?(?:-->|\Z)|<![^>]*>?|<\?[^>]*>?|"""
                  r"""<(/?)([A-Za-z][A-Za-z0-9:_-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>""", re.S)
_ATTR = re.compile(r"""([^\s=/>"']+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+)))?""")
# Implicit closes: a start tag closes the nearest open target, unless a barrier comes first.
_P_CLOSERS = {"p", "div", "table", "ul", "ol", "dl", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article",
              "header", "footer", "nav", "aside", "main", "blockquote", "pre", "form", "hr", "figure", "center",
              "address", "fieldset", "li", "dd", "dt"}
_IMPLIED = {
    "li": ({"li"}, {"ul", "ol", "table"}),
    "dt": ({"dt", "dd"}, {"dl", "table"}),
    "dd": ({"dt", "dd"}, {"dl", "table"}),
    "td": ({"td", "th"}, {"tr", "table"}),
    "th": ({"td", "th"}, {"tr", "table"}),
    "tr": ({"tr"}, {"table", "tbody", "thead", "tfoot"}),
    "tbody": ({"tbody", "thead", "tfoot"}, {"table"}),
    "thead": ({"tbody", "thead", "tfoot"}, {"table"}),
    "tfoot": ({"tbody", "thead", "tfoot"}, {"table"}),
    "option": ({"option"}, {"select"}),
}
_P_BARRIERS = {"div", "td", "th", "li", "table", "body", "html", "section", "article", "blockquote", "button"}
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}


class Token:
    __slots__ = ("kind", "start", "end", "name", "attr_start", "attr_text", "parent")

    def __init__(self, kind, start, end, name=None, attr_start=0, attr_text=""):
        self.kind, self.start, self.end, self.name = kind, start, end, name
        self.attr_start, self.attr_text = attr_start, attr_text
        self.parent = None  # the innermost element open at this token (for START: the element itself)

    def attrs(self) -> dict[str, tuple[str, tuple[int, int]]]:
        """name → (raw value, its span in the raw text); entities are left to the caller."""
        out = {}
        for m in _ATTR.finditer(self.attr_text):
            g = next((i for i in (2, 3, 4) if m.group(i) is not None), None)
            value, span = ("", (m.end(), m.end())) if g is None else (m.group(g), m.span(g))
            out.setdefault(m.group(1).lower(), (value, (self.attr_start + span[0], self.attr_start + span[1])))
        return out


class Node:
    __slots__ = ("name", "token", "parent", "children", "first", "last", "in_link", "hanzi", "link_hanzi", "skip")

    def __init__(self, name, token, parent, first):
        self.name, self.token, self.parent, self.first = name, token, parent, first
        self.children: list[Node] = []
        self.last = first + 1  # token index just past the element (past its end tag if any)
        self.in_link = name == "a" or (parent is not None and parent.in_link)
        self.hanzi = self.link_hanzi = 0  # in the subtree, outside links / inside links
        self.skip = False  # excluded from the article body (navigation, footer, script…)

    def attr(self, name: str) -> str:
        return self.token.attrs().get(name, ("", None))[0] if self.token else ""

    def span(self, tokens: list[Token]) -> tuple[int, int]:
        return tokens[self.first].start, tokens[self.last - 1].end

    def ancestors(self):
        node = self.parent
        while node is not None:
            yield node
            node = node.parent


def tokenize(raw: str) -> list[Token]:
    tokens, pos, n = [], 0, len(raw)
    while pos < n:
        m = _TAG.search(raw, pos)
        if not m:
            tokens.append(Token(TEXT, pos, n))
            break
        if m.start() > pos:
            tokens.append(Token(TEXT, pos, m.start()))
        if m.group(2) is None:
            tokens.append(Token(OTHER, m.start(), m.end()))
            pos = m.end()
            continue
        name = m.group(2).lower()
        kind = END if m.group(1) else START
        tokens.append(Token(kind, m.start(), m.end(), name, m.start(3), m.group(3)))
        pos = m.end()
        if kind == START and name in RAW:  # raw text up to the matching end tag
            close = re.compile(rf"</{name}\s*>", re.I).search(raw, pos)
            stop = close.start() if close else n
            if stop > pos:
                tokens.append(Token(TEXT, pos, stop))
            if close:
                tokens.append(Token(END, close.start(), close.end(), name))
            pos = close.end() if close else n
    return tokens


def build(tokens: list[Token]) -> tuple[Node, list[Node]]:
    """Return the root and all elements in document order (parents before children)."""
    root = Node("#root", None, None, 0)
    nodes, stack = [], [root]
    for i, tok in enumerate(tokens):
        if tok.kind == START:
            _implicit_close(stack, tok.name, i)
            node = Node(tok.name, tok, stack[-1], i)
            stack[-1].children.append(node)
            nodes.append(node)
            tok.parent = node
            if tok.name not in VOID:
                stack.append(node)
        elif tok.kind == END and any(n.name == tok.name for n in stack[1:]):
            while True:
                node = stack.pop()
                node.last = i + 1 if node.name == tok.name else i
                if node.name == tok.name:
                    break
            tok.parent = node
        else:
            tok.parent = stack[-1]
    for node in stack[1:]:
        node.last = len(tokens)
    root.last = len(tokens)
    return root, nodes


def _implicit_close(stack: list[Node], name: str, i: int) -> None:
    if name in _P_CLOSERS:
        _close(stack, {"p"}, _P_BARRIERS, i)
    if name in _HEADINGS:
        _close(stack, _HEADINGS, _P_BARRIERS, i)
    if name in _IMPLIED:
        _close(stack, *_IMPLIED[name], i)


def _close(stack: list[Node], targets: set, barriers: set, i: int) -> None:
    for depth in range(len(stack) - 1, 0, -1):
        if stack[depth].name in targets:
            for node in stack[depth:]:
                node.last = i
            del stack[depth:]
            return
        if stack[depth].name in barriers:
            return
