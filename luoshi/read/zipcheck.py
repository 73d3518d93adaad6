"""Zip containers (DOCX, XLSX, OFD) judged before anything is decompressed: the member names and
sizes come from the zip's central directory, so a zip bomb is refused having cost nothing.
Python's zipfile never inflates a member past the size its directory entry declares, so the
declared sizes are a real bound for whoever opens the file afterwards (openpyxl, python-docx)."""
from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from luoshi.errors import LuoshiError

MB = 1024 * 1024


class ZipRefused(LuoshiError):
    code = "zip_refused"
    http_status = 415


@dataclass(frozen=True)
class ZipLimits:
    max_unzipped: int = 100 * MB  # all members together
    max_ratio: float = 100.0  # uncompressed ÷ compressed over the whole container (XML packs ~10-30×)
    max_members: int = 10_000


def size_text(n: int) -> str:
    return f"{n / MB:.1f} MB" if n >= MB else f"{max(1, round(n / 1024))} KB"


def zip_members(data: bytes, limits: ZipLimits = ZipLimits()) -> set[str]:
    """The member names of a zip container, or ZipRefused: damaged, or a likely zip bomb."""
    try:
        infos = zipfile.ZipFile(io.BytesIO(data)).infolist()  # the central directory only
    except (zipfile.BadZipFile, ValueError, OSError):
        raise ZipRefused("文件是损坏或不完整的 ZIP 压缩包（DOCX/XLSX/OFD），请重新导出后上传") from None
    if len(infos) > limits.max_members:
        raise ZipRefused(f"压缩包内文件过多（{len(infos)} 个），疑为恶意文件，已拒收")
    unzipped = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos)
    if unzipped > limits.max_unzipped:
        raise ZipRefused(f"压缩包解压后过大（{size_text(unzipped)}，上限 {size_text(limits.max_unzipped)}），"
                         "疑为恶意文件（压缩炸弹），已拒收")
    if unzipped > MB and unzipped > limits.max_ratio * max(packed, 1):  # small files cannot hurt
        raise ZipRefused(f"压缩包压缩比异常（{unzipped / max(packed, 1):.0f} 倍），疑为恶意文件（压缩炸弹），已拒收")
    return {i.filename for i in infos}


def office_kinds(names: set[str]) -> list[str]:
    """What a container is by its members: DOCX, XLSX, OFD; empty for a plain zip, several for a
    crafted one."""
    return [k for k, ok in (("DOCX", "[Content_Types].xml" in names and "word/document.xml" in names),
                            ("XLSX", "[Content_Types].xml" in names and "xl/workbook.xml" in names),
                            ("OFD", "OFD.xml" in names)) if ok]
