"""Ingesting plan files into the store, on SQLite and PostgreSQL (`db_url`): duplicates stored
once, revisions as versions that `luoshi diff` compares, broken files reported without stopping
the batch, the folder walk and the CLI. Crashes and kills: test_ingest_crash.py."""
from __future__ import annotations

import json
import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from luoshi.cli import app
from luoshi.store import Store
from luoshi.store.diff import diff_targets, pair_targets
from luoshi.store.ingest import find_files, ingest
from luoshi.store.models import AssignmentRow, Plan, PlanVersion, SectionRow, TargetRow
from tests import formats
from tests.store.generate import generate, revise, variant

runner = CliRunner()


@pytest.fixture
def inbox(tmp_path) -> Path:
    """Where a test puts its plan files: beside, not around, the SQLite database in tmp_path."""
    return tmp_path / "in"


@pytest.fixture
def store(db_url):
    s = Store(db_url)
    yield s
    s.close()


def counts(url_or_store) -> tuple[int, int]:
    """(plans, plan versions) stored."""
    engine = url_or_store.engine if isinstance(url_or_store, Store) else sa.create_engine(url_or_store)
    try:
        with engine.connect() as c:
            return (c.scalar(sa.select(sa.func.count()).select_from(Plan)),
                    c.scalar(sa.select(sa.func.count()).select_from(PlanVersion)))
    finally:
        if engine is not getattr(url_or_store, "engine", None):
            engine.dispose()


def assert_whole(engine) -> None:
    """Every stored version has exactly the rows its counts say: nothing was half-stored."""
    with engine.connect() as c:
        for table, column in ((SectionRow, "section_count"), (TargetRow, "target_count"),
                              (AssignmentRow, "assignment_count")):
            n = sa.select(sa.func.count()).select_from(table).where(table.version_id == PlanVersion.id)
            bad = c.execute(sa.select(PlanVersion.id).where(getattr(PlanVersion, column) != n.scalar_subquery())).all()
            assert not bad, f"versions with missing {table.__tablename__}: {bad}"


def test_same_file_twice_stores_one_plan(store, inbox):
    [f] = generate(inbox / "a", 1)
    copy = inbox / "b" / "copy.txt"
    copy.parent.mkdir()
    shutil.copy(f, copy)
    first = ingest(store, [f, copy], workers=2)
    assert (first.new, first.duplicates, first.failures) == (1, 1, [])
    assert "本批" in first.outcomes[1].reason
    again = ingest(store, [inbox], workers=2)
    assert (again.new, again.versions, again.duplicates) == (0, 0, 2)
    assert {o.plan_id for o in again.outcomes} == {first.outcomes[0].plan_id}
    assert counts(store) == (1, 1)


def test_revision_becomes_version_2_and_diff_shows_changed_targets(store, inbox):
    inbox.mkdir()
    (inbox / "v1.txt").write_text(variant(4), encoding="utf-8")
    text, changed = revise(variant(4), k=3)
    (inbox / "v2.txt").write_text(text, encoding="utf-8")
    report = ingest(store, [inbox], workers=2)
    assert [(o.status, o.version) for o in report.outcomes] == [("new", 1), ("version", 2)]
    assert counts(store) == (1, 2)
    plan_id = report.outcomes[1].plan_id

    r = runner.invoke(app, ["diff", str(plan_id), "--db", store.url, "--format", "json"])
    assert r.exit_code == 0, r.output
    rows = json.loads(r.stdout)
    assert [(x["change"], x["indicator"], x["fields"]) for x in rows] == [("changed", i, ["value"]) for i in changed]
    assert all(1.3 <= x["new"]["value"] / x["old"]["value"] <= 1.7 for x in rows)

    r = runner.invoke(app, ["diff", str(plan_id), "--db", store.url, "--from", "2", "--to", "1"])
    assert r.exit_code == 0, r.output
    assert "修改" in r.stdout and changed[0] in r.stdout and "第 2 版 → 第 1 版" in r.stdout


