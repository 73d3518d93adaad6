"""DOCX → PDF through LibreOffice and PDF → PNG: the office-marked tests run soffice (skipped where it
is not installed) and leave the PDF and the page images in test-artifacts/bulletin/ to be looked at."""
from __future__ import annotations

import io
import itertools
import re
import zipfile
from dataclasses import replace
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from luoshi.publish.bulletin import convert
from luoshi.publish.bulletin.docx import render_docx
from luoshi.publish.bulletin.model import (
    Chart,
    Figure,
    Heading,
    Paragraph,
    Source,
    Table,
)
from tests.publish.bulletin.conftest import _doc

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts" / "bulletin"
MM = 72 / 25.4
# 28 characters without digits or punctuation: the grid promises 28 of them to a line.
PLAIN = "各地各部门要对照目标任务逐项梳理推进措施压实工作责任确保按期完成" * 4
office = pytest.mark.office


def long_document(document):
    """The fixture with more of everything: several pages, a table of 10 columns and 40 rows
    (its header repeats), a chart of 30 units."""
    rows, light = [], []
    for i in range(40):
        lt = ("green", "yellow", "red")[i % 3]
        rows.append([str(i + 1), f"第{i + 1}项量化指标名称较长的情况", "市工业和信息化局",
                     Figure(f"T{i}a", f"{100 + i}", "目标值", 100 + i, Source(targets=(i,))), "2025年",
                     Figure(f"T{i}b", f"{60 + i % 30}.0%", "序时进度", 60 + i % 30, Source(targets=(i,))),
                     str(50 + i), f"{40 + i}.5%", f"-{i % 9}.5", {"green": "绿灯", "yellow": "黄灯", "red": "红灯"}[lt]])
        light.append(lt)
    units = [f"聊城市第{i + 1}个责任单位办公室" for i in range(30)]
    extra = [
        Heading(1, "二、量化指标完成情况"),
        Paragraph([PLAIN]),
        Table("表2　量化指标完成情况", ["序号", "指标", "牵头单位", "目标值", "完成时限", "序时进度", "实际值", "完成率", "差距", "灯"],
              rows, ["center", "left", "left", "right", "center", "right", "right", "right", "right", "center"],
              [0.8, 4, 3, 1.6, 1.4, 1.4, 1.8, 1.4, 1.3, 0.9], light, note="注：差距为完成率减序时进度（百分点）。"),
        Heading(1, "三、各单位情况"),
        Chart("C3", "图3　各单位牵头指标红黄绿灯情况", "lights", units,
              {"green": [i % 4 for i in range(30)], "yellow": [i % 2 for i in range(30)],
               "red": [i % 3 for i in range(30)], "none": [0] * 30}),
        Heading(2, "（二）下步工作。", ["各单位要" + PLAIN[:60] + "。"]),
        Paragraph([PLAIN]),
    ]
    return replace(document, blocks=document.blocks + extra)


@pytest.fixture(scope="module")
def pdf_pages():
    """One conversion for the module, of the long document."""
    if not convert.available():
        pytest.skip("LibreOffice is not installed (scripts/office-up)")
    doc = long_document(_doc())
    pdf = convert.to_pdf(render_docx(doc))
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "bulletin.pdf").write_bytes(pdf)
    for old in ARTIFACTS.glob("bulletin-page-*.png"):
        old.unlink()
    for i, png in enumerate(convert.pdf_pages_png(pdf), 1):
        (ARTIFACTS / f"bulletin-page-{i}.png").write_bytes(png)
    return doc, pdf


def _texts(pdf: bytes) -> list[str]:
    doc = pdfium.PdfDocument(pdf)
    return [doc[i].get_textpage().get_text_range() for i in range(len(doc))]


@office
def test_pdf_is_a4_and_carries_the_text_and_every_figure(pdf_pages):
    doc, pdf = pdf_pages
    pages = pdfium.PdfDocument(pdf)
    assert len(pages) >= 3
    for i in range(len(pages)):
        w, h = pages[i].get_size()
        assert abs(w - 595.3) < 1 and abs(h - 841.9) < 1
    text = re.sub(r"\s", "", "".join(_texts(pdf)))
    assert doc.title in text and doc.issuer in text and "抄送：市委办公室，市政府办公室。" in text
    for f in doc.figures():
        assert f.text in text, f.key


@office
def test_page_numbers_in_the_footer_of_each_page(pdf_pages):
    _, pdf = pdf_pages
    texts = _texts(pdf)
    for n, t in enumerate(texts, 1):
        assert re.search(rf"—\s*{n}\s*—", t), (n, t[-40:])


@office
def test_page_numbers_sit_on_the_outer_side(pdf_pages):
    _, pdf = pdf_pages
    doc = pdfium.PdfDocument(pdf)
    for n in (1, 2):
        page = doc[n - 1]
        tp = page.get_textpage()
        text = tp.get_text_range()
        i = text.rindex(str(n))  # the page number is the last thing on the page
        left, _, right, top = tp.get_charbox(i)
        assert top < 35 * MM  # below the text area (35 mm bottom margin)
        if n % 2:  # odd: right, one 14 pt character in from the right edge of the text area
            assert 210 * MM - 26 * MM - 60 < right < 210 * MM - 26 * MM
        else:
            assert 28 * MM < left < 28 * MM + 60


