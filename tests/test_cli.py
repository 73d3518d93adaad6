"""The command line as a user meets it: JSON and table output, the demo, and bad input that gets a
clear Chinese message and exit status 2, never a traceback."""
import json
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from luoshi.cli import app
from tests import formats
from tests.conftest import SEEDS, needs_corpus

runner = CliRunner()
SAMPLE_PLAN = "一、总体目标\n\n到2025年，全市建成5G基站8000个以上。（责任单位：市工业和信息化局、市大数据局）\n"


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


def test_extract_prints_spec_json(tmp_path):
    f = tmp_path / "plan.txt"
    f.write_text(SAMPLE_PLAN, encoding="utf-8")
    r = run("extract", f)
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert set(data) >= {"metadata", "sections", "targets", "assignments"}
    t = data["targets"][0]
    assert (t["indicator"], t["value"], t["unit"], t["comparator"], t["year"]) == ("5G基站", 8000, "个", ">=", 2025)
    assert SAMPLE_PLAN[t["span"][0]:t["span"][1]] == "8000个"
    assert data["assignments"][0]["units"] == ["市工业和信息化局", "市大数据局"]


def test_table_format_shows_targets_and_lead_units(tmp_path):
    f = tmp_path / "plan.txt"
    f.write_text(SAMPLE_PLAN, encoding="utf-8")
    r = run("extract", f, "--format", "table")
    assert r.exit_code == 0, r.output
    assert "5G基站" in r.stdout and "8000" in r.stdout
    assert "市工业和信息化局" in r.stdout and "总体目标" in r.stdout


def test_demo_writes_its_own_plan_and_extracts_it(tmp_path):
    r = run("demo", "--dir", tmp_path, "--no-serve")
    assert r.exit_code == 0, r.output
    plan = tmp_path / "sample_plan.txt"
    data = json.loads((tmp_path / "sample_plan.json").read_text(encoding="utf-8"))
    assert plan.read_text(encoding="utf-8").startswith("澜州市")
    assert len(data["targets"]) > 40 and len(data["assignments"]) > 10
    assert data["metadata"]["region"] == "澜州市"


@pytest.mark.parametrize("make,words", [
    (lambda: b"", "为空"),
    (lambda: b"  \n\t \r\n", "为空"),
    (lambda: bytes(range(256)) * 40, "不是"),
    (lambda: formats.truncated_docx(), "DOCX"),
    (lambda: formats.encrypted_pdf(), "加密"),
    (lambda: formats.scanned_pdf(), "OCR"),
    (lambda: formats.png_image(), "图片"),
    (lambda: formats.plain_zip(), "ZIP"),
])
def test_bad_input_exits_2_with_a_message(tmp_path, make, words):
    f = tmp_path / "input.txt"  # the extension lies on purpose: formats are told by content
    f.write_bytes(make())
    r = run("extract", f)
    assert r.exit_code == 2
    assert "错误" in r.stderr and words in r.stderr
    assert "Traceback" not in r.output


def test_file_over_the_size_limit_is_refused_before_reading(tmp_path):
    f = tmp_path / "huge.txt"
    with open(f, "wb") as fh:
        fh.truncate(100 * 1024 * 1024)  # sparse: 100 MB on paper, nothing on disk
    r = run("extract", f)
    assert r.exit_code == 2
    assert "100" in r.stderr and "50" in r.stderr


def test_missing_file(tmp_path):
    r = run("extract", tmp_path / "nope.txt")
    assert r.exit_code == 2
    assert "找不到" in r.stderr


def test_text_that_is_no_plan_extracts_nothing_and_says_so(tmp_path):
    f = tmp_path / "letter.txt"
    f.write_text("各位同事：\n\n本周五下午召开例会，请准时参加。\n", encoding="utf-8")
    r = run("extract", f)
    assert r.exit_code == 0
    data = json.loads(r.stdout)
    assert data["targets"] == [] and data["sections"] == [] and data["assignments"] == []
    assert "不是一份行动方案" in r.stderr


def test_installed_command_never_shows_a_traceback(tmp_path):
    f = tmp_path / "broken.docx"
    f.write_bytes(formats.truncated_docx())
    p = subprocess.run([sys.executable, "-m", "luoshi", "extract", str(f)], capture_output=True, text=True)
    assert p.returncode == 2
    assert "Traceback" not in p.stderr and "错误" in p.stderr


@needs_corpus
def test_extract_as_a_process_on_a_seed():
    p = subprocess.run([sys.executable, "-m", "luoshi", "extract", str(next(iter(sorted(SEEDS.glob("*.txt")))))],
                       capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    assert json.loads(p.stdout)["targets"]


def test_a_usage_error_inside_a_command_is_a_usage_error(tmp_path):
    r = CliRunner().invoke(app, ["timeliness", "--from", "2024-01", "--to", "2024-02", "--as-of", "2024-03",
                                 "--db", f"sqlite:///{tmp_path}/l.db"])
    assert r.exit_code == 2 and "应为日期" in r.output and "内部错误" not in r.output
