"""Decide a file's format from its bytes. Extensions lie (a PDF saved as .txt, a .doc renamed
.docx), so they are never consulted."""
from __future__ import annotations

import io
import re
import zipfile

from luoshi.errors import EmptyDocument, EncryptedDocument, ReadError, UnsupportedFormat

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_IMAGES = {
    b"\x89PNG\r\n\x1a\n": "PNG",
    b"\xff\xd8\xff": "JPEG",
    b"GIF87a": "GIF",
    b"GIF89a": "GIF",
    b"II*\x00": "TIFF",
    b"MM\x00*": "TIFF",
}
# Whitespace that may pad an otherwise empty file, in any of the encodings we accept.
_BLANK = b" \t\r\n\f\v\x00"
_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff", b"\xff\xfe", b"\xfe\xff")
_PROLOGUE = re.compile(r"^(?:\s*(?:<!--.*?-->|<\?xml[^>]*>))*\s*", re.S)  # comments, XML declaration
_HTML_START = re.compile(r"<!doctype\s+html|<html[\s>]")
_HTML_TAG = re.compile(r"<(?:head|body)[\s>]")
_HTML_BLOCK = re.compile(r"<(?:p|div|table|br)[\s>/]")

_SAVE_AS_DOCX = "请用 Word 或 WPS 打开后另存为 .docx（或导出为 PDF）再上传"


def sniff(data: bytes) -> str:
    """Return "pdf", "docx", "html" or "txt"; raise a ReadError subclass for what we cannot read."""
    if _is_blank(data):
        raise EmptyDocument("文件为空，没有可读取的内容")
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return _sniff_zip(data)
    if data.startswith(OLE_MAGIC):
        _reject_ole(data)
    for magic, kind in _IMAGES.items():
        if data.startswith(magic):
            raise UnsupportedFormat(f"这是一张图片（{kind}），不是文字文档；需要先做文字识别（OCR）再上传")
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        raise UnsupportedFormat("这是一张图片（WebP），不是文字文档；需要先做文字识别（OCR）再上传")
    if data.startswith(b"{\\rtf"):
        raise UnsupportedFormat(f"这是 RTF 文档，{_SAVE_AS_DOCX}")
    head = ascii_head(data)
    if head.lstrip()[:1] in ("{", "[") and _is_json(data):
        raise UnsupportedFormat("这是 JSON 数据文件，不是方案文档")
    return "html" if looks_like_html(head) else "txt"


def _is_json(data: bytes) -> bool:
    """A JSON document (a data export, an annotation file) is no plan, though it is text."""
    import json

    try:
        json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        return False
    return True


def _is_blank(data: bytes) -> bool:
    for bom in _BOMS:
        if data.startswith(bom):
            data = data[len(bom):]
            break
    return not data.strip(_BLANK)


def ascii_head(data: bytes, size: int = 4096) -> str:
    """The start of the file as text, good enough to find ASCII markup in any encoding we read."""
    head = data[:size]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in head[:200]:
        even, odd = head[0::2].count(0), head[1::2].count(0)
        enc = "utf-16-le" if odd >= even else "utf-16-be"
        return head.decode(enc, errors="ignore").lstrip("\ufeff")
    return head.decode("latin-1")


def looks_like_html(head: str) -> bool:
    low = _PROLOGUE.sub("", head.lstrip(" \t\r\n\ufeff").lower())
    if not low.startswith("<"):
        return False
    if _HTML_START.match(low) or _HTML_TAG.search(low[:2048]):
        return True
    return len(_HTML_BLOCK.findall(low[:4096])) >= 4


def _sniff_zip(data: bytes) -> str:
    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        # A truncated DOCX has no central directory, but its local headers still name its parts.
        if b"word/document.xml" in data or (b"[Content_Types].xml" in data and b"word/" in data):
            return "docx"
        raise ReadError("文件是损坏或不完整的 ZIP 压缩包，无法读取；请重新导出或上传完整的文件")
    if "word/document.xml" in names:
        return "docx"
    if any(n.startswith("xl/") for n in names):
        raise UnsupportedFormat("这是 Excel 表格（.xlsx），不是文字文档；请把方案正文保存为 .docx、PDF 或 TXT")
    if any(n.startswith("ppt/") for n in names):
        raise UnsupportedFormat("这是 PowerPoint 演示文稿（.pptx），不支持；请把方案正文保存为 .docx、PDF 或 TXT")
    if "mimetype" in names or "content.xml" in names:
        raise UnsupportedFormat(f"这是 OpenDocument/WPS 格式的文档，{_SAVE_AS_DOCX}")
    raise UnsupportedFormat("这是一个 ZIP 压缩包，不是 Word 文档；请解压后上传其中的 .docx、PDF 或 TXT 文件")


def _reject_ole(data: bytes) -> None:
    """OLE2 compound files: old Office formats, or an encrypted new one wrapped in OLE."""
    def has(name: str) -> bool:
        return name.encode("utf-16-le") in data

    if has("EncryptedPackage"):
        raise EncryptedDocument("文档已加密（设置了打开密码），无法读取；请取消密码后重新保存为 .docx 再上传")
    if has("WordDocument"):
        raise UnsupportedFormat(f"这是旧版 Word 文档（.doc），无法直接读取；{_SAVE_AS_DOCX}")
    if has("Workbook") or has("Book"):
        raise UnsupportedFormat("这是旧版 Excel 表格（.xls），不是文字文档；请把方案正文保存为 .docx、PDF 或 TXT")
    if has("PowerPoint Document"):
        raise UnsupportedFormat(f"这是旧版 PowerPoint 演示文稿（.ppt），不支持；{_SAVE_AS_DOCX}")
    raise UnsupportedFormat(f"这是旧版 Office 文件（如 .doc），无法直接读取；{_SAVE_AS_DOCX}")
