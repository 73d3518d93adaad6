"""Format by content, and every bad input a user uploads: the right error, in Chinese."""
from __future__ import annotations

import os
import random
import re
import subprocess
import sys

import pytest

from luoshi.errors import (EmptyDocument, EncryptedDocument, FileTooLarge, LuoshiError, NeedsOCR, ReadError,
                           UnsupportedFormat)
from luoshi.read import DEFAULT_MAX_BYTES, read_bytes, read_path
from luoshi.read.sniff import sniff
from tests import formats

HAN = re.compile(r"[\u4e00-\u9fff]")


def test_format_is_decided_by_content_not_name(tmp_path):
    pdf, docx = tmp_path / "plan.txt", tmp_path / "plan.pdf"
    pdf.write_bytes(formats.to_pdf(formats.SAMPLE_TEXT))
    docx.write_bytes(formats.to_docx(formats.SAMPLE_TEXT))
    assert read_path(pdf).format == "pdf"
    assert read_path(docx).format == "docx"
    html = tmp_path / "plan.docx"
    html.write_text("<!DOCTYPE html><html><body><p>一、总体目标</p></body></html>", encoding="utf-8")
    assert read_path(html).format == "html"
    assert read_path(html).name == "plan.docx"


@pytest.mark.parametrize("head", ["<!DOCTYPE html>", "  \n<html lang='zh'>", "<!-- x -->\n<html>", "<head><meta charset='utf-8'>",
                                  "<div class='a'><p>一</p><p>二</p><p>三</p><p>四</p></div>"])
def test_html_is_sniffed(head):
    assert sniff((head + "<p>正文</p>").encode("utf-8")) == "html"
    assert sniff(b"\xff\xfe" + (head + "<p>正文</p>").encode("utf-16-le")) == "html"


def test_plain_text_mentioning_tags_is_text():
    assert sniff("一、总体目标\n在网页中使用<p>标签。".encode("gb18030")) == "txt"


BAD_INPUTS = [
    ("empty", lambda: b"", EmptyDocument, "文件为空"),
    ("whitespace", lambda: b" \r\n\t \n", EmptyDocument, "文件为空"),
    ("random binary", lambda: random.Random(7).randbytes(4096), UnsupportedFormat, "不是可识别的文本"),
    ("binary without NUL", lambda: bytes(b % 255 + 1 for b in random.Random(8).randbytes(2048)), UnsupportedFormat,
     "不是可识别的文本"),
    ("truncated docx", formats.truncated_docx, ReadError, "DOCX 文件已损坏或不完整"),
    ("encrypted pdf", formats.encrypted_pdf, EncryptedDocument, "PDF 已加密"),
    ("scanned pdf", formats.scanned_pdf, NeedsOCR, "文字识别"),
    ("png", formats.png_image, UnsupportedFormat, "图片.*OCR"),
    ("jpeg", formats.jpeg_image, UnsupportedFormat, "图片.*OCR"),
    ("zip", formats.plain_zip, UnsupportedFormat, "ZIP 压缩包"),
    ("xlsx", lambda: formats.plain_zip({"xl/workbook.xml": b"<x/>"}), UnsupportedFormat, "Excel"),
    ("old doc", lambda: formats.ole_file("WordDocument", "1Table"), UnsupportedFormat, "另存为 .docx"),
    ("encrypted docx", lambda: formats.ole_file("EncryptionInfo", "EncryptedPackage"), EncryptedDocument, "文档已加密"),
    ("broken zip", lambda: b"PK\x03\x04" + bytes(200), ReadError, "ZIP"),
    ("rtf", lambda: b"{\\rtf1\\ansi hello}", UnsupportedFormat, "RTF"),
]


@pytest.mark.parametrize("label,make,error,message", BAD_INPUTS, ids=[b[0] for b in BAD_INPUTS])
def test_bad_input_raises_a_chinese_read_error(label, make, error, message):
    with pytest.raises(LuoshiError) as info:
        read_bytes(make())
    assert type(info.value) is error, info.value
    assert re.search(message, str(info.value))
    assert HAN.search(info.value.message)


def test_size_limit_in_read_bytes():
    with pytest.raises(FileTooLarge, match=r"文件太大：1\.0 KB，超过了上限（1000 字节）"):
        read_bytes(b"a" * 1024, max_bytes=1000)
    assert DEFAULT_MAX_BYTES == 50 * 1024 * 1024


def test_read_path_checks_size_before_reading(tmp_path, monkeypatch):
    big = tmp_path / "big.txt"
    with open(big, "wb") as f:  # sparse: no disk is written
        f.truncate(DEFAULT_MAX_BYTES + 1)

    def no_reading(*args, **kwargs):
        raise AssertionError("read the file before checking its size")

    monkeypatch.setattr("pathlib.Path.open", no_reading)
    with pytest.raises(FileTooLarge, match=r"上限（50\.0 MB）"):
        read_path(big)


@pytest.mark.slow
def test_real_100_mb_file(tmp_path):
    big = tmp_path / "big.pdf"
    with open(big, "wb") as f:
        f.write(b"%PDF-1.4\n")
        f.truncate(100 * 1024 * 1024)
    with pytest.raises(FileTooLarge, match=r"100\.0 MB"):
        read_path(big)


def test_read_path_errors(tmp_path):
    with pytest.raises(ReadError, match="找不到文件"):
        read_path(tmp_path / "missing.txt")
    with pytest.raises(ReadError, match="文件夹"):
        read_path(tmp_path)
    if os.name == "posix" and os.geteuid() != 0:
        locked = tmp_path / "locked.txt"
        locked.write_text("正文", encoding="utf-8")
        locked.chmod(0)
        with pytest.raises(ReadError, match="没有权限"):
            read_path(locked)


def test_read_path_reads_and_names(tmp_path):
    f = tmp_path / "方案.txt"
    f.write_bytes(formats.SAMPLE_TEXT.encode("gb18030"))
    doc = read_path(f)
    assert (doc.text, doc.name, doc.encoding) == (formats.SAMPLE_TEXT, "方案.txt", "gb18030")


def test_reading_text_imports_no_heavy_library():
    code = (
        "import sys; from luoshi.read import read_bytes;"
        "read_bytes('一、总体目标'.encode('gb18030')); read_bytes(b'<html><body><p>x</p></body></html>');"
        "print(sorted(m for m in ('pypdfium2', 'docx', 'charset_normalizer', 'reportlab') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_a_json_file_is_no_plan():
    import json

    from luoshi.errors import UnsupportedFormat
    from luoshi.read import read_bytes

    data = json.dumps({"targets": [{"quote": "到2025年建成5G基站1万个"}]}, ensure_ascii=False).encode()
    with pytest.raises(UnsupportedFormat) as e:
        read_bytes(data, "gold.txt")
    assert "JSON" in str(e.value)
