"""Units, their tasks and their monthly reports: the JSON way in to `reports.submit`, the same
core function as the CLI and the Excel import. A reporter reaches only its own unit (checked
here for every call, and again in `submit` through `only_unit`)."""
from __future__ import annotations

import io
from typing import Any

from fastapi import APIRouter, Depends, File, Query, Request, UploadFile
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from luoshi.auth.access import Forbidden, check_unit, may_write_reports, unit_scope
from luoshi.auth.audit import audited, report_object
from luoshi.settings import WebSettings
from luoshi.store.account_models import Account
from luoshi.store.dispatch_models import Submission
from luoshi.track.reports import find_unit, history, resolve_unit, submit, timeliness_of
from luoshi.track.tasks import task_rows
from luoshi.track.timeliness import DispatchSettings, parse_period
from luoshi.track.units import unit_rows
from luoshi.web.deps import account, address, db, id_or_name, office, settings
from luoshi.web.uploads import read_upload

router = APIRouter(tags=["任务与月报"])
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ReportIn(BaseModel):
    period: str = Field(max_length=20, description="报告月份，如 2022-09")
    unit: int | str | None = Field(None, description="单位编号或名称；单位填报员可省略（即本单位）")  # any int: resolve_unit bounds it
    lines: list[dict[str, Any]] = Field(max_length=2000, description="条目：target_id、month_value（当月）、"
                                        "cumulative（累计）、narrative、delay_reason（滞后原因）、next_steps（下步措施）")
    correction_reason: str | None = Field(None, max_length=2000, description="更正说明：再次报送同一月份时必填")
    approved: bool = Field(False, description="调度办同意补报已锁定月份（仅调度办）")


def submission_info(sub: Submission, rules: DispatchSettings, unit_name: str | None = None) -> dict:
    return {"id": sub.id, "unit_id": sub.unit_id, "unit": unit_name, "period": sub.period, "version": sub.version,
            "source": sub.source, "submitted_by": sub.submitted_by, "submitted_at": sub.submitted_at.isoformat(),
            "timeliness": timeliness_of(sub, rules).value, "approved": sub.approved,
            "correction_reason": sub.correction_reason,
            "lines": [{"target_id": ln.target_id, "month_value": _num(ln.month_value), "cumulative": _num(ln.cumulative),
                       "narrative": ln.narrative, "delay_reason": ln.delay_reason, "next_steps": ln.next_steps}
                      for ln in sub.lines]}


@router.get("/units", summary="责任单位")
def units(a: Account = Depends(account), s: Session = Depends(db)) -> list[dict]:
    scope = unit_scope(a)
    return [r for r in unit_rows(s) if scope is None or r["id"] == scope]


@router.get("/tasks", summary="任务（单位填报员：本单位的）")
def tasks(unit: str | None = Query(None, max_length=200, description="单位编号或名称"),
          a: Account = Depends(account), s: Session = Depends(db)) -> list[dict]:
    scope = unit_scope(a)
    u = _visible_unit(s, a, unit) if unit else find_unit(s, scope) if scope is not None else None
    return task_rows(s, unit=u)


@router.post("/reports", status_code=201, summary="报送月报（再次报送即更正，须写更正说明）")
def post_report(body: ReportIn, request: Request, a: Account = Depends(account), s: Session = Depends(db),
                rules: DispatchSettings = Depends(office)) -> dict:
    with audited(s, "approval" if body.approved else "report_submitted", account=a, address=address(request),
                 object=report_object(body.unit or a.unit_id, body.period)) as note:
        may_write_reports(a)
        scope = unit_scope(a)
        if body.approved and a.role != "coordinator":
            raise Forbidden("只有调度办可以批准补报已锁定的月份")
        unit = body.unit if body.unit is not None else scope
        if unit is None:
            from luoshi.track.report_lines import Problem, ReportInvalid

            raise ReportInvalid([Problem(None, None, "unit", "请指定报送单位")])
        sub = submit(s, unit=id_or_name(unit), period=body.period, lines=body.lines, source="api",
                     submitted_by=a.display_name or a.username, correction_reason=body.correction_reason,
                     settings=rules, approved=body.approved, only_unit=scope,
                     catalog=request.app.state.catalog, commit=False)
        note.object = report_object(find_unit(s, sub.unit_id).name, sub.period, sub.version)
        note.detail = ("批准补报已锁定月份" if sub.approved else "月份未锁定，按常规报送") if body.approved else None
    return submission_info(sub, rules, find_unit(s, sub.unit_id).name)


