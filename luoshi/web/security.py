"""The web application's guards, as pure ASGI middleware around the whole app (`secured`):
security headers on every response, a request body limit enforced before the body is read, and
the CSRF guard of luoshi.web.csrf. Pure ASGI rather than BaseHTTPMiddleware, which buffers and
re-wraps bodies: the limit must see a chunked body while it streams.

They sit outside Starlette's own error middleware (luoshi.web.app builds them there), so a 500,
a 413 and a CSRF 403 carry the same headers as any other answer."""
from __future__ import annotations

from starlette.datastructures import Headers, MutableHeaders
from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from luoshi.settings import WebSettings
from luoshi.web.csrf import CsrfGuard

# Pages are rendered on the server and load bundled scripts (ECharts, htmx) from /static only: no
# inline script, no other origin, never framed. htmx must run with includeIndicatorStyles off.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
       "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
# /api/docs (api_docs.py) is Swagger UI from this server; it sets style attributes as it renders.
DOCS_CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
            "object-src 'none'; base-uri 'self'; frame-ancestors 'none'")
HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",  # frame-ancestors for browsers that predate it
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}
HSTS = "max-age=31536000"
# Multipart boundaries and the small form fields beside a file of max_upload_bytes.
MULTIPART_MARGIN = 64 * 1024


def secured(app: ASGIApp, settings: WebSettings) -> ASGIApp:
    limit = settings.max_upload_bytes + MULTIPART_MARGIN
    return SecurityHeaders(CsrfGuard(BodyLimit(app, limit, settings.max_upload_bytes), settings.secret),
                           hsts=settings.cookie_secure)


class SecurityHeaders:
    """Adds the headers to every HTTP response (a header the app set itself is kept, except that
    /api answers are never stored by a browser or proxy: they carry one unit's data)."""

    def __init__(self, app: ASGIApp, *, hsts: bool):
        self.app = app
        # HSTS only behind HTTPS: sent over plain http on loopback it would be ignored, and a
        # browser that kept it would refuse the demo's http address.
        self.headers = HEADERS | ({"Strict-Transport-Security": HSTS} if hsts else {})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        path = scope.get("path", "")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in self.headers.items():
                    headers.setdefault(name, value)
                headers.setdefault("Content-Security-Policy", DOCS_CSP if path.startswith("/api/docs") else CSP)
                if path.startswith("/api/"):
                    headers["Cache-Control"] = "no-store"
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodyTooLarge(HTTPException):
    """Raised from `receive` once a streamed body passes the limit. An HTTPException, because
    FastAPI turns any other error met while reading a body into a 400; the app's handler answers
    it in the usual JSON shape with this code (luoshi.web.errors)."""

    code = "upload_too_large"

    def __init__(self, shown_limit: int):
        super().__init__(413, too_large_message(shown_limit))


def too_large_message(shown_limit: int) -> str:
    return f"请求内容超过 {shown_limit / (1024 * 1024):g} MB 上限"


class BodyLimit:
    """Refuses a body over `limit` bytes: at once when Content-Length says so (the app never runs
    and nothing is read), else by counting a chunked body as it streams and stopping there.
    `shown_limit` is the upload limit the message names (the margin is ours, not the user's)."""

    def __init__(self, app: ASGIApp, limit: int, shown_limit: int):
        self.app, self.limit, self.shown_limit = app, limit, shown_limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        length = Headers(scope=scope).get("content-length", "")
        if length.isascii() and length.isdigit() and int(length) > self.limit:
            return await self._refuse(scope, receive, send)
        received, started = 0, False

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise BodyTooLarge(self.shown_limit)
            return message

        async def watched(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, watched)
        except BodyTooLarge:
            # Reached only where no handler answered it (the app's own handler normally does).
            if started:
                raise
            await self._refuse(scope, receive, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        body = {"code": BodyTooLarge.code, "message": too_large_message(self.shown_limit)}
        # Connection: close, so the server drops the rest of the body instead of reading it.
        await JSONResponse(body, status_code=413, headers={"Connection": "close"})(scope, receive, send)
