"""HTML reader for government web pages.

`Document.text` is the decoded page, markup included; `Document.body` is the article alone
(no navigation, breadcrumbs, 信息公开 table or footer, whose phone and ICP numbers must never
become targets), mapped back to the raw HTML. The article is found by content: exclude what is
clearly not article (by tag, by footer text such as ICP备, by metadata labels, and by common
class names only where that removes a small part of the page), then descend from <body> into
the child holding most of the Chinese text, and put the page's title heading in front of it.
"""
from __future__ import annotations

import html as _html
import re

from luoshi.errors import EmptyDocument
from luoshi.read.document import Document
from luoshi.read.htmlparse import TEXT, Node, build, tokenize
from luoshi.read.htmltext import emit
from luoshi.read.sniff import ascii_head
from luoshi.read.text import decode

_DROP = {"head", "script", "style", "noscript", "template", "select", "textarea", "iframe", "object", "svg",
         "button", "title", "nav", "footer", "aside", "xmp", "noembed", "noframes"}
_NEGATIVE = ("nav", "menu", "foot", "bottom", "header", "crumb", "bread", "position", "location", "copyright",
             "banner", "sidebar", "share", "login", "search", "friend", "toolbar", "dqwz", "fenxiang")
_NEGATIVE_EXACT = {"top", "head", "links", "side", "tools"}
_TITLE_HINT = re.compile(r"title|biaoti|bt\b", re.I)
_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_FOOTER_TEXT = re.compile(r"ICP\s*备|公网安备|网站标识码|版权所有|Copyright|©", re.I)
_FOOTER_SIGNS = re.compile(r"ICP|公网安备|网站标识码|版权所有|Copyright|©|主办|承办|技术支持|电话|地址|邮编|访问|访客|浏览")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_META_CHARSET = re.compile(r"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_-]+)""", re.I)
_DESCEND = 0.6  # go into a child holding at least this share of its parent's Chinese text
_SMALL_BLOCK = 200  # footer / metadata blocks hold less Chinese text than this (and < 30% of the page)


def read_html(data: bytes, name: str | None = None) -> Document:
    charset = _META_CHARSET.search(ascii_head(data, 8192))
    raw, encoding, warnings = decode(data, charset.group(1) if charset else None)
    tokens = tokenize(raw)
    root, nodes = build(tokens)
    for node in nodes:
        node.skip = node.name in _DROP or _hidden(node)
    _count(raw, tokens, root, nodes)
    body_el = next((n for n in nodes if n.name == "body" and not n.skip), root)

    from luoshi.read.htmlfields import find_fields, meta_fields

    fields = meta_fields(raw, tokens)
    page = emit(raw, tokens, [(body_el.first, body_el.last)], _skips(nodes))
    small = min(_SMALL_BLOCK, 0.3 * body_el.hanzi)
    labels = find_fields(page, fields)
    footer = [m.start() for m in _FOOTER_TEXT.finditer(page.text)]
    for marks in (labels, footer):
        _skip_marked_blocks(raw, tokens, nodes, [page.span(i, i + 1)[0] for i in marks[:100]], small)
    for node in nodes:
        if not node.skip and _negative(node) and node.hanzi <= 0.5 * body_el.hanzi:
            node.skip = True
    _count(raw, tokens, root, nodes)

    article = _descend(body_el)
    title = _title(raw, tokens, nodes, fields)
    segments = [(article.first, article.last)]
    if title is not None and title.last <= article.first:
        segments.insert(0, (title.first, title.last))
        fields.setdefault("标题", _text_field(raw, tokens, title))
    body = emit(raw, tokens, segments, _skips(nodes))
    if not body.text.strip():
        raise EmptyDocument("网页中没有找到正文文字（可能是图片，或由脚本加载的页面）；请上传方案的 DOCX、PDF 或 TXT 文件")
    if sum(1 for _ in _HAN.finditer(body.text)) < 50:
        warnings.append("网页正文很短，可能没有找到方案正文；请核对，或改为上传 DOCX、PDF 或 TXT 文件")
    return Document(text=raw, format="html", body=body, encoding=encoding, name=name, warnings=warnings,
                    fields=fields)


