"""Signing in and out of the pages, the start page of each role, and `reader`: the dependency
every page uses for its signed-in account (a page without one sends the browser to /login)."""
from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from luoshi.auth import audit
from luoshi.auth.accounts import AccountLocked, LoginFailed, authenticate
from luoshi.auth.sessions import NotSignedIn, session_account
from luoshi.settings import WebSettings
from luoshi.store.account_models import Account
from luoshi.auth.totp import SecondFactorFailed, needs_second_factor
from luoshi.web.api_auth import check_second_factor, end_session, start_session
from luoshi.web.deps import address, db, settings, token
from luoshi.web.pages.render import HOME, page

router = APIRouter()


def reader(request: Request, s: Session = Depends(db)) -> Account:
    """The signed-in account; NotSignedIn otherwise (the page error handler redirects to /login)."""
    found, _ = session_account(s, token(request), policy=request.app.state.settings.auth)
    return found


def optional_reader(request: Request, s: Session = Depends(db)) -> Account | None:
    """The signed-in account, or None for the public."""
    if not token(request):
        return None
    try:
        return reader(request, s)
    except NotSignedIn:
        return None


def safe_next(target: str | None) -> str | None:
    """A path on this site to return to after signing in; anything else (another host, a scheme,
    //evil) is dropped, so /login cannot be used to send a user elsewhere."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    return target


def login_redirect(request: Request) -> Response:
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    target = "/login?next=" + quote(here, safe="")
    if request.headers.get("hx-request"):
        return Response(status_code=204, headers={"HX-Redirect": target})
    return RedirectResponse(target, status_code=303)


@router.get("/")
def home(a: Account | None = Depends(optional_reader)) -> Response:
    return RedirectResponse(HOME.get(a.role, "/login") if a else "/login", status_code=303)


@router.get("/login")
def login_form(request: Request, next: str | None = None, a: Account | None = Depends(optional_reader)) -> Response:
    if a is not None:
        return RedirectResponse(safe_next(next) or HOME.get(a.role, "/"), status_code=303)
    return page(request, "login.html", {"next": safe_next(next) or "", "username": ""})


@router.post("/login")
def login(request: Request, username: str = Form("", max_length=64), password: str = Form("", max_length=256),
          next: str = Form("", max_length=2000), s: Session = Depends(db),
          cfg: WebSettings = Depends(settings)) -> Response:
    try:
        a = authenticate(s, username, password, policy=cfg.auth)
    except (LoginFailed, AccountLocked) as e:
        audit.login_failed(s, username, address(request), e)
        s.commit()  # the failure count and the lock must stay, with their audit rows
        return page(request, "login.html", {"next": safe_next(next) or "", "username": username,
                                               "error": e.message + (f"（{e.hint}）" if e.hint else "")},
                    status_code=e.http_status)
    target = safe_next(next) or HOME.get(a.role, "/")
    if needs_second_factor(a, cfg.auth):
        target = "/login/totp" + (f"?next={quote(target, safe='')}" if safe_next(next) else "")
    response = RedirectResponse(target, status_code=303)
    start_session(s, a, request, response, cfg)
    return response


@router.get("/login/totp")
def totp_form(request: Request, next: str | None = None, s: Session = Depends(db),
              cfg: WebSettings = Depends(settings)) -> Response:
    a, row = session_account(s, token(request), policy=cfg.auth, pending=True)
    if row.second_factor or not needs_second_factor(a, cfg.auth):
        return RedirectResponse(safe_next(next) or HOME.get(a.role, "/"), status_code=303)
    return page(request, "login_totp.html", {"next": safe_next(next) or "", "username": a.username,
                                             "enrolled": bool(a.totp_secret)})


@router.post("/login/totp")
def totp_check(request: Request, code: str = Form("", max_length=16), next: str = Form("", max_length=2000),
               s: Session = Depends(db), cfg: WebSettings = Depends(settings)) -> Response:
    try:
        a = check_second_factor(s, request, code, cfg)
    except (SecondFactorFailed, AccountLocked) as e:
        a, _ = session_account(s, token(request), policy=cfg.auth, pending=True)
        return page(request, "login_totp.html", {"next": safe_next(next) or "", "username": a.username,
                                                 "enrolled": bool(a.totp_secret),
                                                 "error": e.message + (f"（{e.hint}）" if e.hint else "")},
                    status_code=e.http_status)
    target = safe_next(next) or HOME.get(a.role, "/")
    if request.headers.get("hx-request"):
        return Response(status_code=204, headers={"HX-Redirect": target})
    return RedirectResponse(target, status_code=303)


@router.post("/logout")
def logout(request: Request, s: Session = Depends(db)) -> Response:
    # htmx follows a redirect inside its request; HX-Redirect makes the browser itself go.
    if request.headers.get("hx-request"):
        response: Response = Response(status_code=204, headers={"HX-Redirect": "/login"})
    else:
        response = RedirectResponse("/login", status_code=303)
    end_session(s, request, response)
    return response
