"""Milestones: set by the office (or by default for tasks with no number), reported by the task's
units as appended versions, judged at a date (overdue counts as 滞后; lights), rolled up into the
task's cached status, listed for dashboards. Both backends (`db_url`)."""
from __future__ import annotations

import threading
from datetime import date
from types import SimpleNamespace as U

import pytest
from sqlalchemy import event, select

from luoshi.store.dispatch_models import Task
from luoshi.store.models import PlanVersion
from luoshi.store.work_models import Milestone, MilestoneUpdate
from luoshi.track import milestones as core
from luoshi.track.milestone_rows import milestone_history, milestone_rows
from luoshi.track.milestone_state import MilestoneSettings, current, judge, refresh_task_status, rollup
from luoshi.track.milestones import (MilestoneConflict, MilestoneInvalid, MilestoneNotFound, TaskNotFound,
                                     add_milestone, default_milestones, report_milestone)
from luoshi.track.reports import UnitNotFound
from tests.track.milestone_data import PDF, build

TODAY = date(2024, 7, 15)


@pytest.fixture
def world(db_url):
    return build(db_url)


@pytest.fixture
def session(world):
    store = world.store()
    with store.session() as s:
        yield s
    store.close()


def send(s, mid, **kw):
    args = dict(unit="市工信局", state="推进中", as_of="2024-03-01", source="api", today=TODAY) | kw
    return report_milestone(s, mid, **args)


def status(s, task_id) -> str:
    s.expire_all()
    return s.get(Task, task_id).status


def test_defaults_go_to_tasks_without_numbers_once(world, session):
    made = default_milestones(session)
    session.commit()
    assert sorted((m.task_id, m.title, m.due, m.position) for m in made) == [
        (world.platform, "完成任务", "2026-12-31", 0),  # no 完成时限: the end of the plan's 实施期
        (world.rules, "完成任务", "2024-06-30", 0)]  # the task's own 完成时限
    assert default_milestones(session) == []  # idempotent
    assert session.scalars(select(Milestone.task_id).where(Milestone.task_id == world.stock_task)).all() == []


def test_defaults_skip_tasks_of_superseded_versions(world, session):
    plan_version = session.scalar(select(PlanVersion))
    session.add(PlanVersion(plan_id=world.plan_id, number=2, sha256="f" * 64, format="txt", text="……",
                            period_start=2024, period_end=2026))
    session.commit()
    assert plan_version.number == 1 and default_milestones(session) == []


def test_the_office_adds_milestones_in_order(world, session):
    a = add_milestone(session, world.platform, title=" 完成招标 ", due="2024-05-31", created_by="调度办")
    b = add_milestone(session, world.platform, title="建成投用", due="2024-12-31")
    c = add_milestone(session, world.platform, title="前期调研", due="2024-02-29", position=-1)
    assert [(m.title, m.position, m.due) for m in (a, b, c)] == [("完成招标", 0, "2024-05-31"),
                                                                 ("建成投用", 1, "2024-12-31"), ("前期调研", -1, "2024-02-29")]
    with pytest.raises(MilestoneInvalid) as e:
        add_milestone(session, world.platform, title="  ", due="2024-02-30", created_by="人" * 101)
    assert [p.field for p in e.value.problems] == ["title", "due", "created_by"] and e.value.http_status == 422
    with pytest.raises(TaskNotFound) as e:
        add_milestone(session, 999, title="x", due="2024-01-01")
    assert e.value.http_status == 404


