"""Versions, timeliness and concurrency of monthly reports, on both backends (`db_url`)."""
from __future__ import annotations

import threading
from datetime import date, datetime, timezone

import pytest
from sqlalchemy import select

from luoshi.errors import LuoshiError
from luoshi.store.dispatch_models import ReportLine, Submission
from luoshi.track import reports
from luoshi.track.reports import (DispatchSettings, ReportConflict, ReportInvalid, ReportLocked, current_lines, history,
                                  submit, timeliness_of)
from luoshi.track.timeliness import due_date, lock_date
from tests.track.report_data import build, counts
from tests.track.test_reports import march, send


@pytest.fixture
def world(db_url):
    return build(db_url)


def stored(world, period="2024-03"):
    store = world.store()
    try:
        with store.session() as s:
            subs = history(s, world.lead, period)
            return [(x.version, x.submitted_by, x.correction_reason, x.submitted_at is not None,
                     sorted((ln.target_id, float(ln.cumulative)) for ln in x.lines)) for x in subs]
    finally:
        store.close()


def test_a_correction_is_version_2_and_keeps_version_1(world):
    send(world, march(world), submitted_by="张三")
    with pytest.raises(ReportInvalid) as e:
        send(world, march(world, cumulative=6450, month_value=450))
    assert [(p.line, p.field) for p in e.value.problems] == [(None, "correction_reason")]
    assert counts(world.url) == (1, 2)
    fixed = [{"target_id": world.stock, "month_value": 450, "cumulative": 6450}]  # the new line set is complete
    sub = send(world, fixed, submitted_by="李四", correction_reason="重复统计50个")
    assert sub.version == 2
    assert stored(world) == [(1, "张三", None, True, [(world.stock, 6500), (world.new, 800)]),
                             (2, "李四", "重复统计50个", True, [(world.stock, 6450)])]
    store = world.store()
    with store.session() as s:
        assert [(ln.target_id, float(ln.cumulative)) for ln in current_lines(s, world.lead, "2024-03")] == \
            [(world.stock, 6450)]
        assert current_lines(s, world.lead, "2024-04") == []
    store.close()


def test_the_next_month_agrees_with_the_current_version(world):
    send(world, march(world))
    send(world, [{"target_id": world.stock, "month_value": 450, "cumulative": 6450}], correction_reason="核减")
    may = date(2024, 5, 5)
    with pytest.raises(ReportInvalid) as e:
        send(world, [{"target_id": world.stock, "month_value": 100, "cumulative": 6600}], period="2024-04", as_of=may)
    assert "6550" in e.value.problems[0].message
    assert send(world, [{"target_id": world.stock, "month_value": 100, "cumulative": 6550}],
                period="2024-04", as_of=may).version == 1


@pytest.mark.parametrize("day, state", [(10, "on_time"), (11, "late"), (25, "late")])
def test_late_reports_are_stored_and_marked(world, day, state):
    sub = send(world, march(world), as_of=date(2024, 4, day))
    assert (sub.timeliness, sub.approved) == (state, False)
    assert counts(world.url) == (1, 2)


def test_a_locked_month_needs_the_office(world):
    with pytest.raises(ReportLocked) as e:
        send(world, march(world), as_of=date(2024, 4, 26))
    assert "2024年3月" in e.value.message and "2024年4月10日" in e.value.message and "同意" in e.value.message
    assert (e.value.http_status, e.value.exit_code) == (423, 2)
    assert counts(world.url) == (0, 0)
    sub = send(world, march(world), as_of=date(2024, 4, 26), approved=True)
    assert (sub.timeliness, sub.approved) == ("locked", True)
    with pytest.raises(ReportLocked):  # a correction of a locked month too
        send(world, march(world), as_of=date(2024, 6, 1), correction_reason="更正")
    assert send(world, march(world), as_of=date(2024, 6, 1), correction_reason="更正", approved=True).version == 2


def test_approval_is_stored_only_where_it_was_needed(world):
    assert send(world, march(world), approved=True).approved is False


def test_the_office_sets_the_days():
    s = DispatchSettings(due_day=31, lock_after_days=3)
    assert due_date("2024-01", s) == date(2024, 2, 29) and due_date("2024-12", s) == date(2025, 1, 31)
    assert lock_date("2024-01", s) == date(2024, 3, 3)
    with pytest.raises(LuoshiError):
        DispatchSettings(due_day=0)


@pytest.mark.parametrize("utc, state", [(datetime(2024, 4, 10, 15, 59), "on_time"),  # 23:59 in Beijing
                                        (datetime(2024, 4, 10, 16, 0), "late"), (datetime(2024, 4, 25, 16, 0), "locked")])
def test_stored_reports_are_judged_by_their_day_in_china(utc, state):
    for at in (utc, utc.replace(tzinfo=timezone.utc)):  # SQLite gives naive UTC back
        assert timeliness_of(Submission(period="2024-03", submitted_at=at)) == state


def test_two_reports_at_once_leave_one_version_and_one_conflict(world, monkeypatch):
    barrier = threading.Barrier(2, timeout=30)
    original = reports._next_version

    def both_computed(session, unit_id, period):
        version = original(session, unit_id, period)
        barrier.wait()  # neither inserts before both have computed the same next version
        return version

    monkeypatch.setattr(reports, "_next_version", both_computed)
    payloads = {"甲": [{"target_id": world.stock, "month_value": 500, "cumulative": 6500, "narrative": "甲"}],
                "乙": [{"target_id": world.stock, "month_value": 400, "cumulative": 6400, "narrative": "乙"},
                       {"target_id": world.new, "month_value": 300, "cumulative": 800, "narrative": "乙"}]}
    results: dict[str, object] = {}

    def report(who):
        store = world.store()  # an engine and a session of its own
        try:
            with store.session() as s:
                results[who] = submit(s, unit=world.lead, period="2024-03", lines=payloads[who], source="web",
                                      submitted_by=who, as_of=date(2024, 4, 5)).version
        except Exception as e:  # noqa: BLE001 - the test looks at it
            results[who] = e
        finally:
            store.close()

    threads = [threading.Thread(target=report, args=(who,)) for who in payloads]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    winners = [w for w, r in results.items() if r == 1]
    losers = [w for w, r in results.items() if isinstance(r, ReportConflict)]
    assert len(winners) == 1 and len(losers) == 1, results
    conflict = results[losers[0]]
    assert (conflict.http_status, conflict.exit_code) == (409, 2) and "刷新后重试" in conflict.message
    store = world.store()
    with store.session() as s:
        subs = s.scalars(select(Submission)).all()
        lines = s.scalars(select(ReportLine)).all()
        assert [(x.version, x.submitted_by) for x in subs] == [(1, winners[0])]
        assert {(ln.submission_id, ln.narrative) for ln in lines} == {(subs[0].id, winners[0])}
        assert len(lines) == len(payloads[winners[0]])
    store.close()
