"""DOCX reader: the body in document order, paragraphs and tables interleaved.

Paragraphs become lines; a table row becomes one line with its cells joined by tabs. Text is
taken from the XML directly (not `Paragraph.text`) so that runs inside tracked insertions,
fields and content controls count, while deleted text, field codes and textbox fallbacks don't.
"""
from __future__ import annotations

import io
import zipfile

from luoshi.errors import EmptyDocument, FileTooLarge, ReadError
from luoshi.read.document import Document, Part
from luoshi.read.textmap import TextMap

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
# Subtrees whose text is not part of the visible body flow.
_SKIP = {_W + "del", _W + "moveFrom", _W + "pPr", _W + "rPr", _W + "instrText", _W + "delText",
         _W + "txbxContent", _MC + "Fallback", _W + "footnoteReference", _W + "commentReference"}
_WRAPPERS = {_W + "sdt", _W + "sdtContent", _W + "customXml", _W + "ins", _W + "moveTo", _W + "smartTag"}
_MAX_XML = 300 * 1024 * 1024  # uncompressed document.xml; beyond this it is a zip bomb, not a plan
_CORRUPT = "DOCX 文件已损坏或不完整，无法读取；请用 Word 或 WPS 打开后重新保存，再上传"


def read_docx(data: bytes, name: str | None = None) -> Document:
    body = _open_body(data)
    lines: list[str] = []
    parts: list[Part] = []
    pos = 0

    def add(line: str) -> None:
        nonlocal pos
        lines.append(line)
        pos += len(line) + 1

    counters = {"paragraph": 0, "table": 0}
    for el in _blocks(body):
        if el.tag == _W + "p":
            text = _para_text(el)
            parts.append(Part(pos, pos + len(text), "paragraph", paragraph=counters["paragraph"]))
            counters["paragraph"] += 1
            add(text)
        else:
            t = counters["table"]
            counters["table"] += 1
            for r, cells in enumerate(_rows(el)):
                start = pos
                for c, cell in enumerate(cells):
                    parts.append(Part(start, start + len(cell), "cell", table=t, row=r, cell=c))
                    start += len(cell) + 1
                add("\t".join(cells))
    text = "\n".join(lines)
    if not text.strip():
        raise EmptyDocument("DOCX 文档里没有文字（可能只有图片）；如果是扫描件，需要先做文字识别（OCR）")
    return Document(text=text, format="docx", body=TextMap.identity(text), name=name, parts=parts)


def _open_body(data: bytes):
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            if z.getinfo("word/document.xml").file_size > _MAX_XML:
                raise FileTooLarge("DOCX 文件解压后的正文过大，无法读取")
    except FileTooLarge:
        raise
    except Exception:
        raise ReadError(_CORRUPT) from None
    import docx
    from docx.oxml.parser import parse_xml

    try:
        return docx.Document(io.BytesIO(data)).element.body
    except ValueError:
        pass  # e.g. a macro-enabled .docm or a template: python-docx refuses the content type
    except Exception:
        raise ReadError(_CORRUPT) from None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            root = parse_xml(z.read("word/document.xml"))
        return root.find(_W + "body")
    except Exception:
        raise ReadError(_CORRUPT) from None


def _blocks(container):
    """Paragraphs and tables in order, looking through content controls and similar wrappers."""
    if container is None:
        return
    for el in container:
        if el.tag in (_W + "p", _W + "tbl"):
            yield el
        elif el.tag in _WRAPPERS:
            yield from _blocks(el)


def _rows(tbl) -> list[list[str]]:
    """Each row's cells, one entry per `w:tc`: a horizontally merged cell is one `w:tc`, and a
    vertically merged continuation is an empty `w:tc` that keeps the columns aligned."""
    rows = []
    for tr in _children(tbl, _W + "tr"):
        rows.append([_cell_text(tc) for tc in _children(tr, _W + "tc")])
    return rows


def _children(el, tag: str):
    for child in el:
        if child.tag == tag:
            yield child
        elif child.tag in _WRAPPERS:
            yield from _children(child, tag)


def _cell_text(tc) -> str:
    """A cell's paragraphs (and nested tables) on one line, so a row stays one line."""
    pieces = []
    for el in _blocks(tc):
        if el.tag == _W + "p":
            pieces.append(_para_text(el))
        else:
            pieces.extend(cell for row in _rows(el) for cell in row)
    return " ".join(" ".join(p.replace("\t", " ").split()) for p in pieces if p.strip())


def _para_text(p) -> str:
    out: list[str] = []
    _collect(p, out)
    return "".join(out)


def _collect(el, out: list[str]) -> None:
    for child in el:
        tag = child.tag
        if tag in _SKIP or not isinstance(tag, str):
            continue
        if tag == _W + "t":
            out.append(child.text or "")
        elif tag == _W + "tab":
            out.append("\t")
        elif tag in (_W + "br", _W + "cr"):
            out.append("\n")
        elif tag == _W + "noBreakHyphen":
            out.append("-")
        else:
            _collect(child, out)
