"""The second factor for administrators (等保 A3): TOTP after the password for admin and auditor,
bound on the server only; pending sessions refused everywhere; codes not reusable; wrong codes
count towards the lock. The library, the CLI, the API and the sign-in page. Both backends."""
from __future__ import annotations

import re
from datetime import timedelta

import pyotp
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from typer.testing import CliRunner

from luoshi.auth.accounts import AccountLocked, create_account, now_utc
from luoshi.auth.sessions import open_session, session_account
from luoshi.auth.totp import SecondFactorFailed, SecondFactorRequired, code_now, enroll, verify
from luoshi.cli import app as cli
from luoshi.settings import Settings, WebSettings
from luoshi.store import Store
from luoshi.store.account_models import Account, AccountSession
from luoshi.store.audit_models import AuditEntry
from luoshi.web.app import create_app

PASSWORD = "Lanzhou-2024"


@pytest.fixture
def s(db_url):
    store = Store(db_url)
    with store.session() as session:
        yield session
    store.close()


def admin(s, role="admin", name="root"):
    a = create_account(s, username=name, password=PASSWORD, role=role)
    secret = enroll(a)
    s.commit()
    return a, secret


def test_a_pending_session_is_refused_until_the_code(s):
    a, secret = admin(s)
    token = open_session(s, a)
    s.commit()
    with pytest.raises(SecondFactorRequired):
        session_account(s, token)
    _, row = session_account(s, token, pending=True)
    verify(row, a, code_now(secret))
    s.commit()
    assert session_account(s, token)[0].id == a.id


def test_other_roles_need_no_second_factor(s):
    a = create_account(s, username="office", password=PASSWORD, role="coordinator")
    token = open_session(s, a)
    s.commit()
    assert session_account(s, token)[0].id == a.id


def test_a_code_is_accepted_once_and_drift_is_one_step(s):
    a, secret = admin(s)
    now = now_utc()
    rows = []
    for _ in range(3):
        open_session(s, a)
    s.commit()
    rows = list(s.scalars(select(AccountSession)))
    verify(rows[0], a, code_now(secret, now), now=now)
    with pytest.raises(SecondFactorFailed):  # the same code again (a replay)
        verify(rows[1], a, code_now(secret, now), now=now)
    later = now + timedelta(seconds=30)
    verify(rows[1], a, code_now(secret, later) , now=later)
    with pytest.raises(SecondFactorFailed):  # two steps old
        verify(rows[2], a, code_now(secret, later - timedelta(seconds=60)), now=later + timedelta(seconds=1))
    assert rows[0].second_factor and rows[1].second_factor and not rows[2].second_factor


def test_wrong_codes_lock_the_account_like_wrong_passwords(s):
    a, secret = admin(s)
    open_session(s, a)
    s.commit()
    row = s.scalar(select(AccountSession))
    good = code_now(secret)
    wrong = f"{(int(good) + 1) % 1_000_000:06d}"
    for _ in range(4):
        with pytest.raises(SecondFactorFailed):
            verify(row, a, wrong)
    with pytest.raises(AccountLocked):
        verify(row, a, wrong)
    with pytest.raises(AccountLocked):  # even the right code, while locked
        verify(row, a, good)
    assert not row.second_factor and a.locked_until is not None


def test_an_unbound_administrator_is_told_to_bind_on_the_server(s):
    a = create_account(s, username="root", password=PASSWORD, role="admin")
    open_session(s, a)
    s.commit()
    with pytest.raises(SecondFactorFailed, match="luoshi account totp root"):
        verify(s.scalar(select(AccountSession)), a, "123456")


def test_cli_binds_a_secret_that_then_verifies(tmp_path):
    db = f"sqlite:///{tmp_path}/t.db"
    runner = CliRunner()
    r = runner.invoke(cli, ["account", "add", "root", "--role", "admin", "--password-stdin", "--db", db],
                      input=PASSWORD + "\n")
    first = re.search(r"密钥（只显示这一次，请在身份验证器中添加）：([A-Z2-7]+)", r.output).group(1)
    assert r.exit_code == 0 and "otpauth://totp/" in r.output
    r = runner.invoke(cli, ["account", "totp", "root", "--db", db])
    second = re.search(r"：([A-Z2-7]{32})", r.output).group(1)
    assert r.exit_code == 0 and second != first
    store = Store(db)
    with store.session() as s:
        a = s.scalar(select(Account))
        assert a.totp_secret == second
        assert s.scalar(select(AuditEntry.action).where(AuditEntry.action == "second_factor_bound"))
    store.close()
    assert runner.invoke(cli, ["account", "totp", "nobody", "--db", db]).exit_code == 2
    r = runner.invoke(cli, ["account", "add", "office", "--role", "coordinator", "--password-stdin", "--db", db],
                      input=PASSWORD + "\n")
    assert "动态口令" not in r.output


@pytest.fixture
def web(db_url):
    store = Store(db_url)
    with store.session() as s:
        _, secret = admin(s, role="auditor", name="audit")
    store.close()
    with TestClient(create_app(WebSettings(Settings(db_url=db_url)))) as c:
        yield c, secret


def test_api_signs_in_in_two_steps(web):
    c, secret = web
    r = c.post("/api/session", json={"username": "audit", "password": PASSWORD})
    assert r.status_code == 200 and r.json()["second_factor_required"] is True
    bearer = {"Authorization": f"Bearer {r.json()['token']}"}
    r = c.get("/api/audit", headers=bearer)
    assert r.status_code == 401 and r.json()["code"] == "second_factor_required"
    r = c.post("/api/session/totp", json={"code": "000000" if code_now(secret) != "000000" else "111111"},
               headers=bearer)
    assert r.status_code == 401 and r.json()["code"] == "second_factor_failed"
    assert c.post("/api/session/totp", json={"code": code_now(secret)}, headers=bearer).status_code == 200
    r = c.get("/api/audit", headers=bearer)
    assert r.status_code == 200
    actions = [(e["action"], e["result"]) for e in r.json()["rows"]]
    assert ("login_second_factor", "ok") in actions and ("login_second_factor", "failed") in actions


def test_sign_in_page_asks_for_the_code_then_lands_home(web):
    c, secret = web
    r = c.post("/login", data={"username": "audit", "password": PASSWORD}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/login/totp"
    r = c.get("/?x=1", follow_redirects=False)  # any page: back to the code
    assert r.status_code == 303 and r.headers["location"] == "/login/totp?next=%2F%3Fx%3D1"
    form = c.get("/login/totp")
    assert form.status_code == 200 and 'name="code"' in form.text
    csrf = {"X-CSRF-Token": c.cookies.get("luoshi_csrf")}
    r = c.post("/login/totp", data={"code": "12345"}, headers=csrf)
    assert r.status_code == 401 and "动态口令错误" in r.text
    r = c.post("/login/totp", data={"code": code_now(secret)}, headers=csrf, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/audit"
    assert c.get("/api/me").json()["role"] == "auditor"


def test_pyotp_agrees_with_an_authenticator_app(s):
    # The provisioning address is what an app scans; its code must be the one verify accepts.
    from luoshi.auth.totp import provisioning_uri

    a, secret = admin(s)
    uri = provisioning_uri(a, secret)
    assert uri.startswith("otpauth://totp/") and f"secret={secret}" in uri
    assert pyotp.parse_uri(uri).now() == code_now(secret)
