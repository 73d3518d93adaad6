"""Generating, storing and publishing bulletins (luoshi.publish.bulletin.archive) and `luoshi
bulletin` / `luoshi bulletins`, on the county world of tests/web/pages/county_world.py (聊城市,
2024Q4). The stored Word file's tables and the xlsx annex are read back and compared with what
`progress` says of each target."""
from __future__ import annotations

import io
import json
import re
import zipfile
from datetime import date

import docx
import openpyxl
import pytest
from typer.testing import CliRunner

from luoshi.cli import app
from luoshi.publish.bulletin import archive, convert
from luoshi.store import Store
from luoshi.track.catalog import load_catalog
from luoshi.track.progress import progress
from tests.web.pages.county_world import JUDGED_ON, SETTINGS, build

CATALOG = load_catalog(None)
LIGHT = {"green": "绿灯", "yellow": "黄灯", "red": "红灯", None: "未判断"}


@pytest.fixture(scope="module")
def county(tmp_path_factory):
    world = build(f"sqlite:///{tmp_path_factory.mktemp('archive')}/county.db")
    store = Store(world.url)
    try:
        with store.session() as s:
            world.judged = {p.target_id: p for p in progress(s, region="聊城市", as_of="2024-12", catalog=CATALOG,
                                                             rules=SETTINGS.rules)}
    finally:
        store.close()
    return world


@pytest.fixture(scope="module")
def stored(county):
    """Two versions of 2024Q4 (no PDF), the first published."""
    store = Store(county.url)
    try:
        with store.session() as s:
            rows = [archive.generate(s, "聊城市", "2024Q4", catalog=CATALOG, by="调度办", on=JUDGED_ON, pdf=False)
                    for _ in range(2)]
            s.commit()
            archive.publish(s, rows[0].id, by="调度办")
            s.commit()
            return [r.id for r in rows]
    finally:
        store.close()


def session_of(county):
    return Store(county.url)


def test_each_generation_is_a_new_version_and_kept(county, stored):
    store = session_of(county)
    try:
        with store.session() as s:
            rows = archive.bulletins(s)
            assert [(r.region, r.period, r.version) for r in rows] == [("聊城市", "2024Q4", 2), ("聊城市", "2024Q4", 1)]
            first, second = (archive.bulletin(s, i) for i in stored)
            assert first.published_at is not None and first.published_by == "调度办" and second.published_at is None
            assert first.title == "关于2024年第四季度聊城市行动方案推进情况的通报" and first.signed == JUDGED_ON
            assert first.pdf is None and second.created_by == "调度办"
            assert len(first.figures) > 100 and first.figures[0]["key"] == "F1"
            # Both versions hold their own files, whole.
            assert docx.Document(io.BytesIO(first.docx)).paragraphs and first.docx[:2] == b"PK"
            assert first.html.startswith("<!DOCTYPE html>") and first.xlsx[:2] == b"PK"
    finally:
        store.close()


def test_the_public_reads_published_versions_only(county, stored):
    store = session_of(county)
    try:
        with store.session() as s:
            assert [r.id for r in archive.bulletins(s, published_only=True)] == [stored[0]]
            with pytest.raises(archive.BulletinNotFound):
                archive.bulletin(s, stored[1], published_only=True)
            with pytest.raises(archive.BulletinConflict):
                archive.publish(s, stored[0])
            with pytest.raises(archive.BulletinNotFound) as e:
                archive.file_of(archive.bulletin(s, stored[0]), "pdf")
            assert "LibreOffice" in e.value.message
    finally:
        store.close()


def _word_table(document, first_header: str, header_has: str):
    for t in document.tables:
        cells = [re.sub(r"\s", "", c.text) for c in t.rows[0].cells]  # a long header may break in two
        if cells[0] == first_header and header_has in cells:
            return t
    raise AssertionError(f"no table headed {first_header}…{header_has}")


