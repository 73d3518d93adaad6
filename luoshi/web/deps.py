"""Request dependencies: a database session per request, and the signed-in account (from the
`Authorization: Bearer` header, else the session cookie)."""
from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Path, Query, Request
from sqlalchemy.orm import Session

from luoshi.auth.sessions import session_account
from luoshi.settings import WebSettings
from luoshi.store.account_models import Account
from luoshi.store.models import MAX_ID, as_id
from luoshi.track.office_settings import dispatch_settings
from luoshi.track.timeliness import DispatchSettings

COOKIE = "luoshi_session"
# Ids in paths and queries are bounded as the database's keys are: a larger number is a 422, not
# an overflow deep in the driver.
IdPath = Annotated[int, Path(ge=1, le=MAX_ID)]
IdQuery = Annotated[int | None, Query(ge=1, le=MAX_ID)]


def id_or_name(value):
    """A unit (or other thing) named by its id or its name, as a form or a path gives it: ASCII
    digits within the key range are an id, anything else a name."""
    key = as_id(value)
    return key if key is not None else value


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


def office(request: Request, s: Session = Depends(db)) -> DispatchSettings:
    """The office's dispatch rules: the app's override (tests), else as stored now."""
    return request.app.state.settings.dispatch or dispatch_settings(s)


def address(request: Request) -> str | None:
    return request.client.host if request.client else None
