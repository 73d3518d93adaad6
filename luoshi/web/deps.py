"""Request dependencies: a database session per request, and the signed-in account (from the
`Authorization: Bearer` header, else the session cookie)."""
from __future__ import annotations

from collections.abc import Iterator

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from luoshi.auth.sessions import session_account
from luoshi.settings import WebSettings
from luoshi.store.account_models import Account

COOKIE = "luoshi_session"


def settings(request: Request) -> WebSettings:
    return request.app.state.settings


def db(request: Request) -> Iterator[Session]:
    with request.app.state.store.session() as s:
        yield s


def token(request: Request) -> str | None:
    auth = request.headers.get("authorization", "")
    if auth[:7].lower() == "bearer ":
        return auth[7:].strip() or None
    return request.cookies.get(COOKIE)


def account(request: Request, s: Session = Depends(db)) -> Account:
    found, _ = session_account(s, token(request), policy=request.app.state.settings.auth)
    return found


def address(request: Request) -> str | None:
    return request.client.host if request.client else None