def test_the_word_tables_hold_the_stored_numbers(county, stored):
    store = session_of(county)
    try:
        with store.session() as s:
            row = archive.bulletin(s, stored[0])
            document = docx.Document(io.BytesIO(row.docx))
    finally:
        store.close()
    table = _word_table(document, "序号", "序时进度")
    header = [re.sub(r"\s", "", c.text) for c in table.rows[0].cells]
    by_name: dict[str, list] = {}
    for p in county.judged.values():
        by_name.setdefault(f"{p.indicator}（{p.unit}）", []).append(p)
    seen = 0
    for r in table.rows[1:]:
        cells = dict(zip(header, (c.text for c in r.cells)))
        candidates = by_name[cells["指标"]]
        # Several counties share an indicator: the lead unit tells them apart.
        p = next(p for p in candidates if p.lead_unit == cells["牵头单位"] or len(candidates) == 1)
        assert cells["序时进度"] == ("—" if p.scheduled is None else f"{p.scheduled:.1f}%")
        assert cells["完成率"] == ("—" if p.completion is None else f"{p.completion:.1f}%")
        actual = cells["实际值"].split("（")[0]
        assert (float(actual) if actual != "—" else None) == p.last_value
        assert cells["灯"] == LIGHT[p.light.value if p.light else None]
        seen += 1
    assert seen == len(county.judged) == 10


def test_the_xlsx_annex_lists_every_target_with_its_numbers(county, stored):
    store = session_of(county)
    try:
        with store.session() as s:
            book = openpyxl.load_workbook(io.BytesIO(archive.bulletin(s, stored[0]).xlsx))
    finally:
        store.close()
    sheet = book["全部指标"]
    rows = list(sheet.iter_rows(values_only=True))
    at = next(i for i, r in enumerate(rows) if r and r[0] == "指标编号")
    header, body = rows[at], [r for r in rows[at + 1:] if r and r[0] is not None]
    col = {h: i for i, h in enumerate(header)}
    assert sorted(r[0] for r in body) == sorted(county.judged)
    for r in body:
        p = county.judged[r[0]]
        assert r[col["实际值"]] == p.last_value and r[col["目标值"]] == p.value
        assert r[col["完成率(%)"]] == (None if p.completion is None else pytest.approx(p.completion, abs=0.01))
        assert r[col["灯"]] == LIGHT[p.light.value if p.light else None]


def test_cli_generates_writes_lists_publishes_and_gets(county, tmp_path, monkeypatch):
    monkeypatch.setattr(convert, "available", lambda: False)
    runner = CliRunner()
    out = tmp_path / "通报.docx"
    r = runner.invoke(app, ["bulletin", "--db", county.url, "--region", "聊城市", "--period", "2024年第四季度",
                            "--date", "2025-01-20", "--issuer", "聊城市数字经济工作专班办公室", "-o", str(out),
                            "-o", str(tmp_path / "a.xlsx"), "--base-url", "https://luoshi.example.gov.cn/"])
    assert r.exit_code == 0, r.output
    assert "已生成通报" in r.output and out.exists() and (tmp_path / "a.xlsx").exists()
    # The annex's relative links (/plans/…) open against the site they belong to.
    with zipfile.ZipFile(tmp_path / "a.xlsx") as z:
        assert "<HyperlinkBase>https://luoshi.example.gov.cn/</HyperlinkBase>" in z.read("docProps/app.xml").decode()
    text = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    assert "聊城市数字经济工作专班办公室" in text and "2025年1月20日" in text
    r = runner.invoke(app, ["bulletins", "list", "--db", county.url, "--format", "json"])
    rows = json.loads(r.output)
    newest = rows[0]
    assert newest["region"] == "聊城市" and newest["version"] == max(x["version"] for x in rows)
    r = runner.invoke(app, ["bulletins", "publish", str(newest["id"]), "--db", county.url])
    assert r.exit_code == 0 and "已发布" in r.output
    again = runner.invoke(app, ["bulletins", "publish", str(newest["id"]), "--db", county.url])
    assert again.exit_code == 2 and "已于" in again.output
    got = tmp_path / "got.docx"
    r = runner.invoke(app, ["bulletins", "get", str(newest["id"]), "-o", str(got), "--db", county.url])
    assert r.exit_code == 0 and got.read_bytes() == out.read_bytes()  # the stored file, as issued


