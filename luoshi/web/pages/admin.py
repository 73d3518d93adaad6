"""账号管理, for the system administrator alone: the accounts (role, unit, active, locked until,
last sign-in), and adding one, disabling and enabling, resetting a password. The core is
luoshi/auth/accounts.py, as for `luoshi account`; each change and each refused attempt is an audit
row, as the CLI leaves them."""
from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from luoshi.auth.access import Forbidden, require
from luoshi.auth.accounts import ROLES, AccountInvalid, create_account, now_utc, set_active, set_password
from luoshi.auth.audit import audited
from luoshi.errors import LuoshiError
from luoshi.settings import WebSettings
from luoshi.store.account_models import Account, AccountSession
from luoshi.store.dispatch_models import Unit
from luoshi.track.timeliness import china_time
from luoshi.track.units import unit_rows
from luoshi.web.deps import IdPath, address, db, settings
from luoshi.web.pages.render import page
from luoshi.web.pages.signin import reader

router = APIRouter()
# The roles made here. An administrator or auditor gets a TOTP secret bound when made, on the
# server and never over the web (luoshi/auth/totp.py): those are made with `luoshi account add`.
WEB_ROLES = ("coordinator", "leader", "reporter")


class AccountNotFound(LuoshiError):
    code = "account_not_found"
    http_status = 404


@router.get("/admin/accounts")
def accounts(request: Request, done: str = "", a: Account = Depends(reader), s: Session = Depends(db),
             cfg: WebSettings = Depends(settings)) -> Response:
    require(a, "admin")
    return _page(request, s, a, cfg, notice={"created": "已添加账号", "disabled": "已停用账号，其登录会话已全部结束",
                                             "enabled": "已启用账号", "password": "已重设密码，其登录会话已全部结束"}
                 .get(done))


@router.post("/admin/accounts")
def create(request: Request, username: str = Form("", max_length=64), display_name: str = Form("", max_length=100),
           role: str = Form("", max_length=16), unit: str = Form("", max_length=20),
           password: str = Form("", max_length=256), a: Account = Depends(reader), s: Session = Depends(db),
           cfg: WebSettings = Depends(settings)) -> Response:
    typed = {"username": username, "display_name": display_name, "role": role, "unit": unit}
    try:
        with audited(s, "account_created", account=a, address=address(request), object=f"account:{username}",
                     detail=f"角色 {role}" + (f"，单位 {unit}" if unit else "")) as note:
            require(a, "admin")
            if role in ROLES and role not in WEB_ROLES:
                raise AccountInvalid([f"{ROLES[role]}账号须在服务器上用命令 luoshi account add 添加"
                                      "（同时绑定动态口令）"])
            unit_id = int(unit) if unit.isdigit() and s.get(Unit, int(unit)) is not None else None
            if unit and unit_id is None:
                raise AccountInvalid(["所属单位不存在"])
            made = create_account(s, username=username, password=password, role=role, unit_id=unit_id,
                                  display_name=display_name, policy=cfg.auth)
            note.detail = f"角色 {made.role}" + (f"，单位 {s.get(Unit, unit_id).name}" if unit_id else "")
    except AccountInvalid as e:
        return _page(request, s, a, cfg, typed=typed, problems=e.problems, status=422)
    return RedirectResponse("/admin/accounts?done=created", status_code=303)


@router.post("/admin/accounts/{account_id}/active")
def activate(request: Request, account_id: IdPath, active: str = Form("", max_length=5), a: Account = Depends(reader),
             s: Session = Depends(db)) -> Response:
    on = active == "true"
    with audited(s, "account_enabled" if on else "account_disabled", account=a, address=address(request),
                 object=f"account:{account_id}") as note:
        require(a, "admin")
        target = _existing(s, account_id)
        note.object = f"account:{target.username}"
        if not on and target.id == a.id:
            raise Forbidden("不能停用当前登录的账号")
        set_active(s, target, on)
    return RedirectResponse(f"/admin/accounts?done={'enabled' if on else 'disabled'}", status_code=303)


@router.post("/admin/accounts/{account_id}/password")
def reset_password(request: Request, account_id: IdPath, password: str = Form("", max_length=256),
                   a: Account = Depends(reader), s: Session = Depends(db),
                   cfg: WebSettings = Depends(settings)) -> Response:
    try:
        with audited(s, "password_changed", account=a, address=address(request), object=f"account:{account_id}",
                     detail="由管理员重设") as note:
            require(a, "admin")
            target = _existing(s, account_id)
            note.object = f"account:{target.username}"
            set_password(s, target, password, policy=cfg.auth)
    except AccountInvalid as e:
        return _page(request, s, a, cfg, problems=e.problems, status=422, reset_id=account_id)
    return RedirectResponse("/admin/accounts?done=password", status_code=303)


def _existing(s: Session, account_id: int) -> Account:
    found = s.get(Account, account_id)
    if found is None:
        raise AccountNotFound(f"没有编号为 {account_id} 的账号")
    return found


def _page(request: Request, s: Session, a: Account, cfg: WebSettings, *, typed: dict | None = None,
          problems: list[str] | None = None, notice: str | None = None, status: int = 200,
          reset_id: int | None = None) -> Response:
    names = dict(s.execute(select(Unit.id, Unit.name)).all())
    last = dict(s.execute(select(AccountSession.account_id, func.max(AccountSession.created_at))
                          .group_by(AccountSession.account_id)).all())
    now = now_utc()
    rows = [{"a": x, "unit": names.get(x.unit_id), "last_login": _shown(last.get(x.id)),
             "locked_until": _shown(x.locked_until) if x.locked_until and china_time(x.locked_until) > now else None}
            for x in s.scalars(select(Account).order_by(Account.username))]
    return page(request, "admin/accounts.html", {
        "rows": rows, "roles": {r: ROLES[r] for r in WEB_ROLES}, "units": unit_rows(s), "typed": typed or {},
        "notice": notice, "problems": problems or [], "reset_id": reset_id, "policy": cfg.auth},
        account=a, status_code=status)


def _shown(at: datetime | None) -> str | None:
    return china_time(at).strftime("%Y-%m-%d %H:%M") if at else None
