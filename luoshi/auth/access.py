"""What each role may do, checked on the server for every call (never by hiding links).

Business data (plans, tasks, reports, progress) is read by the office and leaders in full and by
a unit's reporter for its own unit only; the system administrator and the auditor see none of it
(separated administration). Writing reports: a reporter for its unit, the office for any unit."""
from __future__ import annotations

from luoshi.errors import LuoshiError
from luoshi.store.account_models import Account

READ_ALL = frozenset({"coordinator", "leader"})
BUSINESS = READ_ALL | {"reporter"}


class Forbidden(LuoshiError):
    code = "forbidden"
    http_status = 403


def require(account: Account, *roles: str) -> Account:
    if account.role not in roles:
        raise Forbidden("当前账号无权进行此操作")
    return account


def unit_scope(account: Account) -> int | None:
    """The one unit whose data this account may see (a reporter's), None for all of them."""
    require(account, *BUSINESS)
    return account.unit_id if account.role == "reporter" else None


def check_unit(account: Account, unit_id: int) -> None:
    """Refuse another unit's data to a reporter (callers pass -1 for a unit that does not exist,
    so the answer says nothing of which units exist)."""
    scope = unit_scope(account)
    if scope is not None and scope != unit_id:
        raise Forbidden("只能查看和报送本单位的任务与报告")


def may_write_reports(account: Account) -> None:
    require(account, "reporter", "coordinator")
