"""Quarterly bulletins over the API, over the sample plan (澜州市) with reports in 2024: the office
generates a quarter twice (versions 1 and 2, the second after a correction), publishes the first;
the office and leaders see both, everyone else (the public without an account too) the published
one only, and the draft is 404 to them. Files are served as stored.

Generating renders charts (about a second each), so the module generates once per version: the
world is built once (SQLite) and LibreOffice is kept out except in the one PDF test."""
from __future__ import annotations

import io
import zipfile
from contextlib import contextmanager
from datetime import date
from urllib.parse import quote

import pytest
from docx import Document as Word
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import select

from luoshi.publish.bulletin import convert
from luoshi.store import Store
from luoshi.store.audit_models import AuditEntry
from luoshi.track import reports
from luoshi.web.app import create_app
from tests.web.conftest import unit_accounts, web_settings
from tests.web.pages.conftest import Site, build_site

QUARTER, LABEL = "2024Q2", "2024年第二季度"
REASONS = {"delay_reason": "基站选址受阻", "next_steps": "协调铁塔公司加快建设"}
STAFF = ("coordinator", "leader")
OTHERS = ("admin", "auditor", "reporter", "other_reporter", None)  # None: the public, no account
REAL_AVAILABLE = convert.available


@contextmanager
def bulletin_site(tmp_dir):
    """The sample plan's site with reports of 市工业和信息化局: March (2024Q1), April and June
    (2024Q2; May missing, June late). Yields the Site and its first lead target (5G基站总数,
    9800 by 2025), reported 3 in June: red."""
    url = f"sqlite:///{tmp_dir}/luoshi.db"
    plan_id, lead, other = build_site(url)
    app = create_app(web_settings(url))
    with pytest.MonkeyPatch.context() as mp, TestClient(app):
        mp.setattr(convert, "available", lambda: False)
        site = Site(app, url, plan_id, lead, other, unit_accounts(url, lead, other))
        first, second = site.lead_targets()[:2]
        site.month("2024-03", {first: 1}, received=date(2024, 4, 8), **REASONS)
        site.month("2024-04", {first: 2, second: 1}, received=date(2024, 5, 8), **REASONS)
        site.month("2024-06", {first: 3}, received=date(2024, 7, 20), **REASONS)
        yield site, first
        for c in site.clients.values():
            c.close()


def correct_june(site: Site, target: int, value: float) -> None:
    with Store(site.url).session() as s:
        reports.submit(s, unit=site.lead, period="2024-06", source="api", correction_reason="核实后更正",
                       lines=[{"target_id": target, "cumulative": value, **REASONS}],
                       settings=site.app.state.settings.dispatch)


def api(site: Site, who: str | None):
    """A client of the API as `who` by bearer token (None: no token at all)."""
    c = site.browser(None)
    headers = {"Authorization": f"Bearer {site.tokens[who]}"} if who else {}
    return lambda method, url, **kw: c.request(method, url, headers=headers, **kw)


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """Version 1 (defaults), a correction of June, version 2 (the office's own masthead), version 1
    published; what the public saw before the publication is kept."""
    with bulletin_site(tmp_path_factory.mktemp("bulletins")) as (site, first):
        office = api(site, "coordinator")
        v1 = office("POST", "/api/bulletins", json={"region": "澜州市", "period": QUARTER})
        correct_june(site, first, 4)
        v2 = office("POST", "/api/bulletins", json={"region": "澜州市", "period": "2024年第二季度",
                                                    "issuer": "澜州市数字基础设施建设工作专班办公室", "signed": "2024-07-15",
                                                    "copy_to": "市委办公室，市政府办公室。"})
        before = api(site, None)("GET", "/api/bulletins").json()
        published = office("POST", f"/api/bulletins/{v1.json()['id']}/publish")
        yield {"site": site, "first": first, "v1": v1, "v2": v2, "before": before, "published": published}


def ids(world, who, query=""):
    rows = api(world["site"], who)("GET", f"/api/bulletins{query}").json()
    return [r["id"] for r in rows if r["period"] == QUARTER]


