"""Test files made from a text: other encodings, DOCX, PDF, and the bad inputs users upload.

A helper module, not a test module: `from tests import formats`.
"""
from __future__ import annotations

import codecs
import io
import zipfile

_BOMS = {"utf-8": codecs.BOM_UTF8, "utf-16-le": codecs.BOM_UTF16_LE, "utf-16-be": codecs.BOM_UTF16_BE,
         "utf-32-le": codecs.BOM_UTF32_LE, "utf-32-be": codecs.BOM_UTF32_BE}
PDF_FONT = "STSong-Light"  # reportlab's built-in CJK font (not embedded; PDF readers supply it)

# A short plan of our own, in the forms real plans use.
SAMPLE_TEXT = (
    "某某市人民政府办公室关于印发某某市数字经济发展行动方案（2023—2025年）的通知\n"
    "各县（市、区）人民政府，市政府各部门：\n"
    "现将《某某市数字经济发展行动方案（2023—2025年）》印发给你们，请认真贯彻执行。\n"
    "一、总体目标\n"
    "到2025年，全市数字经济核心产业增加值占地区生产总值比重达到10%以上，建成5G基站1.2万个。\n"
    "二、重点任务\n"
    "（一）加快新型基础设施建设。新建数据中心PUE值不高于1.3，千兆光网覆盖率达到95%。"
    "（责任单位：市发展改革委、市工业和信息化局，各县（市、区）人民政府）\n"
    "（二）推动产业数字化转型。每年培育“专精特新”企业20家左右。（牵头单位：市工业和信息化局；配合单位：市财政局）\n"
    "三、保障措施\n"
    "加强组织领导，建立月调度、季通报工作机制。"
)


def to_encoding(text: str, enc: str, *, bom: bool = False) -> bytes | None:
    """`text` in `enc` (with its byte-order mark if `bom`); None where `enc` cannot hold the text
    (BIG5 has no simplified characters, GBK lacks some symbols)."""
    try:
        data = text.encode(enc)
    except UnicodeEncodeError:
        return None
    return _BOMS[enc] + data if bom else data


def to_docx(text: str, *, tables: bool = False) -> bytes:
    """One paragraph per line; with `tables`, each run of tab-separated lines becomes a Word table."""
    import docx

    document = docx.Document()
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        if tables and "\t" in lines[i]:
            j = i
            while j < len(lines) and "\t" in lines[j]:
                j += 1
            rows = [line.split("\t") for line in lines[i:j]]
            table = document.add_table(rows=len(rows), cols=max(map(len, rows)))
            for r, cells in enumerate(rows):
                for c, value in enumerate(cells):
                    table.cell(r, c).text = value
            i = j
        else:
            document.add_paragraph(lines[i])
            i += 1
    return _save_docx(document)


def _save_docx(document) -> bytes:
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def truncated_docx(text: str = "一、总体目标\n到2025年，建成5G基站1万个。") -> bytes:
    data = to_docx(text * 20)
    return data[: len(data) // 2]


def to_pdf(text: str, *, font_size: float = 11, blank_pages: tuple[int, ...] = (), encrypt=None,
           font_file: str | None = None) -> bytes:
    """Text set line by line on A4 pages, long lines wrapped to the page width, in STSong-Light
    (not embedded) or, with `font_file`, in that TrueType font, embedded as real PDFs do.
    `blank_pages` (1-based) are inserted as pages with a drawing but no text."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    font = PDF_FONT
    if font_file:
        font = "Embedded-" + font_file.rsplit("/", 1)[-1].split(".")[0]
        pdfmetrics.registerFont(TTFont(font, font_file, subfontIndex=0))
    else:
        pdfmetrics.registerFont(UnicodeCIDFont(PDF_FONT))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, encrypt=encrypt, invariant=1)
    width, height = A4
    margin, leading = 56, font_size * 1.6
    lines = [piece for line in text.split("\n") for piece in _wrap(line, font, font_size, width - 2 * margin)]
    page, y = 1, height - margin
    if page in blank_pages:
        page = _blank_page(c, page, blank_pages)
    c.setFont(font, font_size)
    for line in lines:
        if y < margin:
            c.showPage()
            page = _blank_page(c, page + 1, blank_pages)
            c.setFont(font, font_size)
            y = height - margin
        c.drawString(margin, y, line)
        y -= leading
    c.showPage()
    c.save()
    return buf.getvalue()


def _wrap(line: str, font: str, size: float, width: float) -> list[str]:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    out, current = [], ""
    for ch in line:
        if current.strip() and stringWidth(current + ch, font, size) > width:
            # Whitespace at a line end would be stripped by the reader: carry it over.
            kept = current.rstrip()
            out.append(kept)
            current = current[len(kept):]
        current += ch
    if len(out) and len(current) == 1:
        # pdfium drops a lone CJK glyph from a line drawn in a non-embedded CID font, and joins
        # a lone Latin one to the line above: never leave one character on a line.
        current, out[-1] = out[-1][-1] + current, out[-1][:-1]
    out.append(current)
    return out


def _blank_page(c, page: int, blank_pages: tuple[int, ...]) -> int:
    while page in blank_pages:
        _draw_scan(c)
        c.showPage()
        page += 1
    return page


def _draw_scan(c) -> None:
    """What a scanned page holds for a text extractor: an image and shapes, no text."""
    from PIL import Image
    from reportlab.lib.utils import ImageReader

    image = Image.new("L", (200, 280), 255)
    for x in range(20, 180, 3):
        for y in range(30, 250, 12):
            image.putpixel((x, y), 0)
    c.drawImage(ImageReader(image), 56, 300, width=400, height=500)
    c.rect(80, 200, 300, 40, fill=1)


def scanned_pdf(pages: int = 2) -> bytes:
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, invariant=1)
    for _ in range(pages):
        _draw_scan(c)
        c.showPage()
    c.save()
    return buf.getvalue()


def encrypted_pdf(text: str = "一、总体目标\n到2025年，建成5G基站1万个。", password: str = "secret") -> bytes:
    from reportlab.lib import pdfencrypt

    return to_pdf(text, encrypt=pdfencrypt.StandardEncryption(password, ownerPassword="owner" + password))


def png_image(fmt: str = "PNG") -> bytes:
    """A small picture (PNG, or JPEG/GIF/TIFF by `fmt`): what a phone photo of a plan looks like to us."""
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buf, fmt)
    return buf.getvalue()


def jpeg_image() -> bytes:
    return png_image("JPEG")


def plain_zip(files: dict[str, bytes] | None = None) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in (files or {"方案.txt": "一、总体目标".encode()}).items():
            z.writestr(name, data)
    return buf.getvalue()


def ole_file(*streams: str) -> bytes:
    """A minimal OLE2 compound file whose directory names `streams` ("WordDocument" for an old
    .doc; "EncryptedPackage" and "EncryptionInfo" for a password-protected .docx)."""
    header = bytearray(512)
    header[:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    header[24:28] = b"\x3e\x00\x03\x00"  # minor / major version 3
    header[28:30] = b"\xfe\xff"  # little-endian
    header[30:32] = b"\x09\x00"  # 512-byte sectors
    directory = bytearray()
    for name in ("Root Entry", *streams):
        entry = bytearray(128)
        encoded = (name + "\0").encode("utf-16-le")
        entry[: len(encoded)] = encoded
        entry[64:66] = len(encoded).to_bytes(2, "little")
        entry[66] = 5 if name == "Root Entry" else 2
        directory += entry
    directory += bytes(-len(directory) % 512)
    return bytes(header) + bytes(directory)
