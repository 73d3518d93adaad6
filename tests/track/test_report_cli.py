"""`luoshi report submit` and `luoshi report history` as an office meets them: a CSV from Excel
(GBK, Chinese headers), a JSON correction, and a bad file that names every problem and exits 2.
The CLI reports for today, so the world is built for this year and the report is this month's."""
from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from luoshi.cli import app
from luoshi.track.timeliness import today
from tests.track.report_data import build, counts

runner = CliRunner()


@pytest.fixture
def world(db_url):
    return build(db_url, year=today().year)


def run(world, *args):
    return runner.invoke(app, ["report", *map(str, args), "--db", world.url], env={"COLUMNS": "200"})


def this_month(world) -> str:
    return world.period(today().month)


def write_csv(path, rows, encoding="gb18030"):
    path.write_text("\n".join(",".join(map(str, r)) for r in rows) + "\n", encoding=encoding)
    return path


def test_submit_a_csv_then_correct_it_and_read_the_history(world, tmp_path):
    csv_file = write_csv(tmp_path / "月报.csv", [
        ("目标编号", "指标名称", "当月", "累计", "进展情况", "滞后原因", "下步措施"),
        (world.stock, "5G基站总数", 500, 8000, "新建基站500个", "选址受阻", "协调共享站址"),
        (world.new, "新建5G基站", 2900, 2900, "", "选址受阻", "协调共享站址")])
    r = run(world, "submit", "市工信局", this_month(world), csv_file, "--by", "张三")
    assert r.exit_code == 0, r.output
    assert "第1版" in r.stdout and "2 条" in r.stdout
    fix = tmp_path / "fix.json"
    fix.write_text(json.dumps({"lines": [{"target_id": world.stock, "当月": "450", "累计": "7950",
                                          "滞后原因": "选址受阻", "下步措施": "协调共享站址"}]}), encoding="utf-8")
    r = run(world, "submit", "市工业和信息化局", this_month(world), fix)
    assert r.exit_code == 2 and "更正说明" in r.stderr
    r = run(world, "submit", "市工业和信息化局", this_month(world), fix, "--reason", "重复统计50个", "--by", "李四")
    assert r.exit_code == 0, r.output
    assert "第2版" in r.stdout
    r = run(world, "history", "市工信局", this_month(world), "--format", "json")
    assert r.exit_code == 0, r.output
    versions = json.loads(r.stdout)
    assert [(v["version"], v["submitted_by"], v["correction_reason"], v["line_count"]) for v in versions] == \
        [(1, "张三", None, 2), (2, "李四", "重复统计50个", 1)]
    assert versions[0]["lines"][0]["cumulative"] == 8000 and versions[0]["timeliness"] == "on_time"
    r = run(world, "history", "市工信局", this_month(world))
    assert r.exit_code == 0 and "重复统计50个" in r.stdout and "按时" in r.stdout


def test_a_bad_csv_names_every_problem_and_stores_nothing(world, tmp_path):
    csv_file = write_csv(tmp_path / "bad.csv", [
        ("target_id", "month_value", "cumulative", "narrative"),
        (world.stock, 500, "八千", "x"),
        (world.other, 1, 2, "y"),
        ("", "", "", ""),
        ("abc", 1, 2, "z")], encoding="utf-8-sig")
    r = run(world, "submit", "市工信局", this_month(world), csv_file)
    assert r.exit_code == 2
    err = r.stderr
    assert f"第2行（目标 {world.stock}） 累计：“八千”不是数字" in err
    assert f"第3行（目标 {world.other}） 目标编号：" in err and "不属于" in err
    assert "第5行（目标 abc） 目标编号：" in err
    assert "共 3 处问题" in err and "Traceback" not in err
    assert counts(world.url) == (0, 0)


@pytest.mark.parametrize("content, words", [("指标,累计\n5G,1\n", "目标编号"), ("[1, 2", "JSON"),
                                            ('{"lines": 3}', "条目列表")])
def test_an_unreadable_file_is_one_error(world, tmp_path, content, words):
    f = tmp_path / "r.csv"
    f.write_text(content, encoding="utf-8")
    r = run(world, "submit", "市工信局", this_month(world), f)
    assert r.exit_code == 2 and "错误：" in r.stderr and words in r.stderr


def test_history_of_an_unknown_unit(world):
    r = run(world, "history", "市不存在局", "2024-03")
    assert r.exit_code == 2 and "未找到单位" in r.stderr
