"""The key-project library over the API: the office manages it, a reporter updates its own
unit's projects only (and cannot hand one to another unit), every change a version."""
from __future__ import annotations

from tests.track.report_data import LEAD, OTHER_UNIT


def _add(api, name="澜州市智算中心一期", unit=LEAD, who="coordinator", **fields):
    return api.post("/api/projects", who, json={"fields": {"name": name, "unit": unit, "planned_investment": "1,200.5",
                                                           "planned_start": "2024-03", "planned_end": "2025-12",
                                                           **fields}})


def test_the_office_adds_and_everyone_with_access_reads(api):
    r = _add(api)
    assert r.status_code == 201, r.text
    p = r.json()
    assert (p["code"], p["unit"], float(p["planned_investment"]), p["version"]) == ("XM-0001", LEAD, 1200.5, 1)
    listed = api.get("/api/projects", "leader").json()
    assert listed["count"] == 1 and float(listed["planned_investment"]) == 1200.5
    assert _add(api, who="reporter").status_code == 403
    assert _add(api, who="leader").status_code == 403


def test_every_problem_of_a_bad_project_at_once(api):
    r = _add(api, unit="市不存在局", planned_investment="-5", planned_start="2025-06", planned_end="2025-01")
    assert r.status_code == 422
    text = r.json()["message"]
    assert "市不存在局" in text and "不能为负数" in text and "早于计划开工" in text
    assert api.get("/api/projects", "coordinator").json()["count"] == 0


def test_a_reporter_updates_its_own_projects_as_new_versions(api):
    mine = _add(api).json()["code"]
    theirs = _add(api, name="城市算力调度平台", unit=OTHER_UNIT).json()["code"]
    r = api.client.patch(f"/api/projects/{mine}", headers=api.as_("reporter"),
                         json={"fields": {"completed_investment": "450万元", "actual_start": "2024-04-02"},
                               "reason": "6月调度"})
    assert r.status_code == 200 and r.json()["changed"] is True and r.json()["version"] == 2
    same = api.client.patch(f"/api/projects/{mine}", headers=api.as_("reporter"),
                            json={"fields": {"completed_investment": 450}})
    assert same.status_code == 200 and same.json()["changed"] is False  # the same value written otherwise
    versions = api.get(f"/api/projects/{mine}", "reporter").json()["versions"]
    assert [v["version"] for v in versions] == [1, 2]
    assert versions[1]["changes"][0]["label"] == "累计完成投资"
    r = api.client.patch(f"/api/projects/{mine}", headers=api.as_("reporter"), json={"fields": {"unit": OTHER_UNIT}})
    assert r.status_code == 403
    for code in (theirs, "XM-9999"):  # another unit's project reads the same as none
        assert api.get(f"/api/projects/{code}", "reporter").status_code == 403
        assert api.client.patch(f"/api/projects/{code}", headers=api.as_("reporter"),
                                json={"fields": {"completed_investment": 1}}).status_code == 403
    assert [p["code"] for p in api.get("/api/projects", "reporter").json()["projects"]] == [mine]
    assert api.get("/api/projects/XM-9999", "coordinator").status_code == 404


def test_retire_needs_a_reason_and_keeps_the_history(api):
    code = _add(api).json()["code"]
    r = api.post(f"/api/projects/{code}/retire", "coordinator", json={"reason": " "})
    assert r.status_code == 422 and "原因" in r.json()["message"]
    r = api.post(f"/api/projects/{code}/retire", "coordinator", json={"reason": "并入二期"})
    assert r.status_code == 200 and r.json()["retired"] is True
    assert api.get("/api/projects", "coordinator").json()["count"] == 0
    assert api.get("/api/projects?retired=true", "coordinator").json()["count"] == 1
    r = api.post(f"/api/projects/{code}/restore", "coordinator", json={"reason": "二期取消"})
    assert r.status_code == 200 and r.json()["version"] == 3 and r.json()["retired"] is False


def test_links_to_tasks(api):
    code = _add(api).json()["code"]
    task = api.get("/api/tasks", "reporter").json()[0]["id"]
    r = api.post(f"/api/projects/{code}/links", "coordinator", json={"task": task})
    assert r.status_code == 201 and r.json()["tasks"] == [task]
    assert [p["code"] for p in api.get(f"/api/projects?task={task}", "leader").json()["projects"]] == [code]
    assert api.post(f"/api/projects/{code}/links", "reporter", json={"task": task}).status_code == 403
