"""Progress and timeliness over the API, scoped by role, and the access matrix: every role
against every endpoint, allowed or refused (等保 B2, B3)."""
from __future__ import annotations

import pytest

from tests.web.test_api_reports import march


def test_progress_judges_the_reported_values(api):
    api.post("/api/reports", "reporter", json={"period": "2024-03", "lines": march(api.world)})
    rows = {r["target_id"]: r for r in api.get("/api/progress?as_of=2024-03", "leader").json()}
    assert set(rows) == {api.world.stock, api.world.new, api.world.other}
    stock = rows[api.world.stock]
    # 6000 → 12000 over 36 months: 3 months elapsed = 8.33 %, 6500 is 500/6000 = 8.33 % done
    assert stock["last_value"] == 6500 and round(stock["scheduled"], 2) == 8.33 and round(stock["completion"], 2) == 8.33
    assert stock["light"] == "green"


def test_a_reporter_sees_the_progress_of_its_own_targets_only(api):
    mine = {r["target_id"] for r in api.get("/api/progress?as_of=2024-03", "reporter").json()}
    assert mine == {api.world.stock, api.world.new}
    theirs = {r["target_id"] for r in api.get("/api/progress?as_of=2024-03", "other_reporter").json()}
    assert theirs == {api.world.other}


def test_timeliness_lists_missing_reports_and_scopes_them(api):
    api.post("/api/reports", "reporter", json={"period": "2024-03", "lines": march(api.world)})
    t = api.get("/api/timeliness?from=2024-03&to=2024-03", "coordinator").json()  # as of today
    assert [r["unit"] for r in t["missing"]] == ["市发展和改革委员会"]  # lead units owe reports
    assert [r["unit"] for r in t["late"]] == ["市工业和信息化局"]  # received today, due 10 April 2024
    before = api.get("/api/timeliness?from=2024-03&to=2024-03&as_of=2024-05-01", "coordinator").json()
    assert "市工业和信息化局" in {r["unit"] for r in before["missing"]}  # not yet received then
    own = api.get("/api/timeliness?from=2024-03&to=2024-03", "other_reporter").json()
    assert {r["unit"] for r in own["units"]} == {"市发展和改革委员会"} and len(own["missing"]) == 1


def test_a_bad_as_of_is_a_422_in_chinese(api):
    r = api.get("/api/progress?as_of=next-month", "leader")
    assert r.status_code == 422 and "无法识别" in r.json()["message"]


READS = ["/api/units", "/api/tasks", "/api/progress?as_of=2024-03", "/api/timeliness?from=2024-01&to=2024-03",
         "/api/reports/{lead}/2024-03", "/api/reports/{lead}/2024-03/template.xlsx"]
ALLOWED = {  # role → which of READS it may read (by index)
    "coordinator": {0, 1, 2, 3, 4, 5}, "leader": {0, 1, 2, 3, 4, 5}, "reporter": {0, 1, 2, 3, 4, 5},
    "other_reporter": {0, 1, 2, 3}, "admin": set(), "auditor": set()}


@pytest.mark.parametrize("role", [*ALLOWED, None])
def test_access_matrix(api, role):
    for i, url in enumerate(READS):
        r = api.get(url.format(lead=api.world.lead), role)
        want = 401 if role is None else 200 if i in ALLOWED[role] else 403
        assert r.status_code == want, (role, url, r.status_code, r.text[:200])
    r = api.post("/api/reports", role, json={"period": "2024-03", "unit": api.world.lead, "lines": march(api.world)})
    assert r.status_code == {None: 401, "coordinator": 201, "reporter": 201, "other_reporter": 422}.get(role, 403)


def test_a_reporter_sees_the_table_restating_its_target(api):
    from sqlalchemy import select

    from luoshi.store.models import TargetRow

    store = api.world.store()
    with store.session() as s:  # the plan's indicator table restates 5G基站总数 ≥ 12000 by 2026, no task covers it
        stock = s.get(TargetRow, api.world.stock)
        twin = TargetRow(**{c: getattr(stock, c) for c in ("version_id", "indicator", "indicator_key", "link_status",
                                                           "value", "unit", "comparator", "year", "kind", "baseline_year",
                                                           "baseline_value", "source", "quote")},
                         position=9, start=90, end=95, section="四/(六)")
        s.add(twin)
        s.commit()
        twin_id = s.scalar(select(TargetRow.id).where(TargetRow.position == 9))
    store.close()
    api.post("/api/reports", "reporter", json={"period": "2024-03", "lines": march(api.world)})
    rows = {r["target_id"]: r for r in api.get("/api/progress?as_of=2024-03", "reporter").json()}
    assert set(rows) == {api.world.stock, api.world.new, twin_id}
    assert rows[twin_id]["same_as"] == api.world.stock and rows[twin_id]["last_value"] == 6500
    assert rows[twin_id]["completion"] == rows[api.world.stock]["completion"]
    assert twin_id not in {r["target_id"] for r in api.get("/api/progress?as_of=2024-03", "other_reporter").json()}
