"""通报 pages: the list (published versions for everyone, the public included; every version and
the generation form for the office), a bulletin's page with its reading copy in a frame, served
under its own Content-Security-Policy, the files, and publishing. One world for the module: the
office generates version 1 through the form, publishes it, then generates version 2 (a draft)."""
from __future__ import annotations

import base64
import hashlib
import re

import pytest
from sqlalchemy import select

from luoshi.store import Store
from luoshi.store.audit_models import AuditEntry
from luoshi.web.security import CSP
from tests.web.conftest import ROLES
from tests.web.pages.county_site import check_policy
from tests.web.test_api_bulletins import QUARTER, bulletin_site

EVERYONE = (*ROLES, None)  # None: the public
STAFF = ("coordinator", "leader")
TITLE = "关于2024年第二季度澜州市数字基础设施建设三年行动推进情况的通报"


def generate(site, who="coordinator", **fields):
    form = {"region": "澜州市", "period": QUARTER, "issuer": "", "recipients": "", "copy_to": "", "signed": ""} | fields
    return site.browser(who).post("/bulletins", data=form, headers=site.csrf(who), follow_redirects=False)


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    with bulletin_site(tmp_path_factory.mktemp("bulletin-pages")) as (site, _):
        first = generate(site)
        v1 = int(re.fullmatch(r"/bulletins/(\d+)\?done=generated", first.headers["location"]).group(1))
        published = site.browser("coordinator").post(f"/bulletins/{v1}/publish", headers=site.csrf("coordinator"),
                                                     follow_redirects=False)
        second = generate(site, signed="2024-07-20", recipients="各县（市、区）人民政府：")
        v2 = int(second.headers["location"].split("/")[2].split("?")[0])
        yield {"site": site, "v1": v1, "v2": v2, "first": first, "second": second, "published": published}


def rows(page: str) -> dict[int, str]:
    """The list's rows by bulletin id: published or draft."""
    return {int(i): cls for i, cls in re.findall(r'<tr id="bulletin-(\d+)" class="(\w+)">', page)}


def test_the_form_stores_version_1_then_2(world):
    site, v1, v2 = world["site"], world["v1"], world["v2"]
    assert world["first"].status_code == world["second"].status_code == 303 and v2 > v1
    page = site.browser("coordinator").get(world["second"].headers["location"]).text
    assert "已生成新版本（草稿）" in page and "第2版" in page and "2024-07-20" in page
    meta = site.browser("coordinator").get(f"/api/bulletins/{v2}").json()
    assert (meta["version"], meta["signed"], meta["published"]) == (2, "2024-07-20", False)
    versions = re.findall(r'<a href="/bulletins/(\d+)">第(\d)版</a>', page)  # this quarter's versions
    assert versions == [(str(v2), "2"), (str(v1), "1")]


def test_the_list_for_each_reader(world):
    site, v1, v2 = world["site"], world["v1"], world["v2"]
    for who in EVERYONE:
        r = site.browser(who).get("/bulletins")
        assert r.status_code == 200, who
        check_policy(r.text)
        assert 'href="/bulletins"' in r.text  # in everyone's menu
        expected = {v2: "draft", v1: "published"} if who in STAFF else {v1: "published"}
        assert rows(r.text) == expected, who
        assert ('id="generate"' in r.text) == (who == "coordinator"), who
        assert (f'action="/bulletins/{v2}/publish"' in r.text) == (who == "coordinator"), who
        assert f'action="/bulletins/{v1}/publish"' not in r.text  # published: no button
        assert ("生成人" in r.text) == (who in STAFF) and ("草稿" in r.text) == (who in STAFF), who
        assert f'href="/bulletins/{v1}/file.docx"' in r.text and f'href="/bulletins/{v1}/file.pdf"' not in r.text
    assert "暂无已发布的通报" not in site.browser(None).get("/bulletins").text


def test_the_generation_form_offers_the_regions_with_plans_and_the_reported_quarters(world):
    page = world["site"].browser("coordinator").get("/bulletins").text
    form = page[page.index('id="generate"'):page.index("</form>", page.index('id="generate"'))]
    # The last whole quarter is chosen: June, its last month, is reported.
    assert re.findall(r'<option value="([^"]*)" selected>', form) == ["澜州市", "2024Q2"]
    assert re.findall(r'<option value="(\d{4}Q\d)"(?: selected)?>([^<]*)</option>', form) == [
        ("2024Q2", "2024年第二季度"), ("2024Q1", "2024年第一季度")]


@pytest.mark.parametrize("which", ["v1", "v2"])
def test_role_matrix_of_a_bulletin(world, which):
    """A published version: everyone reads it. A draft: the office and leaders; 404 for the rest."""
    site, bid = world["site"], world[which]
    for who in EVERYONE:
        expected = 200 if which == "v1" or who in STAFF else 404
        for path in (f"/bulletins/{bid}", f"/bulletins/{bid}/view", f"/bulletins/{bid}/file.docx"):
            r = site.browser(who).get(path)
            assert r.status_code == expected, (who, path, r.status_code)
            if expected == 404:
                assert TITLE not in r.text and "<h1>未找到</h1>" in r.text  # the HTML error page