def test_every_problem_of_a_report_comes_back_at_once_and_nothing_is_stored(world, session):
    m = add_milestone(session, world.platform, title="完成招标", due="2024-05-31")
    cases = [  # (changes, the fields they must name)
        (dict(state="完成了"), {"state"}),
        (dict(unit="市发展和改革委员会"), {"unit"}),  # a unit, but not one of this task
        (dict(unit="没有这个单位"), {"unit"}),
        (dict(as_of="2024-07-16"), {"as_of"}),  # after today
        (dict(as_of="2024/03/01"), {"as_of"}),
        (dict(state="已完成", as_of="2024-08-01"), {"as_of", "evidence"}),  # done in the future, without proof
        (dict(state="滞后", note="  "), {"note"}),
        (dict(evidence_url="ftp://files.example.cn/a.pdf"), {"evidence_url"}),
        (dict(evidence_url="https://example.cn/" + "a" * 1000), {"evidence_url"}),
        (dict(evidence_url="javascript:alert(1)"), {"evidence_url"}),
        (dict(period="2024-13"), {"period"}),
        (dict(period="2024-08"), {"period"}),
        (dict(reported_by="人" * 101), {"reported_by"}),
    ]
    for changes, fields in cases:
        with pytest.raises(MilestoneInvalid) as e:
            send(session, m.id, **changes)
        assert {p.field for p in e.value.problems} == fields, changes
    with pytest.raises(MilestoneInvalid) as e:  # all at once
        send(session, m.id, state="已完成", unit="市发展和改革委员会", as_of="2025-01-01", evidence_url="x")
    assert [p.field for p in e.value.problems] == ["unit", "as_of", "evidence_url"]
    assert "不是该任务的牵头或配合单位" in e.value.message and e.value.code == "milestone_invalid"
    assert session.scalars(select(MilestoneUpdate)).all() == []
    with pytest.raises(MilestoneNotFound):
        send(session, 999)


def test_reports_append_versions_from_lead_and_support(world, session):
    m = add_milestone(session, world.platform, title="完成招标", due="2024-05-31")
    one = send(session, m.id, unit="市工信局", period="2024-03", note="已发布招标公告", reported_by="张三")
    two = send(session, m.id, unit="市通信发展管理办公室", state="已完成", as_of="2024-05-20",
               evidence_url="https://ggzy.example.cn/zb/123", source="web")
    three = send(session, m.id, unit=world.lead, state="已完成", as_of="2024-05-18", evidence=("中标通知书.pdf", PDF))
    assert [(u.version, u.state, u.unit_id) for u in (one, two, three)] == [
        (1, "推进中", world.lead), (2, "已完成", world.support), (3, "已完成", world.lead)]
    session.expire_all()
    rows = milestone_history(session, m.id)
    assert [(r["version"], r["state"], r["as_of"], r["period"], r["unit"], r["note"]) for r in rows] == [
        (1, "推进中", "2024-03-01", "2024-03", "市工业和信息化局", "已发布招标公告"),
        (2, "已完成", "2024-05-20", None, "市通信发展管理办公室", None),
        (3, "已完成", "2024-05-18", None, "市工业和信息化局", None)]
    assert rows[1]["evidence_url"] == "https://ggzy.example.cn/zb/123" and rows[2]["evidence_name"] == "中标通知书.pdf"
    assert rows[0]["reported_by"] == "张三" and rows[1]["source"] == "web"


@pytest.mark.parametrize("due, state, as_of, on, want", [
    # (due, reported state or None, its as_of, judged on) → (state, overdue, light, status)
    ("2024-06-30", None, None, "2024-05-30", ("未启动", False, "green", "未启动")),  # 31 days: still green
    ("2024-06-30", None, None, "2024-06-01", ("未启动", False, "yellow", "未启动，距完成时限29天")),
    ("2024-06-30", "未启动", "2024-01-01", "2024-05-31", ("未启动", False, "yellow", "未启动，距完成时限30天")),
    ("2024-06-30", None, None, "2024-06-30", ("未启动", False, "yellow", "今日到期，尚未启动")),
    ("2024-06-30", None, None, "2024-07-01", ("滞后", True, "red", "逾期1天未完成（单位报“未启动”）")),
    ("2024-06-30", "推进中", "2024-03-01", "2024-06-30", ("推进中", False, "green", "推进中")),
    ("2024-06-30", "推进中", "2024-03-01", "2024-07-10", ("滞后", True, "red", "逾期10天未完成（单位报“推进中”）")),
    ("2024-06-30", "滞后", "2024-03-01", "2024-04-01", ("滞后", False, "red", "滞后")),
    ("2024-06-30", "滞后", "2024-03-01", "2024-07-02", ("滞后", True, "red", "滞后，已逾期2天")),
    ("2024-06-30", "已完成", "2024-06-30", "2024-09-01", ("已完成", False, "green", "已完成")),
    ("2024-06-30", "已完成", "2024-07-03", "2024-09-01", ("已完成", False, "green", "已完成（逾期完成）")),
    (None, None, None, "2030-01-01", ("未启动", False, "green", "未启动")),  # no due day: never late
])
def test_the_light_rule(due, state, as_of, on, want):
    update = U(state=state, as_of=as_of, version=1) if state else None
    j = judge(due, update, date.fromisoformat(on))
    assert (j.state, j.overdue, j.light.value, j.status) == want


