"""`luoshi project …` and `luoshi projects` as an office meets them: add, change, link, list with
totals, show the history, retire and restore; bad input names every problem and exits 2, never a
traceback; the Excel round trip through `template` and `import`."""
from __future__ import annotations

import json

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from luoshi.cli import app
from luoshi.track.timeliness import today
from tests.track.project_data import build_projects, counts

runner = CliRunner()


@pytest.fixture
def world(db_url):
    return build_projects(db_url)


def run(world, *args):
    return runner.invoke(app, [*map(str, args), "--db", world.url], env={"COLUMNS": "200"})


def listed(world, *args) -> dict:
    r = run(world, "projects", "--format", "json", *args)
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)


def test_add_change_link_list_and_show(world):
    r = run(world, "project", "add", "澜州市数据中心二期", "--unit", "市工信局", "--county", "东昌府区", "--planned",
            "1,200.5", "--completed", "300万元", "--start", "2024-03", "--end", "2025-12", "--actual-start", "2024-04-02",
            "--in-stats", "--by", "张三")
    assert r.exit_code == 0, r.output
    assert "XM-0001" in r.stdout and "第1版" in r.stdout
    r = run(world, "project", "add", "算力中心", "--unit", "市发展和改革委员会", "--planned", "2000", "--code", "LZ-7")
    assert r.exit_code == 0 and "LZ-7" in r.stdout
    r = run(world, "project", "change", "XM-0001", "--completed", "450", "--reason", "6月调度", "--by", "李四")
    assert r.exit_code == 0, r.output
    assert "第2版" in r.stdout and "累计完成投资 300 → 450" in r.stdout
    r = run(world, "project", "change", "XM-0001", "--completed", "450万元")
    assert r.exit_code == 0 and "没有变化" in r.stdout
    r = run(world, "project", "link", "XM-0001", "--task", world.task1)
    assert r.exit_code == 0, r.output
    data = listed(world)
    assert (data["count"], data["planned_investment"], data["completed_investment"]) == (2, 3200.5, 450)
    one = {p["code"]: p for p in data["projects"]}["XM-0001"]
    got = [one[k] for k in ("unit", "region_code", "planned_start", "in_statistics", "tasks", "version")]
    assert got == ["市工业和信息化局", "371502", "2024-03", True, [world.task1], 2]
    assert [p["code"] for p in listed(world, "--unit", "市发展和改革委员会")["projects"]] == ["LZ-7"]
    assert [p["code"] for p in listed(world, "--task", world.task1)["projects"]] == ["XM-0001"]
    assert listed(world, "--as-of", "2000-01")["count"] == 0
    r = run(world, "projects")
    assert r.exit_code == 0 and "计划总投资 3200.5 万元" in r.stdout and "东昌府区" in r.stdout
    r = run(world, "project", "show", "XM-0001", "--format", "json")
    shown = json.loads(r.stdout)
    assert [(v["version"], v["change"], v["changed_by"], v["reason"]) for v in shown["versions"]] == \
        [(1, "add", "张三", None), (2, "change", "李四", "6月调度")]
    r = run(world, "project", "show", "XM-0001")
    assert r.exit_code == 0 and "版本记录（共 2 版）" in r.stdout and "6月调度" in r.stdout and "命令行" in r.stdout


def test_bad_input_names_every_problem_and_stores_nothing(world):
    future = f"{today().year + 1}-01-01"
    r = run(world, "project", "add", "x", "--unit", "市不存在局", "--planned", "-5", "--completed", "十万", "--start",
            "2025-06", "--end", "2025-01", "--actual-start", future)
    assert r.exit_code == 2
    for words in ("责任单位：“市不存在局”", "计划总投资：不能为负数", "累计完成投资：“十万”", "计划竣工：“2025-01”早于",
                  f"实际开工：“{future}”晚于今天", "共 5 处问题"):
        assert words in r.stderr, (words, r.stderr)
    assert "Traceback" not in r.output and counts(world.url) == (0, 0, 0)
    r = run(world, "project", "add", "算力中心")
    assert r.exit_code == 2 and "责任单位：必填" in r.stderr
    assert run(world, "project", "change", "XM-0404", "--name", "y").exit_code == 2
    assert run(world, "project", "link", "XM-0404", "--task", world.task1).exit_code == 2
    assert run(world, "projects", "--as-of", "昨天").exit_code == 2
    assert run(world, "projects", "--unit", "市不存在局").exit_code == 2


def test_retire_and_restore(world):
    assert run(world, "project", "add", "5G基站补点", "--unit", "市工信局", "--planned", "800").exit_code == 0
    r = run(world, "project", "retire", "XM-0001")
    assert r.exit_code == 2 and "退库须填写原因" in r.stderr
    r = run(world, "project", "retire", "XM-0001", "--reason", "并入XM-0002")
    assert r.exit_code == 0 and "已退库" in r.stdout
    assert listed(world)["count"] == 0
    assert [(p["code"], p["retired"]) for p in listed(world, "--retired")["projects"]] == [("XM-0001", True)]
    r = run(world, "project", "restore", "XM-0001", "--reason", "重新列入")
    assert r.exit_code == 0 and "第3版" in r.stdout
    assert listed(world)["count"] == 1 and counts(world.url) == (1, 3, 0)


def test_template_and_import(world, tmp_path):
    assert run(world, "project", "add", "5G基站补点", "--unit", "市工信局", "--planned", "800").exit_code == 0
    path = tmp_path / "项目库.xlsx"
    r = run(world, "project", "template", "--out", path)
    assert r.exit_code == 0 and path.is_file()
    wb = load_workbook(path)
    ws = wb["项目库"]
    ws["F2"], ws["B3"], ws["C3"], ws["E3"] = 100, "智慧灯杆", "市工信局", "九百"
    wb.save(path)
    r = run(world, "project", "import", path)
    assert r.exit_code == 2 and "项目库!E3：计划总投资“九百”不是数字" in r.stderr and "共 1 处问题" in r.stderr
    assert counts(world.url) == (1, 1, 0)
    ws["E3"] = 900
    wb.save(path)
    r = run(world, "project", "import", path, "--by", "王五")
    assert r.exit_code == 0, r.output
    assert "新增 1 个，变更 1 个，未变 0 个，退库 0 个" in r.stdout and "XM-0002" in r.stdout
    assert counts(world.url) == (2, 3, 0)
