"""The audit log from the command line: account, setting and report commands leave rows (user
cli:<OS user>, no address), failures too; `luoshi audit` lists them, `audit verify` exits 1 at the
first changed row, `audit purge` refuses under 180 days. Both backends."""
from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from luoshi.auth.audit import cli_user
from luoshi.cli import app
from luoshi.store import Store
from luoshi.track.timeliness import today
from tests.auth.test_audit import tamper
from tests.track.report_data import LEAD, build

runner = CliRunner()


@pytest.fixture
def world(db_url):
    return build(db_url, year=today().year)


def run(world, *args, input=None):
    return runner.invoke(app, [*map(str, args), "--db", world.url], input=input, env={"COLUMNS": "200"})


def logged(world, *args) -> list[dict]:
    r = run(world, "audit", *args, "--format", "json")
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)


def test_accounts_settings_and_reports_leave_rows(world, tmp_path):
    assert run(world, "account", "add", "gxj", "--role", "reporter", "--unit", "市工信局", "--password-stdin",
               input="Lanzhou-2024\n").exit_code == 0
    assert run(world, "account", "add", "weak", "--role", "leader", "--password-stdin", input="1234\n").exit_code == 2
    assert run(world, "account", "disable", "gxj").exit_code == 0
    assert run(world, "account", "passwd", "gxj", "--password-stdin", input="Another-2025\n").exit_code == 0
    assert run(world, "settings", "set", "due_day", "5", "--by", "王五").exit_code == 0
    assert run(world, "settings", "set", "due_day", "99").exit_code == 2
    report = tmp_path / "月报.json"
    report.write_text(json.dumps([{"target_id": world.stock, "当月": 1, "累计": 6001, "滞后原因": "选址受阻",
                                   "下步措施": "协调共享站址"}]), encoding="utf-8")
    assert run(world, "report", "submit", "市工信局", world.period(today().month), report).exit_code == 0
    rows = logged(world)
    assert all(r["username"] == cli_user() and r["address"] is None and r["at"] for r in rows)
    got = [(r["action"], r["object"], r["result"]) for r in reversed(rows)]
    assert got == [("account_created", "account:gxj", "ok"), ("account_created", "account:weak", "failed"),
                   ("account_disabled", "account:gxj", "ok"), ("password_changed", "account:gxj", "ok"),
                   ("setting_changed", "setting:due_day", "ok"), ("setting_changed", "setting:due_day", "failed"),
                   ("report_submitted", f"report:{LEAD}/{world.period(today().month)} v1", "ok")]
    assert rows[1]["detail"].startswith("setting_invalid：") and "王五" in rows[2]["detail"]
    assert [r["action"] for r in logged(world, "--action", "setting_changed")] == ["setting_changed"] * 2


def test_verify_and_purge(world):
    run(world, "settings", "set", "due_day", "5")
    r = run(world, "audit", "verify")
    assert r.exit_code == 0 and "共 1 条" in r.stdout and "哈希" in r.stdout
    r = run(world, "audit", "purge", "--older-than", "179")
    assert r.exit_code == 2 and "至少保存 180 天" in r.stderr
    r = run(world, "audit", "purge", "--older-than", "180")
    assert r.exit_code == 0 and "已清除 0 条" in r.stdout
    assert [(x["action"], x["result"]) for x in logged(world, "--action", "audit_purged")] == [
        ("audit_purged", "ok"), ("audit_purged", "denied")]
    store = Store(world.url)
    with store.session() as s:
        tamper(s, "UPDATE audit_log SET detail = '设为 10' WHERE id = 1")
    store.close()
    r = run(world, "audit", "verify")
    assert r.exit_code == 1 and "第 1 条" in r.stderr
    r = run(world, "audit", "--since", "2000-01-01", "--until", "2000-01-31")
    assert r.exit_code == 0 and "0 条" in r.stdout


def test_projects_and_milestones_from_the_command_line_leave_rows(world):
    assert run(world, "project", "add", "澜州市智算中心一期", "--unit", "市工信局", "--planned", "1200").exit_code == 0
    assert run(world, "project", "change", "XM-0001", "--completed", "300").exit_code == 0
    assert run(world, "project", "retire", "XM-0001").exit_code == 2  # no reason: refused, and recorded
    assert run(world, "milestone", "add", "1", "--title", "建成平台", "--due", "2030-12-31").exit_code == 0
    got = [(r["action"], r["object"], r["result"]) for r in reversed(logged(world))]
    assert got == [("project_added", "project:XM-0001 v1", "ok"), ("project_changed", "project:XM-0001 v2", "ok"),
                   ("project_retired", "project:XM-0001", "failed"), ("milestone_added", "milestone:1 task:1", "ok")]


def test_a_csv_of_the_log_carries_no_formula(world):
    from luoshi.auth import audit

    store = Store(world.url)
    with store.session() as s:
        audit.record(s, action="login_failed", result="failed", username="=HYPERLINK(\"http://x\")", address="10.0.0.9")
        s.commit()
    store.close()
    r = run(world, "audit", "--format", "csv")
    assert r.exit_code == 0 and "'=HYPERLINK" in r.stdout and "10.0.0.9" in r.stdout
