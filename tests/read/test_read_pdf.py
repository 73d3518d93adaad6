"""PDF: CJK text read back exactly, page parts, and the PDFs that cannot be read."""
from __future__ import annotations

import re

import pytest

from luoshi.errors import EncryptedDocument, NeedsOCR, ReadError
from luoshi.read import read_bytes
from tests.formats import SAMPLE_TEXT, encrypted_pdf, scanned_pdf, to_pdf


def _unwrapped(text: str) -> str:
    return "".join(text.split("\n"))


def test_cjk_text_round_trips_exactly():
    doc = read_bytes(to_pdf(SAMPLE_TEXT))
    assert doc.format == "pdf"
    # Lines wrapped to the page width are the only difference.
    assert _unwrapped(doc.text) == _unwrapped(SAMPLE_TEXT)
    assert "\r" not in doc.text and doc.body.text == doc.text
    assert not doc.warnings


def test_seed_plans_round_trip(seed_texts):
    for name, text in seed_texts.items():
        doc = read_bytes(to_pdf(text))
        # pdfium collapses runs of spaces and drops spaces at line ends: compare everything else.
        assert re.sub(r"\s+", "", doc.text) == re.sub(r"\s+", "", text), name


def test_pages_are_parts_joined_by_newlines():
    text = "\n".join(f"第{i}行：到2025年建成5G基站{i}个。" for i in range(120))
    doc = read_bytes(to_pdf(text))
    pages = [p for p in doc.parts if p.kind == "page"]
    assert len(pages) >= 3
    assert [p.page for p in pages] == list(range(1, len(pages) + 1))
    assert "\n".join(doc.text[p.start:p.end] for p in pages) == doc.text
    assert doc.text[pages[1].start:pages[1].end].startswith("第")


def test_line_end_hyphen_is_kept():
    # pdfium joins a line ending in "-" to the next and marks the hyphen U+FFFE.
    doc = read_bytes(to_pdf("建设NB-\nIoT网络"))
    assert "\ufffe" not in doc.text
    assert "NB-IoT" in _unwrapped(doc.text)


def test_encrypted_pdf():
    with pytest.raises(EncryptedDocument, match="PDF 已加密.*请提供未加密的文件"):
        read_bytes(encrypted_pdf())


def test_scanned_pdf_needs_ocr():
    with pytest.raises(NeedsOCR, match="没有文字层.*文字识别"):
        read_bytes(scanned_pdf())


def test_partly_scanned_pdf_warns_about_its_pages():
    text = "\n".join(f"第{i}行：到2025年建成5G基站{i}个。" for i in range(60))
    doc = read_bytes(to_pdf(text, blank_pages=(2,)))
    assert len(doc.warnings) == 1 and "第 2 页没有文字层" in doc.warnings[0]
    assert doc.text[doc.parts[1].start:doc.parts[1].end] == ""
    assert "第59行" in doc.text


def test_truncated_pdf_is_a_read_error():
    data = to_pdf(SAMPLE_TEXT)
    with pytest.raises(ReadError) as info:
        read_bytes(data[: len(data) // 3])
    # Either pdfium gives up (corrupt) or it recovers no text (needs OCR); never a traceback.
    assert type(info.value) in (ReadError, NeedsOCR)
    assert re.search(r"[\u4e00-\u9fff]", str(info.value))
