"""The audit log over the API (等保 B2, C1, C2, C3): the auditor alone reads and verifies it; each
kind of wired action leaves a row with time, user, address, action, object and result, failures
and refusals included. Both backends."""
from __future__ import annotations

from luoshi.store import Store
from tests.auth.test_audit import tamper
from tests.track.report_data import LEAD
from tests.web.conftest import PASSWORD
from tests.web.test_api_reports import _filled_template, march

C2 = ("at", "username", "address", "action", "object", "result")


def log(api, **params) -> list[dict]:
    r = api.get("/api/audit", "auditor", params=params)
    assert r.status_code == 200, r.text
    return r.json()["rows"]


def one(api, action, **match) -> dict:
    """The newest row of an action (matching `match`), checked for the six fields C2 names."""
    rows = [r for r in log(api, action=action) if all(r[k] == v for k, v in match.items())]
    assert rows, f"no {action} row with {match}"
    assert all(rows[0][k] not in (None, "") for k in C2), rows[0]
    return rows[0]


def test_only_the_auditor_reads_and_verifies_the_log(api):
    for who in ("admin", "coordinator", "leader", "reporter"):
        for url in ("/api/audit", "/api/audit/verify"):
            r = api.get(url, who)
            assert r.status_code == 403 and r.json()["code"] == "forbidden", (who, url)
    assert api.client.get("/api/audit").status_code == 401
    assert api.get("/api/audit/verify", "auditor").json() | {"last_hash": None} == {
        "ok": True, "first_bad_id": None, "rows": 8, "last_id": 8, "last_hash": None}
    refused = log(api, action="audit_read")
    assert {(r["username"], r["result"]) for r in refused} == {
        ("admin", "denied"), ("coordinator", "denied"), ("leader", "denied"), ("reporter", "denied")}
    assert one(api, "audit_read", username="admin")["role"] == "admin"


def test_there_is_no_way_to_change_the_log_over_the_api(api):
    for method in ("post", "put", "patch", "delete"):
        r = getattr(api.client, method)("/api/audit", headers=api.as_("auditor"))
        assert r.status_code == 405, method


def test_sign_in_failures_lock_out_and_sign_out_are_recorded(api):
    token = api.client.post("/api/session", json={"username": "Leader", "password": PASSWORD}).json()["token"]
    api.client.post("/api/session", json={"username": "nobody", "password": "Whatever-2024"})
    for _ in range(5):
        api.client.post("/api/session", json={"username": "coordinator", "password": "Wrong-2024"})
    assert api.client.post("/api/session", json={"username": "coordinator", "password": PASSWORD}).status_code == 423
    api.client.delete("/api/session", headers={"Authorization": f"Bearer {token}"})

    ok = one(api, "login_ok")
    assert (ok["username"], ok["role"], ok["address"], ok["object"], ok["result"]) == (
        "leader", "leader", "testclient", "account:leader", "ok")
    unknown = one(api, "login_failed", username="nobody")
    assert (unknown["account_id"], unknown["result"], unknown["detail"]) == (None, "failed", "账号不存在")
    failed = log(api, action="login_failed", user="coordinator")
    assert [(r["result"], r["detail"]) for r in failed] == [("denied", "账号锁定中")] + [("failed", "密码错误")] * 5
    locked = one(api, "locked")
    assert locked["username"] == "coordinator" and "连续 5 次" in locked["detail"]
    assert one(api, "logout")["username"] == "leader"


