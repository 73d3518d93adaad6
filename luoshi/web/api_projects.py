"""The key-project library over the API. The office adds, changes, retires, restores and links
projects; a unit's reporter reads and updates the projects its unit owns (the monthly figures:
completed investment, actual start, 入统) but cannot hand a project to another unit; leaders read all.
Every change is a new version through the same core as `luoshi project`."""
from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from luoshi.auth.access import Forbidden, require, unit_scope
from luoshi.auth.audit import audited
from luoshi.store.account_models import Account
from luoshi.track import projects as core
from luoshi.track.milestone_state import as_of_day
from luoshi.track.project_history import ProjectNotFound, find_project
from luoshi.track.project_queries import link, project_rows, totals, version_rows
from luoshi.store.models import MAX_ID
from luoshi.web.deps import IdQuery, account, address, db, id_or_name

router = APIRouter(tags=["重点项目库"])
_FIELDS = "字段：name、unit（责任单位）、county（所在区县）、planned_investment、completed_investment（万元）、" \
          "planned_start、planned_end、actual_start（YYYY-MM-DD 或 YYYY-MM）、in_statistics（入统）"


class ProjectIn(BaseModel):
    fields: dict[str, Any] = Field(description=_FIELDS)
    code: str | None = Field(None, max_length=64, description="项目编号；省略则自动编号 XM-0001……")
    reason: str | None = Field(None, max_length=2000)


class ChangeIn(BaseModel):
    fields: dict[str, Any] = Field(description=_FIELDS)
    reason: str | None = Field(None, max_length=2000, description="变更说明")


class ReasonIn(BaseModel):
    reason: str = Field(max_length=2000)


class LinkIn(BaseModel):
    task: int | None = Field(None, ge=1, le=MAX_ID)
    target: int | None = Field(None, ge=1, le=MAX_ID)


@router.get("/projects", summary="重点项目（单位填报员：本单位负责的）")
def projects(unit: str | None = Query(None, max_length=200), county: str | None = Query(None, max_length=64),
             in_statistics: bool | None = None, retired: bool = False, task: IdQuery = None,
             target: IdQuery = None, as_of: str | None = Query(None, max_length=10, description="日期；默认现在"),
             a: Account = Depends(account), s: Session = Depends(db)) -> dict:
    scope = unit_scope(a)
    owner = scope if scope is not None else id_or_name(unit)
    rows = project_rows(s, unit=owner, county=county, in_statistics=in_statistics, include_retired=retired,
                        task=task, target=target, day=as_of_day(as_of) if as_of else None)
    return {**totals(rows), "projects": rows}


@router.get("/projects/{code}", summary="一个项目：现状与全部版本")
def project(code: str, a: Account = Depends(account), s: Session = Depends(db)) -> dict:
    _visible(s, a, code)
    versions = version_rows(s, code)
    return {"current": versions[-1], "versions": versions}


@router.post("/projects", status_code=201, summary="新增项目（调度办）")
def add(body: ProjectIn, request: Request, a: Account = Depends(account), s: Session = Depends(db)) -> dict:
    with audited(s, "project_added", account=a, address=address(request), object=f"project:{body.code or '新'}") as trail:
        require(a, "coordinator")
        v = core.add(s, body.fields, code=body.code, source="api", changed_by=_by(a), reason=body.reason, commit=False)
        row = _one(s, v.project_id)
        trail.object = f"project:{row['code']} v1"
    return row


@router.patch("/projects/{code}", summary="变更项目（新版本；没有变化则不生成）")
def change(code: str, body: ChangeIn, request: Request, a: Account = Depends(account), s: Session = Depends(db)) -> dict:
    with audited(s, "project_changed", account=a, address=address(request), object=f"project:{code}") as trail:
        require(a, "coordinator", "reporter")
        _visible(s, a, code)
        if a.role == "reporter" and "unit" in body.fields:
            raise Forbidden("单位填报员不能变更项目的责任单位，请联系调度办")
        v = core.change(s, code, body.fields, source="api", changed_by=_by(a), reason=body.reason, commit=False)
        trail.object, trail.detail = f"project:{code}" + (f" v{v.version}" if v else ""), None if v else "无变化"
    return _one(s, find_project(s, code).id) | {"changed": v is not None}


@router.post("/projects/{code}/retire", summary="项目退库（调度办，须写原因）")
def retire(code: str, body: ReasonIn, request: Request, a: Account = Depends(account), s: Session = Depends(db)) -> dict:
    with audited(s, "project_retired", account=a, address=address(request), object=f"project:{code}"):
        require(a, "coordinator")
        v = core.retire(s, code, reason=body.reason, source="api", changed_by=_by(a), commit=False)
    return _one(s, v.project_id)


@router.post("/projects/{code}/restore", summary="恢复已退库项目（调度办，须写原因）")
def restore(code: str, body: ReasonIn, request: Request, a: Account = Depends(account), s: Session = Depends(db)) -> dict:
    with audited(s, "project_restored", account=a, address=address(request), object=f"project:{code}"):
        require(a, "coordinator")
        v = core.restore(s, code, reason=body.reason, source="api", changed_by=_by(a), commit=False)
    return _one(s, v.project_id)


@router.post("/projects/{code}/links", status_code=201, summary="项目关联任务或目标（调度办）")
def add_link(code: str, body: LinkIn, request: Request, a: Account = Depends(account), s: Session = Depends(db)) -> dict:
    with audited(s, "project_linked", account=a, address=address(request), object=f"project:{code}",
                 detail=f"任务 {body.task}" if body.task is not None else f"量化目标 {body.target}"):
        require(a, "coordinator")
        link(s, code, task=body.task, target=body.target, commit=False)
    return _one(s, find_project(s, code).id)


def _visible(s: Session, a: Account, code: str) -> None:
    scope = unit_scope(a)
    if scope is None:
        find_project(s, code)  # 404 for the office and leaders
        return
    try:
        mine = project_rows(s, unit=scope, code=code)
    except ProjectNotFound:
        mine = []
    if not mine:  # another unit's project reads the same as none
        raise Forbidden("只能查看和变更本单位负责的项目")


def _one(s: Session, project_id: int) -> dict:
    from luoshi.store.work_models import Project

    code = s.get(Project, project_id).code
    return project_rows(s, code=code)[0]


def _by(a: Account) -> str:
    return a.display_name or a.username
