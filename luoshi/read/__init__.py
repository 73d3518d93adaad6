"""Readers: turn a plan file (TXT, HTML, DOCX, PDF) into a Document.

The format is decided by content, never by the file name. Heavy libraries (pypdfium2,
python-docx, charset-normalizer) are imported only by the reader that needs them, so reading a
TXT file stays fast.
"""
from __future__ import annotations

import os
import stat
from pathlib import Path

from luoshi.errors import FileTooLarge, ReadError
from luoshi.read.document import Document, Part
from luoshi.read.sniff import sniff

DEFAULT_MAX_BYTES = 50 * 1024 * 1024

__all__ = ["DEFAULT_MAX_BYTES", "Document", "Part", "read_bytes", "read_file", "read_path"]


def read_bytes(data: bytes, name: str | None = None, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    """Read a file's bytes. `name` is only carried along (for messages and output)."""
    if len(data) > max_bytes:
        raise _too_large(len(data), max_bytes)
    fmt = sniff(data)
    if fmt == "pdf":
        from luoshi.read.pdf import read_pdf

        return read_pdf(data, name)
    if fmt == "docx":
        from luoshi.read.docx import read_docx

        return read_docx(data, name)
    if fmt == "html":
        from luoshi.read.html import read_html

        return read_html(data, name)
    from luoshi.read.text import read_text

    return read_text(data, name)


def read_path(path: str | os.PathLike, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    """Read a file from disk; its size is checked before a byte is read."""
    p = Path(path)
    return read_bytes(read_file(p, max_bytes=max_bytes), p.name, max_bytes=max_bytes)


def read_file(path: str | os.PathLike, *, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """A file's bytes, its size checked before a byte is read; failures as ReadError in Chinese."""
    p = Path(path)
    try:
        st = p.stat()
        if stat.S_ISDIR(st.st_mode):
            raise ReadError(f"“{p}”是一个文件夹，不是文件")
        if not stat.S_ISREG(st.st_mode):
            raise ReadError(f"“{p}”不是普通文件，无法读取")
        if st.st_size > max_bytes:
            raise _too_large(st.st_size, max_bytes)
        with p.open("rb") as f:
            data = f.read(max_bytes + 1)  # the size may change between stat and read
    except FileNotFoundError:
        raise ReadError(f"找不到文件“{p}”") from None
    except PermissionError:
        raise ReadError(f"没有权限读取文件“{p}”") from None
    except OSError as e:
        raise ReadError(f"无法读取文件“{p}”（{e.strerror or e}）") from None
    if len(data) > max_bytes:
        raise _too_large(len(data), max_bytes)
    return data


def _too_large(size: int, limit: int) -> FileTooLarge:
    return FileTooLarge(f"文件太大：{_size(size)}，超过了上限（{_size(limit)}）；请拆分文件或只上传方案正文")


def _size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / 1024 / 1024:.1f} MB"
    if n >= 1024:
        return f"{n / 1024:.1f} KB"
    return f"{n} 字节"