def test_the_office_generates_version_1_then_2_of_a_quarter(world):
    v1, v2 = world["v1"], world["v2"]
    assert (v1.status_code, v2.status_code) == (201, 201), (v1.text, v2.text)
    a, b = v1.json(), v2.json()
    assert [(x["region"], x["period"], x["version"]) for x in (a, b)] == [("澜州市", QUARTER, 1), ("澜州市", QUARTER, 2)]
    assert a["title"] == b["title"] == f"关于{LABEL}澜州市数字基础设施建设三年行动推进情况的通报"
    assert a["issue"] == "2024年第2期" and a["as_of"] == "2024-06"
    assert a["signed"] == "2024-07-31"  # the close of the quarter's reporting: the end of July
    assert (b["signed"], b["issuer"]) == ("2024-07-15", "澜州市数字基础设施建设工作专班办公室")
    assert a["created_by"] == "coordinator用户" and not a["has_pdf"] and a["files"]["pdf"] is None
    assert a["files"]["docx"] == f"/api/bulletins/{a['id']}/file.docx"
    # Each figure names where it comes from: the red count lists the first target, reported 3 of 9800.
    red = next(f for f in a["figures"] if f["label"] == "全部红灯指标数")
    assert world["first"] in red["source"]["targets"]


def test_each_version_keeps_the_figures_it_was_made_with(world):
    """Version 1 still says 3 after June was corrected to 4; version 2 says 4."""
    office = api(world["site"], "coordinator")
    for version, value in ((world["v1"], 3), (world["v2"], 4)):
        r = office("GET", f"/api/bulletins/{version.json()['id']}/file.xlsx")
        assert r.status_code == 200 and r.headers["content-type"].startswith("application/vnd.openxmlformats")
        sheet = load_workbook(io.BytesIO(r.content))["全部指标"]
        header = [c.value for c in sheet[2]]
        row = next(r for r in sheet.iter_rows(min_row=3, values_only=True) if r[0] == world["first"])
        got = dict(zip(header, row))
        assert (got["实际值"], got["实际值月份"], got["灯"], got["滞后原因"]) == (value, "2024-06", "红灯", "基站选址受阻")
        with zipfile.ZipFile(io.BytesIO(r.content)) as z:  # its links (/plans/…) resolve against this site
            assert "<HyperlinkBase>http://testserver/</HyperlinkBase>" in z.read("docProps/app.xml").decode()


def test_the_word_file_opens_and_holds_the_title_and_masthead(world):
    b = world["v2"].json()
    r = api(world["site"], "leader")("GET", f"/api/bulletins/{b['id']}/file.docx")
    assert r.status_code == 200
    name = quote(f"澜州市{QUARTER}通报-第2版.docx")
    disposition = f"attachment; filename=\"bulletin-{b['id']}.docx\"; filename*=UTF-8''{name}"
    assert r.headers["content-disposition"] == disposition
    word = Word(io.BytesIO(r.content))
    cells = [c.text for t in word.tables for row in t.rows for c in row.cells]  # 版记 (抄送) is a table
    text = "".join([p.text for p in word.paragraphs] + cells).replace("\n", "")
    assert b["title"] in text and "澜州市数字基础设施建设工作专班办公室" in text and "市委办公室，市政府办公室。" in text


def test_the_html_file_is_the_stored_reading_copy(world):
    b = world["v1"].json()
    r = api(world["site"], None)("GET", f"/api/bulletins/{b['id']}/file.html")
    assert r.status_code == 200 and r.headers["content-type"] == "text/html; charset=utf-8"
    assert r.headers["content-disposition"].startswith("attachment;") and "<style>" in r.text and b["title"] in r.text


def test_who_sees_which_versions(world):
    v1, v2 = world["v1"].json()["id"], world["v2"].json()["id"]
    for who in STAFF:
        assert ids(world, who) == [v2, v1], who
        assert ids(world, who, "?published=true") == [v1] and ids(world, who, "?published=false") == [v2]
    for who in OTHERS:
        assert ids(world, who) == [v1], who
        assert ids(world, who, "?published=false") == [], who
    assert ids(world, "leader", "?region=澜州市") == [v2, v1] and ids(world, "leader", "?region=聊城市") == []


def test_a_draft_is_not_found_for_those_who_may_read_only_published_ones(world):
    v1, v2 = world["v1"].json()["id"], world["v2"].json()["id"]
    for who in STAFF + OTHERS:
        call = api(world["site"], who)
        published = call("GET", f"/api/bulletins/{v1}")
        assert published.status_code == 200 and published.json()["published"] is True, who
        draft = [call("GET", f"/api/bulletins/{v2}"), call("GET", f"/api/bulletins/{v2}/file.docx")]
        expected = 200 if who in STAFF else 404
        assert [r.status_code for r in draft] == [expected, expected], who
        if expected == 404:
            assert draft[0].json()["code"] == "bulletin_not_found" and "澜州市" not in draft[0].text


def test_publishing_shows_the_version_to_the_public(world):
    v1 = world["v1"].json()["id"]
    assert [r["id"] for r in world["before"]] == []  # before: nothing for the public
    r = world["published"]
    assert r.status_code == 200 and r.json()["published"] and r.json()["published_by"] == "coordinator用户"
    public = api(world["site"], None)("GET", "/api/bulletins").json()
    assert [(x["id"], x["version"], x["published"]) for x in public if x["period"] == QUARTER] == [(v1, 1, True)]


