"""Tasks from the clauses of the stored plans: units, targets, idempotence, new versions, task
tables and the commands, on SQLite and PostgreSQL."""
from __future__ import annotations

import csv
import io
import json
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from luoshi.cli import app
from luoshi.store import Store
from luoshi.store.dispatch_models import Task, TaskTarget, TaskUnit, Unit
from luoshi.store.models import TargetRow
from luoshi.track.clauses import clauses
from luoshi.track.tasks import build_tasks, task_rows, tasks_of_unit
from luoshi.track.units import resolve
from tests.conftest import FIXTURES
from tests.store.stored_plans import extracted, save_text, store_all

LIAOCHENG = "371500"
runner = CliRunner()


@pytest.fixture
def stored(db_url):
    return store_all(db_url)


@pytest.fixture
def session(stored):
    store = Store(stored.url)
    s = store.session()
    build_tasks(s)
    s.commit()
    yield s
    s.close()
    store.close()


def _counts(s) -> tuple[int, ...]:
    return tuple(s.scalar(select(func.count()).select_from(m)) for m in (Task, TaskUnit, TaskTarget, Unit))


def _values(s, task: Task) -> list[float]:
    ids = [t.target_id for t in task.targets]
    return sorted(float(v) for v in s.scalars(select(TargetRow.value).where(TargetRow.id.in_(ids))))


def test_covers_recomputed_as_extracted():
    """What the store lets us recompute is what extraction found (SPEC §4), for every clause."""
    for name, (plan, _, _) in extracted().items():
        sections = [SimpleNamespace(path=x.path, title=x.title, start=x.span[0]) for x in plan.sections]
        found = [SimpleNamespace(start=a.span[0], end=a.span[1], section=a.section) for a in plan.assignments]
        assert [c.cover for c in clauses(plan.text, sections, found)] == [a.covers for a in plan.assignments], name


def test_first_clause_of_seed_000(session, stored):
    s = session
    plan_id = stored.saved["000"].plan_id
    first = s.scalars(select(Task).where(Task.plan_id == plan_id).order_by(Task.assignment_id)).first()
    assert first.section == "二/(一)/1" and first.title == "加快 5G 商用" and first.status == "未启动"
    gx = resolve(s, "市工信局", LIAOCHENG)
    assert [(u.unit_id, u.role) for u in first.units if u.role == "lead"] == [(gx.id, "lead")]
    support = {s.get(Unit, u.unit_id).name for u in first.units if u.role == "support"}
    assert {"中国铁塔聊城分公司", "聊城市各县(市、区)人民政府", "聊城市发展和改革委员会"} <= support
    assert len(first.units) == 9
    assert _values(s, first) == [10.0, 10000.0]  # 5G+产业园 10个, 5G基站 10000个
    assert first in tasks_of_unit(s, gx, role="lead")
    assert first not in tasks_of_unit(s, gx, role="support")


def test_every_clause_is_one_task(session, stored):
    s = session
    for name, saved in stored.saved.items():
        n = s.scalar(select(func.count()).select_from(Task).where(Task.plan_id == saved.plan_id))
        assert n == len(stored.plans[name].assignments), name
    rows = task_rows(s)
    assert len(rows) == sum(len(p.assignments) for p in stored.plans.values())
    assert all(r["lead"] and r["title"] for r in rows)
    # Two clauses under one heading (数字聊城 一/(一)) are told apart by their titles.
    titles = [r["title"] for r in rows if r["plan_id"] == stored.saved["002"].plan_id and r["section"] == "一/(一)"]
    assert titles[0] == "建设具有强大支撑能力的信息通信网络" and titles[1].startswith("加快IPv6规模部署")


def test_building_again_makes_nothing(session, stored):
    s = session
    before = _counts(s)
    assert build_tasks(s) == [] and build_tasks(s, stored.saved["000"].plan_id) == []
    s.commit()
    assert _counts(s) == before


