"""`luoshi milestone …`, `luoshi milestones` and `luoshi evidence` as an office meets them. The CLI
judges against today, so the world's plan starts last year: every reported date is in the past."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from luoshi.cli import app
from luoshi.store.work_models import Evidence, MilestoneUpdate
from luoshi.track.timeliness import today
from tests.track.milestone_data import build, xlsx

runner = CliRunner()


@pytest.fixture
def world(db_url):
    return build(db_url, year=today().year - 1)


def run(world, *args):
    return runner.invoke(app, [*map(str, args), "--db", world.url], env={"COLUMNS": "200"})


def stored(world) -> tuple[int, int]:
    """(milestone updates, evidence files) stored."""
    store = world.store()
    try:
        with store.session() as s:
            return (s.scalar(select(func.count()).select_from(MilestoneUpdate)),
                    s.scalar(select(func.count()).select_from(Evidence)))
    finally:
        store.close()


def test_set_report_list_and_fetch_the_evidence(world, tmp_path):
    y = world.year
    r = run(world, "milestone", "defaults")
    assert r.exit_code == 0, r.output
    assert "已为 2 个无量化目标的任务各添加里程碑“完成任务”" in r.stdout
    assert "没有需要添加默认里程碑的任务" in run(world, "milestone", "defaults").stdout
    r = run(world, "milestone", "add", world.platform, "--title", "完成平台招标", "--due", f"{y}-05-31", "--by", "调度办")
    assert r.exit_code == 0, r.output
    assert f"已添加里程碑 3：任务 {world.platform}「建设城市数据共享平台」— 完成平台招标，完成时限 {y}-05-31" in r.stdout
    proof = tmp_path / "中标通知书.docx"
    proof.write_bytes(xlsx())  # a workbook with a .docx name: kept, as the workbook it is
    r = run(world, "milestone", "report", 3, "--unit", "市工信局", "--state", "推进中", "--date", f"{y}-03-01",
            "--period", f"{y}-03", "--note", "已发布招标公告")
    assert r.exit_code == 0 and "第1版，推进中" in r.stdout, r.output
    r = run(world, "milestone", "report", 3, "--unit", "市通信发展管理办公室", "--state", "已完成",
            "--date", f"{y}-05-20", "--evidence", proof, "--by", "王五")
    assert r.exit_code == 0, r.output
    assert "第2版，已完成" in r.stdout and "证明材料 1" in r.stdout and "状态：推进中" in r.stdout
    r = run(world, "milestone", "report", 2, "--unit", "市发展和改革委员会", "--state", "滞后", "--date", f"{y}-06-10",
            "--note", "上位法尚未出台")
    assert r.exit_code == 0 and "状态：滞后" in r.stdout, r.output

    r = run(world, "milestones", "--as-of", f"{y}-07-15", "--format", "json")
    assert r.exit_code == 0, r.output
    rows = json.loads(r.stdout)
    assert [(x["id"], x["title"], x["state"], x["light"]) for x in rows] == [
        (1, "完成任务", "未启动", "green"), (3, "完成平台招标", "已完成", "green"), (2, "完成任务", "滞后", "red")]
    assert rows[1]["evidence_name"] == "中标通知书.xlsx" and rows[2]["note"] == "上位法尚未出台"
    r = run(world, "milestones", "--as-of", f"{y}-07", "--unit", "市发展和改革委员会")
    assert r.exit_code == 0 and "滞后，已逾期31天" in r.stdout and "共 1 个：绿灯 0，黄灯 0，红灯 1" in r.stdout
    r = run(world, "milestones", "--as-of", f"{y}-07-15", "-f", "csv")
    lines = r.stdout.splitlines()
    assert lines[0].startswith("里程碑编号,任务编号,方案编号") and len(lines) == 4
    assert ",中标通知书.xlsx," in lines[2] and ",是,红," in lines[3]

    r = run(world, "milestone", "history", 3, "--format", "json")
    versions = json.loads(r.stdout)
    assert [(v["version"], v["state"], v["unit"], v["reported_by"]) for v in versions] == [
        (1, "推进中", "市工业和信息化局", None), (2, "已完成", "市通信发展管理办公室", "王五")]
    r = run(world, "milestone", "history", 3)
    assert r.exit_code == 0 and "共 2 版" in r.stdout and "中标通知书.xlsx（编号 1）" in r.stdout

    out = tmp_path / "取回.xlsx"
    r = run(world, "evidence", 1, "--out", out)
    assert r.exit_code == 0 and "XLSX" in r.stdout, r.output
    assert out.read_bytes() == xlsx()
    r = run(world, "evidence", 1, "--out", out)  # never overwrites unasked
    assert r.exit_code == 2 and "已存在" in r.stderr
    assert run(world, "evidence", 1, "--out", out, "--force").exit_code == 0
    r = run(world, "evidence", 99, "--out", tmp_path / "x")
    assert r.exit_code == 2 and "未找到证明材料 99" in r.stderr


def test_a_bad_report_names_every_problem_and_stores_nothing(world, tmp_path):
    y = world.year
    run(world, "milestone", "defaults")
    program = tmp_path / "验收报告.pdf"
    program.write_bytes(b"MZ\x90\x00" + bytes(500))
    r = run(world, "milestone", "report", 1, "--unit", "市发展和改革委员会", "--state", "已完成",
            "--date", f"{y + 2}-01-01", "--evidence", program)
    assert r.exit_code == 2
    err = r.stderr
    assert "报送单位：市发展和改革委员会不是该任务的牵头或配合单位" in err
    assert "日期：" in err and "晚于今天" in err and "证明材料：这是可执行程序" in err
    assert "共 3 处问题" in err and "Traceback" not in err
    r = run(world, "milestone", "report", 1, "--unit", "市工信局", "--state", "已完成", "--date", f"{y}-05-01",
            "--evidence", tmp_path / "a.pdf", "--link", "https://example.cn/a")
    assert r.exit_code == 2 and "只能二选一" in r.stderr
    r = run(world, "milestone", "report", 1, "--unit", "市工信局", "--state", "已完成", "--date", f"{y}-05-01",
            "--evidence", tmp_path / "不存在.pdf")
    assert r.exit_code == 2 and "无法读取证明材料" in r.stderr
    assert stored(world) == (0, 0)
    r = run(world, "milestone", "report", 77, "--unit", "市工信局", "--state", "推进中", "--date", f"{y}-05-01")
    assert r.exit_code == 2 and "未找到里程碑 77" in r.stderr
    r = run(world, "milestone", "add", 99, "--title", "x", "--due", f"{y}-01-01")
    assert r.exit_code == 2 and "未找到任务 99" in r.stderr
    r = run(world, "milestones", "--as-of", "明年")
    assert r.exit_code == 2 and "日期“明年”无效" in r.stderr


def test_a_link_is_evidence_too(world, tmp_path):
    y = world.year
    run(world, "milestone", "add", world.rules, "--title", "印发办法", "--due", f"{y}-06-30")
    r = run(world, "milestone", "report", 1, "--unit", "市发展和改革委员会", "--state", "已完成", "--date", f"{y}-06-28",
            "--link", "https://www.lanzhou.gov.cn/zwgk/2024/001.html")
    assert r.exit_code == 0 and "证明链接 https://www.lanzhou.gov.cn" in r.stdout, r.output
    assert stored(world) == (1, 0)
    assert "尚无报送记录" not in run(world, "milestone", "history", 1).stdout


def test_the_commands_are_listed_in_chinese():
    r = runner.invoke(app, ["--help"], env={"COLUMNS": "200"})
    assert "milestone" in r.stdout and "milestones" in r.stdout and "evidence" in r.stdout
    r = runner.invoke(app, ["milestone", "--help"], env={"COLUMNS": "200"})
    assert all(c in r.stdout for c in ("add", "defaults", "report", "history")) and "里程碑" in r.stdout