def test_the_warning_window_is_a_setting():
    j = judge("2024-06-30", None, date(2024, 5, 1), MilestoneSettings(warn_days=60))
    assert (j.light.value, j.days_left) == ("yellow", 60)


def test_the_update_in_force_is_the_newest_version_dated_on_or_before():
    ups = [U(version=1, state="推进中", as_of="2024-03-01"), U(version=2, state="已完成", as_of="2024-05-10"),
           U(version=3, state="推进中", as_of="2024-05-01"),  # the completion withdrawn, from 1 May
           U(version=4, state="已完成", as_of="2024-04-20")]  # then dated back: it was done on 20 April
    assert current(ups, date(2024, 2, 1)) is None
    assert [current(ups, date(2024, m, d)).version for m, d in ((3, 1), (4, 19), (4, 20), (5, 5), (6, 1))] == \
        [1, 1, 4, 4, 4]
    assert current(ups[:3], date(2024, 6, 1)).state == "推进中"  # v3 corrects v2 once both hold


@pytest.mark.parametrize("states, want", [([], None), (["已完成", "已完成"], "已完成"), (["已完成", "滞后"], "滞后"),
                                          (["推进中", "滞后", "未启动"], "滞后"), (["已完成", "未启动"], "推进中"),
                                          (["推进中"], "推进中"), (["未启动", "未启动"], "未启动")])
def test_a_task_rolls_up_from_its_milestones(states, want):
    assert rollup(states) == want


def test_task_status_is_a_cached_roll_up_kept_on_change(world, session):
    a = add_milestone(session, world.platform, title="完成招标", due="2024-05-31", today=date(2024, 1, 1))
    b = add_milestone(session, world.platform, title="建成投用", due="2024-12-31", today=date(2024, 1, 1))
    assert status(session, world.platform) == "未启动" and a.position < b.position
    send(session, a.id, state="推进中", as_of="2024-03-01", today=date(2024, 4, 1))
    assert status(session, world.platform) == "推进中"
    refresh_task_status(session, on=date(2024, 6, 1))  # 完成招标 is overdue now
    session.commit()
    assert status(session, world.platform) == "滞后"
    send(session, a.id, state="已完成", as_of="2024-06-05", evidence_url="https://example.cn/a", today=date(2024, 6, 6))
    assert status(session, world.platform) == "推进中"
    send(session, b.id, state="已完成", as_of="2024-07-01", evidence=("验收.pdf", PDF), today=date(2024, 7, 2))
    assert status(session, world.platform) == "已完成"
    assert status(session, world.stock_task) == "未启动"  # a task without milestones is left alone