def test_new_version_makes_new_tasks_and_keeps_old(session, stored, tmp_path):
    s = session
    plan_id = stored.saved["000"].plan_id
    gx = resolve(s, "市工业和信息化局", LIAOCHENG)
    old = {t for t in tasks_of_unit(s, gx) if t.plan_id == plan_id}
    text = stored.text("000").replace("市工业和信息化局、市发展改革委,中国电信", "市工信局、市发改委,中国电信", 1)
    text = text.replace("建成 5G 基站 10000 个", "建成 5G 基站 12000 个", 1)
    saved = save_text(stored.url, text, tmp_path, "000_v2.txt")
    assert saved.status == "version" and saved.plan_id == plan_id
    s.expire_all()
    made = build_tasks(s, plan_id)
    s.commit()
    assert len(made) == len(stored.plans["000"].assignments)
    assert made[0].units[0].unit_id == gx.id and _values(s, made[0]) == [10.0, 12000.0]
    now = {t for t in tasks_of_unit(s, gx) if t.plan_id == plan_id}
    assert len(now) == len(old) and not now & old
    assert old | now <= set(tasks_of_unit(s, gx, current_only=False))
    assert build_tasks(s) == []


def test_task_table_rows(stored, tmp_path):
    text = (FIXTURES / "plans" / "p2_task_table.txt").read_text(encoding="utf-8")
    saved = save_text(stored.url, text, tmp_path, "p2.txt")
    store = Store(stored.url)
    try:
        with store.session() as s:
            made = build_tasks(s, saved.plan_id)
            s.commit()
            assert len(made) == 12
            rows = task_rows(s, plan_id=saved.plan_id)
    finally:
        store.close()
    first = rows[0]
    assert (first["title"], first["due"], first["lead"]) == ("加快5G网络建设", "2024-12-31", ["枫泽市工业和信息化局"])
    assert [(t["indicator"], t["value"]) for t in first["targets"]] == [("新建5G基站", 1500), ("5G基站总数", 7200)]
    assert "中国铁塔枫泽分公司" in first["support"]
    assert rows[2]["due"] == "2024-06-30" and rows[9]["due"] is None  # 长期坚持
    assert [t["value"] for t in rows[3]["targets"]] == [26e9, 32e9]


def test_commands(stored):
    def run(*args):
        return runner.invoke(app, [*args, "--db", stored.url], env={"COLUMNS": "300"})

    r = run("dispatch", "init")
    assert r.exit_code == 0, r.output
    n = sum(len(p.assignments) for p in stored.plans.values())
    assert f"任务 {n} 个（本次新增 {n} 个" in r.stdout
    assert "本次新增 0 个" in run("dispatch", "init", "聊政字〔2021〕19号").stdout
    r = run("tasks", "--unit", "市工信局", "--plan", "聊政字〔2021〕19号", "--format", "json")
    assert r.exit_code == 0, r.output
    rows = json.loads(r.stdout)
    assert rows and all("聊城市工业和信息化局" in x["lead"] + x["support"] for x in rows)
    assert {(t["indicator"], t["value"]) for t in rows[0]["targets"]} == {("5G基站", 10000), ("5G+产业园", 10)}
    r = run("tasks", "--format", "csv")
    cells = list(csv.DictReader(io.StringIO(r.stdout)))
    assert len(cells) == n and {"任务", "方案名称", "牵头单位", "配合单位", "量化目标"} <= set(cells[0])
    assert "5G基站 1万个（2023年）" in cells[0]["量化目标"]
    r = run("tasks", "--unit", "中国铁塔聊城分公司")
    assert r.exit_code == 0 and "加快 5G 商用" in r.stdout
    r = run("tasks", "--unit", "市工信局")
    assert r.exit_code == 2 and "错误：没有找到责任单位" in r.output
    units = json.loads(run("units", "--format", "json").stdout)
    gx = next(x for x in units if x["name"] == "聊城市工业和信息化局")
    assert gx["lead_tasks"] > 0 and gx["support_tasks"] > 0
