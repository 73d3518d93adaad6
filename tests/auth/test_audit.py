"""The audit log's core (等保 C3, C4, D2): every row chained by hash, an edit or a removal in SQL
found at its row, nothing changed through the ORM or past the database's triggers, purges that
keep 180 days and leave the rest verifiable, and a linear chain under two concurrent writers.
Both backends."""
from __future__ import annotations

import threading
from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy import delete, select, update

from luoshi.auth import audit
from luoshi.auth.accounts import now_utc
from luoshi.auth.policy import AuthPolicy
from luoshi.store import Store
from luoshi.store.audit_models import AuditAppendOnly, AuditEntry, AuditPurge


@pytest.fixture
def store(db_url):
    st = Store(db_url)
    yield st
    st.close()


@pytest.fixture
def s(store):
    with store.session() as session:
        yield session


def write(s, n, days_ago=0, action="login_ok"):
    for i in range(n):
        audit.record(s, action=action, result="ok", username=f"user{i}", address="10.0.0.1",
                     object=f"account:user{i}", detail="测试", now=now_utc() - timedelta(days=days_ago))
    s.commit()


def tamper(s, statement: str) -> None:
    """What the database's owner could still do: switch the guards off, then change a row."""
    if s.get_bind().dialect.name == "postgresql":
        s.execute(sa.text("ALTER TABLE audit_log DISABLE TRIGGER USER"))
    else:
        s.execute(sa.text("DROP TRIGGER audit_log_no_update"))
        s.execute(sa.text("DROP TRIGGER audit_log_no_delete"))
    s.execute(sa.text(statement))
    s.commit()


def test_every_row_chains_to_the_one_before(s):
    write(s, 5)
    chain = s.execute(select(AuditEntry.prev_hash, AuditEntry.hash).order_by(AuditEntry.id)).all()
    assert chain[0].prev_hash == audit.GENESIS
    assert all(b.prev_hash == a.hash for a, b in zip(chain, chain[1:]))
    assert audit.verify(s) == (True, None)
    assert audit.tip(s) == {"rows": 5, "last_id": 5, "last_hash": chain[-1].hash}


def test_an_edit_in_sql_is_found_at_its_row(s):
    write(s, 5)
    tamper(s, "UPDATE audit_log SET detail = '无事发生' WHERE id = 3")
    assert audit.verify(s) == (False, 3)


def test_a_row_removed_in_sql_is_found_at_the_next(s):
    write(s, 5)
    tamper(s, "DELETE FROM audit_log WHERE id = 3")
    assert audit.verify(s) == (False, 4)


def test_the_database_refuses_updates_and_deletes(s):
    write(s, 2, days_ago=400)  # old enough, but no purge covers them
    statements = ["UPDATE audit_log SET result = 'ok' WHERE id = 1", "DELETE FROM audit_log WHERE id = 1",
                  "INSERT INTO audit_purges (at, through_id, through_hash, removed, older_than_days) "
                  "VALUES (CURRENT_TIMESTAMP, 1, 'x', 1, 180)"]
    if s.get_bind().dialect.name == "postgresql":
        statements.append("TRUNCATE audit_log")
    for statement in statements[:2] + statements[3:]:
        with pytest.raises(sa.exc.DBAPIError, match="只能追加"):
            s.execute(sa.text(statement))
        s.rollback()
    s.execute(sa.text(statements[2]))  # a purge written down, by hand: still not its anchor changed
    with pytest.raises(sa.exc.DBAPIError, match="只能追加"):
        s.execute(sa.text("UPDATE audit_purges SET through_id = 2"))
    s.rollback()
    assert audit.verify(s) == (True, None) and audit.tip(s)["rows"] == 2


def test_the_orm_refuses_changes_outside_purge(s):
    write(s, 2)
    entry = s.scalar(select(AuditEntry).where(AuditEntry.id == 1))
    entry.detail = "改过"
    with pytest.raises(AuditAppendOnly, match="不能修改"):
        s.flush()
    s.rollback()
    s.delete(s.get(AuditEntry, 1))
    with pytest.raises(AuditAppendOnly, match="不能删除"):
        s.flush()
    s.rollback()
    for statement in (update(AuditEntry).values(detail="x"), delete(AuditEntry), delete(AuditPurge)):
        with pytest.raises(AuditAppendOnly):
            s.execute(statement)
        s.rollback()
    assert audit.verify(s) == (True, None)


