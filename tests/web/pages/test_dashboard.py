"""The dashboard page (/dashboard, /dashboard/targets): who may read it, what it shows on the
county world (figures worked out by hand in county_world.py and tests/track/test_dashboard.py) and
on the sample plan (澜州市: no code, no map), fresh after a report, within the CSP."""
from __future__ import annotations

import re
from datetime import date

import pytest
from fastapi.testclient import TestClient

from luoshi.store import Store
from luoshi.track.catalog import load_catalog
from luoshi.track.progress import progress
from luoshi.web.app import create_app
from tests.web.conftest import unit_accounts, web_settings
from tests.web.pages.county_site import ROLE_MATRIX, chart_data, check_policy, county_site  # noqa: F401 - fixture

CATALOG = load_catalog(None)


def figure(html: str, name: str) -> str:
    return re.search(rf'id="{name}">([^<]*)<', html).group(1).strip()


@pytest.mark.parametrize("path", ["/dashboard", "/dashboard/targets?light=red"])
def test_role_matrix(site, path):
    for who, status in ROLE_MATRIX.items():
        assert site.browser(who).get(path).status_code == status, who
    r = site.browser(None).get(path, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/login?next=")


def test_the_city_dashboard(county_site):
    r = county_site.browser("leader").get("/dashboard")  # default: 聊城市 (4 plans with its counties), 2024-12
    assert r.status_code == 200
    html = r.text
    check_policy(html)
    assert "聊城市行动方案调度总览" in html and "截至2024年12月" in html
    assert [figure(html, f"n-{k}") for k in ("green", "yellow", "red", "none")] == ["5", "2", "2", "1"]
    assert figure(html, "avg-completion") == "25.8%" and figure(html, "avg-scheduled") == "33.3%"
    assert "落后7.5个百分点" in html  # 25.83 − 33.33
    assert figure(html, "n-late") == "3" and figure(html, "n-missing") == "7"
    data = chart_data(html)
    regions = {m["region"]: m for m in data["map"]["regions"]}
    assert data["map"]["script"] == "/maps/371500.js" and data["map"]["name"] == "聊城"
    # 茌平区 (371503 today) is drawn by the 2018 map's 茌平县 (371523): matched by name.
    assert regions["茌平区"]["name"] == "茌平县" and regions["茌平区"]["colour"] == "green"
    assert (regions["阳谷县"]["colour"], regions["阳谷县"]["red"], regions["阳谷县"]["yellow"]) == ("red", 1, 1)
    assert regions["东昌府区"]["colour"] == "yellow" and regions["莘县"]["colour"] == "nodata"
    assert regions["阳谷县"]["url"] == "/dashboard?region=371521&as_of=2024-12"
    areas = {(a["label"]): a for a in data["areas"]}
    assert areas["阳谷县·建设网络设施"]["red"] == 1 and areas["阳谷县·建设网络设施"]["url"] == "/plans/1"
    # The lagging list: red first, most behind first, each with its unit's latest reason.
    lagging = html.split('id="lagging"')[1].split("</section>")[0]
    order = [lagging.index(f"{p}{i}：项目审批滞后") for p, i in (
        ("2024-12阳谷县", "5G基站总数"), ("2024-12聊城市", "5G基站总数"), ("2024-12阳谷县", "千兆宽带用户"),
        ("2024-11东昌府区", "千兆宽带用户"))]
    assert order == sorted(order)
    t = county_site.world.targets[("阳谷县", "5G基站总数")]
    assert f'href="/plans/1#t-{t}"' in lagging
    unit = county_site.world.units["阳谷县工业和信息化局"]
    assert f'href="/reporting?unit={unit}&amp;as_of=2024-12"' in html


def test_units_are_ranked_red_first(county_site):
    html = county_site.browser("coordinator").get("/dashboard?region=聊城市&as_of=2024-12").text
    table = html.split('class="data dash-units"')[1].split("</table>")[0]
    names = re.findall(r'as_of=2024-12">([^<]+)</a>', table)
    assert names[:4] == ["阳谷县工业和信息化局", "聊城市工业和信息化局", "东昌府区工业和信息化局", "东昌府区发展和改革局"]
    rates = re.findall(r'class="num rate">([^<]+)<', table)
    assert rates == ["83.3%", "83.3%", "83.3%", "0%", "83.3%", "100%", "100%"]


def test_a_county_has_no_map_and_a_bad_query_is_refused(county_site):
    c = county_site.browser("leader")
    html = c.get("/dashboard?region=371521&as_of=2024-12").text
    assert "阳谷县行动方案调度总览" in html and chart_data(html)["map"] is None and 'id="county-map"' not in html
    assert [figure(html, f"n-{k}") for k in ("green", "yellow", "red", "none")] == ["1", "1", "1", "0"]
    r = c.get("/dashboard?region=不存在市")
    assert r.status_code == 404 and "未找到地区" in r.text
    assert c.get("/dashboard?as_of=2024-13").status_code == 422


def test_the_targets_behind_each_figure(county_site):
    c = county_site.browser("leader")
    red = c.get("/dashboard/targets?region=371500&as_of=2024-12&light=red").text
    assert red.count('class="row-red"') == 2 and "row-yellow" not in red
    everything = c.get("/dashboard/targets?region=371500&as_of=2024-12&light=all").text
    assert sum(everything.count(f'class="row-{k}"') for k in ("green", "yellow", "red", "none")) == 10
    lagging = c.get("/dashboard/targets?region=371500&as_of=2024-12").text
    assert lagging.count('class="row-red"') + lagging.count('class="row-yellow"') == 4


def test_the_sample_city_is_fresh_after_each_report(site):
    c = site.browser("coordinator")
    html = c.get("/dashboard").text  # the only region: 澜州市, no code, no map, no children
    assert "澜州市行动方案调度总览" in html and chart_data(html)["map"] is None and "dash-children" not in html
    before = c.get("/dashboard?as_of=2024-06").text
    total = int(figure(before, "n-none"))
    assert [figure(before, f"n-{k}") for k in ("green", "yellow", "red")] == ["0", "0", "0"]
    targets = site.lead_targets()
    site.month("2024-06", {targets[0]: 1}, delay_reason="建设滞后", next_steps="加快建设", received=date(2024, 7, 5))
    html = c.get("/dashboard?as_of=2024-06").text  # the same page, right after the report
    check_policy(html)
    rows = progress_rows(site)
    lights = [p.light.value if p.light else "none" for p in rows if p.same_as is None]
    assert len(lights) == total < len(rows)  # the sample states some targets twice: counted once
    assert [figure(html, f"n-{k}") for k in ("green", "yellow", "red", "none")] == [
        str(lights.count(k)) for k in ("green", "yellow", "red", "none")]
    assert lights.count("none") < total and "数据更新于" in html and "正在后台刷新" not in html
    assert "建设滞后" in html  # the reason, in the lagging list


def progress_rows(site):
    store = Store(site.url)
    try:
        with store.session() as s:
            return progress(s, region="澜州市", as_of="2024-06", catalog=CATALOG)
    finally:
        store.close()


def test_before_any_plan_the_pages_say_what_to_do(db_url):
    tokens = unit_accounts(db_url, None, None)
    with TestClient(create_app(web_settings(db_url))) as c:
        r = c.get("/dashboard", headers={"Authorization": f"Bearer {tokens['coordinator']}"})
        assert r.status_code == 200 and "尚未导入行动方案" in r.text
        r = c.get("/reporting", headers={"Authorization": f"Bearer {tokens['leader']}"})
        assert r.status_code == 200 and "这些月份没有应报送的月报" in r.text
