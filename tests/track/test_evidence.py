"""Evidence files: the type comes from the bytes (a program renamed .pdf is refused, a .docx that is
really a workbook is stored as XLSX), zip bombs are refused from the zip directory alone, and the
same bytes are stored once. Storage on both backends (`db_url`)."""
from __future__ import annotations

import io
import zipfile
from datetime import date

import pytest
from sqlalchemy import func, select

from luoshi.store.work_models import Evidence, MilestoneUpdate
from luoshi.track.evidence import (MB, EvidenceNotFound, EvidenceRejected, EvidenceSettings, clean_name, kind_of,
                                   read_evidence, store_evidence)
from luoshi.track.milestones import MilestoneInvalid, add_milestone, report_milestone
from tests.track.milestone_data import JPEG, PDF, PNG, build, container, docx, ofd, xlsx


@pytest.mark.parametrize("make, kind", [(lambda: PDF, "PDF"), (lambda: b"\r\n" + PDF, "PDF"), (lambda: PNG, "PNG"),
                                        (lambda: JPEG, "JPEG"), (docx, "DOCX"), (xlsx, "XLSX"), (ofd, "OFD")])
def test_each_allowed_kind_is_known_by_its_bytes(make, kind):
    assert kind_of(make()) == kind


@pytest.mark.parametrize("data, words", [
    (b"MZ\x90\x00\x03" + bytes(200), "可执行程序"),  # a Windows program, whatever its name says
    (b"\x7fELF\x02\x01\x01" + bytes(100), "可执行程序"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "旧版 Office"),
    (b"<html><body>done</body></html>", "无法识别"),
    (b"GIF89a" + bytes(20), "无法识别"),
    (b"", "为空"),
    (b"PK\x03\x04" + bytes(40), "损坏"),  # a zip header with no directory behind it
])
def test_what_is_no_evidence_is_refused_with_its_reason(data, words):
    with pytest.raises(EvidenceRejected) as e:
        kind_of(data)
    assert words in e.value.message and e.value.http_status == 415


@pytest.mark.parametrize("members, words", [
    ({"a.txt": b"x"}, "普通 ZIP 压缩包"),
    ({"[Content_Types].xml": b"<Types/>", "_rels/.rels": b""}, "普通 ZIP 压缩包"),  # OOXML with no main part
    ({"[Content_Types].xml": b"", "word/document.xml": b"", "xl/workbook.xml": b""}, "同时像几种格式"),
    ({"[Content_Types].xml": b"", "word/document.xml": b"", "word/vbaProject.bin": b"\0"}, "含宏"),
])
def test_a_zip_must_say_by_its_members_what_it_is(members, words):
    with pytest.raises(EvidenceRejected) as e:
        kind_of(container(members))
    assert words in e.value.message


