"""The web application's guards (等保 A4, D1; ASVS V3, V4, V14): security headers on every answer,
the body limit before a body is read, CSRF for cookie sign-in (luoshi.web.security, .csrf)."""
from __future__ import annotations

from dataclasses import replace

import anyio
import pytest
from fastapi.testclient import TestClient

from luoshi.auth.csrf import SecretInvalid, csrf_token
from luoshi.track.office_settings import setting_history
from luoshi.web.app import create_app
from tests.web.conftest import PASSWORD, web_settings

MB = 1024 * 1024


def assert_secure_headers(r, api_path=True):
    h = r.headers
    csp = h["content-security-policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
    assert h["x-content-type-options"] == "nosniff" and h["referrer-policy"] == "same-origin"
    assert "camera=()" in h["permissions-policy"]
    assert "strict-transport-security" not in h  # plain http: only behind HTTPS (cookie_secure)
    if api_path:
        assert h["cache-control"] == "no-store"


def test_headers_on_answers_and_errors(api):
    r = api.get("/api/units", "coordinator")
    assert r.status_code == 200
    assert_secure_headers(r)
    assert_secure_headers(api.get("/api/nothing-here"))  # 404
    assert_secure_headers(api.get("/api/tasks"))  # 401
    assert_secure_headers(api.get("/api/tasks", "admin"))  # 403
    assert_secure_headers(api.client.get("/"), api_path=False)


def test_headers_on_a_500(api):
    def boom():
        raise RuntimeError("a bug")

    api.client.app.add_api_route("/api/boom", boom)
    with TestClient(api.client.app, raise_server_exceptions=False) as client:
        r = client.get("/api/boom")
    assert r.status_code == 500 and r.json()["code"] == "internal" and "a bug" not in r.text
    assert_secure_headers(r)


def test_hsts_only_behind_https(api):
    with TestClient(create_app(replace(web_settings(api.world.url), cookie_secure=True))) as client:
        assert client.get("/api/me").headers["strict-transport-security"].startswith("max-age=")


def test_the_secret_is_made_once_kept_in_the_store_and_never_shown(api):
    settings = api.client.app.state.settings
    assert len(settings.secret) >= 32 and settings.secret not in repr(settings)
    again = create_app(web_settings(api.world.url))
    assert again.state.settings.secret == settings.secret  # every worker on this database agrees
    again.state.store.close()
    with api.client.app.state.store.session() as s:
        assert all(h.key != "server_secret" for h in setting_history(s))  # `luoshi settings` lists no secret
    given = create_app(replace(web_settings(api.world.url), secret="s" * 40))
    assert given.state.settings.secret == "s" * 40
    given.state.store.close()
    with pytest.raises(SecretInvalid, match="至少 32"):
        create_app(replace(web_settings(api.world.url), secret="short"))


# The body limit, driven as a server would: the body arrives in chunks that are counted as read.

def call(app, method, path, headers, chunks):
    """Status, JSON-ish body and how many chunks the app took from the stream."""
    taken, sent = [], []
    stream = iter(chunks)

    async def receive():
        chunk = next(stream, None)
        if chunk is None:
            return {"type": "http.request", "body": b"", "more_body": False}
        taken.append(len(chunk))
        return {"type": "http.request", "body": chunk, "more_body": True}

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method, "scheme": "http",
             "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "",
             "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
             "client": ("127.0.0.1", 50000), "server": ("testserver", 80)}
    anyio.run(app, scope, receive, send)
    status = next(m["status"] for m in sent if m["type"] == "http.response.start")
    return status, b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body"), len(taken)


@pytest.fixture
def small_app(api):
    return create_app(replace(web_settings(api.world.url), max_upload_bytes=1 * MB))


def test_an_oversized_content_length_is_413_before_any_read(api, small_app):
    headers = api.as_("reporter") | {"content-type": "application/json", "content-length": str(50 * MB)}
    status, body, taken = call(small_app, "POST", "/api/reports", headers, [b"x" * 65536] * 800)
    assert status == 413 and taken == 0
    assert '"code":"upload_too_large"' in body.decode() and "1 MB" in body.decode()
    with TestClient(small_app) as client:
        r = client.post("/api/reports", headers=api.as_("reporter"), content=b"{" + b" " * (2 * MB) + b"}")
    assert r.status_code == 413 and r.json()["message"] == "请求内容超过 1 MB 上限"
    assert_secure_headers(r)


