"""Signing in and out: `POST /api/session` (name and password → token and cookies),
`DELETE /api/session`, `GET /api/me`, `POST /api/me/password`."""
from __future__ import annotations

from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from luoshi.auth import audit
from luoshi.auth.accounts import (ROLES, AccountLocked, LoginFailed, WrongPassword, authenticate, change_password,
                                  password_expired)
from luoshi.auth.csrf import csrf_token
from luoshi.auth.sessions import close_session, open_session, session_account
from luoshi.auth.totp import SecondFactorFailed, needs_second_factor, verify
from luoshi.settings import WebSettings
from luoshi.store.account_models import Account
from luoshi.store.dispatch_models import Unit
from luoshi.web.csrf import CSRF_COOKIE
from luoshi.web.deps import COOKIE, account, address, db, settings, token

router = APIRouter(tags=["登录"])


class Login(BaseModel):
    username: str = Field(max_length=64)
    password: str = Field(max_length=256)


class SecondFactor(BaseModel):
    code: str = Field(max_length=16)


class PasswordChange(BaseModel):
    old_password: str = Field(max_length=256)
    new_password: str = Field(max_length=256)


def account_info(s: Session, a: Account, cfg: WebSettings | None = None) -> dict:
    unit = s.get(Unit, a.unit_id) if a.unit_id else None
    info = {"id": a.id, "username": a.username, "display_name": a.display_name, "role": a.role,
            "role_label": ROLES[a.role], "unit": {"id": unit.id, "name": unit.name} if unit else None}
    if cfg is not None:
        info["password_expired"] = password_expired(a, cfg.auth)
    return info


@router.post("/session", summary="登录")
def sign_in(body: Login, request: Request, response: Response, s: Session = Depends(db),
            cfg: WebSettings = Depends(settings)) -> dict:
    try:
        a = authenticate(s, body.username, body.password, policy=cfg.auth)
    except (LoginFailed, AccountLocked) as e:
        audit.login_failed(s, body.username, address(request), e)
        s.commit()  # the failure count and the lock must stay, with their audit rows
        raise
    t, csrf = start_session(s, a, request, response, cfg)
    return {"token": t, "csrf_token": csrf, "account": account_info(s, a, cfg), "idle_minutes": cfg.auth.idle_minutes,
            "second_factor_required": needs_second_factor(a, cfg.auth)}


@router.post("/session/totp", summary="管理员登录第二步：动态口令（TOTP）")
def second_factor(body: SecondFactor, request: Request, s: Session = Depends(db),
                  cfg: WebSettings = Depends(settings)) -> dict:
    """For the roles that need it (系统管理员、审计员): after `POST /api/session`, the six digits
    from the authenticator app; the session is usable from then on."""
    a = check_second_factor(s, request, body.code, cfg)
    return {"second_factor": True, "account": account_info(s, a, cfg)}


def check_second_factor(s: Session, request: Request, code: str, cfg: WebSettings) -> Account:
    """Verify the code for the pending session of this request (audited, committed)."""
    a, row = session_account(s, token(request), policy=cfg.auth, pending=True)
    try:
        verify(row, a, code, policy=cfg.auth)
    except (SecondFactorFailed, AccountLocked) as e:
        audit.login_failed(s, a.username, address(request), e, action="login_second_factor")
        s.commit()
        raise
    audit.record(s, action="login_second_factor", result="ok", account=a, address=address(request),
                 object=f"account:{a.username}")
    s.commit()
    return a


def start_session(s: Session, a: Account, request: Request, response: Response, cfg: WebSettings) -> tuple[str, str]:
    """Open a session for `a` (audited, committed) and set its cookies on `response`; returns the
    token and its CSRF token. Shared by the API and the sign-in page."""
    t = open_session(s, a, address(request))
    audit.record(s, action="login_ok", result="ok", account=a, address=address(request),
                 object=f"account:{a.username}")
    s.commit()
    response.set_cookie(COOKIE, t, httponly=True, samesite="strict", secure=cfg.cookie_secure,
                        max_age=cfg.auth.absolute_hours * 3600, path="/")
    # Readable by this origin's pages, which send it back as X-CSRF-Token (luoshi.web.csrf).
    csrf = csrf_token(cfg.secret, t)
    response.set_cookie(CSRF_COOKIE, csrf, httponly=False, samesite="strict", secure=cfg.cookie_secure,
                        max_age=cfg.auth.absolute_hours * 3600, path="/")
    return t, csrf


def end_session(s: Session, request: Request, response: Response) -> bool:
    ended = close_session(s, token(request))
    if ended:
        audit.logout(s, token(request), address(request))
    s.commit()
    response.delete_cookie(COOKIE, path="/")
    response.delete_cookie(CSRF_COOKIE, path="/")
    return ended


@router.delete("/session", summary="退出登录")
def sign_out(request: Request, response: Response, s: Session = Depends(db)) -> dict:
    return {"signed_out": end_session(s, request, response)}


@router.get("/me", summary="当前账号")
def me(a: Account = Depends(account), s: Session = Depends(db), cfg: WebSettings = Depends(settings)) -> dict:
    return account_info(s, a, cfg)


@router.post("/me/password", summary="修改本人密码")
def change_own_password(body: PasswordChange, request: Request, s: Session = Depends(db),
                        cfg: WebSettings = Depends(settings)) -> dict:
    """Any role. Every other session of the account ends; this one stays signed in."""
    a, current = session_account(s, token(request), policy=cfg.auth)
    try:
        change_password(s, a, body.old_password, body.new_password, policy=cfg.auth, keep_session=current.id)
    except (WrongPassword, AccountLocked) as e:
        audit.login_failed(s, a.username, address(request), e, action="password_changed")
        s.commit()  # the failure count and the lock must stay
        raise
    audit.record(s, action="password_changed", result="ok", account=a, address=address(request),
                 object=f"account:{a.username}")
    s.commit()
    return {"changed": True, "account": account_info(s, a, cfg)}
