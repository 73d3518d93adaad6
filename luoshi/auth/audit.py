"""The audit log (等保 C1–C4): `record` appends a row chained to the one before, `verify` recomputes
the chain, `purge` removes what is past the kept period (never younger than 180 days) and records
itself; `audited` wraps a change so that it is recorded with its result, ok or not, in its own
transaction. The web app and the CLI call these, a line each; reading is luoshi/auth/audit_read.py.

The chain stays linear under concurrency: a writer takes the store's write lock for its
transaction before it reads the tip (PostgreSQL: an advisory lock; SQLite: its one write lock),
so the tip stays the tip until it commits; the UNIQUE on prev_hash makes a fork impossible even
for a writer that skipped the lock (it fails instead). A purge leaves an anchor (audit_purges),
the hash of the last row it removed, for the rest to verify from."""
from __future__ import annotations

import getpass
import logging
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from types import SimpleNamespace

from sqlalchemy import delete, func, inspect, select, text, true
from sqlalchemy.orm import Session

from luoshi.auth.accounts import AccountLocked, _aware, find_account, now_utc
from luoshi.auth.digest import chain_hash
from luoshi.auth.policy import DEFAULT_POLICY, AuthPolicy
from luoshi.errors import LuoshiError
from luoshi.store import sql
from luoshi.store.audit_models import AuditEntry, AuditPurge, purging

log = logging.getLogger("luoshi.audit")
GENESIS = "0" * 64
RESULTS = ("ok", "denied", "failed")
KEEP_DAYS = 180  # the least any setting may keep (等保 C4)
_DENIED = (401, 403, 423)  # refused by a rule or a right, rather than failed


class PurgeRefused(LuoshiError):
    code = "audit_purge_refused"
    http_status = 403


def record(session: Session, *, action: str, result: str, account=None, username: str | None = None,
           address: str | None = None, object: str | None = None, detail: str | None = None,
           now: datetime | None = None) -> AuditEntry:
    """Append a row; the caller commits it together with what it tells of. `username`: as typed
    (a failed sign-in) or the command line's user, else the account's."""
    if result not in RESULTS:
        raise ValueError(f"result must be one of {RESULTS}, not {result!r}")
    _take_write_lock(session)
    entry = AuditEntry(at=now or now_utc(), username=_cut(username or getattr(account, "username", None), 64),
                       account_id=getattr(account, "id", None), role=getattr(account, "role", None),
                       address=_cut(address, 45), action=action, object=_cut(object, 300), result=result,
                       detail=_cut(detail, 500), prev_hash=_tip(session))
    entry.hash = chain_hash(entry.prev_hash, _fields(entry))
    session.add(entry)
    session.flush()
    return entry


def verify(session: Session) -> tuple[bool, int | None]:
    """(True, None) when every row chains to the one before and hashes to what it stores; else
    False and the id of the first row that does not (edited, or the next after a removed one)."""
    expected = _anchor(session)
    query = select(*AuditEntry.__table__.c).order_by(AuditEntry.id).execution_options(yield_per=2000)
    for row in session.execute(query):
        if row.prev_hash != expected or chain_hash(row.prev_hash, _fields(row)) != row.hash:
            return False, row.id
        expected = row.hash
    return True, None


def tip(session: Session) -> dict:
    """How many rows, the last one's id and hash: noted outside luoshi, it shows a cut-off tail."""
    last = session.execute(select(AuditEntry.id, AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1)).first()
    return {"rows": session.scalar(select(func.count()).select_from(AuditEntry)),
            "last_id": last.id if last else None, "last_hash": last.hash if last else None}


def purge(session: Session, older_than_days: int, now: datetime | None = None, *, username: str | None = None,
          policy: AuthPolicy = DEFAULT_POLICY) -> int:
    """Remove the oldest rows recorded more than `older_than_days` ago and commit; how many. Refused
    (and recorded as refused) under the kept period, `policy.audit_keep_days` but at least 180."""
    keep = max(KEEP_DAYS, policy.audit_keep_days)
    if older_than_days < keep:
        record(session, action="audit_purged", result="denied", username=username, object="audit_log",
               detail=f"要求清除 {older_than_days} 天前的记录，低于保存期限 {keep} 天")
        session.commit()
        raise PurgeRefused(f"审计记录至少保存 {keep} 天，不能清除 {older_than_days} 天以内的记录")
    _take_write_lock(session)
    cutoff = (now or now_utc()) - timedelta(days=older_than_days)
    # Only a prefix goes, so the rest still chains: up to the first row young enough to keep.
    young = session.scalar(select(func.min(AuditEntry.id)).where(AuditEntry.at >= cutoff))
    last = session.execute(select(AuditEntry.id, AuditEntry.hash).where(AuditEntry.id < young if young else true())
                           .order_by(AuditEntry.id.desc()).limit(1)).first()
    removed = 0 if last is None else session.scalar(
        select(func.count()).select_from(AuditEntry).where(AuditEntry.id <= last.id))
    # Recorded first: the log is never empty, so SQLite cannot hand a removed row's id out again.
    record(session, action="audit_purged", result="ok", username=username,
           object=f"audit_log:≤{last.id}" if last else "audit_log",
           detail=f"清除 {removed} 条 {older_than_days} 天前的审计记录")
    if last is not None:
        session.add(AuditPurge(at=now_utc(), through_id=last.id, through_hash=last.hash, removed=removed,
                               older_than_days=older_than_days, username=_cut(username, 64)))
        session.flush()  # the database lets a row go only once a purge covering it is written
        with purging(session):
            session.execute(delete(AuditEntry).where(AuditEntry.id <= last.id)
                            .execution_options(synchronize_session=False))
    session.commit()
    return removed


