"""Cleaning a plan's text for extraction, keeping the way back to the original.

- `clean(body)` joins lines that page breaks split mid-sentence and blanks out debris: a clause
  fragment repeated across a page break, page-number lines. The result is a TextMap, so every
  offset in it maps to the original.
- `fold(text)` is a same-length copy for matching only: full-width forms to ASCII, every bracket
  style to ( ), traditional characters to simplified. Names shown to people come from the unfolded
  text.
"""
from __future__ import annotations

import re
from array import array

from luoshi.read.textmap import TextMap

_FOLD = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}
_FOLD.update({0x3000: 0x20, 0xA0: 0x20, 0x200B: 0x20, 0x0C: 0x20})
_FOLD.update({c: 0x20 for c in range(0x2000, 0x200B)})  # en/em/thin spaces from &ensp; &emsp;
for _c in "〔［【﹝〖[":
    _FOLD[ord(_c)] = ord("(")
for _c in "〕］】﹞〗]":
    _FOLD[ord(_c)] = ord(")")
_FOLD.update({ord("～"): ord("~"), ord("﹪"): ord("%")})

# Common characters that only traditional script uses; enough of them marks a traditional text.
_TRAD_MARKERS = set("與們個這來為會國於對發區業設數網動務點進開實現關產應經電從長門間機術資體際內"
                    "萬億計劃縣廳級標準項聯質營組織優農醫療衛導頭條視聽單補貼環報邊歸態協調轉")
_trad_table: dict | None = None


def _traditional_table() -> dict:
    """Character-by-character traditional → simplified, from zhconv's dictionary (loaded lazily:
    importing it costs ~0.1 s). Only one-character entries: lengths must not change."""
    global _trad_table
    if _trad_table is None:
        import zhconv

        zhconv.zhconv.loaddict()
        table = {}
        for k, v in zhconv.zhconv.zhcdicts["zh2Hans"].items():
            if len(k) == 1 and len(v) == 1 and k != v:
                table[ord(k)] = ord(v)
        _trad_table = table
    return _trad_table


_TRAD_RE = re.compile("[" + "".join(sorted(_TRAD_MARKERS)) + "]")


def is_traditional(text: str) -> bool:
    sample = text[:20000]
    hits = len(_TRAD_RE.findall(sample))
    return hits >= 3 and hits >= len(sample) // 1000


def fold(text: str, traditional: bool | None = None) -> str:
    out = text.translate(_FOLD)
    if traditional is None:
        traditional = is_traditional(text)
    if traditional:
        out = out.translate(_traditional_table())
    return out


_TERMINAL = set("。！？!?；;：:")
_CLOSERS = set(")）〕]】」』")
_HEADING = re.compile(
    r"\s*(?:[一二三四五六七八九十]{1,3}[、.．]|[(（][一二三四五六七八九十]{1,3}[)）]|\d{1,2}\s*[.．、](?!\d)|[(（]\d{1,2}[)）]"
    r"|第[一二三四五六七八九十]+[章节条部分]|附件|附表|——|-{2}|[牵配责]\S{0,2}单位|序号)"
)
_LABELISH = re.compile(r"[:：]")
_STANDALONE = re.compile(r"[\u4e00-\u9fff]{1,12}\s*[〔\[［(（【]\s*\d{4}\s*[〕\]］)）】]\s*\d{1,4}\s*号"
                         r"|\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|[\u4e00-\u9fff]{2,20}(?:人民政府|办公室|办公厅)")
_PAGE_NO = re.compile(r"\s*(?:[-—–－]\s*\d{1,4}\s*[-—–－]|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?)\s*")
_OPEN = "(（〔[【［"
_CLOSE = ")）〕]】］"


def _open_depth(s: str) -> int:
    depth = 0
    for c in s:
        if c in _OPEN:
            depth += 1
        elif c in _CLOSE and depth:
            depth -= 1
    return depth


def _unbalanced_close(s: str) -> bool:
    depth = 0
    for c in s:
        if c in _OPEN:
            depth += 1
        elif c in _CLOSE:
            depth -= 1
            if depth < 0:
                return True
    return False


