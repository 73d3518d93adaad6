"""The monthly workbook's 里程碑 sheet: the template lists the unit's milestones with their state at
the end of the month; filled rows are imported with the numbers in one transaction (a bad cell in
either sheet stores nothing of either, every error named by sheet and cell); milestones alone
import, and a workbook from before the sheet still does. SQLite, and both backends where the
transaction itself is at stake."""
from __future__ import annotations

import io
from datetime import date, datetime

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import func, select
from typer.testing import CliRunner

from luoshi.cli import app
from luoshi.publish.excel_report import WorkbookInvalid, write_template
from luoshi.store import Store
from luoshi.store.dispatch_models import Task
from luoshi.store.models import TargetRow
from luoshi.store.work_models import MilestoneUpdate
from luoshi.track.milestone_rows import milestone_history
from luoshi.track.milestones import add_milestone, report_milestone
from luoshi.track.timeliness import today
from luoshi.web.app import create_app
from tests.track.milestone_data import LEAD, OTHER_UNIT, build
from tests.track.report_data import counts
from tests.track.test_excel_report import load
from tests.web.conftest import add_accounts, web_settings

AS_OF, MARCH = date(2024, 4, 5), "2024-03"
LINK = "https://ggzy.example.cn/zb/123"


def world_with_milestones(url: str, year: int = 2024):
    """milestone_data's world with report_data's targets (stock, new); the platform task (市工信局
    leads) gets three milestones: 完成招标 (due 15 April), 建成投用 (reported 推进中 from 10 March)
    and 开展试运行; the rules task (another unit's) one, 完成起草."""
    w = build(url, year)
    store = w.store()
    try:
        with store.session() as s:
            targets = dict(s.execute(select(TargetRow.indicator, TargetRow.id)).all())
            w.stock, w.new = targets["5G基站总数"], targets["新建5G基站"]
            day = date(year, 3, 1)
            w.bid = add_milestone(s, w.platform, title="完成招标", due=f"{year}-04-15", today=day).id
            w.built = add_milestone(s, w.platform, title="建成投用", due=f"{year}-12-31", today=day).id
            w.trial = add_milestone(s, w.platform, title="开展试运行", due=f"{year}-09-30", today=day).id
            w.rules_ms = add_milestone(s, w.rules, title="完成起草", due=f"{year}-06-30", today=day).id
            report_milestone(s, w.built, unit=LEAD, state="推进中", as_of=f"{year}-03-10", source="api",
                             today=date(year, 3, 10))
    finally:
        store.close()
    return w


@pytest.fixture
def world(tmp_path):
    return world_with_milestones(f"sqlite:///{tmp_path}/luoshi.db")


def template(world, path, unit=LEAD, period=MARCH):
    store = world.store()
    try:
        with store.session() as s:
            return write_template(s, unit, period, path)
    finally:
        store.close()


def rows_by_id(ws) -> dict[int, int]:
    return {ws[f"A{r}"].value: r for r in range(3, ws.max_row + 1) if ws[f"A{r}"].value is not None}


def fill(path, numbers: dict[int, dict] | None = None, milestones: dict[int, dict] | None = None,
         extra: list[dict] = ()):
    """Type into the input columns of 填报 (by target) and 里程碑 (by milestone), by header, as a
    person would; `extra`: rows added under 里程碑's last."""
    wb = load_workbook(path)
    for sheet, values in (("填报", numbers or {}), ("里程碑", milestones or {})):
        ws = wb[sheet]
        col = {ws.cell(2, c).value: ws.cell(2, c).column_letter for c in range(1, ws.max_column + 1)}
        rows = rows_by_id(ws)
        for key, cells in values.items():
            for header, v in cells.items():
                ws[f"{col[header]}{rows[key]}"] = v
    ws = wb["里程碑"]
    for cells in extra:
        r = ws.max_row + 1
        for header, v in cells.items():
            ws[f"{col[header]}{r}"] = v
    wb.save(path)
    return path


def stored(url: str) -> tuple[int, int, int]:
    """(submissions, report lines, milestone updates) stored."""
    store = Store(url)
    try:
        with store.session() as s:
            return (*counts(url), s.scalar(select(func.count()).select_from(MilestoneUpdate)))
    finally:
        store.close()


