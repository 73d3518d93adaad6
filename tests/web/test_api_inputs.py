"""Inputs found by fuzzing that once reached the database driver: ids beyond any key."""
from __future__ import annotations

import pytest

HUGE = "99999999999999999999"


@pytest.mark.parametrize("url, status", [
    (f"/api/reports/{HUGE}/2024-03", 404), (f"/api/tasks?unit={HUGE}", 404), (f"/api/projects?unit={HUGE}", 404),
    (f"/api/evidence/{HUGE}", 422), (f"/api/milestones/{HUGE}/history", 422), (f"/api/projects?task={HUGE}", 422),
])
def test_ids_beyond_any_key(api, url, status):
    r = api.get(url, "coordinator")
    assert r.status_code == status and r.json()["message"]


def test_a_report_naming_a_huge_target(api):
    r = api.post("/api/reports", "coordinator", json={"period": "2024-03", "unit": 1,
                                                    "lines": [{"target_id": int(HUGE), "cumulative": 1}]})
    assert r.status_code == 422 and "目标编号应为整数" in r.json()["message"]
