"""Milestones of tasks over the API: the office sets them, the task's units report their state
(a form, so a file of evidence can come with it), everyone with business access lists them.
A reporter reaches the milestones of its own unit's tasks only."""
from __future__ import annotations

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import Response
from pydantic import BaseModel, Field
from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from luoshi.auth.access import Forbidden, may_write_reports, require, unit_scope
from luoshi.auth.audit import audited
from luoshi.store.account_models import Account
from luoshi.store.dispatch_models import TaskUnit
from luoshi.store.work_models import Milestone, MilestoneUpdate
from luoshi.track.evidence import EVIDENCE, read_evidence
from luoshi.track.milestone_rows import milestone_history, milestone_rows
from luoshi.track.milestone_state import as_of_day
from luoshi.track.milestones import MilestoneNotFound, add_milestone, report_milestone
from luoshi.track.reports import find_unit
from luoshi.track.timeliness import today
from luoshi.web.deps import IdPath, account, address, db, id_or_name
from luoshi.web.uploads import UploadTooLarge

router = APIRouter(tags=["里程碑"])


class MilestoneIn(BaseModel):
    title: str = Field(max_length=300)
    due: str | None = Field(None, max_length=10, description="完成时限，如 2025-06-30")
    position: int | None = Field(None, ge=0, le=10000)


@router.get("/milestones", summary="里程碑及其状态、红黄绿灯（单位填报员：本单位任务的）")
def milestones(as_of: str | None = Query(None, max_length=10, description="日期或年月；默认今天"),
               region: str | None = Query(None, max_length=64), plan: str | None = Query(None, max_length=300),
               a: Account = Depends(account), s: Session = Depends(db)) -> list[dict]:
    scope = unit_scope(a)
    return milestone_rows(s, unit=scope, region=region, plan=plan, as_of=as_of_day(as_of) if as_of else today())


@router.post("/tasks/{task_id}/milestones", status_code=201, summary="为任务设置里程碑（调度办）")
def add(task_id: IdPath, body: MilestoneIn, request: Request, a: Account = Depends(account),
        s: Session = Depends(db)) -> dict:
    with audited(s, "milestone_added", account=a, address=address(request), object=f"task:{task_id}") as trail:
        require(a, "coordinator")
        m = add_milestone(s, task_id, title=body.title, due=body.due, position=body.position,
                          created_by=a.display_name or a.username, commit=False)
        trail.object, trail.detail = f"milestone:{m.id} task:{task_id}", f"{m.title}，完成时限 {m.due}"
    return {"id": m.id, "task_id": m.task_id, "title": m.title, "due": m.due, "position": m.position}


@router.post("/milestones/{milestone_id}/updates", status_code=201,
             summary="报送里程碑状态（已完成须附证明材料：文件或链接；滞后须说明原因）")
async def report(milestone_id: IdPath, request: Request, state: str = Form(..., max_length=8),
                 as_of: str = Form(..., max_length=10),
                 period: str | None = Form(None, max_length=7), note: str | None = Form(None, max_length=2000),
                 evidence_url: str | None = Form(None, max_length=1000), unit: str | None = Form(None, max_length=200),
                 file: UploadFile | None = File(None), a: Account = Depends(account),
                 s: Session = Depends(db)) -> dict:
    with audited(s, "milestone_reported", account=a, address=address(request), object=f"milestone:{milestone_id}",
                 detail=f"{state}（{as_of}）") as trail:
        may_write_reports(a)
        scope = unit_scope(a)
        _visible(s, scope, milestone_id)
        evidence = None
        if file is not None and file.filename:
            data = await file.read(EVIDENCE.max_bytes + 1)
            if len(data) > EVIDENCE.max_bytes:
                raise UploadTooLarge(f"证明材料不能超过 {EVIDENCE.max_bytes // (1024 * 1024)} MB")
            evidence = (file.filename, data)
        who = scope if scope is not None else find_unit(s, id_or_name(unit or "")).id
        up = report_milestone(s, milestone_id, unit=who, state=state, as_of=as_of, period=period, note=note,
                              evidence_url=evidence_url, evidence=evidence, source="api",
                              reported_by=a.display_name or a.username, commit=False)
        trail.object = f"milestone:{milestone_id} v{up.version}"
    return {"milestone_id": milestone_id, "version": up.version, "state": up.state, "as_of": up.as_of,
            "evidence_id": up.evidence_id, "evidence_url": up.evidence_url}


@router.get("/milestones/{milestone_id}/history", summary="里程碑的全部报送记录")
def history(milestone_id: IdPath, a: Account = Depends(account), s: Session = Depends(db)) -> list[dict]:
    _visible(s, unit_scope(a), milestone_id)
    return milestone_history(s, milestone_id)


@router.get("/evidence/{evidence_id}", summary="下载证明材料", response_class=Response)
def evidence(evidence_id: IdPath, a: Account = Depends(account), s: Session = Depends(db)) -> Response:
    from urllib.parse import quote

    scope = unit_scope(a)
    if scope is not None:  # a reporter sees the evidence handed in on its own unit's tasks
        ours = s.scalar(select(exists().where(
            MilestoneUpdate.evidence_id == evidence_id, MilestoneUpdate.milestone_id == Milestone.id,
            Milestone.task_id == TaskUnit.task_id, TaskUnit.unit_id == scope)))
        if not ours:
            raise Forbidden("只能查看本单位任务的证明材料")
    e = read_evidence(s, evidence_id)
    return Response(e.content, media_type=e.media_type,
                    headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(e.name)}",
                             "X-Content-Type-Options": "nosniff"})


def _visible(s: Session, scope: int | None, milestone_id: int) -> None:
    m = s.get(Milestone, milestone_id)
    if scope is not None:  # the same answer for another unit's milestone and for none at all
        if m is None or s.scalar(select(TaskUnit.id).where(TaskUnit.task_id == m.task_id,
                                                           TaskUnit.unit_id == scope)) is None:
            raise Forbidden("只能查看和报送本单位任务的里程碑")
    elif m is None:
        raise MilestoneNotFound(f"未找到里程碑 {milestone_id}")
