"""DOCX to PDF through LibreOffice (headless), and PDF pages to PNG through pdfium.

Each conversion runs its own soffice with a private profile, so parallel calls do not wait on
or break each other's profile lock, and with fontconfig pointed at luoshi's aliases, which map
the official font names the DOCX keeps (仿宋_GB2312, 方正小标宋简体, …) to the installed stand-ins.
scripts/office-up installs LibreOffice and the fonts."""
from __future__ import annotations

import io
import os
import shutil
import signal
import subprocess
import tempfile
import zipfile
from importlib import resources
from pathlib import Path

from luoshi.errors import LuoshiError

TIMEOUT_S = 120  # a first start with a fresh profile takes a few seconds; a bulletin a few more


class OfficeMissing(LuoshiError):
    """No LibreOffice on this server: PDF and PNG are not available, DOCX still is."""

    code = "office_missing"
    http_status = 503


class ConversionFailed(LuoshiError):
    code = "conversion_failed"
    http_status = 500


def soffice() -> str | None:
    """The soffice to run: $LUOSHI_SOFFICE, else the one on PATH, else Debian's."""
    for c in (os.environ.get("LUOSHI_SOFFICE"), shutil.which("soffice"), "/usr/lib/libreoffice/program/soffice"):
        if c and os.path.isfile(c) and os.access(c, os.X_OK):
            return c
    return None


def available() -> bool:
    return soffice() is not None


def fonts_conf() -> Path:
    return Path(str(resources.files("luoshi") / "data" / "fonts" / "fonts.conf"))


def to_pdf(docx: bytes, *, timeout: float = TIMEOUT_S) -> bytes:
    """The DOCX as PDF bytes; OfficeMissing without LibreOffice, ConversionFailed when it fails."""
    exe = soffice()
    if exe is None:
        raise OfficeMissing("服务器未安装 LibreOffice，无法生成 PDF", hint="管理员可运行 scripts/office-up 安装")
    with tempfile.TemporaryDirectory(prefix="luoshi-office-") as tmp:
        work = Path(tmp)
        src = work / "bulletin.docx"
        src.write_bytes(for_libreoffice(docx))
        env = {**os.environ, "HOME": str(work), "FONTCONFIG_FILE": str(fonts_conf()),
               "SAL_USE_VCLPLUGIN": "svp"}
        cmd = [exe, "--headless", "--norestore", "--nologo", "--nodefault", "--nolockcheck",
               f"-env:UserInstallation={(work / 'profile').as_uri()}",
               "--convert-to", "pdf:writer_pdf_Export", "--outdir", str(work / "out"), str(src)]
        # A session of its own: on a timeout the whole group goes (soffice starts soffice.bin).
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, cwd=work,
                                start_new_session=True)
        try:
            out, _ = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            raise ConversionFailed(f"PDF 转换超时（{timeout:.0f} 秒）") from None
        pdf = work / "out" / "bulletin.pdf"
        if proc.returncode != 0 or not pdf.is_file() or pdf.stat().st_size == 0:
            detail = out.decode("utf-8", "replace").strip()[-300:]
            raise ConversionFailed("PDF 转换失败", hint=detail or f"soffice 退出码 {proc.returncode}")
        return pdf.read_bytes()


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def for_libreoffice(docx: bytes) -> bytes:
    """The DOCX as LibreOffice should lay it out to look as Word does. Word fits the 28 characters
    of a 16 pt line in 156 mm by its character grid (w:docGrid linesAndChars, pitch 15.79 pt);
    LibreOffice instead gives a character wider than the pitch two grid cells and a Latin run
    whole cells, which spaces the text out to 14 characters a line. So the grid becomes a line
    grid and the grid-bound (exact-spaced) styles are condensed by 0.25 pt a character, which
    gives the same 28 characters (16 − 0.25 = 15.75 pt; 0.2 pt would round to 156.05 mm)."""
    from lxml import etree

    src = zipfile.ZipFile(io.BytesIO(docx))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "word/document.xml":
                root = etree.fromstring(data)
                for grid in root.iter(f"{W}docGrid"):
                    if grid.get(f"{W}type") in ("linesAndChars", "snapToChars"):
                        grid.set(f"{W}type", "lines")
                        grid.attrib.pop(f"{W}charSpace", None)
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            elif item.filename == "word/styles.xml":
                root = etree.fromstring(data)
                for style in root.iter(f"{W}style"):
                    spacing = style.find(f"{W}pPr/{W}spacing")
                    if spacing is not None and spacing.get(f"{W}lineRule") == "exact":
                        _condense(style, "-5")
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            out.writestr(item, data)
    return buf.getvalue()


def _condense(style, twentieths: str) -> None:
    from lxml import etree

    rpr = style.find(f"{W}rPr")
    if rpr is None:
        rpr = etree.SubElement(style, f"{W}rPr")
    el = rpr.find(f"{W}spacing")
    if el is None:
        el = etree.Element(f"{W}spacing")
        # w:spacing comes before w:w, w:kern, w:position and w:sz in a w:rPr (the schema's order).
        later = [c for c in rpr if c.tag in {f"{W}{t}" for t in ("w", "kern", "position", "sz", "szCs",
                                                                  "highlight", "u", "lang", "eastAsianLayout")}]
        (later[0].addprevious if later else rpr.append)(el)
    el.set(f"{W}val", twentieths)


def pdf_pages_png(pdf: bytes, *, scale: float = 150 / 72) -> list[bytes]:
    """Each page of `pdf` as PNG bytes; `scale` is pixels per point (150 dpi by default)."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    try:
        pages = []
        for i in range(len(doc)):
            page = doc[i]
            image = page.render(scale=scale).to_pil()
            buf = io.BytesIO()
            image.save(buf, format="PNG", optimize=False)
            pages.append(buf.getvalue())
            page.close()
        return pages
    finally:
        doc.close()
