"""审计日志 (/audit): the auditor alone reads it (the administrator too is refused, and each refusal
is a row); the rows the pages' own actions leave, newest first, filtered and paged by 50; the
hash chain's verdict, 完整 or the first row changed."""
from __future__ import annotations

import re

from sqlalchemy import func, select

from luoshi.auth import audit
from luoshi.store.audit_models import AuditEntry
from tests.auth.test_audit import tamper
from tests.web.pages.test_report_form import OCTOBER, form, opened, post, target


def entries(page: str) -> list[tuple[int, str, str, str]]:
    """(id, user, action key, result label) of each row shown."""
    body = re.search(r'<table class="data" id="audit-entries">.*?</table>', page, re.S)
    if not body:
        return []
    out = []
    for row in re.findall(r"<tr class=\"result-\w+\">(.*?)</tr>", body.group(0), re.S):
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        action = re.search(r'<span class="small muted">(\w+)</span>', cells[5]).group(1)
        result = re.sub(r"<[^>]+>", "", cells[7]).strip()
        out.append((int(cells[0]), cells[2], action, result))
    return out


def test_the_auditor_alone_reads_the_log_and_refusals_are_recorded(site):
    for who in ("admin", "coordinator", "leader", "reporter"):
        r = site.browser(who).get("/audit")
        assert r.status_code == 403 and "当前账号无权进行此操作" in r.text, who
    r = site.browser(None).get("/audit", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/login?next=%2Faudit"
    page = site.browser("auditor").get("/audit").text
    assert [(u, a, res) for _, u, a, res in entries(page)] == [
        ("reporter", "audit_read", "拒绝"), ("leader", "audit_read", "拒绝"), ("coordinator", "audit_read", "拒绝"),
        ("admin", "audit_read", "拒绝")]  # newest first
    assert "哈希链校验：<strong>完整</strong>" in page and "共 4 条" in page


def test_the_rows_the_pages_leave(site):
    t7 = target(site, "每万人拥有5G基站数")
    post(site, form(site, t7))  # refused: behind schedule without reasons
    post(site, form(site, t7, unit=site.other))  # refused: another unit
    post(site, form(site, t7, delay_reason="审批延后", next_steps="补点"))
    page = site.browser("auditor").get("/audit", params={"action": "report_submitted"}).text
    rows = entries(page)
    assert [(u, a, res) for _, u, a, res in rows] == [
        ("reporter", "report_submitted", "成功"), ("reporter", "report_submitted", "拒绝"),
        ("reporter", "report_submitted", "失败")]
    assert f"report:澜州市工业和信息化局/{OCTOBER} v1" in page and "report_invalid：报告未保存" in page
    assert "forbidden：只能查看和报送本单位的任务与报告" in page
    assert "testclient" in page  # the address
    assert entries(site.browser("auditor").get("/audit", params={"user": "coordinator"}).text) == []
    assert len(entries(site.browser("auditor").get("/audit", params={"user": "REPORTER"}).text)) == 3


def test_dates_filter_and_a_bad_one_is_explained(site):
    site.browser("leader").get("/audit")  # one row, today
    c = site.browser("auditor")
    assert len(entries(c.get("/audit", params={"since": "2000-01-01", "until": "2100-01-01"}).text)) == 1
    assert entries(c.get("/audit", params={"until": "2000-01-01"}).text) == []
    r = c.get("/audit", params={"since": "昨天"})
    assert r.status_code == 422 and "since“昨天”无法识别" in r.text


def test_fifty_a_page(site):
    with opened(site) as s:
        for i in range(62):
            audit.record(s, action="export", result="ok", username=f"u{i}", object=f"x:{i}")
        s.commit()
    c = site.browser("auditor")
    first = c.get("/audit").text
    assert "共 62 条" in first and "第 1 / 2 页" in first
    assert [e[0] for e in entries(first)] == list(range(62, 12, -1))
    assert 'href="/audit?page=2"' in first
    second = c.get("/audit", params={"page": 2}).text
    assert [e[0] for e in entries(second)] == list(range(12, 0, -1)) and 'href="/audit?page=1"' in second
    filtered = c.get("/audit", params={"action": "export", "page": 1}).text
    assert 'href="/audit?action=export&amp;page=2"' in filtered


def test_the_chain_names_the_first_row_changed(site):
    for who in ("admin", "leader", "reporter"):
        site.browser(who).get("/audit")
    with opened(site) as s:
        assert s.scalar(select(func.count()).select_from(AuditEntry)) == 3
        tamper(s, "UPDATE audit_log SET result = 'ok' WHERE id = 2")
    page = site.browser("auditor").get("/audit").text
    assert "哈希链校验：<strong>不完整</strong>" in page and "<strong>#2</strong>" in page