@pytest.mark.parametrize("path, content_type, first", [
    ("/api/reports", "application/json", b'{"period": "2024-03", "lines": ["'),
    ("/api/reports/import", "multipart/form-data; boundary=b0undary",
     b'--b0undary\r\nContent-Disposition: form-data; name="file"; filename="a.xlsx"\r\n\r\n'),
])
def test_a_chunked_body_is_stopped_at_the_limit(api, small_app, path, content_type, first):
    headers = api.as_("reporter") | {"content-type": content_type, "transfer-encoding": "chunked"}
    status, body, taken = call(small_app, "POST", path, headers, [first] + [b"x" * 65536] * 800)  # 50 MB offered
    assert status == 413 and '"code":"upload_too_large"' in body.decode()
    assert taken <= 1 + (MB + 64 * 1024) // 65536 + 1  # read up to the limit and no further


def test_a_body_within_the_limit_passes(api, small_app):
    with TestClient(small_app) as client:
        r = client.post("/api/reports", headers=api.as_("reporter"), json={"period": "2024-03", "lines": []})
    assert r.status_code == 422 and r.json()["code"] != "upload_too_large"


# CSRF: cookie sign-in needs the token on every unsafe request; a bearer token does not.

def sign_in(api, who="coordinator"):
    r = api.client.post("/api/session", json={"username": who, "password": PASSWORD})
    assert r.status_code == 200, r.text
    return r


def test_sign_in_sets_a_readable_csrf_cookie_bound_to_the_session(api):
    r = sign_in(api)
    cookies = [c.lower() for c in r.headers.get_list("set-cookie")]
    csrf = next(c for c in cookies if c.startswith("luoshi_csrf="))
    assert "httponly" not in csrf and "samesite=strict" in csrf
    secret = api.client.app.state.settings.secret
    assert r.json()["csrf_token"] == api.client.cookies["luoshi_csrf"] == csrf_token(secret, r.json()["token"])


def test_a_cookie_post_needs_the_right_header(api):
    sign_in(api)
    r = api.client.post("/api/reports", json={})
    assert r.status_code == 403 and r.json()["code"] == "csrf" and "X-CSRF-Token" in r.json()["message"]
    assert_secure_headers(r)
    token = api.client.cookies["luoshi_csrf"]
    r = api.client.post("/api/reports", json={}, headers={"X-CSRF-Token": token})
    assert r.status_code == 422 and r.json()["code"] == "request_invalid"  # through the guard to the API
    other = csrf_token(api.client.app.state.settings.secret, api.tokens["leader"])
    r = api.client.post("/api/reports", json={}, headers={"X-CSRF-Token": other})  # another session's token
    assert r.status_code == 403 and r.json()["code"] == "csrf"
    r = api.client.patch("/api/projects/X", json={}, headers={"X-CSRF-Token": "0" * 64})
    assert r.status_code == 403


def test_a_bearer_request_needs_no_csrf_header(api):
    sign_in(api)  # a cookie in the jar too: the bearer header decides who it is
    r = api.post("/api/reports", "coordinator", json={})
    assert r.status_code == 422 and r.json()["code"] == "request_invalid"


def test_a_cross_origin_cookie_request_is_refused_even_with_the_token(api):
    sign_in(api)
    token = api.client.cookies["luoshi_csrf"]
    for source in ({"Origin": "http://evil.example"}, {"Referer": "http://evil.example/form.html"},
                   {"Origin": "null"}):
        r = api.client.post("/api/reports", json={}, headers={"X-CSRF-Token": token} | source)
        assert r.status_code == 403 and r.json()["code"] == "csrf" and "跨站" in r.json()["message"], source
    r = api.client.post("/api/reports", json={}, headers={"X-CSRF-Token": token, "Origin": "http://testserver"})
    assert r.status_code == 422
    r = api.client.post("/api/session", json={"username": "leader", "password": PASSWORD},
                        headers={"Origin": "http://evil.example"})
    assert r.status_code == 403  # no signing a victim's browser into another account either


def test_sign_out_by_cookie_needs_the_token_and_clears_both_cookies(api):
    sign_in(api)
    assert api.client.delete("/api/session").status_code == 403
    r = api.client.delete("/api/session", headers={"X-CSRF-Token": api.client.cookies["luoshi_csrf"]})
    assert r.status_code == 200 and r.json()["signed_out"] is True
    cleared = [c.split("=")[0] for c in r.headers.get_list("set-cookie") if "max-age=0" in c.lower()]
    assert sorted(cleared) == ["luoshi_csrf", "luoshi_session"]
    assert api.client.get("/api/me").status_code == 401