@dataclass
class Note:
    """What the body of `audited` learns on the way: the object by its final name, a detail."""
    object: str | None = None
    detail: str | None = None


@contextmanager
def audited(session: Session, action: str, *, account=None, username: str | None = None,
            address: str | None = None, object: str | None = None, detail: str | None = None):
    """Run a change (its core call with commit=False) and commit it with its audit row; when an
    error stops it, roll it back, record the refusal (denied: 401/403/423; failed: any other, with
    the error's code) and re-raise."""
    who = SimpleNamespace(id=account.id, username=account.username, role=account.role) if account else None
    note = Note(object, detail)
    try:
        yield note
    except Exception as e:
        session.rollback()
        why = f"{e.code}：{e.message}" if isinstance(e, LuoshiError) else f"internal：{type(e).__name__}"
        try:
            record(session, action=action, result="denied" if getattr(e, "http_status", 0) in _DENIED else "failed",
                   account=who, username=username, address=address, object=note.object, detail=why)
            session.commit()
        except Exception:  # noqa: BLE001 - the error the user must see is the first one
            session.rollback()
            log.exception("could not record the failure of %s", action)
        raise
    record(session, action=action, result="ok", account=who, username=username, address=address,
           object=note.object, detail=note.detail)
    session.commit()


def cli_user() -> str:
    """Who runs the command line, as the log names them: cli:<OS user>."""
    try:
        return f"cli:{getpass.getuser()}"
    except Exception:  # noqa: BLE001 - a container user without a passwd entry
        return "cli"


def login_failed(session: Session, username: str, address: str | None, error: Exception,
                 action: str = "login_failed") -> None:
    """A refused sign-in (or password check), and the lock-out it caused, in the transaction that
    counts the failure."""
    with session.no_autoflush:  # the count and the lock stay pending, so we can tell a lock just set
        a = find_account(session, username)
    just_locked = a is not None and inspect(a).attrs.locked_until.history.has_changes()
    waiting = isinstance(error, AccountLocked) and not just_locked
    wrong = "动态口令错误" if action == "login_second_factor" else "密码错误"
    why = "账号不存在" if a is None else "账号已停用" if not a.active else "账号锁定中" if waiting else wrong
    record(session, action=action, result="denied" if waiting else "failed", account=a, username=username,
           address=address, object=f"account:{username}"[:300], detail=why)
    if just_locked:
        record(session, action="locked", result="ok", account=a, address=address, object=f"account:{a.username}",
               detail=getattr(error, "message", None))


def logout(session: Session, token: str | None, address: str | None) -> None:
    from luoshi.auth.sessions import token_hash
    from luoshi.store.account_models import Account, AccountSession

    row = session.scalar(select(AccountSession).where(AccountSession.token_hash == token_hash(token or "")))
    a = session.get(Account, row.account_id) if row else None
    if a is not None:
        record(session, action="logout", result="ok", account=a, address=address, object=f"account:{a.username}")


def report_object(unit, period, version: int | None = None) -> str:
    return f"report:{unit}/{period}" + (f" v{version}" if version else "")


def _take_write_lock(session: Session) -> None:
    session.flush()  # a pending write takes SQLite's lock by itself
    conn = session.connection()
    if conn.dialect.name == "postgresql":
        conn.execute(text(sql.PG_AUDIT_LOCK), {"key": sql.AUDIT_LOCK_KEY})
    elif conn.dialect.name == "sqlite" and not conn.connection.dbapi_connection.in_transaction:
        conn.exec_driver_sql(sql.SQLITE_BEGIN_WRITE)


def _tip(session: Session) -> str:
    last = session.scalar(select(AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1))
    return last or _anchor(session)


def _anchor(session: Session) -> str:
    """Where the chain starts: the last purged row's hash, or the genesis."""
    return session.scalar(select(AuditPurge.through_hash).order_by(AuditPurge.id.desc()).limit(1)) or GENESIS


def _fields(e) -> list:
    at = _aware(e.at).astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return [at, e.username, e.account_id, e.role, e.address, e.action, e.object, e.result, e.detail]


def _cut(value: str | None, n: int) -> str | None:
    return None if value is None else str(value)[:n]