def rejected(world, path, **kw) -> list[str]:
    before = stored(world.url)
    with pytest.raises(WorkbookInvalid) as e:
        load(world, path, **kw)
    assert stored(world.url) == before and e.value.http_status == 422
    return [str(x) for x in e.value.errors]


def test_the_template_lists_the_units_milestones_for_input(world, tmp_path):
    wb = load_workbook(template(world, tmp_path / "t.xlsx"))
    assert wb.sheetnames == ["填报", "里程碑", "说明"]
    ws = wb["里程碑"]
    assert [ws.cell(2, c).value for c in range(1, 10)] == [
        "里程碑编号", "任务", "里程碑", "完成时限", "当前状态", "状态", "状态日期", "情况说明", "证明链接"]
    task = "二/(三)/1 建设城市数据共享平台"
    assert [[ws.cell(r, c).value for c in range(1, 6)] for r in range(3, ws.max_row + 1)] == [
        [world.bid, task, "完成招标", "2024-04-15", "未启动，距完成时限15天"],  # judged on 31 March
        [world.built, task, "建成投用", "2024-12-31", "推进中"],
        [world.trial, task, "开展试运行", "2024-09-30", "未启动"]]  # not the other unit's
    assert (ws["C1"].value, ws["E1"].value) == (LEAD, MARCH)
    assert ws.column_dimensions["A"].hidden and ws.freeze_panes == "A3" and ws.protection.sheet
    assert [ws[f"{c}3"].protection.locked for c in "ABCDEFGHI"] == [True] * 5 + [False] * 4
    assert ws["G3"].number_format == "@"  # 2024-03-10 typed stays text
    dv = {dv.type: dv for dv in ws.data_validations.dataValidation}
    assert {t: str(v.sqref) for t, v in dv.items()} == {"list": "F3:F5", "textLength": "G3:G5", "custom": "I3:I5"}
    assert dv["list"].formula1 == '"未启动,推进中,已完成,滞后"' and 'LEFT(I3,8)="https://"' in dv["custom"].formula1
    help_text = "\n".join(str(c.value) for c in wb["说明"]["A"] if c.value)
    assert "luoshi milestone report" in help_text and "--evidence" in help_text and "共 3 个" in help_text
    # a supporting unit sees the same milestones, another unit only its own
    assert set(rows_by_id(load_workbook(template(world, tmp_path / "s.xlsx", "市通信发展管理办公室"))["里程碑"])) == {
        world.bid, world.built, world.trial}
    other = load_workbook(template(world, tmp_path / "o.xlsx", OTHER_UNIT))["里程碑"]
    assert [[other.cell(r, c).value for c in range(1, 4)] for r in range(3, other.max_row + 1)] == [
        [world.rules_ms, "二/(四)/1 出台数据要素管理办法", "完成起草"]]


def test_a_unit_without_milestones_gets_a_sheet_saying_so(tmp_path):
    w = build(f"sqlite:///{tmp_path}/luoshi.db")
    ws = load_workbook(template(w, tmp_path / "t.xlsx"))["里程碑"]
    assert ws.max_row == 3 and ws["A3"].value is None and "没有里程碑" in ws["B3"].value
    assert ws["F3"].protection.locked and not ws.data_validations.dataValidation


