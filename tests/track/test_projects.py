"""The key-project library: adding, changing, retiring and restoring append versions and never
touch an old one; every problem of a bad add comes back at once with nothing stored; the library
reads back as of any day; two changes racing leave one version and a conflict; links, filters and
totals. Both backends (`db_url`)."""
from __future__ import annotations

import threading
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from luoshi.store.work_models import ProjectVersion
from luoshi.track import projects
from luoshi.track.project_queries import LinkInvalid, link, project_rows, totals, unlink, version_rows
from luoshi.track.project_rules import parse_date, parse_investment
from luoshi.track.projects import ProjectConflict, ProjectInvalid, ProjectNotFound
from tests.track.project_data import at, build_projects, counts

FULL = {"name": "澜州市数据中心二期", "unit": "市工信局", "county": "东昌府区", "planned_investment": "1,200.5",
        "completed_investment": "300万元", "planned_start": "2024-3", "planned_end": "2025/12/31",
        "actual_start": "2024-04-02", "in_statistics": "是"}


@pytest.fixture
def world(db_url):
    return build_projects(db_url)


def add(world, fields=None, **kw):
    with world.session() as s:
        kw.setdefault("at", at("2024-05-01 09:00"))
        return projects.add(s, dict(FULL if fields is None else fields), source="api", **kw)


def do(world, fn, *args, **kw):
    with world.session() as s:
        return fn(s, *args, source="api", **kw)


def versions(world, code) -> list[tuple]:
    with world.session() as s:
        return [(v.version, v.change, v.name, v.completed_investment, v.retired, v.reason)
                for v in projects.history(s, code)]


def test_add_reads_every_field_and_assigns_codes(world):
    v = add(world, changed_by="张三", reason="2024年第一批")
    assert (v.version, v.change, v.changed_by, v.reason, v.source) == (1, "add", "张三", "2024年第一批", "api")
    assert v.owner_unit_id == world.base.lead  # 市工信局 is an alias of 市工业和信息化局
    assert (v.county, v.region_code) == ("东昌府区", "371502")
    assert (v.planned_investment, v.completed_investment) == (Decimal("1200.5"), Decimal("300"))
    assert (v.planned_start, v.planned_end, v.actual_start, v.in_statistics) == ("2024-03", "2025-12-31", "2024-04-02",
                                                                                  True)
    second = add(world, {"name": "5G基站", "unit": "市发展和改革委员会"})
    given = add(world, {"name": "算力中心", "unit": world.base.other_unit}, code="LZ-2024-7")
    after = add(world, {"name": "智慧灯杆", "unit": "市发展和改革委员会"})
    with world.session() as s:
        codes = [s.get(projects.Project, x.project_id).code for x in (v, second, given, after)]
    assert codes == ["XM-0001", "XM-0002", "LZ-2024-7", "XM-0003"]
    assert (second.in_statistics, second.planned_investment, second.county) == (False, None, None)
    with pytest.raises(ProjectInvalid) as e:
        add(world, {"name": "重复", "unit": "市工信局"}, code="LZ-2024-7")
    assert [p.field for p in e.value.problems] == ["code"] and "已存在" in e.value.problems[0].message


def test_a_bad_project_names_every_problem_and_stores_nothing(world):
    bad = {"name": "  ", "unit": "市不存在局", "planned_investment": "-5", "completed_investment": "十万",
           "planned_start": "2025-06", "planned_end": "2025-01", "actual_start": "2024-06-01", "in_statistics": "也许",
           "owner": "x"}
    with pytest.raises(ProjectInvalid) as e:
        add(world, bad)
    got = {p.field: p.message for p in e.value.problems}
    assert set(got) == {"name", "unit", "planned_investment", "completed_investment", "planned_end", "actual_start",
                        "in_statistics", "fields"}
    assert got["name"] == "必填" and "市不存在局" in got["unit"]
    assert "负数" in got["planned_investment"] and "十万" in got["completed_investment"]
    assert "早于计划开工" in got["planned_end"] and "晚于今天（2024-05-01）" in got["actual_start"]
    assert "owner" in got["fields"]
    assert e.value.http_status == 422 and "共 8 处问题" in e.value.message
    assert counts(world.url) == (0, 0, 0)
    with pytest.raises(ProjectInvalid) as e:
        add(world, {"name": "x" * 301})
    assert {p.field for p in e.value.problems} == {"name", "unit"}  # too long, and a unit is required
    with pytest.raises(ProjectInvalid) as e:
        add(world, {**FULL, "planned_start": "2024-13", "planned_end": "2024-02-30"})
    assert {p.field for p in e.value.problems} == {"planned_start", "planned_end"}  # no order check on bad dates


@pytest.mark.parametrize("cell, value", [("1,200.5", "1200.5"), ("1200万元", "1200"), (" 80万 ", "80"),
                                         ("1.2亿元", "12000"), ("１２００", "1200"), (7, "7"), (0.5, "0.5"), ("0", "0"),
                                         ("", None), (None, None)])
def test_investments_in_wan_yuan(cell, value):
    assert parse_investment(cell) == (None if value is None else Decimal(value))