def _count(raw: str, tokens, root: Node, nodes: list[Node]) -> None:
    """Chinese characters per subtree, outside and inside links; skipped subtrees count for nothing."""
    for node in (root, *nodes):
        node.hanzi = node.link_hanzi = 0
    for tok in tokens:
        if tok.kind == TEXT and tok.parent is not None:
            k = len(_HAN.findall(raw, tok.start, tok.end))
            if tok.parent.in_link:
                tok.parent.link_hanzi += k
            else:
                tok.parent.hanzi += k
    for node in reversed(nodes):
        if not node.skip:
            node.parent.hanzi += node.hanzi
            node.parent.link_hanzi += node.link_hanzi


def _descend(node: Node) -> Node:
    while True:
        kids = [c for c in node.children if not c.skip]
        best = max(kids, key=lambda c: c.hanzi, default=None)
        if best is None or best.hanzi == 0 or best.hanzi < _DESCEND * node.hanzi:
            return node
        node = best


def _title(raw: str, tokens, nodes: list[Node], fields: dict) -> Node | None:
    """The heading that names the article: the one matching the page's declared title, else the
    first <h1> with some Chinese in it."""
    ref = _norm(fields["标题"][0]) if "标题" in fields else ""
    if not ref and "网页标题" in fields:
        ref = _norm(re.split(r"[_|｜]|\s-\s", fields["网页标题"][0])[0])
    best, best_quality = None, 0
    ref_hanzi = len(_HAN.findall(ref))
    for node in nodes:
        named = node.name in ("h1", "h2", "h3") or _TITLE_HINT.search(node.attr("class") + " " + node.attr("id"))
        sized = ref_hanzi >= 4 and ref_hanzi - 2 <= node.hanzi + node.link_hanzi <= ref_hanzi + 10
        if not (named or sized) or ref and node.hanzi + node.link_hanzi > 2 * ref_hanzi + 10:
            continue
        if node.skip and node.name in _DROP or any(a.skip and a.name in _DROP for a in node.ancestors()):
            continue
        text = _norm(emit(raw, tokens, [(node.first, node.last)], {}).text)
        if len(_HAN.findall(text)) < 4 or (ref and len(text) > 2 * len(ref) + 10):
            continue
        quality = 3 if text == ref else 2 if ref and (text in ref or ref in text) else 1 if node.name == "h1" else 0
        if quality > best_quality:
            best, best_quality = node, quality
    return best if best_quality >= (2 if ref else 1) else None


def _skip_marked_blocks(raw: str, tokens, nodes: list[Node], marks: list[int], small: float) -> None:
    """Skip the largest small block around each mark (a metadata label, an ICP number) when it
    holds at least two marks or footer signs: one label or one 版权所有 in a paragraph of the
    article does not make it a footer."""
    blocks: dict[int, tuple[Node, int]] = {}
    for pos in marks:
        node, top = _node_at(nodes, tokens, pos), None
        while node is not None and node.name not in ("body", "html", "#root") and node.hanzi <= small:
            top, node = node, node.parent
        if top is not None:
            blocks[id(top)] = (top, blocks.get(id(top), (top, 0))[1] + 1)
    for top, count in blocks.values():
        start, end = top.span(tokens)
        if count >= 2 or len(set(_FOOTER_SIGNS.findall(raw, start, end))) >= 2:
            top.skip = True


def _node_at(nodes: list[Node], tokens, pos: int) -> Node | None:
    found = None
    for node in nodes:  # document order: the last one that contains pos is the innermost
        start, end = node.span(tokens)
        if start > pos:
            break
        if pos < end:
            found = node
    return found


def _negative(node: Node) -> bool:
    words = re.split(r"[\s_-]+", (node.attr("class") + " " + node.attr("id")).lower())
    return any(w in _NEGATIVE_EXACT or w.startswith(_NEGATIVE) for w in words if w)


def _hidden(node: Node) -> bool:
    return bool(_HIDDEN.search(node.attr("style"))) or "hidden" in node.token.attrs()


def _skips(nodes: list[Node]) -> dict[int, int]:
    return {node.first: node.last for node in nodes if node.skip}


def _text_field(raw: str, tokens, node: Node) -> tuple[str, tuple[int, int]]:
    text = emit(raw, tokens, [(node.first, node.last)], {})
    s, e = text.span(0, len(text))
    return " ".join(text.text.split()), (s, e)


def _norm(s: str) -> str:
    return "".join(_html.unescape(s).split())