@pytest.mark.parametrize("args, message", [
    (["--region", "聊城市", "--period", "2024Q5"], "无法识别的季度"),
    (["--region", "火星市", "--period", "2024Q4"], "未找到地区"),
    (["--region", "聊城市", "--period", "2024Q4", "-o", "x.doc"], "扩展名"),
    (["--region", "聊城市", "--period", "2024Q4", "--date", "2025-13-01"], "--date"),
    (["--region", "聊城市", "--period", "2024Q4", "-o", "/proc/luoshi/x.docx"], "无法写入"),
])
def test_cli_bad_input_is_a_clear_error_and_stores_nothing(county, args, message):
    store = session_of(county)
    try:
        with store.session() as s:
            before = len(archive.bulletins(s))
    finally:
        store.close()
    r = CliRunner().invoke(app, ["bulletin", "--db", county.url, *args])
    assert r.exit_code == 2 and message in r.output
    store = session_of(county)
    try:
        with store.session() as s:
            assert len(archive.bulletins(s)) == before
    finally:
        store.close()


def test_the_version_number_follows_the_region_and_quarter(county):
    store = session_of(county)
    try:
        with store.session() as s:
            row = archive.generate(s, "聊城市", "2024Q3", catalog=CATALOG, on=date(2024, 10, 31), pdf=False)
            assert (row.period, row.version) == ("2024Q3", 1)
            s.rollback()
    finally:
        store.close()


@pytest.mark.office
@pytest.mark.skipif(not convert.available(), reason="LibreOffice is not installed (scripts/office-up)")
def test_a_stored_bulletin_has_its_pdf_and_pages_to_look_at(county):
    """The county world's bulletin through LibreOffice: A4 pages, the title and each actual value
    of the indicator table in the text, page numbers; the pages are left in test-artifacts/."""
    import pypdfium2

    from tests.publish.bulletin.test_convert import ARTIFACTS

    store = session_of(county)
    try:
        with store.session() as s:
            row = archive.generate(s, "聊城市", "2024Q4", catalog=CATALOG, on=JUDGED_ON, pdf=True)
            pdf = archive.file_of(row, "pdf")
            s.rollback()
    finally:
        store.close()
    document = pypdfium2.PdfDocument(pdf)
    pages = ["".join(document[i].get_textpage().get_text_range().split()) for i in range(len(document))]
    assert len(pages) >= 3 and all(abs(document[i].get_size()[0] - 595.3) < 1 for i in range(len(pages)))
    text = "".join(pages)
    assert "关于2024年第四季度聊城市行动方案推进情况的通报" in text
    for p in county.judged.values():
        if p.last_value is not None:
            assert f"{p.last_value:g}" in text
    assert "—1—" in pages[0] and "—2—" in pages[1]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "county-2024Q4.pdf").write_bytes(pdf)
    for i, png in enumerate(convert.pdf_pages_png(pdf), 1):
        assert png[:8] == b"\x89PNG\r\n\x1a\n"
        (ARTIFACTS / f"county-2024Q4-page-{i}.png").write_bytes(png)


def test_the_word_file_drawn_in_a_forked_worker_is_the_same(county, monkeypatch):
    """`luoshi bulletin` draws the Word file in a forked process while it draws the rest: the
    document is the same as drawn in one process."""
    import threading

    from luoshi.publish.bulletin.archive import render_all, word_worker

    monkeypatch.setattr(threading, "active_count", lambda: 1)  # as in the command: no other thread
    worker = word_worker()
    assert worker is not None
    store = session_of(county)
    try:
        with store.session() as s:
            apart = render_all(s, "聊城市", "2024Q4", catalog=CATALOG, on=JUDGED_ON, pdf=False, worker=worker)
            alone = render_all(s, "聊城市", "2024Q4", catalog=CATALOG, on=JUDGED_ON, pdf=False)
    finally:
        store.close()
        worker.shutdown()

    def body(data):
        d = docx.Document(io.BytesIO(data))
        return [p.text for p in d.paragraphs], [[c.text for c in r.cells] for t in d.tables for r in t.rows]

    assert body(apart["docx"]) == body(alone["docx"]) and len(body(alone["docx"])[1]) > 10
    monkeypatch.setattr(threading, "active_count", lambda: 2)
    assert word_worker() is None  # never a fork beside other threads