@router.get("/reports/{unit}/{period}", summary="一个单位一个月的报告：当前版本与全部版本")
def get_report(unit: str, period: str, a: Account = Depends(account), s: Session = Depends(db),
               rules: DispatchSettings = Depends(office)) -> dict:
    u = _visible_unit(s, a, unit)
    versions = [submission_info(x, rules, u.name) for x in history(s, u.id, parse_period(period))]
    return {"unit": {"id": u.id, "name": u.name}, "period": parse_period(period),
            "current": versions[-1] if versions else None, "versions": versions}


@router.get("/reports/{unit}/{period}/template.xlsx", summary="Excel 月报模板（预填本单位任务与上月累计）",
            response_class=StreamingResponse)
def template(unit: str, period: str, request: Request, a: Account = Depends(account), s: Session = Depends(db)):
    from urllib.parse import quote

    from luoshi.publish.excel_report import write_template

    with audited(s, "export", account=a, address=address(request), object=f"report-template:{unit}/{period}") as note:
        u = _visible_unit(s, a, unit)
        buf = io.BytesIO()
        write_template(s, u.id, parse_period(period), buf)
        note.object = f"report-template:{u.name}/{parse_period(period)}"
    name = quote(f"{u.name}_{parse_period(period)}_月报.xlsx")
    return StreamingResponse(io.BytesIO(buf.getvalue()), media_type=XLSX,
                             headers={"Content-Disposition": f"attachment; filename*=UTF-8''{name}"})


@router.post("/reports/import", status_code=201, summary="上传填好的 Excel 月报（全部正确才导入，错误逐格列出）")
async def import_report(request: Request, file: UploadFile = File(...), correction_reason: str | None = Query(None, max_length=2000),
                        a: Account = Depends(account), s: Session = Depends(db),
                        cfg: WebSettings = Depends(settings),
                        rules: DispatchSettings = Depends(office)) -> dict:
    from luoshi.publish.excel_import import import_workbook

    with audited(s, "report_imported", account=a, address=address(request), object=f"workbook:{file.filename}") as note:
        may_write_reports(a)
        data = await read_upload(file, cfg.max_upload_bytes, kind="XLSX")
        done = import_workbook(s, data, submitted_by=a.display_name or a.username, correction_reason=correction_reason,
                               settings=rules, only_unit=unit_scope(a),
                               catalog=request.app.state.catalog, commit=False)
        name = find_unit(s, done.unit_id).name
        note.object = report_object(name, done.period, done.submission.version if done.submission else None)
    info = (submission_info(done.submission, rules, name) if done.submission is not None  # None: milestones only
            else {"id": None, "unit_id": done.unit_id, "unit": name, "period": done.period, "version": None,
                  "lines": []})
    return info | {"milestone_updates": [{"milestone_id": up.milestone_id, "version": up.version, "state": up.state,
                                          "as_of": up.as_of, "evidence_url": up.evidence_url}
                                         for up in done.milestone_updates],
                   "milestones_unchanged": done.unchanged}


def _visible_unit(s: Session, a: Account, unit: str):
    scope = unit_scope(a)  # the roles without business data are refused before any lookup
    if scope is not None:  # a reporter learns nothing of other units, not even whether they exist
        u = resolve_unit(s, id_or_name(unit))
        check_unit(a, u.id if u is not None else -1)
        return u
    return find_unit(s, id_or_name(unit))




def _num(v):
    if v is None:
        return None
    f = float(v)
    return int(f) if f.is_integer() else f