@pytest.mark.parametrize("cell", ["abc", "-1", -0.5, "5000元", "12%", "1.2.3", True, "十二"])
def test_what_is_no_investment(cell):
    with pytest.raises(ValueError):
        parse_investment(cell)


@pytest.mark.parametrize("cell, value", [("2024-3", "2024-03"), ("2024/03/05", "2024-03-05"), ("2024年3月", "2024-03"),
                                         ("2024年3月5日", "2024-03-05"), (date(2024, 2, 29), "2024-02-29"), ("", None)])
def test_dates(cell, value):
    assert parse_date(cell) == value


@pytest.mark.parametrize("cell", ["2024-13", "2023-02-29", "March", "20240305", "2024", 2024])
def test_what_is_no_date(cell):
    with pytest.raises(ValueError):
        parse_date(cell)


def test_a_change_appends_a_version_with_only_the_given_fields(world):
    add(world)
    v2 = do(world, projects.change, "XM-0001", {"completed_investment": "450", "county": ""}, reason="6月调度",
            changed_by="李四", at=at("2024-06-15 10:00"))
    assert (v2.version, v2.change, v2.reason, v2.changed_by) == (2, "change", "6月调度", "李四")
    assert (v2.completed_investment, v2.county, v2.region_code) == (Decimal("450"), None, None)
    assert (v2.name, v2.planned_investment, v2.owner_unit_id, v2.actual_start) == (
        FULL["name"], Decimal("1200.5"), world.base.lead, "2024-04-02")
    # the same values written differently change nothing, and append nothing
    same = {"unit": "市工业和信息化局", "planned_investment": 1200.5, "completed_investment": "450万元",
            "planned_start": "2024年3月", "in_statistics": True}
    assert do(world, projects.change, "XM-0001", same) is None
    assert [v[:4] for v in versions(world, "XM-0001")] == [
        (1, "add", FULL["name"], Decimal("300")), (2, "change", FULL["name"], Decimal("450"))]
    with world.session() as s:
        changes = version_rows(s, "XM-0001")[1]["changes"]
    assert [(c["label"], c["before"], c["after"]) for c in changes] == [
        ("所在区县", "东昌府区", None), ("累计完成投资", Decimal("300"), Decimal("450"))]
    with pytest.raises(ProjectInvalid) as e:
        do(world, projects.change, "XM-0001", {"name": "", "planned_end": "2023-12"})
    assert {p.field for p in e.value.problems} == {"name", "planned_end"}
    with pytest.raises(ProjectInvalid) as e:
        do(world, projects.change, "XM-0001", {"completed_investment": 500}, at=at("2024-06-01 10:00"))
    assert [p.field for p in e.value.problems] == ["at"]  # before version 2: history stays in order
    with pytest.raises(ProjectNotFound):
        do(world, projects.change, "XM-0404", {"name": "x"})
    assert counts(world.url)[1] == 2


def test_retire_and_restore_need_a_reason_and_keep_the_history(world):
    add(world)
    with pytest.raises(ProjectInvalid) as e:
        do(world, projects.retire, "XM-0001", reason=" ")
    assert [p.field for p in e.value.problems] == ["reason"]
    do(world, projects.retire, "XM-0001", reason="并入市级统筹项目", at=at("2024-07-01 09:00"))
    with pytest.raises(ProjectInvalid) as e:
        do(world, projects.change, "XM-0001", {"completed_investment": 500})
    assert "已退库" in e.value.problems[0].message
    with pytest.raises(ProjectInvalid):
        do(world, projects.retire, "XM-0001", reason="again")
    v = do(world, projects.restore, "XM-0001", reason="重新列入", at=at("2024-08-01 09:00"))
    assert (v.version, v.change, v.retired, v.completed_investment) == (3, "restore", False, Decimal("300"))
    assert versions(world, "XM-0001") == [
        (1, "add", FULL["name"], Decimal("300"), False, None),
        (2, "retire", FULL["name"], Decimal("300"), True, "并入市级统筹项目"),
        (3, "restore", FULL["name"], Decimal("300"), False, "重新列入")]


def test_the_library_as_of_a_day_in_china(world):
    add(world, {**FULL, "actual_start": None}, at=at("2024-03-01 10:00"))
    do(world, projects.change, "XM-0001", {"completed_investment": 450}, at=at("2024-06-15 23:30"))  # 15:30 UTC
    do(world, projects.change, "XM-0001", {"completed_investment": 600}, at=at("2024-06-16 00:30"))  # still 15th in UTC
    do(world, projects.retire, "XM-0001", reason="完工", at=at("2024-09-01 09:00"))
    with world.session() as s:
        def seen(day):
            v = projects.version_on(s, "XM-0001", day)
            return v and (v.version, v.completed_investment, v.retired)

        assert seen(date(2024, 2, 29)) is None
        assert seen(date(2024, 3, 1)) == (1, Decimal("300"), False)
        assert seen(date(2024, 6, 15)) == (2, Decimal("450"), False)
        assert seen(date(2024, 6, 16)) == (3, Decimal("600"), False)
        assert seen(date(2024, 9, 1)) == (4, Decimal("600"), True)
        assert [v.version for v in projects.as_of(s, date(2024, 6, 15))] == [2]
        assert [r["code"] for r in project_rows(s, day=date(2024, 8, 31))] == ["XM-0001"]
        assert project_rows(s) == [] and [r["version"] for r in project_rows(s, include_retired=True)] == [4]


