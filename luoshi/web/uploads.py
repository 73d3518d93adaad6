"""Uploads, read with limits: never more than `limit` bytes into memory, the type judged by the
content (not the name or the browser's word), and Office files, which are zip archives, refused
when they would inflate past sane sizes (a zip bomb), judged from the zip directory alone."""
from __future__ import annotations

from fastapi import UploadFile

from luoshi.errors import LuoshiError
from luoshi.read.zipcheck import ZipRefused, office_kinds, zip_members

CHUNK = 1 << 16
_NAMES = {"XLSX": "Excel 工作簿（.xlsx）", "DOCX": "Word 文档（.docx）"}


class UploadTooLarge(LuoshiError):
    code = "upload_too_large"
    http_status = 413


async def read_upload(file: UploadFile, limit: int, *, kind: str) -> bytes:
    """The uploaded bytes, if they are a `kind` ("XLSX" | "DOCX") file within `limit` bytes."""
    buf = bytearray()
    while chunk := await file.read(CHUNK):
        buf += chunk
        if len(buf) > limit:
            raise UploadTooLarge(f"上传的文件超过 {limit // (1024 * 1024)} MB 上限")
    data = bytes(buf)
    if not data.startswith(b"PK\x03\x04") or office_kinds(zip_members(data)) != [kind]:
        raise ZipRefused(f"上传的文件不是{_NAMES[kind]}")
    return data