def clean(body: TextMap) -> TextMap:
    text = body.text
    folded_nospace = None
    lines: list[tuple[int, int]] = []  # content bounds, without line end and trailing space
    pos = 0
    for raw in text.split("\n"):
        s, e = pos, pos + len(raw)
        pos = e + 1
        while e > s and text[e - 1] in " \t\r\f\u3000":
            e -= 1
        lines.append((s, e))

    def content(i):
        s, e = lines[i]
        return text[s:e]

    blank = [not content(i).strip() for i in range(len(lines))]
    dropped = [False] * len(lines)
    for i in range(len(lines)):
        if blank[i]:
            continue
        c = content(i).strip()
        if _PAGE_NO.fullmatch(c):
            dropped[i] = True
        elif len(c) <= 60 and "\t" not in c and _unbalanced_close(c) and not _HEADING.match(c):
            # A clause tail standing alone after a complete paragraph: debris a page break repeated.
            prev = _prev_content(i, lines, blank, dropped, text)
            if prev and prev[-1] in _TERMINAL | _CLOSERS:
                if folded_nospace is None:
                    folded_nospace = fold(text, False).replace(" ", "")
                key = fold(c, False).replace(" ", "")
                if folded_nospace.count(key) >= 2:
                    dropped[i] = True

    _drop_running_heads(lines, blank, dropped, content, paged="\f" in text or any(dropped))
    kept = [i for i in range(len(lines)) if not blank[i] and not dropped[i]]
    # Joins: drop the break between a line cut mid-sentence and its continuation.
    joins = []
    logical = ""  # the line a belongs to once earlier joins are made: a wrapped PDF line is short
    for a, b in zip(kept, kept[1:]):
        logical = logical + content(a).strip() if logical else content(a)
        if _should_join(logical, content(b)):
            s = lines[a][1]
            e = lines[b][0]
            while e < len(text) and text[e] in " \t\f\u3000":
                e += 1
            joins.append((s, e))
        else:
            logical = ""
    cuts = sorted(joins + [lines[i] for i in range(len(lines)) if dropped[i]])
    return _cut(body, cuts)


def _drop_running_heads(lines, blank, dropped, content, paged: bool) -> None:
    """A short line repeated on page after page (the plan's title as a running header) is page
    furniture. Three repeats are enough where page breaks show (page numbers, form feeds)."""
    counts: dict[str, int] = {}
    candidates = []
    for i in range(len(lines)):
        if blank[i] or dropped[i]:
            continue
        c = content(i).strip()
        if 4 <= len(c) <= 40 and "\t" not in c and not _LABELISH.search(c) and not _HEADING.match(c) \
                and c[-1] not in _TERMINAL:
            counts[c] = counts.get(c, 0) + 1
            candidates.append((i, c))
    need = 3 if paged else 5
    for i, c in candidates:
        if counts[c] >= need:
            dropped[i] = True


def _prev_content(i, lines, blank, dropped, text):
    for j in range(i - 1, -1, -1):
        if not blank[j] and not dropped[j]:
            s, e = lines[j]
            return text[s:e].strip()
    return None


def _should_join(a: str, b: str) -> bool:
    """Is line b the rest of line a's sentence, cut off by a page or line break?"""
    a_s, b_s = a.strip(), b.strip()
    if not a_s or not b_s or "\t" in a or "\t" in b:
        return False
    if _HEADING.match(b_s) or b_s[0] in "(（〔[【":
        return False
    if _open_depth(a_s[-80:]) > 0:
        return True  # inside a bracket (（责任单位： at a line's end): the clause goes on
    if a_s[-1] in _TERMINAL or a_s[-1] in _CLOSERS:
        return False
    if a_s[-1] in "，,、（(“《—-":
        return True  # cut mid-sentence for sure
    if len(a_s) < 20:
        return False  # short lines are titles, names and dates in the document's head
    if _HEADING.match(a_s) and "。" not in a_s and len(a_s) < 40:
        return False
    if a_s.endswith("通知") or _STANDALONE.fullmatch(b_s):
        return False  # the notice's title line, then its 文号 or date
    return True


def _cut(body: TextMap, cuts: list[tuple[int, int]]) -> TextMap:
    """Remove the given [s, e) ranges of body.text."""
    if not cuts:
        return body
    parts, starts, ends = [], array("q"), array("q")
    cursor = 0
    for s, e in cuts:
        if s < cursor:
            s = cursor
        if e <= s:
            continue
        parts.append(body.text[cursor:s])
        starts.extend(body.starts[cursor:s])
        ends.extend(body.ends[cursor:s])
        cursor = e
    parts.append(body.text[cursor:])
    starts.extend(body.starts[cursor:])
    ends.extend(body.ends[cursor:])
    return TextMap("".join(parts), starts, ends)