def test_numbers_and_milestones_are_stored_together(world, tmp_path):
    path = fill(template(world, tmp_path / "t.xlsx"),
                numbers={world.stock: {"当月": 500, "累计": 6500}, world.new: {"当月": 300, "累计": 800}},
                milestones={world.bid: {"状态": "已完成", "状态日期": "2024-03-28", "证明链接": LINK},
                            world.built: {"状态": "推进中", "状态日期": datetime(2024, 3, 20),  # Excel made it a date
                                          "情况说明": "主体结构完工"}})
    done = load(world, path, submitted_by="张三")
    assert (done.submission.version, len(done.submission.lines)) == (1, 2)
    assert [(u.milestone_id, u.state, u.as_of) for u in done.milestone_updates] == [
        (world.bid, "已完成", "2024-03-28"), (world.built, "推进中", "2024-03-20")]
    assert stored(world.url) == (1, 2, 3)  # and the update made before
    store = world.store()
    with store.session() as s:
        last = milestone_history(s, world.built)[-1]
        assert (last["version"], last["source"], last["period"], last["reported_by"], last["note"], last["unit"]) == (
            2, "excel", MARCH, "张三", "主体结构完工", LEAD)
        assert milestone_history(s, world.bid)[0]["evidence_url"] == LINK
        assert s.get(Task, world.platform).status == "推进中"  # the task's roll-up, kept with the import
    store.close()
    # importing it again corrects the numbers; the same milestone rows are not stored twice
    again = load(world, path, correction_reason="重新核对")
    assert (again.submission.version, again.milestone_updates, again.unchanged) == (2, [], 2)
    assert stored(world.url) == (2, 4, 3)
    ws = load_workbook(template(world, tmp_path / "apr.xlsx", period="2024-04"))["里程碑"]
    assert ws[f"E{rows_by_id(ws)[world.bid]}"].value == "已完成"


def test_a_bad_row_in_either_sheet_stores_nothing_and_every_cell_is_named(world, tmp_path):
    path = template(world, tmp_path / "t.xlsx")
    ms, nums = rows_by_id(load_workbook(path)["里程碑"]), rows_by_id(load_workbook(path)["填报"])
    fill(path, numbers={world.stock: {"累计": 6500}, world.new: {"当月": 300, "累计": "八千"}},
         milestones={world.bid: {"状态": "完成了", "情况说明": "已开标"},  # not in the list, and no date
                     world.built: {"状态": "已完成", "状态日期": "2024-04-30"},  # after the import day, no link
                     world.trial: {"状态": "推进中", "状态日期": "2024-03-01", "证明链接": "ftp://files.example.cn/a.pdf"}},
         extra=[{"里程碑编号": world.rules_ms, "状态": "推进中", "状态日期": "2024-03-01"}])  # another unit's
    got = rejected(world, path)
    b, d, t, other = ms[world.bid], ms[world.built], ms[world.trial], max(ms.values()) + 1
    assert got[0] == f"填报!I{nums[world.new]}：“八千”不是数字"
    assert f"里程碑!F{b}：“完成了”无效，只能是未启动、推进中、已完成、滞后" in got
    assert f"里程碑!G{b}：未填写状态日期：应为 YYYY-MM-DD，如 2024-05-10（已完成填完成日期）" in got
    assert f"里程碑!G{d}：2024-04-30晚于今天（2024-04-05），不能预报" in got
    assert any(e.startswith(f"里程碑!I{d}：报“已完成”须在“证明链接”填写") and "--evidence" in e for e in got), got
    assert f"里程碑!I{t}：“ftp://files.example.cn/a.pdf”不是有效的 http(s) 链接" in got
    assert any(e.startswith(f"里程碑!A{other}：") and "不是该任务的牵头或配合单位" in e for e in got), got
    assert len(got) == 7


def test_the_two_sheets_are_one_transaction(db_url, tmp_path):
    world = world_with_milestones(db_url)
    path = template(world, tmp_path / "t.xlsx")
    # a clean milestone row (stored first, then undone) with a bad number
    fill(path, numbers={world.stock: {"累计": "六千"}},
         milestones={world.bid: {"状态": "推进中", "状态日期": "2024-03-05"}})
    assert rejected(world, path) == [f"填报!I{rows_by_id(load_workbook(path)['填报'])[world.stock]}：“六千”不是数字"]
    # clean numbers and a clean row, then a bad one
    fill(path, numbers={world.stock: {"累计": 6500}},
         milestones={world.built: {"状态": "滞后", "状态日期": "2024-03-25"}})
    assert [e.split("：")[0] for e in rejected(world, path)] == [
        f"里程碑!H{rows_by_id(load_workbook(path)['里程碑'])[world.built]}"]  # 滞后 without its reason
    fill(path, milestones={world.built: {"情况说明": "设备到货延迟"}})
    done = load(world, path)
    assert (done.submission.version, len(done.milestone_updates)) == (1, 2) and stored(world.url) == (1, 1, 3)