def test_a_bulletin_page_frames_its_reading_copy(world):
    site, v1 = world["site"], world["v1"]
    r = site.browser(None).get(f"/bulletins/{v1}")
    check_policy(r.text)
    assert f'<iframe class="bulletin-frame" src="/bulletins/{v1}/view"' in r.text and TITLE in r.text
    # The page's own policy lets it frame this site (frame-src falls back to default-src 'self').
    assert r.headers["content-security-policy"] == CSP and "frame-src" not in CSP and "default-src 'self'" in CSP
    assert "coordinator用户" not in r.text  # who generated or published it is internal
    assert "<dt>生成</dt>" not in r.text and "<dt>生成</dt>" in site.browser("leader").get(f"/bulletins/{v1}").text
    assert f'action="/bulletins/{v1}/publish"' not in site.browser("coordinator").get(f"/bulletins/{v1}").text
    v2 = world["v2"]
    assert f'action="/bulletins/{v2}/publish"' in site.browser("coordinator").get(f"/bulletins/{v2}").text


def test_the_reading_copy_is_served_under_its_own_policy(world):
    site, v1 = world["site"], world["v1"]
    r = site.browser(None).get(f"/bulletins/{v1}/view")
    assert r.status_code == 200 and r.headers["content-type"] == "text/html; charset=utf-8"
    stored = site.browser(None).get(f"/api/bulletins/{v1}/file.html").text
    assert r.text == stored and TITLE in r.text
    styles = re.findall(r"<style>(.*?)</style>", r.text, re.DOTALL)
    assert len(styles) == 1
    digest = base64.b64encode(hashlib.sha256(styles[0].encode("utf-8")).digest()).decode()
    assert r.headers["content-security-policy"] == (
        f"default-src 'none'; style-src 'sha256-{digest}'; img-src data:; frame-ancestors 'self'")
    assert r.headers["x-frame-options"] == "SAMEORIGIN"
    assert "<script" not in r.text and not re.search(r"<[^>]+\sstyle\s*=", r.text)
    # The ordinary pages still may not be framed.
    assert site.browser(None).get("/bulletins").headers["x-frame-options"] == "DENY"


def test_the_files_download_under_their_chinese_names(world):
    site, v1 = world["site"], world["v1"]
    r = site.browser(None).get(f"/bulletins/{v1}/file.xlsx")
    assert r.status_code == 200 and r.content[:2] == b"PK"
    assert "filename*=UTF-8''%E6%BE%9C%E5%B7%9E%E5%B8%822024Q2" in r.headers["content-disposition"]  # 澜州市2024Q2
    missing = site.browser(None).get(f"/bulletins/{v1}/file.pdf")  # made without LibreOffice
    assert missing.status_code == 404 and "没有 PDF" in missing.text and "<h1>未找到</h1>" in missing.text


def test_publishing_through_the_page(world):
    site, v1 = world["site"], world["v1"]
    r = world["published"]
    assert r.status_code == 303 and r.headers["location"] == f"/bulletins/{v1}?done=published"
    page = site.browser("coordinator").get(r.headers["location"]).text
    assert "已发布：公众现在可以看到这一版" in page and "已发布" in page
    again = site.browser("coordinator").post(f"/bulletins/{v1}/publish", headers=site.csrf("coordinator"))
    assert again.status_code == 409 and "已于" in again.text and "发布" in again.text
    with Store(site.url).session() as s:
        actions = [(e.action, e.object, e.result) for e in s.scalars(select(AuditEntry).where(
            AuditEntry.action.in_(("bulletin_generated", "bulletin_published"))).order_by(AuditEntry.id))]
    assert actions[:3] == [("bulletin_generated", f"bulletin:{v1}", "ok"),
                           ("bulletin_published", f"bulletin:{v1}", "ok"),
                           ("bulletin_generated", f"bulletin:{world['v2']}", "ok")]


def test_who_may_generate_and_publish(world):
    site, v2 = world["site"], world["v2"]
    for who in ("leader", "reporter", "admin", "auditor"):
        assert generate(site, who).status_code == 403, who
        r = site.browser(who).post(f"/bulletins/{v2}/publish", headers=site.csrf(who))
        assert r.status_code == 403 and "无权" in r.text, who
    r = site.browser(None).post("/bulletins", data={"region": "澜州市", "period": QUARTER}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/login")
    no_token = site.browser("coordinator").post("/bulletins", data={"region": "澜州市", "period": QUARTER},
                                                follow_redirects=False)
    assert no_token.status_code == 403  # no CSRF header
    assert rows(site.browser("coordinator").get("/bulletins").text) == {v2: "draft", world["v1"]: "published"}


def test_bad_input_shows_the_error_page(world):
    site = world["site"]
    r = generate(site, period="2024Q5")
    assert r.status_code == 422 and "无法识别的季度" in r.text and "<h1>请求有误</h1>" in r.text
    r = generate(site, region="不存在市")
    assert r.status_code == 404 and "未找到地区" in r.text
    r = generate(site, signed="2024-13-01")
    assert r.status_code == 422 and "成文日期" in r.text
    assert site.browser("leader").get("/bulletins/999999").status_code == 404
    assert site.browser("leader").get("/bulletins/0").status_code == 422
