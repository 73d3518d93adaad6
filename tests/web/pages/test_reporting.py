"""The reporting-status page (/reporting): who may read it, and on the county world (when each unit
reported is set in county_world.DESIGN) each month's state with its days, the counts, the
reminders (催办), the unit filter, and a day as well as a month for `as_of`."""
from __future__ import annotations

import re

import pytest

from tests.web.pages.county_site import ROLE_MATRIX, check_policy, county_site  # noqa: F401 - fixture


def cell(html: str, unit_id: int, period: str) -> str:
    row = re.search(rf'<tr data-unit="{unit_id}">(.*?)</tr>', html, re.S).group(1)
    found = re.search(rf'data-period="{period}">\s*(.*?)\s*</td>', row, re.S).group(1)
    return re.sub(r"<[^>]+>", "", found).strip()


def figure(html: str, name: str) -> str:
    return re.search(rf'id="{name}">([^<]*)<', html).group(1)


def test_role_matrix(site):
    for who, status in ROLE_MATRIX.items():
        assert site.browser(who).get("/reporting").status_code == status, who
    r = site.browser(None).get("/reporting", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/login?next=%2Freporting"


def test_each_unit_each_month(county_site):
    units = county_site.world.units
    html = county_site.browser("coordinator").get("/reporting").text  # default: the latest month reported, 2024-12
    check_policy(html)
    assert "2024-07 至 2024-12，统计至2025年1月31日" in html
    # 7 units × 6 months: 3 late (阳谷 IT Nov, 茌平 IT Sep, 聊城 IT Dec), 7 missing (东昌府 发改 all six, IT Dec).
    assert [figure(html, f"n-{k}") for k in ("on_time", "late", "missing", "pending")] == ["32", "3", "7", "0"]
    assert cell(html, units["阳谷县工业和信息化局"], "2024-11") == "逾期5天"
    assert cell(html, units["阳谷县工业和信息化局"], "2024-12") == "按时"
    assert cell(html, units["茌平区工业和信息化局"], "2024-09") == "逾期2天"
    assert cell(html, units["东昌府区发展和改革局"], "2024-07") == "未报 174天"
    assert cell(html, units["东昌府区工业和信息化局"], "2024-12") == "未报 21天"
    # Most missing first.
    order = re.findall(r'<tr data-unit="(\d+)">', html)
    assert order[:2] == [str(units["东昌府区发展和改革局"]), str(units["东昌府区工业和信息化局"])]
    assert ("东昌府区发展和改革局：2024年7月、2024年8月、2024年9月、2024年10月、2024年11月、2024年12月的月报超期未报，"
            "最长已超期174天") in html
    assert "东昌府区工业和信息化局：2024年12月的月报超期未报，最长已超期21天" in html
    assert html.count('<li class="overdue"') == 2


def test_one_unit_and_a_day(county_site):
    units = county_site.world.units
    c = county_site.browser("leader")
    mine = units["东昌府区工业和信息化局"]
    html = c.get(f"/reporting?unit={mine}&as_of=2024-12").text
    assert re.findall(r'<tr data-unit="(\d+)">', html) == [str(mine)]
    assert [figure(html, f"n-{k}") for k in ("on_time", "late", "missing")] == ["5", "0", "1"]
    assert html.count('<li class="overdue"') == 1 and "东昌府区发展和改革局" not in html.split("催办提醒")[1]
    # On 8 January 2025 December's reports are due in two days: 阳谷 IT's came that day, 聊城 IT's later.
    day = c.get("/reporting?as_of=2025-01-08").text
    assert "统计至2025年1月8日" in day
    assert cell(day, units["阳谷县工业和信息化局"], "2024-12") == "按时"
    assert cell(day, units["聊城市工业和信息化局"], "2024-12") == "未到期"
    assert cell(day, units["东昌府区发展和改革局"], "2024-07") == "未报 151天"  # 10 Aug → 8 Jan
    assert "东昌府区工业和信息化局：2024年12月的月报将于2025-01-10到期（还有2天）" in day
    assert figure(day, "n-pending") == "3"  # 聊城 IT (received on the 13th), 东昌府 IT and 发改


@pytest.mark.parametrize("query, status", [("unit=999999", 404), ("unit=abc", 404), ("unit=99999999999", 404),
                                           ("as_of=2024-13", 422), ("as_of=2025-02-30", 422)])
def test_bad_queries(site, query, status):
    assert site.browser("leader").get(f"/reporting?{query}").status_code == status


def test_the_forms_all_units_is_every_unit(county_site):
    html = county_site.browser("leader").get("/reporting?as_of=2024-12&unit=").text
    assert len(re.findall(r'<tr data-unit="(\d+)">', html)) == 7
