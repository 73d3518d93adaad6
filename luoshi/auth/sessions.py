"""Sign-in sessions: a random token handed to the user, its sha256 stored. A session ends at
sign-out, after `idle_minutes` unused, `absolute_hours` after sign-in, or when its account is
disabled or its password changed."""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from luoshi.auth.accounts import _aware, now_utc
from luoshi.auth.policy import DEFAULT_POLICY, AuthPolicy
from luoshi.auth.totp import SecondFactorRequired
from luoshi.errors import LuoshiError
from luoshi.store.account_models import Account, AccountSession

# Writing last_seen_at on every request would make every read a write; a minute of slack in the
# idle clock is harmless.
_TOUCH_EVERY = timedelta(seconds=60)


class NotSignedIn(LuoshiError):
    code = "not_signed_in"
    http_status = 401


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def open_session(session: Session, account: Account, address: str | None = None, *,
                 second_factor: bool = False) -> str:
    """A new session for the account (the caller commits); returns its token. For a role that
    needs a second factor it is pending until luoshi.auth.totp.verify (or `second_factor=True`,
    for a caller that checked it already)."""
    token = secrets.token_urlsafe(32)
    now = now_utc()
    session.add(AccountSession(token_hash=token_hash(token), account_id=account.id, address=(address or "")[:45] or None,
                               created_at=now, last_seen_at=now, second_factor=second_factor))
    session.flush()
    return token


def session_account(session: Session, token: str | None, *, policy: AuthPolicy = DEFAULT_POLICY,
                    now: datetime | None = None, pending: bool = False) -> tuple[Account, AccountSession]:
    """The account signed in with this token, or NotSignedIn (expired sessions are ended);
    SecondFactorRequired while a session that needs one has none (`pending=True` lets it through:
    the second-factor step itself)."""
    if not token:
        raise NotSignedIn("请先登录")
    now = now or now_utc()
    row = session.scalar(select(AccountSession).where(AccountSession.token_hash == token_hash(token)))
    if row is None or row.ended_at is not None:
        raise NotSignedIn("登录已失效，请重新登录")
    account = session.get(Account, row.account_id)
    idle = now - _aware(row.last_seen_at) > timedelta(minutes=policy.idle_minutes)
    old = now - _aware(row.created_at) > timedelta(hours=policy.absolute_hours)
    if account is None or not account.active or idle or old:
        row.ended_at = now
        session.commit()
        raise NotSignedIn("长时间未操作，登录已过期，请重新登录" if idle else "登录已失效，请重新登录")
    if now - _aware(row.last_seen_at) > _TOUCH_EVERY:
        row.last_seen_at = now
        session.commit()
    if not pending and not row.second_factor and account.role in policy.second_factor_roles:
        raise SecondFactorRequired("请输入动态口令（TOTP）完成登录")
    return account, row


def close_session(session: Session, token: str | None) -> bool:
    row = session.scalar(select(AccountSession).where(AccountSession.token_hash == token_hash(token or "")))
    if row is None or row.ended_at is not None:
        return False
    row.ended_at = now_utc()
    return True
