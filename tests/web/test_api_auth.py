"""Signing in and out over HTTP: token and cookie, lock-out, expiry, errors in Chinese."""
from __future__ import annotations

from tests.web.conftest import PASSWORD


def test_sign_in_gives_a_token_and_a_strict_http_only_cookie(api):
    r = api.client.post("/api/session", json={"username": "coordinator", "password": PASSWORD})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["account"]["role"] == "coordinator" and body["account"]["role_label"] == "调度办"
    cookie = r.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie
    assert api.client.get("/api/me", headers={"Authorization": f"Bearer {body['token']}"}).json()["username"] == "coordinator"
    assert api.client.get("/api/me").status_code == 200  # the cookie alone signs in too


def test_wrong_password_then_lock_out(api):
    for i in range(4):
        r = api.client.post("/api/session", json={"username": "leader", "password": "Wrong-2024"})
        assert r.status_code == 401 and r.json()["message"] == "用户名或密码错误"
        assert f"再错 {4 - i} 次" in r.json()["hint"]
    r = api.client.post("/api/session", json={"username": "leader", "password": "Wrong-2024"})
    assert r.status_code == 423 and "锁定" in r.json()["message"]
    r = api.client.post("/api/session", json={"username": "leader", "password": PASSWORD})
    assert r.status_code == 423  # the count was committed: the right password waits too


def test_sign_out_ends_the_session(api):
    assert api.get("/api/me", "leader").status_code == 200
    r = api.client.delete("/api/session", headers=api.as_("leader"))
    assert r.status_code == 200 and r.json()["signed_out"] is True
    r = api.get("/api/me", "leader")
    assert r.status_code == 401 and r.json()["code"] == "not_signed_in"


def test_no_token_or_a_made_up_one_is_401(api):
    assert api.client.get("/api/tasks").status_code == 401
    r = api.client.get("/api/tasks", headers={"Authorization": "Bearer made-up"})
    assert r.status_code == 401 and "登录" in r.json()["message"] and r.headers["www-authenticate"] == "Bearer"


def test_a_malformed_body_is_a_chinese_422(api):
    r = api.client.post("/api/session", json={"username": "x"})
    assert r.status_code == 422 and r.json()["code"] == "request_invalid" and "password：缺少此项" in r.json()["message"]
    r = api.client.post("/api/session", content=b"{not json", headers={"content-type": "application/json"})
    assert r.status_code == 422


def test_unknown_route_is_a_json_404(api):
    r = api.client.get("/api/nothing-here")
    assert r.status_code == 404 and r.json() == {"code": "http_404", "message": "未找到"}