def test_broken_files_are_reported_and_the_rest_stored(store, inbox):
    good = generate(inbox, 3)
    (inbox / "truncated.docx").write_bytes(formats.truncated_docx())
    (inbox / "empty.txt").write_bytes(b"")
    (inbox / "notes.txt").write_text("会议纪要：下周二讨论预算安排。", encoding="utf-8")
    report = ingest(store, [inbox, inbox / "missing.pdf"], workers=2)
    assert report.new == 3 and report.files == 7
    failed = {Path(o.path).name: o.reason for o in report.failures}
    assert set(failed) == {"truncated.docx", "empty.txt", "missing.pdf"}
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in why) for why in failed.values()), failed
    assert [Path(o.path).name for o in report.skipped] == ["notes.txt"]
    assert "不是一份行动方案" in report.skipped[0].reason
    assert counts(store) == (3, 3)
    assert {Path(o.path) for o in report.outcomes if o.status == "new"} == set(good)
    assert report.elapsed > 0 and report.files_per_second > 0
    assert_whole(store.engine)


def test_folder_walk_skips_hidden_files_and_folders(tmp_path):
    for name in ("b/2.txt", "a/1.docx", "a/.hidden.txt", ".git/x.txt", "a/~$lock.docx", "top.pdf", "a/c/3.html"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(b"x")
    found = [p.relative_to(tmp_path).as_posix() for p in find_files([tmp_path, tmp_path / "top.pdf"])]
    assert found == ["top.pdf", "a/1.docx", "a/c/3.html", "b/2.txt"]
    assert find_files([tmp_path / "a" / ".hidden.txt"]) == [tmp_path / "a" / ".hidden.txt"]  # named: kept


def test_cli_ingest_summary_and_exit_codes(db_url, inbox):
    generate(inbox, 3)
    r = runner.invoke(app, ["ingest", str(inbox), "--db", db_url, "--workers", "2"])
    assert r.exit_code == 0, r.output
    assert "导入结果" in r.stdout and "新方案" in r.stdout and "每秒" in r.stdout
    engine = sa.create_engine(db_url)
    with engine.connect() as c:  # the CLI links targets to the indicator catalog as it stores them
        linked = c.scalar(sa.select(sa.func.count()).where(TargetRow.link_status.in_(["exact", "fuzzy"])))
    engine.dispose()
    assert linked > 0
    (inbox / "broken.docx").write_bytes(formats.truncated_docx())
    r = runner.invoke(app, ["ingest", str(inbox), "--db", db_url], env={"COLUMNS": "200"})
    assert r.exit_code == 2, r.output
    assert "broken.docx" in r.stdout and "错误：1 个文件导入失败" in r.stderr
    assert counts(db_url) == (3, 3)
    r = runner.invoke(app, ["diff", "1", "--db", db_url])
    assert r.exit_code == 2 and "没有版本可比较" in r.stderr
    r = runner.invoke(app, ["ingest", str(inbox / "nothing-here"), "--db", db_url, "--workers", "1"])
    assert r.exit_code == 2 and "找不到文件" in r.stdout


def test_diff_pairs_by_indicator_year_unit_then_indicator_then_position():
    def t(pos, indicator, value, year=2025, unit="个", comparator=">="):
        return SimpleNamespace(position=pos, indicator=indicator, value=value, value_max=None, unit=unit,
                               year=year, comparator=comparator, kind="goal")

    old = [t(0, "5G基站", 1000), t(1, "数据中心", 5, 2024), t(2, "光纤端口", 20), t(3, "路灯", 9)]
    new = [t(0, "5G基站", 1000), t(1, "数据中心", 5, 2025), t(2, "千兆光纤端口", 30, comparator=">"),
           t(3, "充电桩", 7, unit="台")]
    d = diff_targets(old, new)
    assert d.unchanged == 1
    got = [(c.change, (c.old or c.new).indicator, c.fields) for c in d.changes]
    assert got == [("changed", "数据中心", ["year"]), ("changed", "光纤端口", ["indicator", "comparator", "value"]),
                   ("changed", "路灯", ["indicator", "value", "unit"])]
    assert [(a and a.indicator, b and b.indicator) for a, b in pair_targets(old[:1], new[1:2])] == [
        (None, "数据中心"), ("5G基站", None)]
