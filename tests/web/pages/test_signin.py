"""Signing in and out through the pages; a page without a session sends the browser to /login."""
from __future__ import annotations

from tests.web.conftest import PASSWORD


def test_login_page_signs_in_and_lands_on_the_roles_home(site):
    c = site.browser(None)
    r = c.post("/login", data={"username": "reporter", "password": PASSWORD}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/inbox"
    assert c.cookies.get("luoshi_session") and c.cookies.get("luoshi_csrf")
    r = site.browser(None).get("/", follow_redirects=False)
    assert r.headers["location"] == "/inbox"


def test_wrong_password_shows_the_reason_on_the_form(site):
    r = site.browser(None).post("/login", data={"username": "reporter", "password": "wrong"})
    assert r.status_code == 401
    assert "用户名或密码错误" in r.text and "再错 4 次将锁定 15 分钟" in r.text and 'value="reporter"' in r.text
    assert not site.browser(None).cookies.get("luoshi_session")


def test_next_returns_to_the_page_asked_for_but_never_off_site(site):
    for target, expected in (("/plans", "/plans"), ("//evil.example/x", "/dashboard"),
                             ("https://evil.example/", "/dashboard")):
        c = site.browser(None)
        c.cookies.clear()
        r = c.post("/login", data={"username": "leader", "password": PASSWORD, "next": target},
                   follow_redirects=False)
        assert r.headers["location"] == expected


def test_a_page_without_a_session_redirects_to_login_with_next(site):
    r = site.browser(None).get("/dashboard?region=x", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/login?next=%2Fdashboard%3Fregion%3Dx"
    r = site.browser(None).get("/dashboard", headers={"HX-Request": "true"}, follow_redirects=False)
    assert r.headers["HX-Redirect"].startswith("/login?next=")


def test_logout_needs_the_csrf_token_and_ends_the_session(site):
    c = site.browser("leader")
    assert c.post("/logout", follow_redirects=False).status_code == 403
    r = c.post("/logout", headers=site.csrf("leader"), follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/login"
    assert c.get("/api/me").status_code == 401


def test_menu_follows_the_role(site):
    page = site.browser("reporter").get("/login", follow_redirects=True)  # already signed in: home
    assert 'href="/inbox"' in page.text and 'href="/audit"' not in page.text
    audit = site.browser("auditor").get("/login", follow_redirects=True)
    assert 'href="/audit"' in audit.text and 'href="/plans"' not in audit.text
    office = site.browser("coordinator").get("/dashboard")
    assert all(f'href="{p}"' in office.text for p in ("/dashboard", "/inbox", "/plans", "/indicators", "/reporting"))
