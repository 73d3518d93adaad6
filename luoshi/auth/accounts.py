"""Accounts and roles. One role per account, separated as a 等保 level-3 review expects: the
system administrator manages accounts but reads no audit log, the auditor reads it and changes
nothing, a unit's reporter sees and reports only its unit's tasks.

`authenticate` counts failed logins: after `max_failures` in a row the account is locked for
`lock_minutes` (a right password does not open it early), and says so. A wrong name and a wrong
password get the same message, so names cannot be guessed."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from luoshi.auth.passwords import hash_password, needs_rehash, verify_password, weaknesses
from luoshi.auth.policy import DEFAULT_POLICY, AuthPolicy
from luoshi.errors import LuoshiError
from luoshi.store.account_models import Account, AccountSession

ROLES = {"admin": "系统管理员", "auditor": "审计员", "coordinator": "调度办", "reporter": "单位填报员",
         "leader": "领导"}
_USERNAME = re.compile(r"[A-Za-z0-9_.@-]{3,64}")


class AccountInvalid(LuoshiError):
    code = "account_invalid"
    http_status = 422

    def __init__(self, problems: list[str]):
        super().__init__("；".join(problems))
        self.problems = problems


class LoginFailed(LuoshiError):
    code = "login_failed"
    http_status = 401


class AccountLocked(LuoshiError):
    code = "account_locked"
    http_status = 423


class WrongPassword(LuoshiError):
    # 422, not 401: the session is fine, and a page must not take it for one that ended.
    code = "wrong_password"
    http_status = 422


def now_utc() -> datetime:
    return datetime.now(timezone.utc)


def create_account(session: Session, *, username: str, password: str, role: str, unit_id: int | None = None,
                   display_name: str | None = None, policy: AuthPolicy = DEFAULT_POLICY) -> Account:
    """Add an account (the caller commits). Every problem is reported at once."""
    username = (username or "").strip()
    problems = []
    if not _USERNAME.fullmatch(username):
        problems.append("用户名须为 3–64 个字母、数字或 _ . @ -")
    elif session.scalar(select(Account.id).where(func.lower(Account.username) == username.lower())):
        problems.append(f"用户名“{username}”已被使用")
    if role not in ROLES:
        problems.append(f"角色须为 {'、'.join(f'{k}（{v}）' for k, v in ROLES.items())} 之一")
    if role == "reporter" and unit_id is None:
        problems.append("单位填报员须指定所属单位")
    if role != "reporter" and unit_id is not None:
        problems.append("只有单位填报员属于某个单位")
    problems += weaknesses(password, username, policy)
    if problems:
        raise AccountInvalid(problems)
    account = Account(username=username, password_hash=hash_password(password), role=role, unit_id=unit_id,
                      display_name=(display_name or "").strip() or None, active=True, failed_logins=0)
    session.add(account)
    session.flush()
    return account


def find_account(session: Session, username: str) -> Account | None:
    return session.scalar(select(Account).where(func.lower(Account.username) == (username or "").strip().lower()))


def authenticate(session: Session, username: str, password: str, *, policy: AuthPolicy = DEFAULT_POLICY,
                 now: datetime | None = None) -> Account:
    """The account whose password this is, or LoginFailed / AccountLocked. Counting failures is
    written by the caller's commit, also when this raises: commit before re-raising."""
    now = now or now_utc()
    account = find_account(session, username)
    ok = verify_password(account.password_hash if account else None, password or "")
    if account is None or not account.active:
        raise LoginFailed("用户名或密码错误")
    if account.locked_until is not None and _aware(account.locked_until) > now:
        raise AccountLocked(_locked_message(account.locked_until))
    if not ok:
        count_failure(account, policy, now, "密码错误")
        left = policy.max_failures - account.failed_logins
        raise LoginFailed("用户名或密码错误", hint=f"再错 {left} 次将锁定 {policy.lock_minutes} 分钟")
    account.failed_logins, account.locked_until = 0, None
    if needs_rehash(account.password_hash):
        account.password_hash = hash_password(password)
    return account


def count_failure(account: Account, policy: AuthPolicy, now: datetime, what: str) -> None:
    """Count one failure (a password, a second-factor code); at the limit, lock and raise."""
    account.failed_logins += 1
    if account.failed_logins >= policy.max_failures:
        account.locked_until = now + timedelta(minutes=policy.lock_minutes)
        account.failed_logins = 0
        raise AccountLocked(f"连续 {policy.max_failures} 次{what}，" + _locked_message(account.locked_until))


def set_password(session: Session, account: Account, password: str, *, policy: AuthPolicy = DEFAULT_POLICY,
                 keep_session: int | None = None) -> None:
    """A new password (checked); every session of the account ends but `keep_session` (an id)."""
    problems = weaknesses(password, account.username, policy)
    if problems:
        raise AccountInvalid(problems)
    account.password_hash = hash_password(password)
    account.password_changed_at = now_utc()
    _end_sessions(session, account.id, keep=keep_session)


def change_password(session: Session, account: Account, old: str, new: str, *, policy: AuthPolicy = DEFAULT_POLICY,
                    keep_session: int | None = None) -> None:
    """A signed-in user's own change. The old password is checked as a sign-in is, failures
    counting towards the lock, so a borrowed session cannot guess it; commit also when this raises."""
    try:
        authenticate(session, account.username, old, policy=policy)
    except LoginFailed as e:
        raise WrongPassword("原密码错误", hint=e.hint) from None
    if verify_password(account.password_hash, new):
        raise AccountInvalid(["新密码不能与原密码相同"])
    set_password(session, account, new, policy=policy, keep_session=keep_session)


def set_active(session: Session, account: Account, active: bool) -> None:
    """Disable (or enable) an account; disabling ends its sessions at once."""
    account.active = active
    if not active:
        _end_sessions(session, account.id)


def password_expired(account: Account, policy: AuthPolicy = DEFAULT_POLICY, now: datetime | None = None) -> bool:
    if not policy.password_days:
        return False
    return _aware(account.password_changed_at) + timedelta(days=policy.password_days) <= (now or now_utc())


def _end_sessions(session: Session, account_id: int, keep: int | None = None) -> None:
    session.execute(update(AccountSession).where(AccountSession.account_id == account_id,
                                                 AccountSession.id != (keep or 0),
                                                 AccountSession.ended_at.is_(None)).values(ended_at=now_utc()))


def _locked_message(until: datetime) -> str:
    local = _aware(until).astimezone(timezone(timedelta(hours=8)))
    return f"账号已锁定，请于 {local:%H:%M}（北京时间）后再试"


def _aware(t: datetime) -> datetime:
    # SQLite gives naive datetimes back; luoshi stores UTC.
    return t if t.tzinfo else t.replace(tzinfo=timezone.utc)
