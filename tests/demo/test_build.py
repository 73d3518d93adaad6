"""The demo world: its plans through the real pipeline, the county layer on 聊城市's eight real
divisions, accounts that sign in, and a history whose lights, timeliness and corrections are
what the core computes from it (each checked through the core's own functions)."""
from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy import select

from luoshi.auth.accounts import authenticate
from luoshi.demo import build_demo
from luoshi.demo.accounts import PASSWORD
from luoshi.demo.build import StoreNotEmpty
from luoshi.demo.county_plans import COUNTIES, NOTE
from luoshi.store import Store
from luoshi.store.account_models import Account
from luoshi.store.dispatch_models import ReportLine, Submission, Task, TaskTarget, TaskUnit, Unit
from luoshi.store.models import Plan, PlanVersion, TargetRow
from luoshi.track.catalog import load_catalog
from luoshi.track.office_timeliness import office_timeliness
from luoshi.track.progress import progress
from luoshi.track.reports import history
from luoshi.track.timeliness import received_on
from tests.demo.conftest import TODAY

COUNTY_CODES = {"371502", "371581", "371521", "371522", "371503", "371524", "371525", "371526"}


def session(url):
    store = Store(url)
    s = store.session()
    s.info["store"] = store
    return s


@pytest.fixture
def s(demo):
    sess = session(demo[0])
    yield sess
    sess.close()
    sess.info["store"].close()


def test_nine_plans_the_sample_and_eight_counties(demo, s):
    _, world = demo
    plans = {p.title: p for p in s.scalars(select(Plan))}
    assert len(plans) == 9 == world.counts["plans"]
    assert plans["澜州市数字基础设施建设三年行动方案（2024—2026年）"].region_name == "澜州市"
    county = [p for p in plans.values() if p.region_code in COUNTY_CODES]
    assert {p.region_code for p in county} == COUNTY_CODES == set(world.county_plans)
    assert {p.region_name for p in county} == {c.name for c in COUNTIES}
    for p in county:
        assert p.title == f"{p.region_name}数字基础设施建设三年行动方案（示例）（2024—2026年）"
        v = s.scalar(select(PlanVersion).where(PlanVersion.plan_id == p.id))
        assert v.text.startswith(NOTE) and (v.period_start, v.period_end) == (2024, 2026)
        targets = list(s.scalars(select(TargetRow).where(TargetRow.version_id == v.id)))
        assert len(targets) == 12 and {t.year for t in targets} == {2026}
        # three tasks, each led by a department of the county itself, each with two targets
        leads = s.execute(select(Unit.name, Unit.region_code).join(TaskUnit, TaskUnit.unit_id == Unit.id)
                          .join(Task, Task.id == TaskUnit.task_id)
                          .where(Task.plan_id == p.id, TaskUnit.role == "lead")).all()
        scope = "市" if p.region_name == "临清市" else p.region_name[-1]
        assert sorted(n for n, _ in leads) == sorted(p.region_name + d for d in ("工业和信息化局", "发展和改革局", "大数据中心"))
        assert {c for _, c in leads} == {p.region_code} and scope in "县区市"
        tasked = s.scalars(select(TaskTarget.target_id).join(Task, Task.id == TaskTarget.task_id)
                           .where(Task.plan_id == p.id)).all()
        assert len(tasked) == 6


def test_every_role_signs_in_with_the_demo_password(demo, s):
    _, world = demo
    roles = Counter(a.role for a in world.accounts)
    assert roles["admin"] == roles["auditor"] == roles["coordinator"] == roles["leader"] == 1
    # Argon2 costs 0.2 s a check: each office role and two reporters sign in; the other reporters
    # share the very hash the two signed in with
    for name in ("admin", "auditor", "office", "leader", "gxj", "yg-gxj"):
        assert authenticate(s, name, PASSWORD).role == next(a.role for a in world.accounts if a.username == name)
    assert len(set(s.scalars(select(Account.password_hash)))) == 1
    # a reporter for each unit leading a task with targets, bound to that unit
    leading = set(s.scalars(select(Unit.name).join(TaskUnit, TaskUnit.unit_id == Unit.id)
                            .join(TaskTarget, TaskTarget.task_id == TaskUnit.task_id).where(TaskUnit.role == "lead")))
    reporters = {a.username: a.unit for a in world.accounts if a.role == "reporter"}
    assert set(reporters.values()) == leading
    assert reporters["gxj"] == "澜州市工业和信息化局" and reporters["yg-gxj"] == "阳谷县工业和信息化局"
    stored = {a.username: a.unit_id for a in s.scalars(select(Account).where(Account.role == "reporter"))}
    names = dict(s.execute(select(Unit.id, Unit.name)).all())
    assert {u: names[i] for u, i in stored.items()} == reporters


