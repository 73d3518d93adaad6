"""Monthly reports over the JSON API: the same core as the CLI (`reports.submit`), a reporter
held to its own unit on every call, errors with every problem, Excel templates and uploads."""
from __future__ import annotations

import io
import zipfile
from dataclasses import replace

from fastapi.testclient import TestClient
from openpyxl import load_workbook

from luoshi.web.app import create_app
from tests.track.report_data import LEAD, OTHER_UNIT, counts
from tests.web.conftest import web_settings


def march(world, **extra):
    return [{"target_id": world.stock, "month_value": 500, "cumulative": 6500, "narrative": "新建基站500个", **extra},
            {"target_id": world.new, "month_value": 300, "cumulative": 800}]


def test_a_reporter_submits_for_its_unit_without_naming_it(api):
    r = api.post("/api/reports", "reporter", json={"period": "2024-03", "lines": march(api.world)})
    assert r.status_code == 201, r.text
    body = r.json()
    assert (body["unit"], body["version"], body["source"], body["submitted_by"]) == (LEAD, 1, "api", "reporter用户")
    assert body["timeliness"] == "late"  # received long after 10 April 2024
    got = api.get(f"/api/reports/{api.world.lead}/2024-03", "reporter").json()
    assert [(ln["target_id"], ln["cumulative"]) for ln in got["current"]["lines"]] == [
        (api.world.stock, 6500), (api.world.new, 800)]


def test_a_correction_is_a_new_version_and_both_are_kept(api):
    api.post("/api/reports", "reporter", json={"period": "2024-03", "lines": march(api.world)})
    lines = march(api.world)
    lines[0].update(month_value=520, cumulative=6520)
    r = api.post("/api/reports", "reporter", json={"period": "2024-03", "lines": lines})
    assert r.status_code == 422 and "更正说明" in r.json()["message"]
    r = api.post("/api/reports", "reporter", json={"period": "2024-03", "lines": lines, "correction_reason": "漏报20个"})
    assert r.status_code == 201 and r.json()["version"] == 2
    got = api.get("/api/reports/市工信局/2024-03", "coordinator").json()  # by alias
    assert [v["version"] for v in got["versions"]] == [1, 2] and got["current"]["lines"][0]["cumulative"] == 6520
    assert got["versions"][0]["lines"][0]["cumulative"] == 6500


def test_every_problem_comes_back_and_nothing_is_stored(api):
    before = counts(api.world.url)
    r = api.post("/api/reports", "reporter", json={"period": "2024-03", "lines": [
        {"target_id": api.world.stock, "month_value": "很多", "cumulative": 6500},
        {"target_id": api.world.other, "month_value": 1, "cumulative": 1}]})
    assert r.status_code == 422
    body = r.json()
    assert body["code"] == "report_invalid" and len(body["problems"]) >= 2
    assert {p["field"] for p in body["problems"]} >= {"month_value", "target_id"}
    assert counts(api.world.url) == before


def test_a_reporter_cannot_report_or_read_for_another_unit(api):
    before = counts(api.world.url)
    r = api.post("/api/reports", "reporter", json={"period": "2024-03", "unit": OTHER_UNIT,
                                                 "lines": [{"target_id": api.world.other, "month_value": 1, "cumulative": 1}]})
    assert r.status_code == 422 and "只能报送本单位" in r.json()["message"]
    assert counts(api.world.url) == before
    for url in (f"/api/reports/{api.world.other_unit}/2024-03", f"/api/tasks?unit={api.world.other_unit}",
                f"/api/reports/{api.world.other_unit}/2024-03/template.xlsx"):
        assert api.get(url, "reporter").status_code == 403, url
    # a unit that does not exist reads the same as another unit's: nothing learnt by probing ids
    r = api.get("/api/reports/99999/2024-03", "reporter")
    assert r.status_code == 403 and r.json() == api.get(f"/api/reports/{api.world.other_unit}/2024-03", "reporter").json()
    assert api.get("/api/reports/99999/2024-03", "coordinator").status_code == 404