def test_milestones_alone_import_and_an_empty_workbook_says_what_to_fill(world, tmp_path):
    path = template(world, tmp_path / "t.xlsx")
    got = rejected(world, path)
    assert len(got) == 1 and "里程碑" in got[0] and "累计" in got[0]
    fill(path, milestones={world.trial: {"状态": "推进中", "状态日期": "2024-03-15", "情况说明": "完成方案"}})
    done = load(world, path)
    assert (done.submission, done.unit_id, done.period, len(done.milestone_updates)) == (None, world.lead, MARCH, 1)
    assert stored(world.url) == (0, 0, 2)


def test_a_workbook_from_before_the_milestone_sheet_still_imports(world, tmp_path):
    path = template(world, tmp_path / "t.xlsx")
    wb = load_workbook(path)
    del wb["里程碑"]
    wb.save(path)
    fill_numbers = load_workbook(path)
    ws = fill_numbers["填报"]
    ws[f"I{rows_by_id(ws)[world.stock]}"] = 6500
    fill_numbers.save(path)
    done = load(world, path)
    assert (done.submission.version, done.milestone_updates, done.unchanged) == (1, [], 0) and stored(world.url) == (1, 1, 1)


def test_cli_import_says_what_was_stored(tmp_path):
    year = today().year
    world = world_with_milestones(f"sqlite:///{tmp_path}/luoshi.db", year=year)
    runner, out, month = CliRunner(), tmp_path / "t.xlsx", f"{year}-{today().month:02d}"
    assert runner.invoke(app, ["report", "template", LEAD, month, "-o", str(out), "--db", world.url]).exit_code == 0
    fill(out, milestones={world.trial: {"状态": "推进中", "状态日期": today().isoformat()}})
    r = runner.invoke(app, ["report", "import", str(out), "--by", "张三", "--db", world.url])
    assert r.exit_code == 0, r.output
    assert r.stdout.strip() == f"已导入：{month} 未填报指标；里程碑 1 个"
    fill(out, numbers={world.stock: {"累计": 8000, "滞后原因": "选址受阻", "下步措施": "协调共享站址"}})
    r = runner.invoke(app, ["report", "import", str(out), "--db", world.url])
    assert r.exit_code == 0, r.output
    assert r.stdout.strip() == f"已导入：{month} 第1版，1 条；里程碑 0 个（另有 1 个与已报送的相同，未重复保存）"


def test_the_web_import_reports_the_milestone_updates(tmp_path):
    world = world_with_milestones(f"sqlite:///{tmp_path}/luoshi.db")
    tokens = add_accounts(world.url, world)
    path = fill(template(world, tmp_path / "t.xlsx"),
                milestones={world.bid: {"状态": "已完成", "状态日期": "2024-03-28", "证明链接": LINK}})
    with TestClient(create_app(web_settings(world.url))) as client:
        def post(who, data):
            return client.post("/api/reports/import", headers={"Authorization": f"Bearer {tokens[who]}"},
                               files={"file": ("月报.xlsx", data)})

        r = post("other_reporter", path.read_bytes())  # another unit's workbook, milestones only
        assert r.status_code == 422 and [(e["cell"], "只能报送本单位" in e["message"]) for e in r.json()["errors"]] == [
            ("C1", True)]
        r = post("reporter", path.read_bytes())
        assert r.status_code == 201, r.text
        body = r.json()
        assert (body["unit"], body["period"], body["version"], body["lines"]) == (LEAD, MARCH, None, [])
        assert body["milestone_updates"] == [{"milestone_id": world.bid, "version": 1, "state": "已完成",
                                              "as_of": "2024-03-28", "evidence_url": LINK}]
        wb = load_workbook(path)
        ws = wb["填报"]
        ws[f"I{rows_by_id(ws)[world.stock]}"] = 6500
        buf = io.BytesIO()
        wb.save(buf)
        body = post("reporter", buf.getvalue()).json()
        assert (body["version"], body["milestone_updates"], body["milestones_unchanged"]) == (1, [], 1)