def test_lights_of_all_three_colours_county_plans_included(demo, s):
    rows = progress(s, as_of=TODAY, catalog=load_catalog(None))
    lights = Counter(p.light.value for p in rows if p.light)
    assert lights["green"] > lights["yellow"] > 0 and lights["red"] > 0
    by_county = Counter(p.region for p in rows if p.light and p.region != "澜州市")
    assert set(by_county) == {c.name for c in COUNTIES}
    # the core asks a behind line for its reasons: every yellow or red target's last line has them
    for p in rows:
        if p.light and p.light.value in ("yellow", "red") and p.kind == "goal" and p.last_period == "2026-10":
            line = _current_line(s, p.same_as or p.target_id, p.last_period)
            assert line.delay_reason and line.next_steps, p.indicator


def test_lower_is_better_moves_down(demo, s):
    pue = s.scalars(select(TargetRow.id).join(TaskTarget, TaskTarget.target_id == TargetRow.id)
                    .where(TargetRow.indicator == "数据中心平均PUE值")).all()
    assert len(pue) == 8
    for tid in pue:
        values = [float(v) for _, v in s.execute(
            select(Submission.period, ReportLine.cumulative).join(ReportLine, ReportLine.submission_id == Submission.id)
            .where(ReportLine.target_id == tid).order_by(Submission.period, Submission.version))]
        assert values[-1] < values[0] and values == sorted(values, reverse=True)


def test_history_runs_to_the_month_before_today_with_late_and_missing_reports(demo, s):
    periods = sorted(set(s.scalars(select(Submission.period))))
    assert periods[0] == "2024-01" and periods[-1] == "2026-10"
    t = office_timeliness(s, start="2024-01", end="2026-10", as_of=TODAY)
    states = Counter(r.state for r in t.reports)
    assert states["late"] >= 20 and states["on_time"] > 10 * states["late"]
    assert 2 <= states["missing"] <= 6 and not states["pending"]
    assert {r.period for r in t.missing} <= {"2026-09", "2026-10"}
    assert len({r.unit for r in t.missing}) >= 2


def test_one_report_corrected_with_its_reason(demo, s):
    twice = s.execute(select(Submission.unit_id, Submission.period).where(Submission.version == 2)).all()
    assert len(twice) == 1
    versions = history(s, *twice[0])
    assert [v.version for v in versions] == [1, 2]
    assert versions[0].correction_reason is None and "更正" in versions[1].correction_reason
    first = {ln.target_id: ln.cumulative for ln in versions[0].lines}
    assert any(first[ln.target_id] != ln.cumulative for ln in versions[1].lines)


def test_the_same_seed_and_day_build_the_same_world(demo, tmp_path):
    url, world = demo
    if not url.startswith("sqlite"):
        pytest.skip("built twice on SQLite only (a build takes seconds)")
    again = build_demo(f"sqlite:///{tmp_path}/again.db", today=TODAY)
    assert again.counts == world.counts and again.county_plans == world.county_plans
    assert [a.username for a in again.accounts] == [a.username for a in world.accounts]
    assert _lines(f"sqlite:///{tmp_path}/again.db") == _lines(url)
    with pytest.raises(StoreNotEmpty):
        build_demo(url, today=TODAY)


def _current_line(s, target_id: int, period: str) -> ReportLine:
    return s.scalars(select(ReportLine).join(Submission, Submission.id == ReportLine.submission_id)
                     .where(ReportLine.target_id == target_id, Submission.period == period)
                     .order_by(Submission.version.desc())).first()


def _lines(url: str) -> list[tuple]:
    """Every report line with the day it was received (a report received today is stamped now)."""
    sess = session(url)
    try:
        rows = sess.execute(select(Submission.unit_id, Submission.period, Submission.version, Submission.submitted_at,
                                   ReportLine.target_id, ReportLine.cumulative, ReportLine.delay_reason)
                            .join(ReportLine, ReportLine.submission_id == Submission.id)).all()
        return sorted((u, p, v, received_on(at), *rest) for u, p, v, at, *rest in rows)
    finally:
        sess.close()
        sess.info["store"].close()


def test_the_office_has_published_the_last_whole_quarters_bulletin(demo, s):
    from luoshi.publish.bulletin.archive import bulletins

    rows = bulletins(s, published_only=True)
    assert [(r.region, r.period, r.version) for r in rows] == [("聊城市", "2026Q3", 1)]  # history ends 2026-10
    row = rows[0]
    assert row.as_of == "2026-09" and row.pdf is None and row.published_by == "demo"
    assert demo[1].counts["bulletins"] == 1
    # Its first count is the targets of 聊城市's plans judged at September's end.
    judged = [p for p in progress(s, region="聊城市", as_of="2026-09", catalog=load_catalog(None)) if p.same_as is None]
    total = next(f for f in row.figures if f["label"] == "量化指标数")
    assert total["value"] == len(judged) and sorted(total["source"]["targets"]) == sorted(p.target_id for p in judged)
