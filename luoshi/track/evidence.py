"""Evidence (证明材料) handed in with a milestone: an acceptance record, a photo, a spreadsheet.

Only PDF, JPEG, PNG, OFD (版式文件, GB/T 33190), DOCX and XLSX are taken, recognised by their bytes,
never by their name: a program renamed .pdf is refused, and a .docx that is really a workbook is
stored as the XLSX it is (its name gets the right extension, so it opens in the right program).
Zip containers (OFD, DOCX, XLSX) are judged by their member names, read from the zip directory
only: nothing is decompressed, and a zip bomb (too many members, a total uncompressed size over
`max_unzipped`, or a compression ratio over `max_ratio`) is refused. Macro-enabled Office files
(a vbaProject.bin member) are refused too.

A file is stored once by its sha256: the same bytes handed in twice are one Evidence row."""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from luoshi.errors import LuoshiError
from luoshi.read.zipcheck import MB, ZipLimits, ZipRefused, office_kinds, size_text, zip_members
from luoshi.store.work_models import Evidence

KINDS = {  # kind: (media type, extension)
    "PDF": ("application/pdf", ".pdf"),
    "JPEG": ("image/jpeg", ".jpg"),
    "PNG": ("image/png", ".png"),
    "OFD": ("application/ofd", ".ofd"),
    "DOCX": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx"),
    "XLSX": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx"),
}
ALLOWED = "证明材料只能是 PDF、JPEG、PNG、OFD、DOCX 或 XLSX 文件"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class EvidenceRejected(LuoshiError):
    """A file that cannot be evidence (wrong type, too large, a zip bomb)."""

    code = "evidence_rejected"
    http_status = 415


class EvidenceNotFound(LuoshiError):
    code = "evidence_not_found"
    http_status = 404


@dataclass(frozen=True)
class EvidenceSettings:
    max_bytes: int = 20 * MB  # the file as uploaded
    max_unzipped: int = 100 * MB  # all members of a zip container together
    max_ratio: float = 100.0  # uncompressed ÷ compressed, over the whole container
    max_members: int = 10_000


EVIDENCE = EvidenceSettings()


def kind_of(data: bytes, settings: EvidenceSettings = EVIDENCE) -> str:
    """The kind of an evidence file (a key of KINDS), or EvidenceRejected saying why not."""
    if not data:
        raise EvidenceRejected("证明材料为空文件")
    if len(data) > settings.max_bytes:
        raise EvidenceRejected(f"证明材料过大（{size_text(len(data))}），不能超过 {size_text(settings.max_bytes)}")
    if b"%PDF-" in data[:1024]:  # readers accept a little junk before the header, as sniff.py does
        return "PDF"
    if data.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if data.startswith(b"PK\x03\x04"):
        return _zip_kind(data, settings)
    if data.startswith((b"MZ", b"\x7fELF")):
        raise EvidenceRejected(f"这是可执行程序，不能作为证明材料；{ALLOWED}")
    if data.startswith(_OLE):
        raise EvidenceRejected(f"这是旧版 Office 文件（.doc/.xls）或加密文档；请另存为 DOCX、XLSX 或 PDF。{ALLOWED}")
    raise EvidenceRejected(f"无法识别的文件类型；{ALLOWED}")


def _zip_kind(data: bytes, settings: EvidenceSettings) -> str:
    try:
        names = zip_members(data, ZipLimits(settings.max_unzipped, settings.max_ratio, settings.max_members))
    except ZipRefused as e:
        raise EvidenceRejected(e.message) from None
    found = office_kinds(names)
    if len(found) != 1:
        what = "同时像几种格式的文件" if found else "普通 ZIP 压缩包"
        raise EvidenceRejected(f"这是{what}，不是 DOCX、XLSX 或 OFD 文件；请上传文件本身。{ALLOWED}")
    if any(n.endswith("vbaProject.bin") for n in names):
        raise EvidenceRejected("文件含宏（VBA），不能作为证明材料；请另存为不含宏的 DOCX/XLSX 或 PDF")
    return found[0]


def clean_name(name: str | None, kind: str) -> str:
    """The file's own name (no folders, no control characters, ≤ 255) with its kind's extension."""
    base = re.sub(r"[\x00-\x1f\x7f]", "", re.split(r"[\\/]", str(name or ""))[-1]).strip() or "证明材料"
    stem, ext = base, KINDS[kind][1]
    if m := re.fullmatch(r"(.+)\.([A-Za-z0-9]{1,5})", base):  # an extension, not 2024.05.10照片
        stem, old = m.group(1), m.group(2).lower()
        if old == ext[1:] or (kind == "JPEG" and old == "jpeg"):
            ext = "." + m.group(2)
    return stem[: 255 - len(ext)] + ext


def store_evidence(session: Session, name: str | None, data: bytes, *, uploaded_by: str | None = None,
                   settings: EvidenceSettings = EVIDENCE) -> Evidence:
    """Check a file and store it (added to the session, not committed); the same bytes give the
    row already stored. EvidenceRejected when it cannot be evidence."""
    kind = kind_of(data, settings)
    digest = hashlib.sha256(data).hexdigest()
    found = session.scalar(select(Evidence).where(Evidence.sha256 == digest))
    if found is not None:
        return found
    ev = Evidence(sha256=digest, name=clean_name(name, kind), media_type=KINDS[kind][0], size=len(data),
                  content=data, uploaded_by=uploaded_by)
    session.add(ev)
    return ev


def read_evidence(session: Session, evidence_id: int) -> Evidence:
    """A stored evidence file (name, media type, bytes), or EvidenceNotFound."""
    ev = session.get(Evidence, evidence_id)
    if ev is None:
        raise EvidenceNotFound(f"未找到证明材料 {evidence_id}")
    return ev


def kind_label(media_type: str) -> str:
    """PDF, DOCX … for a stored media type."""
    return next((k for k, (m, _) in KINDS.items() if m == media_type), media_type)
