"""The audit log over the API, for the auditor alone (等保 B2): the system administrator and the
business roles are refused (and the refusal is itself recorded); nothing here or anywhere else in
luoshi changes the log (luoshi/auth/audit.py)."""
from __future__ import annotations

from fastapi import APIRouter, Depends, Query, Request
from sqlalchemy.orm import Session

from luoshi.auth import audit
from luoshi.auth.access import require
from luoshi.auth.audit_read import MAX_LIMIT, count, rows, time_range
from luoshi.store.account_models import Account
from luoshi.web.deps import account, address, db

router = APIRouter(tags=["审计"])


@router.get("/audit", summary="审计记录（仅审计员）：时间、用户、地址、操作、对象、结果，新的在前")
def audit_log(request: Request,
              since: str | None = Query(None, max_length=40, description="起始日期或时间（北京时间），如 2026-11-01"),
              until: str | None = Query(None, max_length=40, description="截止日期（含当天）或时间"),
              user: str | None = Query(None, max_length=64, description="用户名（登录失败时为所输入的）"),
              action: str | None = Query(None, max_length=32, description="操作，如 login_failed、report_submitted"),
              limit: int = Query(100, ge=1, le=MAX_LIMIT), offset: int = Query(0, ge=0, le=10**9),
              a: Account = Depends(account), s: Session = Depends(db)) -> dict:
    _auditor(s, a, request)
    start, end = time_range(since, until)
    return {"total": count(s, start, end, user, action), "limit": limit, "offset": offset,
            "rows": rows(s, start, end, user, action, limit, offset)}


@router.get("/audit/verify", summary="校验审计记录的哈希链（仅审计员）：被改动或删除的第一条")
def audit_verify(request: Request, a: Account = Depends(account), s: Session = Depends(db)) -> dict:
    _auditor(s, a, request)
    ok, first_bad = audit.verify(s)
    return {"ok": ok, "first_bad_id": first_bad, **audit.tip(s)}


def _auditor(s: Session, a: Account, request: Request) -> None:
    if a.role != "auditor":
        audit.record(s, action="audit_read", result="denied", account=a, address=address(request), object="audit_log")
        s.commit()
    require(a, "auditor")