def test_only_the_office_generates_and_publishes(world):
    site, v2 = world["site"], world["v2"].json()["id"]
    body = {"region": "澜州市", "period": QUARTER}
    for who in ("leader", "reporter", "admin", "auditor"):
        assert api(site, who)("POST", "/api/bulletins", json=body).status_code == 403, who
        assert api(site, who)("POST", f"/api/bulletins/{v2}/publish").status_code == 403, who
    assert api(site, None)("POST", "/api/bulletins", json=body).status_code == 401
    assert api(site, None)("POST", f"/api/bulletins/{v2}/publish").status_code == 401
    assert ids(world, "coordinator") == [v2, world["v1"].json()["id"]]  # nothing was made or published
    bad_token = site.browser(None).get("/api/bulletins", headers={"Authorization": "Bearer nonsense"})
    assert bad_token.status_code == 401  # a token that is sent must be valid


def test_errors(world):
    office = api(world["site"], "coordinator")
    r = office("POST", "/api/bulletins", json={"region": "不存在市", "period": QUARTER})
    assert r.status_code == 404 and r.json()["code"] == "region_not_found"
    r = office("POST", "/api/bulletins", json={"region": "澜州市", "period": "2024Q5"})
    assert r.status_code == 422 and r.json()["code"] == "period_invalid"
    r = office("POST", "/api/bulletins", json={"region": "澜州市", "period": QUARTER, "issuer": "办公室\x01"})
    assert r.status_code == 422 and "控制字符" in r.json()["message"]
    r = office("POST", "/api/bulletins", json={"region": "澜州市", "period": QUARTER, "signed": "1999-12-31"})
    assert r.status_code == 422 and "成文日期" in r.json()["message"]
    r = office("POST", f"/api/bulletins/{world['v1'].json()['id']}/publish")
    assert r.status_code == 409 and r.json()["code"] == "bulletin_conflict"
    assert office("POST", "/api/bulletins/999999/publish").status_code == 404
    assert office("GET", "/api/bulletins/999999").status_code == 404
    assert office("GET", f"/api/bulletins/{world['v1'].json()['id']}/file.odt").status_code == 422
    r = office("GET", f"/api/bulletins/{world['v1'].json()['id']}/file.pdf")
    assert r.status_code == 404 and "LibreOffice" in r.json()["message"]  # made without LibreOffice
    assert ids(world, "coordinator") == [world["v2"].json()["id"], world["v1"].json()["id"]]


def test_generating_and_publishing_are_in_the_audit_log(world):
    v1, v2 = world["v1"].json()["id"], world["v2"].json()["id"]
    refused = api(world["site"], "reporter")("POST", "/api/bulletins", json={"region": "澜州市", "period": QUARTER})
    assert refused.status_code == 403
    with Store(world["site"].url).session() as s:
        rows = [(e.action, e.username, e.object, e.result, e.detail) for e in s.scalars(
            select(AuditEntry).where(AuditEntry.action.in_(("bulletin_generated", "bulletin_published")))
            .order_by(AuditEntry.id))]
    done = [r for r in rows if r[3] == "ok" and r[2] in (f"bulletin:{v1}", f"bulletin:{v2}")]
    assert done == [
        ("bulletin_generated", "coordinator", f"bulletin:{v1}", "ok", f"澜州市{QUARTER} 第1版"),
        ("bulletin_generated", "coordinator", f"bulletin:{v2}", "ok", f"澜州市{QUARTER} 第2版"),
        ("bulletin_published", "coordinator", f"bulletin:{v1}", "ok", f"澜州市{QUARTER} 第1版")]
    assert ("bulletin_generated", "reporter", f"bulletin:澜州市:{QUARTER}", "denied") in [r[:4] for r in rows]


def test_a_pdf_when_libreoffice_is_installed(world, monkeypatch):
    if not REAL_AVAILABLE():
        pytest.skip("LibreOffice is not installed (scripts/office-up)")
    monkeypatch.setattr(convert, "available", REAL_AVAILABLE)
    office = api(world["site"], "coordinator")
    r = office("POST", "/api/bulletins", json={"region": "澜州市", "period": "2024Q1"})
    assert r.status_code == 201 and r.json()["has_pdf"] and r.json()["version"] == 1
    pdf = office("GET", r.json()["files"]["pdf"])
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF") and quote("澜州市2024Q1通报-第1版.pdf") in pdf.headers["content-disposition"]
