"""重点项目 pages: the library with filters and investment totals, and a project's versions. The
office and leaders see all; a reporter its unit's only (another unit's project, or one that does
not exist, reads as 403)."""
from __future__ import annotations

import html
import re

import pytest

from luoshi.track import projects as core
from tests.web.pages.test_report_form import opened


@pytest.fixture
def library(site):
    """XM-0001 of 市工信局 (1200 planned, 300 done, 入统, changed once), XM-0002 of 市发改委 (500
    planned), XM-0003 of 市工信局 (800 planned), retired."""
    with opened(site) as s:
        core.add(s, {"name": "澜州市智算中心一期", "unit": site.lead, "county": "高新区", "planned_investment": "1200",
                     "planned_start": "2025-03", "planned_end": "2026-12"}, source="cli", changed_by="张三")
        core.change(s, "XM-0001", {"completed_investment": "300", "in_statistics": "是"}, source="api",
                    changed_by="李四", reason="10月进度")
        core.add(s, {"name": "澜州市数据要素产业园", "unit": site.other, "county": "临江县",
                     "planned_investment": "500"}, source="cli")
        core.add(s, {"name": "旧机房改造", "unit": site.lead, "planned_investment": "800"}, source="cli")
        core.retire(s, "XM-0003", reason="并入智算中心", source="cli", changed_by="王五")
    return site


def codes(page: str) -> list[str]:
    return re.findall(r'<td><a href="/projects/(XM-\d+)">', page)


def totals(page: str) -> list[str]:
    return re.findall(r'<span class="figure">([^<]*)</span>', page)


def test_who_may_read_the_library(library):
    for who, status in {"admin": 403, "auditor": 403, "coordinator": 200, "leader": 200, "reporter": 200}.items():
        assert library.browser(who).get("/projects").status_code == status, who
        assert library.browser(who).get("/projects/XM-0001").status_code == status, who
    r = library.browser(None).get("/projects", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/login?next=%2Fprojects"


def test_the_office_sees_every_live_project_with_totals(library):
    page = library.browser("coordinator").get("/projects").text
    assert codes(page) == ["XM-0001", "XM-0002"]
    assert totals(page) == ["2", "1,700", "300"]  # 1200 + 500 planned; 300 done (retired XM-0003 left out)
    assert "25.0%" in page  # 300 / 1200
    page = library.browser("leader").get("/projects", params={"retired": "true"}).text
    assert codes(page) == ["XM-0001", "XM-0002", "XM-0003"] and totals(page) == ["3", "2,500", "300"]
    assert "已退库" in page


def test_filters_by_unit_county_and_statistics(library):
    c = library.browser("coordinator")
    assert codes(c.get("/projects", params={"unit": library.other}).text) == ["XM-0002"]
    assert codes(c.get("/projects", params={"county": "临江县"}).text) == ["XM-0002"]
    assert codes(c.get("/projects", params={"stats": "yes"}).text) == ["XM-0001"]
    page = c.get("/projects", params={"stats": "no", "unit": library.lead}).text
    assert codes(page) == [] and "没有符合条件的项目" in page


def test_a_reporter_sees_its_units_projects_only(library):
    c = library.browser("reporter")
    page = c.get("/projects").text
    assert codes(page) == ["XM-0001"] and totals(page) == ["1", "1,200", "300"]
    assert codes(c.get("/projects", params={"unit": library.other}).text) == ["XM-0001"]  # the filter cannot widen it
    assert c.get("/projects/XM-0003").status_code == 200  # its own, retired
    for code in ("XM-0002", "XM-9999"):
        r = c.get(f"/projects/{code}")
        assert r.status_code == 403 and "只能查看本单位负责的项目" in r.text
    assert library.browser("coordinator").get("/projects/XM-9999").status_code == 404


def test_a_project_shows_its_state_and_every_version(library):
    page = library.browser("leader").get("/projects/XM-0001").text
    assert "澜州市智算中心一期" in page and "现状（第2版）" in page
    assert re.search(r"<title>XM-0001 澜州市智算中心一期 · 落实</title>", page)
    office = library.browser("coordinator").get("/projects/XM-0001").text
    assert office.count('id="change-project"') == 1 and office.count('id="retire-project"') == 1
    rows = re.findall(r"<tr>\s*<td class=\"num\">第(\d)版</td>(.*?)</tr>", page, re.S)
    assert [v for v, _ in rows] == ["2", "1"]  # newest first
    second = html.unescape(re.sub(r"<[^>]+>|\s+", " ", rows[0][1]))
    assert "变更" in second and "李四" in second and "接口" in second and "10月进度" in second
    assert "累计完成投资：空 → 300" in second and "是否入统：否 → 是" in second
    first = html.unescape(re.sub(r"<[^>]+>|\s+", " ", rows[1][1]))
    assert "新增" in first and "张三" in first and "命令行" in first
    page = library.browser("coordinator").get("/projects/XM-0003").text
    assert "已退库" in page and "退库" in page and "并入智算中心" in page and "王五" in page


def versions(site, code: str) -> list[tuple]:
    from luoshi.track.project_history import history

    with opened(site) as s:
        return [(v.version, v.change, v.source, v.changed_by, v.reason, v.retired,
                 None if v.completed_investment is None else float(v.completed_investment), v.owner_unit_id)
                for v in history(s, code)]


def trail(site, action: str) -> list[tuple]:
    from sqlalchemy import select

    from luoshi.store.audit_models import AuditEntry

    with opened(site) as s:
        return [(e.username, e.object, e.result) for e in
                s.scalars(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id))]


