"""`luoshi demo`: the sample plan and its extraction as before, then the demo database built afresh
in --dir, its accounts shown, and the web app served (here caught before it starts)."""
from __future__ import annotations

import json

from sqlalchemy import func, select
from typer.testing import CliRunner

from luoshi import cli
from luoshi.cli import app
from luoshi.demo.accounts import PASSWORD
from luoshi.store import Store
from luoshi.store.dispatch_models import Submission
from luoshi.store.models import Plan

runner = CliRunner()


def test_no_serve_writes_the_plan_and_builds_the_database_afresh(tmp_path, monkeypatch):
    from luoshi.commands import web

    monkeypatch.setattr(web, "run_server", lambda *a, **k: (_ for _ in ()).throw(AssertionError("served")))
    (tmp_path / "luoshi-demo.db").write_bytes(b"an old demo that is not a database")
    r = runner.invoke(app, ["demo", "--dir", str(tmp_path), "--no-serve"])
    assert r.exit_code == 0, r.output
    data = json.loads((tmp_path / "sample_plan.json").read_text(encoding="utf-8"))
    assert data["metadata"]["region"] == "澜州市" and len(data["targets"]) > 40
    for words in (f"密码均为 {PASSWORD}", "admin", "系统管理员", "office", "调度办", "leader", "gxj",
                  "澜州市工业和信息化局", "yg-gxj", "阳谷县工业和信息化局", "luoshi-demo.db"):
        assert words in r.output
    store = Store(f"sqlite:///{tmp_path / 'luoshi-demo.db'}")
    try:
        with store.session() as s:
            assert s.scalar(select(func.count()).select_from(Plan)) == 9
            assert s.scalar(select(func.max(Submission.period))) < cli_today_month()
    finally:
        store.close()


def test_serves_the_demo_database_on_the_host_and_port_given(tmp_path, monkeypatch):
    from luoshi.commands import web

    served = []
    monkeypatch.setattr(cli, "_demo_database", lambda folder: f"sqlite:///{folder}/luoshi-demo.db")
    monkeypatch.setattr(web, "run_server", lambda settings, host, port: served.append((settings.db_url, host, port)))
    r = runner.invoke(app, ["demo", "--dir", str(tmp_path), "--host", "127.0.0.2", "--port", "8123"])
    assert r.exit_code == 0, r.output
    assert served == [(f"sqlite:///{tmp_path}/luoshi-demo.db", "127.0.0.2", 8123)]


def cli_today_month() -> str:
    from luoshi.track.timeliness import today

    t = today()
    return f"{t.year:04d}-{t.month:02d}"
