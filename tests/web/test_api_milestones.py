"""Milestones over the API: the office sets them, a task's unit reports with a file or a link,
a reporter reaches only its own unit's milestones and evidence."""
from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from luoshi.web.app import create_app
from tests.track.milestone_data import PDF, build
from tests.web.conftest import Api, add_accounts, web_settings


@pytest.fixture
def mapi(db_url):
    world = build(db_url, 2024)
    tokens = add_accounts(db_url, world)
    with TestClient(create_app(web_settings(db_url))) as client:
        yield Api(client, world, tokens)


def _add(mapi, task, title="建成平台", due="2024-12-31", who="coordinator"):
    return mapi.post(f"/api/tasks/{task}/milestones", who, json={"title": title, "due": due})


def test_the_office_sets_milestones_and_others_cannot(mapi):
    r = _add(mapi, mapi.world.platform)
    assert r.status_code == 201 and r.json()["title"] == "建成平台"
    assert _add(mapi, mapi.world.platform, who="reporter").status_code == 403
    assert _add(mapi, mapi.world.platform, who="leader").status_code == 403
    r = _add(mapi, mapi.world.platform, due="明年")
    assert r.status_code == 422 and "不是有效日期" in r.json()["message"]
    assert _add(mapi, 99999).status_code == 404


def test_a_unit_reports_done_with_a_file_and_reads_it_back(mapi):
    mid = _add(mapi, mapi.world.platform).json()["id"]
    r = mapi.post(f"/api/milestones/{mid}/updates", "reporter", data={"state": "已完成", "as_of": "2024-10-08"})
    assert r.status_code == 422 and "证明材料" in r.json()["message"]
    r = mapi.post(f"/api/milestones/{mid}/updates", "reporter", data={"state": "已完成", "as_of": "2024-10-08"},
                  files={"file": ("验收报告.pdf", PDF, "application/pdf")})
    assert r.status_code == 201, r.text
    ev = r.json()["evidence_id"]
    got = mapi.get(f"/api/evidence/{ev}", "reporter")
    assert got.status_code == 200 and got.content == PDF and got.headers["content-type"] == "application/pdf"
    assert mapi.get(f"/api/evidence/{ev}", "other_reporter").status_code == 403
    rows = {m["id"]: m for m in mapi.get("/api/milestones?as_of=2024-11-01", "leader").json()}
    assert rows[mid]["state"] == "已完成" and rows[mid]["light"] == "green"
    hist = mapi.get(f"/api/milestones/{mid}/history", "coordinator").json()
    assert [h["state"] for h in hist] == ["已完成"]


def test_a_file_that_is_no_evidence_is_refused(mapi):
    mid = _add(mapi, mapi.world.platform).json()["id"]
    r = mapi.post(f"/api/milestones/{mid}/updates", "reporter", data={"state": "已完成", "as_of": "2024-10-08"},
                  files={"file": ("报告.pdf", b"MZ\x90\x00 a program", "application/pdf")})
    assert r.status_code == 422 and "可执行程序" in r.json()["message"]


def test_a_reporter_reaches_only_its_own_units_milestones(mapi):
    theirs = _add(mapi, mapi.world.rules, title="出台办法", due="2024-06-30").json()["id"]
    mine = _add(mapi, mapi.world.platform).json()["id"]
    r = mapi.post(f"/api/milestones/{theirs}/updates", "reporter", data={"state": "推进中", "as_of": "2024-05-01"})
    assert r.status_code == 403
    assert mapi.get(f"/api/milestones/{theirs}/history", "reporter").status_code == 403
    assert mapi.get("/api/milestones/99999/history", "reporter").status_code == 403  # same as another's
    assert mapi.get("/api/milestones/99999/history", "coordinator").status_code == 404
    listed = {m["id"] for m in mapi.get("/api/milestones?as_of=2024-07-01", "reporter").json()}
    assert mine in listed and theirs not in listed
    assert mapi.get("/api/milestones", "admin").status_code == 403


def test_the_office_reports_for_a_unit_and_late_needs_a_reason(mapi):
    mid = _add(mapi, mapi.world.rules, title="出台办法", due="2024-06-30").json()["id"]
    r = mapi.post(f"/api/milestones/{mid}/updates", "coordinator", data={"state": "滞后", "as_of": "2024-07-02",
                                                                         "unit": "市发展和改革委员会"})
    assert r.status_code == 422 and "滞后原因" in r.json()["message"]
    r = mapi.post(f"/api/milestones/{mid}/updates", "coordinator",
                  data={"state": "滞后", "as_of": "2024-07-02", "unit": "市发展和改革委员会", "note": "征求意见延期"})
    assert r.status_code == 201 and r.json()["version"] == 1