def test_two_rows_can_never_chain_to_the_same_row(s):
    write(s, 2)
    first = s.get(AuditEntry, 2)
    s.add(AuditEntry(at=now_utc(), action="login_ok", result="ok", prev_hash=first.prev_hash, hash="f" * 64))
    with pytest.raises(sa.exc.IntegrityError):
        s.flush()


def test_a_purge_keeps_at_least_180_days_and_says_so(s):
    write(s, 2, days_ago=400)
    with pytest.raises(audit.PurgeRefused, match="至少保存 180 天"):
        audit.purge(s, 179, username="cli:root")
    with pytest.raises(audit.PurgeRefused, match="至少保存 365 天"):
        audit.purge(s, 200, policy=AuthPolicy(audit_keep_days=365))
    refused = s.scalars(select(AuditEntry).where(AuditEntry.action == "audit_purged")).all()
    assert [(r.result, r.username) for r in refused] == [("denied", "cli:root"), ("denied", None)]
    assert "179 天" in refused[0].detail
    assert audit.tip(s)["rows"] == 4 and audit.verify(s) == (True, None)


def test_a_purge_removes_only_the_oldest_and_the_rest_still_verifies(s):
    write(s, 2, days_ago=400)
    write(s, 1, days_ago=200)
    write(s, 1, days_ago=100)  # young: this row and everything after it stays
    write(s, 1, days_ago=300)
    write(s, 1)
    assert audit.purge(s, 180, username="cli:root") == 3
    left = s.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
    assert [e.id for e in left] == [4, 5, 6, 7] and left[-1].action == "audit_purged"
    assert left[-1].object == "audit_log:≤3" and "清除 3 条" in left[-1].detail
    anchor = s.scalar(select(AuditPurge))
    assert (anchor.through_id, anchor.removed, anchor.through_hash) == (3, 3, left[0].prev_hash)
    assert audit.verify(s) == (True, None)
    with pytest.raises(sa.exc.DBAPIError, match="只能追加"):  # old, but after the young row: no purge covers it
        s.execute(sa.text("DELETE FROM audit_log WHERE id = 5"))
    s.rollback()
    assert audit.purge(s, 180) == 0 and audit.verify(s) == (True, None)
    write(s, 1)
    assert audit.verify(s) == (True, None)


def test_a_purge_of_everything_still_chains_on(s):
    write(s, 3, days_ago=400)
    assert audit.purge(s, 180) == 3
    write(s, 2)
    assert audit.verify(s) == (True, None) and audit.tip(s)["rows"] == 3


def test_two_writers_at_once_leave_one_linear_chain(store):
    start, errors = threading.Barrier(2), []

    def writer(name):
        try:
            with store.session() as s:
                start.wait()
                for i in range(15):
                    audit.record(s, action="report_submitted", result="ok", username=name, object=f"report:{i}")
                    s.commit()
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=writer, args=(n,)) for n in ("a", "b")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    with store.session() as s:
        assert audit.verify(s) == (True, None)
        chain = s.execute(select(AuditEntry.prev_hash, AuditEntry.hash).order_by(AuditEntry.id)).all()
        assert len(chain) == 30 and all(b.prev_hash == a.hash for a, b in zip(chain, chain[1:]))


def test_reading_by_time_in_china_time_user_and_action(s):
    from datetime import datetime, timezone

    from luoshi.auth.audit_read import AuditQueryInvalid, count, rows, time_range

    at = datetime(2026, 1, 1, 0, 30, tzinfo=timezone.utc)  # 08:30 in Beijing
    audit.record(s, action="export", result="ok", username="Leader", address="10.0.0.2", object="x", now=at)
    audit.record(s, action="login_ok", result="ok", username="gxj", now=at)
    s.commit()
    assert count(s, *time_range("2026-01-01T08:00", None)) == 2
    assert count(s, *time_range("2026-01-01T09:00", None)) == 0
    assert count(s, *time_range(None, "2025-12-31")) == 0 and count(s, *time_range(None, "2026-01-01")) == 2
    found = rows(s, *time_range("2026-01-01", "2026-01-01"), user="leader", action="export")
    assert [(r["username"], r["address"], r["at"]) for r in found] == [("Leader", "10.0.0.2", "2026-01-01T08:30:00+08:00")]
    for bad in ("昨天", "2026-02-30", "9999-12-31"):
        with pytest.raises(AuditQueryInvalid):
            time_range(None, bad)
