"""Signing in and out: `POST /api/session` (name and password → token and cookie),
`DELETE /api/session`, `GET /api/me`."""
from __future__ import annotations

from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from luoshi.auth.accounts import ROLES, AccountLocked, LoginFailed, authenticate, password_expired
from luoshi.auth.sessions import close_session, open_session
from luoshi.settings import WebSettings
from luoshi.store.account_models import Account
from luoshi.store.dispatch_models import Unit
from luoshi.web.deps import COOKIE, account, address, db, settings, token

router = APIRouter(tags=["登录"])


class Login(BaseModel):
    username: str = Field(max_length=64)
    password: str = Field(max_length=256)


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
    except (LoginFailed, AccountLocked):
        s.commit()  # the failure count and the lock must stay
        raise
    t = open_session(s, a, address(request))
    s.commit()
    response.set_cookie(COOKIE, t, httponly=True, samesite="strict", secure=cfg.cookie_secure,
                        max_age=cfg.auth.absolute_hours * 3600, path="/")
    return {"token": t, "account": account_info(s, a, cfg), "idle_minutes": cfg.auth.idle_minutes}


@router.delete("/session", summary="退出登录")
def sign_out(request: Request, response: Response, s: Session = Depends(db)) -> dict:
    ended = close_session(s, token(request))
    s.commit()
    response.delete_cookie(COOKIE, path="/")
    return {"signed_out": ended}


@router.get("/me", summary="当前账号")
def me(a: Account = Depends(account), s: Session = Depends(db), cfg: WebSettings = Depends(settings)) -> dict:
    return account_info(s, a, cfg)
