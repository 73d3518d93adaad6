"""审计日志: the audit log for the auditor alone (等保 B2: separated administration, so the system
administrator and every business role get 403, and their attempt is itself a row, as over the
API). Newest first, filtered by dates, user and action, 50 a page, with the hash chain checked
(luoshi/auth/audit.py `verify`): 完整, or the first row that was edited or follows a removed one."""
from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from luoshi.auth import audit
from luoshi.auth.access import require
from luoshi.auth.audit_read import AuditQueryInvalid, count, rows, time_range
from luoshi.store.account_models import Account
from luoshi.web.deps import address, db
from luoshi.web.pages.render import page
from luoshi.web.pages.signin import reader

router = APIRouter()
PAGE = 50
ACTIONS = {
    "login_ok": "登录成功", "login_failed": "登录失败", "locked": "账号锁定", "logout": "退出登录",
    "login_second_factor": "二次验证", "second_factor_bound": "绑定二次验证", "password_changed": "修改密码",
    "account_created": "新建账号", "account_disabled": "停用账号", "account_enabled": "启用账号",
    "setting_changed": "修改设置", "report_submitted": "报送月报", "report_imported": "导入 Excel 月报",
    "approval": "批准补报", "export": "导出", "milestone_added": "设置里程碑", "milestone_reported": "报送里程碑",
    "project_added": "新增项目", "project_changed": "变更项目", "project_retired": "项目退库",
    "project_restored": "恢复项目", "project_linked": "关联项目", "project_unlinked": "取消关联",
    "project_imported": "导入项目", "audit_read": "查阅审计日志", "audit_purged": "清除审计记录",
    "bulletin_generated": "生成通报", "bulletin_published": "发布通报",
}
RESULTS = {"ok": "成功", "denied": "拒绝", "failed": "失败"}


@router.get("/audit")
def audit_page(request: Request, since: str = Query("", max_length=40), until: str = Query("", max_length=40),
               user: str = Query("", max_length=64), action: str = Query("", max_length=32),
               page_no: int = Query(1, alias="page", ge=1, le=10**6), a: Account = Depends(reader),
               s: Session = Depends(db)) -> Response:
    if a.role != "auditor":  # recorded, then refused: the attempt is part of the trail
        audit.record(s, action="audit_read", result="denied", account=a, address=address(request), object="audit_log")
        s.commit()
    require(a, "auditor")
    f = {"since": since.strip(), "until": until.strip(), "user": user.strip(), "action": action.strip()}
    ok, first_bad = audit.verify(s)
    context = {"f": f, "actions": ACTIONS, "results": RESULTS, "chain_ok": ok, "first_bad": first_bad,
               "tip": audit.tip(s), "entries": [], "total": 0, "page_no": page_no, "pages": 1}
    try:
        start, end = time_range(f["since"], f["until"])
    except AuditQueryInvalid as e:
        return page(request, "audit/log.html", context | {"error": e.message}, account=a, status_code=422)
    total = count(s, start, end, f["user"] or None, f["action"] or None)
    pages = max(1, -(-total // PAGE))
    entries = rows(s, start, end, f["user"] or None, f["action"] or None, limit=PAGE, offset=(page_no - 1) * PAGE)
    query = {k: v for k, v in f.items() if v}
    return page(request, "audit/log.html", context | {
        "entries": entries, "total": total, "pages": pages,
        "prev_url": f"/audit?{urlencode(query | {'page': page_no - 1})}" if page_no > 1 else None,
        "next_url": f"/audit?{urlencode(query | {'page': page_no + 1})}" if page_no < pages else None}, account=a)
