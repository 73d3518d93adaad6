"""`luoshi account add/disable/passwd` and `luoshi accounts`: passwords from a prompt or stdin,
never an option; weak ones refused with the reason."""
from __future__ import annotations

from sqlalchemy import select
from typer.testing import CliRunner

from luoshi.auth.sessions import open_session
from luoshi.cli import app
from luoshi.store import Store
from luoshi.store.account_models import Account, AccountSession

runner = CliRunner()


def test_add_list_disable(tmp_path):
    db = f"sqlite:///{tmp_path}/l.db"
    r = runner.invoke(app, ["account", "add", "office", "--role", "coordinator", "--password-stdin", "--db", db],
                      input="Lanzhou-2024\n")
    assert r.exit_code == 0 and "已添加账号 office（调度办）" in r.output
    r = runner.invoke(app, ["account", "add", "weak", "--role", "leader", "--password-stdin", "--db", db], input="1234\n")
    assert r.exit_code == 2 and "至少 8" in r.output
    r = runner.invoke(app, ["account", "add", "rep", "--role", "reporter", "--unit", "没有这个单位", "--password-stdin",
                            "--db", db], input="Lanzhou-2024\n")
    assert r.exit_code != 0 and "没有这个单位" in r.output
    r = runner.invoke(app, ["accounts", "--db", db, "--format", "json"])
    assert '"username": "office"' in r.output and "weak" not in r.output
    store = Store(db)
    with store.session() as s:
        token = open_session(s, s.scalar(select(Account)))
        s.commit()
    r = runner.invoke(app, ["account", "disable", "office", "--db", db])
    assert r.exit_code == 0 and "已停用" in r.output
    with store.session() as s:
        assert s.scalar(select(Account.active)) is False
        assert s.scalar(select(AccountSession.ended_at)) is not None and token
    store.close()
    assert runner.invoke(app, ["account", "disable", "nobody", "--db", db]).exit_code == 2


def test_the_prompt_asks_twice(tmp_path):
    db = f"sqlite:///{tmp_path}/l.db"
    r = runner.invoke(app, ["account", "add", "office", "--role", "coordinator", "--db", db],
                      input="Lanzhou-2024\nLanzhou-2025\n")
    assert r.exit_code != 0 and "不一致" in r.output
