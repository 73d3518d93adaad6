"""PDF reader (pypdfium2: fast, and exact on CJK text). A PDF's original text is what this reader
produces, so normalising line ends and trailing spaces here changes no span anyone relies on."""
from __future__ import annotations

import re

from luoshi.errors import EmptyDocument, EncryptedDocument, NeedsOCR, ReadError
from luoshi.read.document import Document, Part
from luoshi.read.textmap import TextMap

_MIN_PAGE_CHARS = 5  # fewer visible characters than this: the page has no text layer (a stamp, a page number)
_TRAILING = re.compile(r"[ \t\u00a0]+$", re.M)
_NOISE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\uffff]")


def read_pdf(data: bytes, name: str | None = None) -> Document:
    pages = _page_texts(data)
    if not pages:
        raise EmptyDocument("PDF 文件没有任何页面")
    texted = [i for i, t in enumerate(pages) if _visible(t) >= _MIN_PAGE_CHARS]
    if len(texted) < max(1, round(len(pages) * 0.2)):
        raise NeedsOCR(
            "这个 PDF 没有文字层，看起来是扫描件或图片；需要先做文字识别（OCR）转成可复制文字的 PDF 或 Word，再上传"
        )
    warnings = []
    blank = [i + 1 for i in range(len(pages)) if i not in set(texted)]
    if blank:
        listed = "、".join(map(str, blank[:20])) + ("等" if len(blank) > 20 else "")
        warnings.append(f"第 {listed} 页没有文字层（可能是扫描页或空白页），这些页的内容未能读取")
    parts, pos = [], 0
    for n, t in enumerate(pages, 1):
        parts.append(Part(pos, pos + len(t), "page", page=n))
        pos += len(t) + 1
    text = "\n".join(pages)
    return Document(text=text, format="pdf", body=TextMap.identity(text), name=name, parts=parts, warnings=warnings)


def _page_texts(data: bytes) -> list[str]:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as e:
        if getattr(e, "err_code", None) == pdfium.raw.FPDF_ERR_PASSWORD:
            raise EncryptedDocument("PDF 已加密（需要密码才能打开），无法读取；请提供未加密的文件") from None
        raise ReadError("PDF 文件已损坏或不完整，无法读取；请重新导出或上传完整的文件") from None
    try:
        return [_page_text(pdf, i) for i in range(len(pdf))]
    except pdfium.PdfiumError:
        raise ReadError("PDF 文件已损坏，部分页面无法读取；请重新导出后再上传") from None
    finally:
        pdf.close()


def _page_text(pdf, index: int) -> str:
    page = pdf[index]
    try:
        textpage = page.get_textpage()
        try:
            raw = textpage.get_text_range()
        finally:
            textpage.close()
    finally:
        page.close()
    # pdfium joins a line ending in "-" to the next and marks the hyphen U+FFFE: keep the hyphen
    # ("NB-IoT", "2021-2023"); other control characters are layout noise.
    text = _NOISE.sub("", raw.replace("\r\n", "\n").replace("\r", "\n").replace("\ufffe", "-"))
    return _TRAILING.sub("", text).strip("\n")


def _visible(text: str) -> int:
    return len("".join(text.split()))