@office
def test_text_lies_inside_the_margins(pdf_pages):
    _, pdf = pdf_pages
    doc = pdfium.PdfDocument(pdf)
    for n in range(len(doc)):
        tp = doc[n].get_textpage()
        text = tp.get_text_range()
        for i in range(tp.count_chars()):
            left, _, right, _ = tp.get_charbox(i)
            if right - left < 0.5:  # spaces and line ends
                continue
            assert 28 * MM - 1 <= left, (n, i, text[i])
            # LibreOffice lets a final 、，。 hang into the margin (Word does not: w:overflowPunct off).
            limit = (210 - 26) * MM + (16 if text[i] in "、，。；：" else 1)
            assert right <= limit, (n, i, text[i - 5:i + 1], right)


@office
def test_a_line_holds_28_characters_at_the_grid_pitch(pdf_pages):
    _, pdf = pdf_pages
    doc = pdfium.PdfDocument(pdf)
    tops = []
    for n in range(len(doc)):
        tp = doc[n].get_textpage()
        text = tp.get_text_range()
        at = 0
        for line in text.split("\r\n"):
            if len(line) == 28 and line in PLAIN:  # a full line of the plain paragraph
                tops.append((n, tp.get_charbox(at, loose=True)[3]))  # loose: the font box, not the ink
            at += len(line) + 2
    assert len(tops) >= 3
    # 22 lines a page: successive body lines 28.95 pt apart.
    gaps = [a[1] - b[1] for a, b in itertools.pairwise(tops) if a[0] == b[0] and a[1] - b[1] < 40]
    assert gaps and all(abs(g - 28.95) < 0.2 for g in gaps), gaps


def test_for_libreoffice_turns_the_character_grid_into_a_line_grid(document):
    out = convert.for_libreoffice(render_docx(document))
    z = zipfile.ZipFile(io.BytesIO(out))
    body, styles = z.read("word/document.xml").decode(), z.read("word/styles.xml").decode()
    assert re.search(r'<w:docGrid[^>]*w:type="lines"', body) and "linesAndChars" not in body
    body_style = re.search(r'<w:style [^>]*w:styleId="公文正文".*?</w:style>', styles).group(0)
    assert '<w:spacing w:val="-5"/>' in body_style
    title_style = re.search(r'<w:style [^>]*w:styleId="公文标题".*?</w:style>', styles).group(0)
    assert 'w:spacing w:val=' not in title_style
    # 28 characters of 16 − 0.25 pt fit the 156 mm line; 29 do not.
    assert 28 * 15.75 <= 156 * MM < 29 * 15.75


def test_missing_office_is_a_clear_error(monkeypatch):
    monkeypatch.setattr(convert, "soffice", lambda: None)
    assert not convert.available()
    with pytest.raises(convert.OfficeMissing) as e:
        convert.to_pdf(b"PK")
    assert e.value.code == "office_missing" and e.value.http_status == 503 and "LibreOffice" in str(e.value)


@pytest.mark.parametrize("script, timeout, says", [("exit 3", 30, "PDF 转换失败"), ("sleep 20", 1, "超时")])
def test_failing_office_is_a_clear_error(tmp_path, monkeypatch, document, script, timeout, says):
    fake = tmp_path / "soffice"
    fake.write_text(f"#!/bin/sh\n{script}\n")
    fake.chmod(0o755)
    monkeypatch.setenv("LUOSHI_SOFFICE", str(fake))
    assert convert.soffice() == str(fake)
    with pytest.raises(convert.ConversionFailed) as e:
        convert.to_pdf(render_docx(document), timeout=timeout)
    assert e.value.code == "conversion_failed" and e.value.http_status == 500 and says in str(e.value)


def test_pdf_pages_png_renders_each_page():
    doc = pdfium.PdfDocument.new()
    doc.new_page(595, 842)
    doc.new_page(842, 595)
    buf = io.BytesIO()
    doc.save(buf)
    pages = convert.pdf_pages_png(buf.getvalue(), scale=1)
    from PIL import Image

    sizes = [Image.open(io.BytesIO(p)).size for p in pages]
    assert [p[:8] for p in pages] == [b"\x89PNG\r\n\x1a\n"] * 2 and sizes == [(595, 842), (842, 595)]


def test_fonts_conf_is_packaged():
    conf = convert.fonts_conf().read_text()
    assert "仿宋_GB2312" in conf and "Noto Serif CJK SC" in conf


@office
def test_parallel_conversions_do_not_clash(document):
    """Each call has its own LibreOffice profile: two at once both finish."""
    if not convert.available():
        pytest.skip("LibreOffice is not installed (scripts/office-up)")
    from concurrent.futures import ThreadPoolExecutor

    data = render_docx(document)
    with ThreadPoolExecutor(2) as pool:
        pdfs = list(pool.map(convert.to_pdf, [data, data]))
    assert all(p.startswith(b"%PDF") and len(pdfium.PdfDocument(p)) == len(pdfium.PdfDocument(pdfs[0])) for p in pdfs)
