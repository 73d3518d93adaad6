"""`POST /api/me/password`: any signed-in role changes its own password; the old one is checked
as a sign-in is (failures count towards the lock), the new one by the rule; other sessions end."""
from __future__ import annotations

import pytest

from tests.web.conftest import PASSWORD

NEW = "Lanzhou-2025!"


def change(api, who, old, new):
    return api.post("/api/me/password", who, json={"old_password": old, "new_password": new})


def test_a_wrong_old_password_is_refused_and_counted(api):
    r = change(api, "leader", "Wrong-2024", NEW)
    assert r.status_code == 422 and r.json()["code"] == "wrong_password" and r.json()["message"] == "原密码错误"
    assert "再错 4 次" in r.json()["hint"]
    for _ in range(4):
        r = change(api, "leader", "Wrong-2024", NEW)
    assert r.status_code == 423  # a borrowed session cannot guess the password either
    assert api.get("/api/me", "leader").status_code == 200  # the session itself goes on


@pytest.mark.parametrize("new, words", [("12345678", "至少 3 类"), ("short", "至少 8"), ("leader-Pass-1", "用户名"),
                                        (PASSWORD, "相同")])
def test_a_weak_or_unchanged_new_password_is_422(api, new, words):
    r = change(api, "leader", PASSWORD, new)
    assert r.status_code == 422 and r.json()["code"] == "account_invalid" and words in r.json()["message"]
    assert api.client.post("/api/session", json={"username": "leader", "password": PASSWORD}).status_code == 200


def test_a_change_ends_the_other_sessions_and_keeps_this_one(api):
    other = api.client.post("/api/session", json={"username": "auditor", "password": PASSWORD}).json()["token"]
    api.client.cookies.clear()
    r = change(api, "auditor", PASSWORD, NEW)  # every role, the auditor and the administrator too
    assert r.status_code == 200 and r.json()["changed"] is True
    assert api.get("/api/me", "auditor").status_code == 200
    r = api.client.get("/api/me", headers={"Authorization": f"Bearer {other}"})
    assert r.status_code == 401
    assert api.client.post("/api/session", json={"username": "auditor", "password": PASSWORD}).status_code == 401
    assert api.client.post("/api/session", json={"username": "auditor", "password": NEW}).status_code == 200
    assert change(api, "admin", PASSWORD, NEW).status_code == 200


def test_not_signed_in_is_401(api):
    assert change(api, None, PASSWORD, NEW).status_code == 401