def test_two_changes_at_once_leave_one_version_and_one_conflict(world, monkeypatch):
    add(world)
    barrier = threading.Barrier(2, timeout=30)
    original = projects._next_version

    def both_computed(session, project_id):
        version = original(session, project_id)
        barrier.wait()  # neither inserts before both have computed the same next version
        return version

    monkeypatch.setattr(projects, "_next_version", both_computed)
    results = {}

    def change(who, value):
        try:
            with world.session() as s:
                results[who] = projects.change(s, "XM-0001", {"completed_investment": value}, source="web",
                                               changed_by=who).version
        except Exception as e:  # noqa: BLE001 - the test looks at it
            results[who] = e

    threads = [threading.Thread(target=change, args=(who, v)) for who, v in (("甲", 400), ("乙", 500))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    winners = [w for w, r in results.items() if r == 2]
    losers = [w for w, r in results.items() if isinstance(r, ProjectConflict)]
    assert len(winners) == 1 and len(losers) == 1, results
    assert results[losers[0]].http_status == 409 and "刷新后重试" in results[losers[0]].message
    with world.session() as s:
        stored = s.execute(select(ProjectVersion.version, ProjectVersion.changed_by)
                           .order_by(ProjectVersion.version)).all()
    assert [tuple(r) for r in stored] == [(1, None), (2, winners[0])]


def test_counties_are_resolved_when_they_name_a_division(world):
    def region(county, unit="市工信局"):
        return add(world, {"name": county, "unit": unit, "county": county}).region_code

    assert region("市中区") == "370103"  # several 市中区; the unit's own city (济南市) decides
    assert region("市中区", unit="市发展和改革委员会") is None  # a unit without a region: no way to tell
    assert region("聊城市东昌府区") == "371502"
    assert region("山东省阳谷县") == "371521"
    assert region("澜州新区") is None
    with world.session() as s:
        kept = {r["name"]: (r["county"], r["region_code"]) for r in project_rows(s)}
    assert kept["澜州新区"] == ("澜州新区", None)


def test_links_filters_and_totals(world):
    add(world)  # XM-0001: 市工信局, 东昌府区, 入统, 1200.5 / 300
    add(world, {"name": "5G基站", "unit": "市工信局", "county": "市中区", "planned_investment": 800,
                "completed_investment": 100})
    add(world, {"name": "算力中心", "unit": "市发展和改革委员会", "planned_investment": "2000"})
    with world.session() as s:
        link(s, "XM-0001", task=world.task1)
        link(s, "XM-0001", task=world.task1)  # twice: one link
        link(s, "XM-0002", target=world.base.stock)
        link(s, "XM-0003", task=world.task2)
        with pytest.raises(LinkInvalid):
            link(s, "XM-0001", task=99999)
        with pytest.raises(LinkInvalid):
            link(s, "XM-0001", task=world.task1, target=world.base.stock)

        def codes(**kw):
            return [r["code"] for r in project_rows(s, **kw)]

        assert codes(unit="市工信局") == ["XM-0001", "XM-0002"]
        assert codes(county="山东省") == ["XM-0001", "XM-0002"] and codes(county="济南市") == ["XM-0002"]
        assert codes(county="东昌府区") == ["XM-0001"] and codes(county="371500") == ["XM-0001"]
        assert codes(in_statistics=True) == ["XM-0001"] and codes(in_statistics=False) == ["XM-0002", "XM-0003"]
        assert codes(task=world.task1) == ["XM-0001"] and codes(target=world.base.stock) == ["XM-0002"]
        rows = project_rows(s)
        assert [r["tasks"] for r in rows] == [[world.task1], [], [world.task2]]
        assert totals(rows) == {"count": 3, "planned_investment": Decimal("4000.5"),
                                "completed_investment": Decimal("400")}
        assert unlink(s, "XM-0001", task=world.task1) and not unlink(s, "XM-0001", task=world.task1)
        assert codes(task=world.task1) == []
    assert counts(world.url) == (3, 3, 2)


def test_two_adds_taking_one_code_leave_one_project_and_one_conflict(world, monkeypatch):
    barrier = threading.Barrier(2, timeout=30)
    original = projects.next_code

    def both_computed(session):
        code = original(session)
        barrier.wait()
        return code

    monkeypatch.setattr(projects, "next_code", both_computed)
    results = {}

    def add_one(who):
        try:
            results[who] = add(world, {"name": who, "unit": "市工信局"}).project_id
        except Exception as e:  # noqa: BLE001 - the test looks at it
            results[who] = e

    threads = [threading.Thread(target=add_one, args=(who,)) for who in ("甲", "乙")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    losers = [r for r in results.values() if isinstance(r, ProjectConflict)]
    assert len(losers) == 1 and "XM-0001" in losers[0].message, results
    assert counts(world.url) == (1, 1, 0)
