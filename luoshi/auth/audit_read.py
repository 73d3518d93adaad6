"""Reading the audit log, for the auditor alone (the API checks the role; the CLI is the server's
operator): rows newest first, filtered by time, user and action, each with its hashes so a reader
can check a row against the chain."""
from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from luoshi.errors import LuoshiError
from luoshi.store.audit_models import AuditEntry
from luoshi.track.timeliness import CHINA

MAX_LIMIT = 1000


class AuditQueryInvalid(LuoshiError):
    code = "audit_query_invalid"
    http_status = 422


def time_range(since: str | None, until: str | None) -> tuple[datetime | None, datetime | None]:
    """`since` and `until` as the office says them (a day, or a time; China time unless it says
    otherwise) → [start, end) in aware datetimes; a day given as `until` is included whole."""
    return _moment(since, "since", False), _moment(until, "until", True)


def rows(session: Session, since: datetime | None = None, until: datetime | None = None, user: str | None = None,
         action: str | None = None, limit: int = 100, offset: int = 0) -> list[dict]:
    """The rows that match, newest first: `since` inclusive, `until` exclusive."""
    query = _filtered(select(AuditEntry), since, until, user, action).order_by(AuditEntry.id.desc())
    return [entry_dict(e) for e in session.scalars(query.limit(max(1, min(limit, MAX_LIMIT))).offset(max(0, offset)))]


def count(session: Session, since: datetime | None = None, until: datetime | None = None, user: str | None = None,
          action: str | None = None) -> int:
    return session.scalar(_filtered(select(func.count()).select_from(AuditEntry), since, until, user, action))


def entry_dict(e: AuditEntry) -> dict:
    at = e.at if e.at.tzinfo else e.at.replace(tzinfo=timezone.utc)  # SQLite gives naive UTC back
    return {"id": e.id, "at": at.astimezone(CHINA).isoformat(), "username": e.username,
            "account_id": e.account_id, "role": e.role, "address": e.address, "action": e.action,
            "object": e.object, "result": e.result, "detail": e.detail, "prev_hash": e.prev_hash, "hash": e.hash}


def _filtered(query, since, until, user, action):
    if since is not None:
        query = query.where(AuditEntry.at >= since)
    if until is not None:
        query = query.where(AuditEntry.at < until)
    if user:
        query = query.where(func.lower(AuditEntry.username) == user.strip().lower())
    if action:
        query = query.where(AuditEntry.action == action.strip())
    return query


def _moment(text: str | None, name: str, end_of_day: bool) -> datetime | None:
    if text is None or not text.strip():
        return None
    text = text.strip()
    try:
        if re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", text):
            day = date(*map(int, text.split("-")))
            at = datetime.combine(day + timedelta(days=1 if end_of_day else 0), time(), CHINA)
        else:
            at = datetime.fromisoformat(text)
            at = at if at.tzinfo else at.replace(tzinfo=CHINA)
        # UTC, as stored: SQLite compares the text of a time and would ignore its zone.
        return at.astimezone(timezone.utc)
    except (ValueError, OverflowError):
        raise AuditQueryInvalid(f"{name}“{text}”无法识别：应为 2026-11-01 这样的日期或 2026-11-01T08:30 这样的时间") from None
