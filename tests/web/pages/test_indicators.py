"""The indicator pages: the catalog's indicators with stored targets, and one indicator's targets
with their lights and the chart of reported values against the schedule, whose data are the
stored reports and the expected values the core's progress computes month by month."""
from __future__ import annotations

import json
import re
from collections import Counter

import pytest
from sqlalchemy import select

from luoshi.store import Store
from luoshi.store.models import TargetRow
from luoshi.store.search import latest_version_ids
from luoshi.track.progress import progress
from tests.web.pages.conftest import ROLES

KEY = "5g_base_stations_per_10k"
# 每万人拥有5G基站数 28 by 2026 (target 7's task text), the plan's table giving 16 in 2023 and 22
# by 2025: the schedule runs 16 → 22 (end of 2025) → 28 (end of 2026). Cumulative reports:
REPORTS = {"2024-03": 17.0, "2024-06": 18.5, "2024-12": 19.5, "2025-06": 20.6, "2026-10": 27.2}


def chart(html: str) -> dict:
    block = re.search(r'<script type="application/json" id="indicator-data">(.*?)</script>', html, re.DOTALL)
    return json.loads(block.group(1))


def report_all(site) -> int:
    """Store REPORTS for the target 市工业和信息化局 leads; its id."""
    store = Store(site.url)
    with store.session() as s:
        t = s.scalars(select(TargetRow.id).where(TargetRow.indicator == "每万人拥有5G基站数", TargetRow.year == 2026)
                      .order_by(TargetRow.position)).first()
    store.close()
    for period, value in REPORTS.items():
        site.month(period, {t: value})
    return t


@pytest.mark.parametrize("path", ["/indicators", f"/indicators/{KEY}"])
def test_role_matrix(site, path):
    expected = {"admin": 403, "auditor": 403, "coordinator": 200, "leader": 200, "reporter": 403,
                "other_reporter": 403}
    for who in ROLES:
        r = site.browser(who).get(path)
        assert r.status_code == expected[who], (who, r.status_code)
        if r.status_code == 403:
            assert "每万人拥有5G基站数" not in r.text
    r = site.browser(None).get(path, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/login?next=")


def test_the_list_counts_the_targets_each_indicator_has(site):
    store = Store(site.url)
    with store.session() as s:  # as linked when the plan was stored
        stored = Counter(s.scalars(select(TargetRow.indicator_key).where(
            TargetRow.version_id.in_(latest_version_ids()), TargetRow.link_status.in_(("exact", "fuzzy")))))
    store.close()
    html = site.browser("leader").get("/indicators").text
    rows = re.findall(r'<a href="/indicators/([a-z0-9_-]+)">.*?</a>.*?'
                      r'<td class="num">(\d+)</td>\s*<td class="num">(\d+)</td>', html, re.DOTALL)
    assert {k: int(n) for k, n, _ in rows} == dict(stored) and stored[KEY] == 3
    assert all(p == "1" for _, _, p in rows) and "每万人拥有5G基站数" in html


def test_the_chart_data_are_the_reports_against_the_cores_schedule(site):
    t = report_all(site)
    html = site.browser("coordinator").get(f"/indicators/{KEY}", params={"as_of": "2026-10"}).text
    data = chart(html)
    assert data["indicator"] == KEY and data["as_of"] == "2026-10" and data["unit"] == "个"
    months = data["months"]
    assert months[0] == "2024-01" and months[-1] == "2026-12" and len(months) == 36
    (s,) = data["series"]  # table row 59 restates target 7 and is not drawn twice
    assert s["target_id"] == t and s["plan_id"] == site.plan_id and s["light"] == "green"
    assert {m: v for m, v in zip(months, s["reported"]) if v is not None} == REPORTS
    # The schedule as the core judges it at each month, and by hand: 16 + 6 × k/24, then 22 + 6 × k/12.
    store = Store(site.url)
    with store.session() as s_:
        for period in REPORTS:
            judged = {p.target_id: p for p in progress(s_, as_of=period, catalog=site.app.state.catalog)}[t]
            assert s["expected"][months.index(period)] == pytest.approx(judged.expected), period
    store.close()
    assert s["expected"][months.index("2024-06")] == pytest.approx(17.5)
    assert s["expected"][months.index("2026-10")] == pytest.approx(27.0)
    assert s["expected"][-1] == pytest.approx(28) and s["threshold"] is None
    # The table under the chart: the same numbers.
    table = html[html.index('class="data ind-table"'):]
    row = re.search(r"<td class=\"nowrap\">2026-10</td>(.*?)</tr>", table, re.DOTALL).group(1)
    assert re.findall(r"<td[^>]*>([^<]*)</td>", row) == ["27.2", "27"]
    assert '<script src="/static/indicator.js" defer></script>' in html


def test_targets_table_and_as_of(site):
    t = report_all(site)
    html = site.browser("leader").get(f"/indicators/{KEY}", params={"as_of": "2024-06"}).text
    data = chart(html)
    assert {m: v for m, v in zip(data["months"], data["series"][0]["reported"]) if v is not None} == {
        "2024-03": 17.0, "2024-06": 18.5}  # months after as_of are not read
    targets = html[html.index("各方案目标"):html.index("报送值与序时进度")]
    row = targets[targets.index(f'href="/plans/{site.plan_id}#t-{t}"'):]
    row = row[:row.index("</tr>")]
    # 18.5 against 16 → 28 is 20.8 % done; the schedule expects 17.5, a 序时进度 of 1.5 ÷ 12 = 12.5 %.
    assert "18.5个" in row and "12.5%" in row and "20.8%" in row and 'class="light green"' in row
    assert "超序时进度8.3个百分点" in row and "澜州市工业和信息化局" in row
    assert "同 #" in targets  # the table row that restates it
    latest = chart(site.browser("leader").get(f"/indicators/{KEY}").text)  # by default: the latest month reported
    assert latest["as_of"] == "2026-10" and latest["series"][0]["reported"][-3] == 27.2


def test_an_indicator_without_reports_has_no_chart(site):
    html = site.browser("leader").get("/indicators/charging_piles", params={"as_of": "2024-06"}).text
    assert "充电桩" in html and 'id="indicator-data"' not in html and "尚无单位报送此指标的数据" in html


def test_unknown_indicator_and_bad_month(site):
    r = site.browser("leader").get("/indicators/no_such_thing")
    assert r.status_code == 404 and "指标目录中没有指标“no_such_thing”" in r.text
    r = site.browser("leader").get(f"/indicators/{KEY}", params={"as_of": "2024-13-40"})
    assert r.status_code == 422 and "无法识别" in r.text
