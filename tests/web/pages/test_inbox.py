"""本单位 (/inbox): the unit's reports due as the office judges them, its reminders, its targets
with their lights, its milestones; the Excel template and upload (all or nothing, errors by cell).
"Today" is pinned to 23 November 2026 for the desk, so the months it owes stay within the sample
plan's 实施期 (2024–2026) whenever the tests run."""
from __future__ import annotations

import html
import io
import re
from dataclasses import replace
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from luoshi.publish.excel_import import import_workbook
from luoshi.publish.excel_layout import WorkbookInvalid
from luoshi.store.audit_models import AuditEntry
from luoshi.store.dispatch_models import Task, TaskTarget, TaskUnit
from luoshi.track.milestones import add_milestone
from luoshi.track.timeliness import due_date
from tests.web.pages.test_report_form import all_lines, opened, stored, target

TODAY = date(2026, 11, 23)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def pinned(monkeypatch):
    monkeypatch.setattr("luoshi.track.unit_inbox.today", lambda: TODAY)


def test_who_may_open_the_desk(site):
    expected = {"admin": 403, "auditor": 403, "coordinator": 200, "leader": 200, "reporter": 200,
                "other_reporter": 200}
    for who, status in expected.items():
        assert site.browser(who).get("/inbox").status_code == status, who
    r = site.browser(None).get("/inbox", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/login?next=%2Finbox"
    assert "澜州市工业和信息化局" in site.browser("reporter").get("/inbox").text
    assert "澜州市发展和改革委员会" in site.browser("other_reporter").get("/inbox").text
    # The office and leaders pick a unit; a reporter asking for another (or none) is refused alike.
    assert "选择单位" in site.browser("coordinator").get("/inbox").text
    for unit in (site.other, 999999, "不存在的单位"):
        assert site.browser("reporter").get("/inbox", params={"unit": unit}).status_code == 403
    page = site.browser("coordinator").get(f"/inbox?unit={site.other}")
    assert page.status_code == 200 and "<h1 class=\"inbox-title\">澜州市发展和改革委员会</h1>" in page.text
    assert site.browser("coordinator").get("/inbox?unit=999999").status_code == 404


def test_a_leader_reads_without_the_forms(site):
    page = site.browser("leader").get(f"/inbox?unit={site.lead}").text
    assert "澜州市工业和信息化局" in page and "上传 Excel 月报" not in page and "/inbox/report?" not in page
    assert "上传 Excel 月报" in site.browser("reporter").get("/inbox").text


def test_reports_due_reminders_and_lights(site, pinned):
    t7 = target(site, "每万人拥有5G基站数")
    reasons = {"delay_reason": "审批延后", "next_steps": "补点"}
    site.month("2026-08", {t7: 23.5}, received=date(2026, 9, 15), **reasons)  # due 10 September: 5 days late
    site.month("2026-09", {t7: 24.0}, received=date(2026, 10, 9), **reasons)  # on time
    page = site.browser("reporter").get("/inbox").text
    rows = {m.group(1): m.group(0) for m in re.finditer(r"<tr>\s*<td>(\d{4}年\d{1,2}月)</td>.*?</tr>",
                                                        _section(page, "reports"), re.S)}
    assert list(rows) == ["2026年11月", "2026年10月", "2026年9月", "2026年8月", "2026年7月", "2026年6月", "2026年5月"]
    assert "按时报送" in rows["2026年9月"] and "2026-10-09" in rows["2026年9月"]
    assert "逾期报送" in rows["2026年8月"] and "逾期 5 天" in rows["2026年8月"]
    days = (TODAY - due_date("2026-10")).days
    assert "超期未报" in rows["2026年10月"] and f"已超期 {days} 天" in rows["2026年10月"]
    assert "待报送" in rows["2026年11月"] and f"还有 {(due_date('2026-11') - TODAY).days} 天到期" in rows["2026年11月"]
    assert "更正" in rows["2026年9月"] and "填报" in rows["2026年10月"]
    worst = (TODAY - due_date("2026-05")).days
    assert (f"澜州市工业和信息化局：2026年5月、2026年6月、2026年7月、2026年10月的月报超期未报，最长已超期{worst}天"
            in page)
    # 24 at the end of September, judged at the end of October: (24 − 16) / 12 = 66.67 % against 91.67 %.
    row = re.search(r"<td>每万人拥有5G基站数</td>.*?</tr>", page, re.S).group(0)
    assert "66.67%" in row and "91.67%" in row and "黄灯" in row and "2026-09" in row
    assert re.search(r'黄灯</span><span class="figure yellow">1</span>', page)
    assert re.search(r'目标</span><span class="figure">(\d+)</span>', page).group(1) == str(len(_targets_of(site)))


def _section(page: str, table_id: str) -> str:
    return re.search(rf'<table class="data" id="{table_id}">.*?</table>', page, re.S).group(0)


def _targets_of(site) -> set[int]:
    with opened(site) as s:
        return set(s.scalars(select(TaskTarget.target_id).join(TaskUnit, TaskUnit.task_id == TaskTarget.task_id)
                             .where(TaskUnit.unit_id == site.lead)))


def test_the_units_milestones_and_no_one_elses(site, pinned):
    with opened(site) as s:
        def task_of(unit, not_of):
            return s.scalars(select(Task.id).join(TaskUnit, TaskUnit.task_id == Task.id)
                             .where(TaskUnit.unit_id == unit, TaskUnit.role == "lead",
                                    Task.id.not_in(select(TaskUnit.task_id).where(TaskUnit.unit_id == not_of)))
                             .order_by(Task.id)).first()
        ours, theirs = task_of(site.lead, site.other), task_of(site.other, site.lead)
        add_milestone(s, ours, title="完成全市站址规划", due="2026-06-30", today=TODAY)
        add_milestone(s, theirs, title="发改委的里程碑", due="2026-12-31", today=TODAY)
    page = site.browser("reporter").get("/inbox").text
    table = _section(page, "milestones")
    assert "完成全市站址规划" in table and "发改委的里程碑" not in page
    assert "逾期" in table and '<span class="light red">' in table  # past its 完成时限, not done
    assert "发改委的里程碑" in site.browser("other_reporter").get("/inbox").text


def _template(site, who="reporter", unit=None, period="2026-10") -> bytes:
    page = site.browser(who).get("/inbox" + (f"?unit={unit}" if unit else "")).text
    href = f"/api/reports/{unit or site.lead}/{period}/template.xlsx"
    assert f'href="{href}" hx-boost="false" download' in page
    r = site.browser(who).get(href)
    assert r.status_code == 200 and r.headers["content-type"] == XLSX
    return r.content


def _fill(data: bytes, values: dict[int, dict[str, object]]) -> bytes:
    wb = load_workbook(io.BytesIO(data))
    ws = wb["填报"]
    col = {ws.cell(2, c).value: ws.cell(2, c).column_letter for c in range(1, ws.max_column + 1)}
    rows = {ws[f"A{r}"].value: r for r in range(3, ws.max_row + 1)}
    for tid, cells in values.items():
        for header, v in cells.items():
            ws[f"{col[header]}{rows[tid]}"] = v
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _upload(site, data: bytes, who="reporter", name="月报.xlsx", **form):
    return site.browser(who).post("/inbox/upload", files={"file": (name, data, XLSX)}, data=form,
                                  headers=site.csrf(who))


def test_a_filled_template_imports(site):
    t7 = target(site, "每万人拥有5G基站数")
    data = _fill(_template(site), {t7: {"累计": 24.5, "滞后原因": "审批延后", "下步措施": "补点"}})
    r = _upload(site, data)
    assert r.status_code == 200, r.text
    assert "已导入" in r.text and "澜州市工业和信息化局 2026年10月" in r.text and "第 1 版" in r.text
    assert stored(site) == [("2026-10", 1, "excel", "reporter用户", None, False,
                             [(t7, None, 24.5, None, "审批延后", "补点")])]
    with opened(site) as s:
        actions = [(e.action, e.object, e.result) for e in s.scalars(select(AuditEntry).order_by(AuditEntry.id))]
    assert ("export", "report-template:澜州市工业和信息化局/2026-10", "ok") in actions
    assert actions[-1] == ("report_imported", "report:澜州市工业和信息化局/2026-10 v1", "ok")
    # Again for the same month: a correction, which needs its reason.
    r = _upload(site, data)
    assert r.status_code == 422 and "更正须填写更正说明" in r.text
    r = _upload(site, data, correction_reason="按表格更正")
    assert r.status_code == 200 and "第 2 版" in r.text
    assert [(v[1], v[4]) for v in stored(site)] == [(1, None), (2, "按表格更正")]


def test_a_broken_workbook_shows_every_bad_cell_and_stores_nothing(site):
    t7, t6 = target(site, "每万人拥有5G基站数"), target(site, "5G基站总数")
    data = _fill(_template(site), {t7: {"累计": 24.5}, t6: {"当月": "八千", "累计": 9000}})
    r = _upload(site, data)
    assert r.status_code == 422 and "未导入" in r.text and "本次没有保存任何内容" in r.text
    shown = re.findall(r"<tr><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td></tr>", _section(r.text, "cell-errors"))
    with opened(site) as s, pytest.raises(WorkbookInvalid) as e:  # the core's own verdict
        import_workbook(s, data, only_unit=site.lead)
    expected = [(x.sheet, x.cell, x.message) for x in e.value.errors]
    assert len(shown) == len(expected) == 5  # 当月 of one line; 滞后原因, 下步措施 of two lagging ones
    assert [tuple(map(html.unescape, x)) for x in shown] == expected
    row = {tid: r for r, tid in enumerate(_rows(data), start=3)}
    assert ("填报", f"K{row[t7]}") in {(a, b) for a, b, _ in shown}  # 滞后原因 of the lagging line
    assert ("填报", f"H{row[t6]}") in {(a, b) for a, b, _ in shown}  # 当月 “八千”
    assert stored(site) == [] and all_lines(site) == 0


def _rows(data: bytes) -> list[int]:
    ws = load_workbook(io.BytesIO(data))["填报"]
    return [ws[f"A{r}"].value for r in range(3, ws.max_row + 1)]


def test_uploads_are_checked_like_the_apis(site):
    t7 = target(site, "每万人拥有5G基站数")
    r = _upload(site, b"not a workbook", name="月报.xlsx")
    assert r.status_code == 415 and "上传的文件不是Excel 工作簿（.xlsx）" in r.text
    good = _fill(_template(site), {t7: {"累计": 24.5, "滞后原因": "审批延后", "下步措施": "补点"}})
    assert _upload(site, good, who="leader").status_code == 403
    assert site.browser("reporter").post("/inbox/upload", files={"file": ("a.xlsx", good, XLSX)}).status_code == 403
    # Another unit's workbook (made by the office) is refused for a reporter, by its unit cell.
    theirs = _template(site, who="coordinator", unit=site.other)
    first = next(t for t in _rows(theirs) if t)
    r = _upload(site, _fill(theirs, {first: {"累计": 1}}))
    assert r.status_code == 422 and "只能报送本单位的报告" in r.text
    assert stored(site) == [] and stored(site, site.other) == []
    site.app.state.settings = replace(site.app.state.settings, max_upload_bytes=len(good) - 1)  # the API's limit
    r = _upload(site, good)
    assert r.status_code == 413 and "上传的文件超过" in r.text
    assert stored(site) == []
