"""The audit log (等保 2.0 level 3, GB/T 22239-2019 §8.1.4): a row for every sign-in, lock-out,
change of data, role or setting, import, export and approval, with time, user, address, action,
object and result, each chained to the row before by a hash (luoshi/auth/audit.py).

Rows are only ever appended. Nothing updates them; only `audit.purge` deletes, and only the oldest
rows past the kept period, after writing the purge down in `audit_purges` (the anchor the rest of
the chain verifies from). The ORM refuses anything else here; the database refuses it too, with
triggers made by migration 0007 (luoshi/store/sql.py)."""
from __future__ import annotations

from contextlib import contextmanager
from datetime import datetime

from sqlalchemy import DateTime, Integer, String, event
from sqlalchemy.orm import Mapped, Session, mapped_column

from luoshi.errors import LuoshiError
from luoshi.store.models import Base, utcnow


class AuditEntry(Base):
    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    username: Mapped[str | None] = mapped_column(String(64))  # as typed when a sign-in fails; cli:<OS user>
    # Not a foreign key: the log must outlive an account and never stand in the way of changing one.
    account_id: Mapped[int | None] = mapped_column(Integer)
    role: Mapped[str | None] = mapped_column(String(16))
    address: Mapped[str | None] = mapped_column(String(45))  # the client's IP; None from the command line
    action: Mapped[str] = mapped_column(String(32), index=True)  # login_ok, report_submitted, …
    object: Mapped[str | None] = mapped_column(String(300))  # report:聊城市工业和信息化局/2022-09 v2
    result: Mapped[str] = mapped_column(String(8))  # ok | denied | failed
    detail: Mapped[str | None] = mapped_column(String(500))
    # UNIQUE: a row has one successor, so two writers can never both chain to the same row.
    prev_hash: Mapped[str] = mapped_column(String(64), unique=True)
    hash: Mapped[str] = mapped_column(String(64), unique=True)


class AuditPurge(Base):
    """A purge of the oldest rows: the chain now starts after `through_id`, from `through_hash`."""

    __tablename__ = "audit_purges"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    through_id: Mapped[int] = mapped_column(Integer)
    through_hash: Mapped[str] = mapped_column(String(64))
    removed: Mapped[int] = mapped_column(Integer)
    older_than_days: Mapped[int] = mapped_column(Integer)
    username: Mapped[str | None] = mapped_column(String(64))


class AuditAppendOnly(LuoshiError):
    code = "audit_append_only"
    http_status = 403


_GUARDED = (AuditEntry, AuditPurge)
_PURGING = "luoshi.audit.purging"


@contextmanager
def purging(session: Session):
    """The one way past the guard: `audit.purge` deleting rows it has written an anchor for."""
    session.info[_PURGING] = True
    try:
        yield
    finally:
        session.info.pop(_PURGING, None)


@event.listens_for(Session, "before_flush")
def _no_changes(session: Session, _context, _instances) -> None:
    for obj in session.deleted:
        if isinstance(obj, _GUARDED):
            raise AuditAppendOnly("审计记录只能追加，不能删除")
    for obj in session.dirty:
        if isinstance(obj, _GUARDED) and session.is_modified(obj):
            raise AuditAppendOnly("审计记录只能追加，不能修改")


@event.listens_for(Session, "do_orm_execute")
def _no_bulk_changes(state) -> None:
    if not (state.is_update or state.is_delete):
        return
    table = getattr(getattr(state.statement, "table", None), "name", None)
    if table == "audit_purges" or (table == "audit_log" and not (state.is_delete and state.session.info.get(_PURGING))):
        raise AuditAppendOnly("审计记录只能追加，不能修改或删除")