def _bomb(size: int, name: str = "word/document.xml") -> bytes:
    """A DOCX whose one big member is zeros: tiny compressed, `size` bytes unpacked (streamed, so
    the test never holds the unpacked bytes)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", b"<Types/>")
        with z.open(name, "w", force_zip64=True) as f:
            chunk = bytes(MB)
            for _ in range(size // MB):
                f.write(chunk)
    return buf.getvalue()


def test_a_zip_bomb_is_refused_by_its_total_size():
    bomb = _bomb(101 * MB)
    assert len(bomb) < MB  # small enough to pass the upload limit
    with pytest.raises(EvidenceRejected) as e:
        kind_of(bomb)
    assert "解压后过大" in e.value.message and "压缩炸弹" in e.value.message


def test_a_zip_bomb_is_refused_by_its_ratio_below_the_size_limit():
    bomb = _bomb(8 * MB)  # 8 MB of zeros pack about a thousandfold
    with pytest.raises(EvidenceRejected) as e:
        kind_of(bomb)
    assert "压缩比异常" in e.value.message
    assert kind_of(bomb, EvidenceSettings(max_ratio=1e6)) == "DOCX"  # the limit is a setting


def test_limits_are_settings():
    with pytest.raises(EvidenceRejected) as e:
        kind_of(PDF + bytes(2000), EvidenceSettings(max_bytes=1000))
    assert "过大" in e.value.message
    many = container({"[Content_Types].xml": b"", "word/document.xml": b"", **{f"m{i}": b"" for i in range(20)}})
    assert kind_of(many) == "DOCX"
    with pytest.raises(EvidenceRejected, match="文件过多"):
        kind_of(many, EvidenceSettings(max_members=10))


@pytest.mark.parametrize("name, kind, stored", [
    ("验收报告.docx", "XLSX", "验收报告.xlsx"),  # a workbook named .docx opens as the workbook it is
    ("现场照片.JPEG", "JPEG", "现场照片.JPEG"), ("照片.jpg", "JPEG", "照片.jpg"),
    ("2024.05.10现场", "PNG", "2024.05.10现场.png"), ("C:\\Users\\张三\\验收.pdf", "PDF", "验收.pdf"),
    ("../../etc/passwd", "PDF", "passwd.pdf"), ("", "OFD", "证明材料.ofd"), ("a\x00b.pdf", "PDF", "ab.pdf")])
def test_the_stored_name_is_a_plain_name_with_the_real_extension(name, kind, stored):
    assert clean_name(name, kind) == stored
    assert len(clean_name("长" * 400 + ".pdf", "PDF")) == 255


def _count(s, table) -> int:
    return s.scalar(select(func.count()).select_from(table))


def test_same_bytes_are_stored_once_and_read_back(db_url):
    w = build(db_url)
    store = w.store()
    try:
        with store.session() as s:
            a = store_evidence(s, "验收报告.docx", xlsx(), uploaded_by="张三")
            s.flush()
            b = store_evidence(s, "另一个名字.xlsx", xlsx())
            c = store_evidence(s, "照片.png", PNG)
            s.commit()
            assert a.id == b.id != c.id and _count(s, Evidence) == 2
            ids = (a.id, c.id)
        with store.session() as s:
            got = read_evidence(s, ids[0])
            assert (got.name, got.size, got.uploaded_by) == ("验收报告.xlsx", len(xlsx()), "张三")
            assert got.media_type.endswith("spreadsheetml.sheet") and bytes(got.content) == xlsx()
            assert bytes(read_evidence(s, ids[1]).content) == PNG
            with pytest.raises(EvidenceNotFound) as e:
                read_evidence(s, 999)
            assert e.value.http_status == 404
    finally:
        store.close()


def test_a_report_with_a_renamed_program_stores_nothing(db_url):
    w = build(db_url)
    store = w.store()
    try:
        with store.session() as s:
            m = add_milestone(s, w.platform, title="完成招标", due="2024-06-30")
            with pytest.raises(MilestoneInvalid) as e:
                report_milestone(s, m.id, unit="市工信局", state="已完成", as_of="2024-05-10",
                                 evidence=("验收报告.pdf", b"MZ\x90\x00" + bytes(300)), source="web",
                                 today=date(2024, 5, 20))
            assert [p.field for p in e.value.problems] == ["evidence"]
            assert "可执行程序" in e.value.problems[0].message
        with store.session() as s:
            assert _count(s, Evidence) == 0 and _count(s, MilestoneUpdate) == 0
            up = report_milestone(s, m.id, unit="市工信局", state="已完成", as_of="2024-05-10",
                                  evidence=("验收报告.pdf", PDF), source="web", today=date(2024, 5, 20))
            again = report_milestone(s, m.id, unit="市工信局", state="已完成", as_of="2024-05-11",
                                     evidence=("重传.pdf", PDF), source="web", today=date(2024, 5, 20))
            assert up.evidence_id == again.evidence_id and _count(s, Evidence) == 1
            assert read_evidence(s, up.evidence_id).name == "验收报告.pdf"
    finally:
        store.close()
