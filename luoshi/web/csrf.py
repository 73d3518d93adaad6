"""Cross-site request forgery: a browser sends the session cookie with any request, also one a
page elsewhere makes it send. So a state-changing request (POST, PUT, PATCH, DELETE) that signs
in by cookie must also carry header `X-CSRF-Token` equal to the `luoshi_csrf` cookie set at
sign-in: HMAC(server secret, session token), which only a page of this origin can read, and which
fits this session only (luoshi.auth.csrf). A second line: its Origin (else Referer), where sent,
must be this host. Requests with `Authorization: Bearer` carry no ambient credential and are let
through; signing in has no session yet (it is still checked for its origin, against login CSRF)."""
from __future__ import annotations

from urllib.parse import urlsplit

from starlette.datastructures import Headers
from starlette.requests import HTTPConnection
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from luoshi.auth.csrf import csrf_matches
from luoshi.web.deps import COOKIE

CSRF_COOKIE = "luoshi_csrf"
CSRF_HEADER = "x-csrf-token"
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# Signing in has no session yet; the sign-in page posts a plain form (it works before any script).
SIGN_IN = frozenset({("POST", "/api/session"), ("POST", "/login")})


class CsrfGuard:
    def __init__(self, app: ASGIApp, secret: str):
        self.app, self.secret = app, secret

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] in UNSAFE:
            problem = self._problem(HTTPConnection(scope))
            if problem:
                return await JSONResponse({"code": "csrf", "message": problem}, status_code=403)(scope, receive, send)
        await self.app(scope, receive, send)

    def _problem(self, conn: HTTPConnection) -> str | None:
        # The same test as luoshi.web.deps.token: with this header the cookie is never used.
        if conn.headers.get("authorization", "")[:7].lower() == "bearer ":
            return None
        if not same_origin(conn.headers):
            return "拒绝跨站请求：请求来源与本站不一致"
        session = conn.cookies.get(COOKIE)
        signing_in = (conn.scope["method"], conn.scope["path"]) in SIGN_IN
        if session and not signing_in and not csrf_matches(self.secret, session, conn.headers.get(CSRF_HEADER)):
            return "缺少或错误的防跨站令牌（X-CSRF-Token），请刷新页面或重新登录后再试"
        return None


def same_origin(headers: Headers) -> bool:
    """Whether the page that sent this request is of this host. Browsers send Origin on every
    cross-origin POST; a request with neither header is not from a browser page, and the token
    decides. A reverse proxy must pass the original Host (nginx: proxy_set_header Host $host)."""
    source = headers.get("origin") or headers.get("referer")
    if not source:
        return True
    if source == "null":  # sandboxed frames, file: pages, some redirects
        return False
    return urlsplit(source).netloc.lower() == headers.get("host", "").lower()