def send(site, who: str, path: str, data: dict):
    return site.browser(who).post(path, data=data, headers=site.csrf(who), follow_redirects=False)


def test_the_office_adds_a_project_and_every_problem_is_shown(library):
    bad = {"code": "", "name": "", "unit": str(library.lead), "planned_start": "2025-13", "planned_investment": "一千"}
    r = send(library, "coordinator", "/projects", bad)
    assert r.status_code == 422
    assert "项目名称：必填" in r.text and "计划开工：“2025-13”不是有效日期" in r.text and "计划总投资：" in r.text
    assert 'value="2025-13"' in r.text and 'value="一千"' in r.text
    assert [x[2] for x in trail(library, "project_added")] == ["failed"]
    good = {"name": "澜州市工业互联网平台", "unit": str(library.lead), "planned_investment": "3000",
            "planned_start": "2026-01", "in_statistics": "否", "reason": "年度新增"}
    r = send(library, "coordinator", "/projects", good)
    assert r.status_code == 303 and r.headers["location"] == "/projects/XM-0004?done=added"
    assert versions(library, "XM-0004") == [(1, "add", "web", "coordinator用户", "年度新增", False, None, library.lead)]
    assert trail(library, "project_added")[-1] == ("coordinator", "project:XM-0004 v1", "ok")
    assert "已新增项目" in library.browser("coordinator").get(r.headers["location"]).text
    r = send(library, "reporter", "/projects", good)
    assert r.status_code == 403 and len(versions(library, "XM-0004")) == 1


def test_changes_are_new_versions_and_a_reporter_updates_its_own_only(library):
    page = library.browser("coordinator").get("/projects/XM-0001").text
    form = dict(re.findall(r'<input name="(\w+)" value="([^"]*)"', page))
    form |= {"unit": str(library.lead), "in_statistics": "是"}
    r = send(library, "coordinator", "/projects/XM-0001/change", form)  # the form as shown: nothing changes
    assert r.headers["location"] == "/projects/XM-0001?done=same" and len(versions(library, "XM-0001")) == 2
    r = send(library, "reporter", "/projects/XM-0001/change", {"completed_investment": "450", "reason": "11月进度"})
    assert r.status_code == 303 and r.headers["location"] == "/projects/XM-0001?done=changed"
    assert versions(library, "XM-0001")[-1] == (3, "change", "web", "reporter用户", "11月进度", False, 450.0,
                                                library.lead)
    assert 'name="unit"' not in library.browser("reporter").get("/projects/XM-0001").text  # not the reporter's
    r = send(library, "reporter", "/projects/XM-0001/change", {"unit": str(library.other)})
    assert r.status_code == 403 and versions(library, "XM-0001")[-1][0] == 3
    assert send(library, "reporter", "/projects/XM-0002/change", {"completed_investment": "1"}).status_code == 403
    r = send(library, "reporter", "/projects/XM-0001/change", {"actual_start": "2099-01"})
    assert r.status_code == 422 and "实际开工：“2099-01”晚于今天" in r.text
    assert [x[2] for x in trail(library, "project_changed")] == ["ok", "ok", "denied", "denied", "failed"]


def test_the_office_retires_and_restores_with_a_reason(library):
    r = send(library, "coordinator", "/projects/XM-0001/retire", {"reason": ""})
    assert r.status_code == 422 and "退库须填写原因" in r.text and versions(library, "XM-0001")[-1][5] is False
    assert send(library, "reporter", "/projects/XM-0001/retire", {"reason": "不做了"}).status_code == 403
    r = send(library, "coordinator", "/projects/XM-0001/retire", {"reason": "项目取消"})
    assert r.headers["location"] == "/projects/XM-0001?done=retired"
    assert versions(library, "XM-0001")[-1][:6] == (3, "retire", "web", "coordinator用户", "项目取消", True)
    assert codes(library.browser("coordinator").get("/projects").text) == ["XM-0002"]
    r = send(library, "coordinator", "/projects/XM-0001/restore", {"reason": "重新立项"})
    assert r.headers["location"] == "/projects/XM-0001?done=restored" and versions(library, "XM-0001")[-1][5] is False
    assert [x[1:] for x in trail(library, "project_retired")] == [
        ("project:XM-0001", "failed"), ("project:XM-0001", "denied"), ("project:XM-0001", "ok")]
    r = send(library, "coordinator", "/projects/XM-0001/change", {"name": "x"})
    assert r.status_code == 303  # live again: changes are taken
