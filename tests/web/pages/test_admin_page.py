"""账号管理 (/admin/accounts), the system administrator's alone: accounts with their state, adding
one (the password rule's message on failure), disabling and enabling, resetting a password; each
change an audit row as `luoshi account` leaves it. An account made here signs in at /login."""
from __future__ import annotations

import re
from datetime import datetime, timezone

from fastapi.testclient import TestClient
from sqlalchemy import select

from luoshi.auth.accounts import find_account
from luoshi.store.account_models import Account
from luoshi.store.audit_models import AuditEntry
from tests.web.conftest import PASSWORD
from tests.web.pages.test_report_form import opened

NEW_PASSWORD = "Lanjiang#2026"


def account(site, username: str) -> Account | None:
    with opened(site) as s:
        a = find_account(s, username)
        if a is not None:
            s.expunge(a)
        return a


def trail(site, action: str) -> list[tuple]:
    with opened(site) as s:
        return [(e.username, e.role, e.object, e.result, e.detail) for e in
                s.scalars(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id))]


def admin_post(site, path: str, data: dict, who: str = "admin"):
    return site.browser(who).post(path, data=data, headers=site.csrf(who), follow_redirects=False)


def sign_in(site, username: str, password: str):
    with TestClient(site.app, base_url="http://testserver") as c:
        r = c.post("/login", data={"username": username, "password": password}, follow_redirects=False)
        page = c.get(r.headers["location"]).text if r.status_code == 303 else r.text
        return r, page


def test_only_the_administrator_manages_accounts(site):
    for who, status in {"admin": 200, "auditor": 403, "coordinator": 403, "leader": 403, "reporter": 403}.items():
        assert site.browser(who).get("/admin/accounts").status_code == status, who
    r = site.browser(None).get("/admin/accounts", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/login?next=%2Fadmin%2Faccounts"
    r = admin_post(site, "/admin/accounts", {"username": "sneaky", "role": "coordinator", "password": NEW_PASSWORD},
                   who="coordinator")
    assert r.status_code == 403 and account(site, "sneaky") is None
    assert trail(site, "account_created")[-1][:4] == ("coordinator", "coordinator", "account:sneaky", "denied")
    r = site.browser("admin").post("/admin/accounts", data={"username": "nocsrf", "role": "leader",
                                                           "password": NEW_PASSWORD})
    assert r.status_code == 403 and account(site, "nocsrf") is None


def test_the_list_shows_each_account(site):
    page = site.browser("admin").get("/admin/accounts").text
    row = re.search(r'<tr id="account-\d+">\s*<td>reporter</td>.*?</tr>', page, re.S).group(0)
    assert "单位填报员" in row and "澜州市工业和信息化局" in row and "启用" in row
    assert re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d", row)  # last sign-in (the fixture's session)
    assert page.count('<tr id="account-') == 6
    with opened(site) as s:  # five wrong passwords lock an account for 15 minutes
        until = datetime(2100, 1, 1, 4, 30, tzinfo=timezone.utc)
        find_account(s, "leader").locked_until = until
        s.commit()
    page = site.browser("admin").get("/admin/accounts").text
    row = re.search(r'<tr id="account-\d+">\s*<td>leader</td>.*?</tr>', page, re.S).group(0)
    assert "2100-01-01 12:30" in row  # Beijing time


def test_a_weak_password_is_refused_with_the_rules_message(site):
    r = admin_post(site, "/admin/accounts", {"username": "gxj2", "display_name": "张三", "role": "reporter",
                                             "unit": str(site.lead), "password": "short"})
    assert r.status_code == 422
    assert "密码至少 8 个字符" in r.text and "至少 3 类" in r.text
    assert 'value="gxj2"' in r.text and 'value="张三"' in r.text  # kept; the password is not
    assert account(site, "gxj2") is None
    r = admin_post(site, "/admin/accounts", {"username": "gxj3", "role": "reporter", "password": NEW_PASSWORD})
    assert r.status_code == 422 and "单位填报员须指定所属单位" in r.text
    r = admin_post(site, "/admin/accounts", {"username": "aud2", "role": "auditor", "password": NEW_PASSWORD})
    assert r.status_code == 422 and "luoshi account add" in r.text and account(site, "aud2") is None
    assert [x[3] for x in trail(site, "account_created")] == ["failed", "failed", "failed"]


def test_a_reporter_made_here_signs_in_to_its_unit(site):
    r = admin_post(site, "/admin/accounts", {"username": "gxj2", "display_name": "张三", "role": "reporter",
                                             "unit": str(site.lead), "password": NEW_PASSWORD})
    assert r.status_code == 303 and r.headers["location"] == "/admin/accounts?done=created"
    made = account(site, "gxj2")
    assert (made.role, made.unit_id, made.display_name, made.active) == ("reporter", site.lead, "张三", True)
    assert trail(site, "account_created") == [("admin", "admin", "account:gxj2", "ok",
                                               "角色 reporter，单位 澜州市工业和信息化局")]
    r, page = sign_in(site, "gxj2", NEW_PASSWORD)
    assert r.status_code == 303 and r.headers["location"] == "/inbox"
    assert '<h1 class="inbox-title">澜州市工业和信息化局</h1>' in page and "张三" in page


def test_disable_enable_and_reset_a_password(site):
    leader = account(site, "leader")
    assert site.browser("leader").get("/inbox?unit=1").status_code == 200
    r = admin_post(site, f"/admin/accounts/{leader.id}/active", {"active": "false"})
    assert r.status_code == 303 and account(site, "leader").active is False
    assert site.browser("leader").get("/inbox", follow_redirects=False).status_code == 303  # its session ended
    assert sign_in(site, "leader", PASSWORD)[0].status_code == 401
    assert "已停用" in site.browser("admin").get("/admin/accounts?done=disabled").text
    admin_post(site, f"/admin/accounts/{leader.id}/active", {"active": "true"})
    assert account(site, "leader").active is True
    r = admin_post(site, f"/admin/accounts/{leader.id}/password", {"password": "leader-Pass1"})
    assert r.status_code == 422 and "密码不能包含用户名" in r.text
    r = admin_post(site, f"/admin/accounts/{leader.id}/password", {"password": NEW_PASSWORD})
    assert r.status_code == 303
    assert sign_in(site, "leader", PASSWORD)[0].status_code == 401
    assert sign_in(site, "leader", NEW_PASSWORD)[0].status_code == 303
    assert [x[2:4] for x in trail(site, "account_disabled")] == [("account:leader", "ok")]
    assert [x[2:4] for x in trail(site, "account_enabled")] == [("account:leader", "ok")]
    assert [x[2:5] for x in trail(site, "password_changed")] == [
        ("account:leader", "failed", "account_invalid：密码不能包含用户名"), ("account:leader", "ok", "由管理员重设")]


def test_the_administrator_cannot_disable_itself(site):
    me = account(site, "admin")
    r = admin_post(site, f"/admin/accounts/{me.id}/active", {"active": "false"})
    assert r.status_code == 403 and account(site, "admin").active is True
    assert admin_post(site, "/admin/accounts/999999/active", {"active": "false"}).status_code == 404
