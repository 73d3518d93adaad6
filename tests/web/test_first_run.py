"""The first `luoshi serve` (等保 B1): with no account it asks for the administrator on a terminal,
and without one it refuses to start. uvicorn is never started here."""
from __future__ import annotations

import pytest
import uvicorn
from sqlalchemy import select
from typer.testing import CliRunner

from luoshi.cli import app
from luoshi.commands import first_run
from luoshi.store import Store
from luoshi.store.account_models import Account
from luoshi.store.audit_models import AuditEntry

runner = CliRunner()


@pytest.fixture
def served(monkeypatch):
    started = []
    monkeypatch.setattr(uvicorn, "run", lambda *a, **kw: started.append(kw))
    return started


def accounts(db):
    store = Store(db)
    with store.session() as s:
        found = [(a.username, a.role) for a in s.scalars(select(Account))]
    store.close()
    return found


def test_no_account_and_no_terminal_refuses_to_start(tmp_path, served):
    db = f"sqlite:///{tmp_path}/l.db"
    r = runner.invoke(app, ["serve", "--db", db])
    assert r.exit_code == 2 and not served
    assert "尚无任何账号" in r.output and "luoshi account add <用户名> --role admin" in r.output


def test_on_a_terminal_it_asks_for_the_administrator(tmp_path, served, monkeypatch):
    monkeypatch.setattr(first_run, "interactive", lambda: True)
    db = f"sqlite:///{tmp_path}/l.db"
    typed = "root\n1234\n1234\n" "root\nLanzhou-2024\nLanzhou-2025\n" "root\nLanzhou-2024\nLanzhou-2024\n"
    r = runner.invoke(app, ["serve", "--db", db, "--port", "8123"], input=typed)
    assert r.exit_code == 0, r.output
    assert "至少 8" in r.output and "不一致" in r.output and "已添加系统管理员 root" in r.output
    assert accounts(db) == [("root", "admin")]
    store = Store(db)
    with store.session() as s:  # the administrator's creation is in the audit log
        assert [(e.action, e.object, e.result) for e in s.scalars(select(AuditEntry))] == [
            ("account_created", "account:root", "ok")]
    store.close()
    assert served == [{"host": "127.0.0.1", "port": 8123, "log_level": "warning"}]
    served.clear()
    assert runner.invoke(app, ["serve", "--db", db]).exit_code == 0 and served  # asked once only


def test_account_add_then_serve(tmp_path, served):
    db = f"sqlite:///{tmp_path}/l.db"
    r = runner.invoke(app, ["account", "add", "office", "--role", "admin", "--password-stdin", "--db", db],
                      input="Lanzhou-2024\n")
    assert r.exit_code == 0
    assert runner.invoke(app, ["serve", "--db", db]).exit_code == 0 and served
