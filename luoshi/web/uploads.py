"""Uploads, read with limits: never more than `limit` bytes into memory, the type judged by the
content (not the name or the browser's word), and Office files, which are zip archives, refused
when they would inflate past sane sizes (a zip bomb) — judged from the zip directory alone,
before anything is decompressed."""
from __future__ import annotations

import io
import zipfile

from fastapi import UploadFile

from luoshi.errors import LuoshiError

CHUNK = 1 << 16
MAX_INFLATED = 100 * 1024 * 1024  # an .xlsx template with thousands of rows is a few MB
MAX_RATIO = 200  # XML compresses ~10-30×; hundreds-fold is a crafted file
MAX_MEMBERS = 2000
_MARKERS = {"xlsx": "xl/workbook.xml", "docx": "word/document.xml"}
_NAMES = {"xlsx": "Excel 工作簿（.xlsx）", "docx": "Word 文档（.docx）"}


class UploadTooLarge(LuoshiError):
    code = "upload_too_large"
    http_status = 413


class UploadRefused(LuoshiError):
    code = "upload_refused"
    http_status = 415


async def read_upload(file: UploadFile, limit: int, *, kind: str) -> bytes:
    buf = bytearray()
    while chunk := await file.read(CHUNK):
        buf += chunk
        if len(buf) > limit:
            raise UploadTooLarge(f"上传的文件超过 {limit // (1024 * 1024)} MB 上限")
    data = bytes(buf)
    check_office_zip(data, kind)
    return data


def check_office_zip(data: bytes, kind: str) -> None:
    """Refuse what is not a `kind` ("xlsx" | "docx") Office file, or would inflate too far."""
    name = _NAMES[kind]
    if not data:
        raise UploadRefused(f"上传的文件是空的，请上传{name}")
    try:
        infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise UploadRefused(f"上传的文件不是{name}") from None
    names = {i.filename for i in infos}
    if _MARKERS[kind] not in names or "[Content_Types].xml" not in names:
        raise UploadRefused(f"上传的文件不是{name}")
    inflated = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos) or 1
    if len(infos) > MAX_MEMBERS or inflated > MAX_INFLATED or inflated / packed > MAX_RATIO:
        raise UploadRefused(f"上传的文件解压后过大（疑似压缩炸弹），已拒绝")