def test_rows_for_dashboards(world, session):
    default_milestones(session)
    session.commit()
    bid = add_milestone(session, world.platform, title="完成招标", due="2024-05-31")
    send(session, bid.id, state="推进中", as_of="2024-03-01")
    send(session, bid.id, state="已完成", as_of="2024-05-20", evidence=("中标通知书.pdf", PDF))
    rules = session.scalar(select(Milestone.id).where(Milestone.task_id == world.rules))
    send(session, rules, unit="市发展和改革委员会", state="滞后", as_of="2024-06-10", note="上位法尚未出台")

    def look(**kw):
        return [(r["title"], r["state"], r["light"], r["status"]) for r in milestone_rows(session, **kw)]

    assert look(as_of="2024-07") == [("完成任务", "未启动", "green", "未启动"),
                                     ("完成招标", "已完成", "green", "已完成"),
                                     ("完成任务", "滞后", "red", "滞后，已逾期31天")]
    assert look(as_of="2024-05-10") == [("完成任务", "未启动", "green", "未启动"),
                                        ("完成招标", "推进中", "green", "推进中"),
                                        ("完成任务", "未启动", "green", "未启动")]  # 51 days to go
    assert look(as_of="2024-06-05")[2] == ("完成任务", "未启动", "yellow", "未启动，距完成时限25天")
    assert look(as_of=date(2024, 2, 1))[1] == ("完成招标", "未启动", "green", "未启动")  # nothing reported by then
    assert look(as_of="2024-05-01")[1] == ("完成招标", "推进中", "green", "推进中")
    rows = milestone_rows(session, unit="市通信发展管理办公室", as_of="2024-07-31")  # a supporting unit's tasks
    assert [r["id"] for r in rows] == [r["id"] for r in milestone_rows(session, unit="市工信局", as_of="2024-07")]
    r = rows[1]
    assert (r["task"], r["lead"], r["support"], r["region"], r["version"], r["since"]) == (
        "建设城市数据共享平台", ["市工业和信息化局"], ["市通信发展管理办公室"], "澜州市", 2, "2024-05-20")
    assert (r["evidence_name"], r["reported_unit"], r["task_state"], r["days_left"]) == (
        "中标通知书.pdf", "市工业和信息化局", "推进中", -61)
    assert [x["task"] for x in milestone_rows(session, unit=world.other_unit, as_of="2024-07")] == ["出台数据要素管理办法"]
    assert len(milestone_rows(session, region="澜州市", plan=str(world.plan_id), as_of="2024-07")) == 3
    assert milestone_rows(session, region="聊城市", as_of="2024-07") == []
    with pytest.raises(UnitNotFound):
        milestone_rows(session, unit="没有这个单位", as_of="2024-07")


def test_two_reports_at_once_leave_one_version_and_one_conflict(world, monkeypatch):
    store = world.store()
    with store.session() as s:
        mid = add_milestone(s, world.platform, title="完成招标", due="2024-05-31").id
    store.close()
    barrier = threading.Barrier(2, timeout=30)
    original = core._next_version

    def both_computed(session, milestone_id):
        version = original(session, milestone_id)
        barrier.wait()  # neither inserts before both have computed the same next version
        return version

    monkeypatch.setattr(core, "_next_version", both_computed)
    results: dict[str, object] = {}

    def report(who, state, extra):
        store = world.store()  # an engine and a session of its own
        try:
            with store.session() as s:
                results[who] = send(s, mid, unit=who, state=state, as_of="2024-05-20", **extra).version
        except Exception as e:  # noqa: BLE001 - the test looks at it
            results[who] = e
        finally:
            store.close()

    threads = [threading.Thread(target=report, args=("市工业和信息化局", "已完成", {"evidence": ("验收.pdf", PDF)})),
               threading.Thread(target=report, args=("市通信发展管理办公室", "推进中", {}))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    winners = [w for w, r in results.items() if r == 1]
    losers = [w for w, r in results.items() if isinstance(r, MilestoneConflict)]
    assert len(winners) == 1 and len(losers) == 1, results
    conflict = results[losers[0]]
    assert conflict.http_status == 409 and "刷新后重试" in conflict.message and "第1版" in conflict.message
    store = world.store()
    with store.session() as s:
        rows = milestone_history(s, mid)
        assert [(r["version"], r["unit"]) for r in rows] == [(1, winners[0])]
    store.close()


def test_listing_takes_a_fixed_number_of_queries(world):
    store = world.store()
    try:
        with store.session() as s:
            default_milestones(s)
            for k in range(12):
                m = add_milestone(s, world.platform, title=f"节点{k}", due="2024-12-31", today=TODAY)
                send(s, m.id, state="已完成", as_of="2024-06-01", evidence=(f"{k}.pdf", PDF + bytes([k])))
        statements = []
        event.listen(store.engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
        with store.session() as s:
            rows = milestone_rows(s, as_of="2024-07")
        # plans, tasks, milestones, their updates, task units, unit names, evidence names
        assert len(rows) == 14 and sum(r["evidence_name"] is not None for r in rows) == 12
        assert len(statements) == 7
    finally:
        store.close()