def test_only_reporters_and_the_office_write_and_only_the_office_approves(api):
    body = {"period": "2024-03", "unit": LEAD, "lines": march(api.world)}
    assert api.post("/api/reports", "leader", json=body).status_code == 403
    assert api.post("/api/reports", "admin", json=body).status_code == 403
    assert api.post("/api/reports", "reporter", json=body | {"approved": True}).status_code == 403
    r = api.post("/api/reports", "coordinator", json=body)  # the office enters a report for a unit (代报)
    assert r.status_code == 201 and r.json()["submitted_by"] == "coordinator用户"


def test_a_locked_month_needs_the_offices_approval(api):
    with TestClient(create_app(web_settings(api.world.url, lock_after_days=15))) as strict:
        headers = api.as_("reporter")
        r = strict.post("/api/reports", headers=headers, json={"period": "2024-03", "lines": march(api.world)})
        assert r.status_code == 423 and r.json()["code"] == "report_locked"
        r = strict.post("/api/reports", headers=api.as_("coordinator"),
                        json={"period": "2024-03", "unit": LEAD, "lines": march(api.world), "approved": True})
        assert r.status_code == 201 and r.json()["approved"] is True


def test_tasks_a_reporter_sees_are_its_own(api):
    mine = api.get("/api/tasks", "reporter").json()
    assert [t["title"] for t in mine] == ["加快5G网络深度覆盖"]
    everything = api.get("/api/tasks", "leader").json()
    assert {t["title"] for t in everything} == {"加快5G网络深度覆盖", "提升算力供给"}
    assert [u["name"] for u in api.get("/api/units", "reporter").json()] == [LEAD]


def _filled_template(api, who="reporter", unit=None) -> bytes:
    r = api.get(f"/api/reports/{unit or api.world.lead}/2024-03/template.xlsx", who)
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/vnd.openxmlformats")
    wb = load_workbook(io.BytesIO(r.content))
    ws = wb["填报"]
    col = {ws.cell(2, c).value: ws.cell(2, c).column_letter for c in range(1, ws.max_column + 1)}
    for row in range(3, ws.max_row + 1):
        if ws[f"A{row}"].value == api.world.stock:
            ws[f"{col['当月']}{row}"], ws[f"{col['累计']}{row}"] = 500, 6500
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_an_excel_report_round_trip_over_http(api):
    data = _filled_template(api)
    r = api.post("/api/reports/import", "reporter", files={"file": ("月报.xlsx", data)})
    assert r.status_code == 201, r.text
    assert r.json()["source"] == "excel" and [ln["cumulative"] for ln in r.json()["lines"]] == [6500]


def test_a_workbook_of_another_unit_is_refused_by_cell(api):
    data = _filled_template(api, "coordinator", api.world.other_unit)
    r = api.post("/api/reports/import", "reporter", files={"file": ("月报.xlsx", data)})
    assert r.status_code == 422
    assert any(e["cell"] == "C1" and "只能报送本单位" in e["message"] for e in r.json()["errors"])


def test_uploads_are_judged_by_content_and_size(api):
    pdf = b"%PDF-1.4 not a workbook"
    r = api.post("/api/reports/import", "reporter", files={"file": ("月报.xlsx", pdf)})
    assert r.status_code == 415 and "不是Excel" in r.json()["message"]
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", b"<" + b" " * (150 * 1024 * 1024) + b"/>")
    r = api.post("/api/reports/import", "reporter", files={"file": ("月报.xlsx", bomb.getvalue())})
    assert r.status_code == 415 and "压缩炸弹" in r.json()["message"]
    with TestClient(create_app(replace(web_settings(api.world.url), max_upload_bytes=1024))) as small:
        r = small.post("/api/reports/import", headers=api.as_("reporter"), files={"file": ("a.xlsx", b"x" * 2048)})
        assert r.status_code == 413