def test_reports_imports_exports_and_approvals_are_recorded_with_refusals(api):
    assert api.post("/api/reports", "reporter", json={"period": "2024-03", "lines": march(api.world)}).status_code == 201
    row = one(api, "report_submitted", result="ok")
    assert (row["username"], row["role"], row["object"]) == ("reporter", "reporter", f"report:{LEAD}/2024-03 v1")
    bad = api.post("/api/reports", "reporter", json={"period": "2024-03", "lines": march(api.world)})
    assert bad.status_code == 422
    assert one(api, "report_submitted", result="failed")["detail"].startswith("report_invalid：")
    april = [{"target_id": api.world.stock, "month_value": 500, "cumulative": 7000},
             {"target_id": api.world.new, "month_value": 300, "cumulative": 1100}]
    body = {"period": "2024-04", "unit": LEAD, "lines": april, "approved": True}
    assert api.post("/api/reports", "reporter", json=body).status_code == 403
    assert one(api, "approval", result="denied")["detail"].startswith("forbidden：")
    assert api.post("/api/reports", "coordinator", json=body).status_code == 201  # not locked here: stored as usual
    approval = one(api, "approval", result="ok")
    assert (approval["object"], approval["detail"]) == (f"report:{LEAD}/2024-04 v1", "月份未锁定，按常规报送")

    data = _filled_template(api)  # an export by the reporter, then its import
    assert one(api, "export")["object"] == f"report-template:{LEAD}/2024-03"
    assert api.get(f"/api/reports/{api.world.other_unit}/2024-03/template.xlsx", "reporter").status_code == 403
    assert one(api, "export", result="denied")["username"] == "reporter"
    r = api.post("/api/reports/import", "reporter", files={"file": ("月报.xlsx", data)},
                 params={"correction_reason": "按表格更正"})
    assert r.status_code == 201, r.text
    assert one(api, "report_imported")["object"] == f"report:{LEAD}/2024-03 v2"
    assert api.get("/api/audit/verify", "auditor").json()["ok"] is True


def test_milestones_and_projects_are_recorded(api):
    task = api.get("/api/tasks", "reporter").json()[0]["id"]
    m = api.post(f"/api/tasks/{task}/milestones", "coordinator", json={"title": "建成平台", "due": "2024-12-31"}).json()
    assert one(api, "milestone_added")["object"] == f"milestone:{m['id']} task:{task}"
    r = api.post(f"/api/milestones/{m['id']}/updates", "reporter", data={"state": "推进中", "as_of": "2024-05-01"})
    assert r.status_code == 201, r.text
    row = one(api, "milestone_reported")
    assert (row["object"], row["detail"], row["username"]) == (f"milestone:{m['id']} v1", "推进中（2024-05-01）", "reporter")
    r = api.post("/api/projects", "coordinator", json={"fields": {"name": "澜州市智算中心一期", "unit": LEAD,
                                                                  "planned_investment": "1200"}})
    code = r.json()["code"]
    assert one(api, "project_added")["object"] == f"project:{code} v1"
    r = api.client.patch(f"/api/projects/{code}", headers=api.as_("reporter"), json={"fields": {"completed_investment": "300"}})
    assert r.status_code == 200 and one(api, "project_changed")["object"] == f"project:{code} v2"
    r = api.client.patch(f"/api/projects/{code}", headers=api.as_("reporter"), json={"fields": {"unit": "市发展和改革委员会"}})
    assert r.status_code == 403 and one(api, "project_changed", result="denied")["object"] == f"project:{code}"


def test_the_log_filters_by_time_user_and_action_and_pages(api):
    for _ in range(3):
        api.client.post("/api/session", json={"username": "leader", "password": "Wrong-2024"})
    assert len(log(api, user="LEADER")) == 3 and log(api, action="login_ok") == []
    page = api.get("/api/audit", "auditor", params={"limit": 2, "offset": 1}).json()
    assert page["total"] == 3 and [r["id"] for r in page["rows"]] == [2, 1]
    assert log(api, since="2000-01-01", until="2000-12-31") == [] and len(log(api, since="2000-01-01")) == 3
    r = api.get("/api/audit", "auditor", params={"since": "昨天"})
    assert r.status_code == 422 and r.json()["code"] == "audit_query_invalid"


def test_verify_names_the_first_row_changed_in_the_database(api):
    for _ in range(3):
        api.client.post("/api/session", json={"username": "leader", "password": "Wrong-2024"})
    store = Store(api.world.url)
    with store.session() as s:
        tamper(s, "UPDATE audit_log SET result = 'ok' WHERE id = 2")
    store.close()
    assert api.get("/api/audit/verify", "auditor").json() | {"last_hash": None} == {
        "ok": False, "first_bad_id": 2, "rows": 3, "last_id": 3, "last_hash": None}
