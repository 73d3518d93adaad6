"""重点项目: the key-project library as it stands, with filters and investment totals, and each
project's page with every version (who changed what, when and why). The office and leaders see
every project; a unit's reporter its own unit's only (another unit's reads as 403, the same as
one that does not exist). The forms that change the library are in projects_edit.py."""
from __future__ import annotations

from decimal import Decimal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from luoshi.auth.access import Forbidden, unit_scope
from luoshi.store.account_models import Account
from luoshi.store.dispatch_models import Unit
from luoshi.store.work_models import ProjectVersion
from luoshi.track.project_history import ProjectNotFound, find_project
from luoshi.track.project_queries import project_rows, totals, version_rows
from luoshi.track.projects import CHANGES
from luoshi.track.reports import find_unit
from luoshi.track.units import unit_rows
from luoshi.web.deps import db, id_or_name
from luoshi.web.pages.render import page
from luoshi.web.pages.signin import reader

router = APIRouter()
SOURCES = {"web": "网页", "api": "接口", "cli": "命令行", "excel": "Excel"}
FLAGS = {"": None, "yes": True, "no": False}
DONE = {"added": "已新增项目", "changed": "已保存变更（新版本）", "same": "没有变化，未生成新版本",
        "retired": "项目已退库", "restored": "项目已恢复"}


@router.get("/projects")
def projects(request: Request, unit: str | None = Query(None, max_length=200),
             county: str | None = Query(None, max_length=64), stats: str = Query("", max_length=3),
             retired: bool = False, a: Account = Depends(reader), s: Session = Depends(db)) -> Response:
    return list_page(request, s, a, unit=unit, county=county, stats=stats, retired=retired)


@router.get("/projects/{code}")
def project(request: Request, code: str, done: str = Query("", max_length=10), a: Account = Depends(reader),
            s: Session = Depends(db)) -> Response:
    return detail_page(request, s, a, code[:64], notice=DONE.get(done))


def list_page(request: Request, s: Session, a: Account, *, unit=None, county=None, stats="", retired=False,
              typed: dict | None = None, problems: list[str] | None = None, status: int = 200) -> Response:
    scope = unit_scope(a)  # admin and auditor: 403
    owner = scope if scope is not None else (id_or_name(unit) if unit else None)
    rows = project_rows(s, unit=owner, county=(county or "").strip() or None, in_statistics=FLAGS.get(stats),
                        include_retired=retired)
    for r in rows:
        r["share"] = (float(r["completed_investment"]) / float(r["planned_investment"])
                      if r["completed_investment"] is not None and r["planned_investment"] else None)
    office = a.role == "coordinator"
    return page(request, "projects/list.html", {
        "rows": rows, "totals": totals(rows), "owners": [] if scope is not None else _owners(s),
        "scope": find_unit(s, scope) if scope else None, "office": office,
        "units": unit_rows(s) if office else [], "typed": typed or {}, "problems": problems or [],
        "f": {"unit": str(owner) if owner is not None else "", "county": county or "",
              "stats": stats if stats in FLAGS else "", "retired": retired}}, account=a, status_code=status)


def detail_page(request: Request, s: Session, a: Account, code: str, *, typed: dict | None = None,
                problems: list[str] | None = None, notice: str | None = None, status: int = 200) -> Response:
    visible(s, a, code)
    versions = version_rows(s, code)
    current = project_rows(s, code=code)[0]
    office = a.role == "coordinator"
    return page(request, "projects/detail.html", {
        "p": current, "versions": list(reversed(versions)), "changes": CHANGES, "sources": SOURCES,
        "office": office, "may_change": not current["retired"] and a.role in ("coordinator", "reporter"),
        "units": unit_rows(s) if office else [], "form": typed if typed is not None else _as_form(current),
        "problems": problems or [], "notice": notice, "editing": typed is not None}, account=a,
        status_code=status)


def visible(s: Session, a: Account, code: str) -> None:
    """Refuse a project the reader may not see: a reporter another unit's (or none: the same 403);
    the office and leaders get 404 for none."""
    scope = unit_scope(a)
    if scope is None:
        find_project(s, code)
        return
    try:
        mine = project_rows(s, code=code, unit=scope)
    except ProjectNotFound:
        mine = []
    if not mine:
        raise Forbidden("只能查看本单位负责的项目")


def _as_form(row: dict) -> dict:
    """A project's fields as its change form shows them."""
    def plain(v):
        if v is None:
            return ""
        if isinstance(v, Decimal):
            t = f"{v:f}"
            return t.rstrip("0").rstrip(".") if "." in t else t
        return str(v)

    return {"name": row["name"] or "", "unit": str(row["unit_id"] or ""), "county": row["county"] or "",
            **{k: plain(row[k]) for k in ("planned_investment", "completed_investment", "planned_start",
                                          "planned_end", "actual_start")},
            "in_statistics": "是" if row["in_statistics"] else "否", "reason": ""}


def _owners(s: Session) -> list[dict]:
    """Units that own a project (retired ones included), for the filter."""
    ids = select(ProjectVersion.owner_unit_id).where(ProjectVersion.owner_unit_id.is_not(None)).distinct()
    return [{"id": i, "name": n} for i, n in s.execute(select(Unit.id, Unit.name).where(Unit.id.in_(ids))
                                                        .order_by(Unit.name))]


# The forms' routes join this router (pages/__init__.py registers the module's router).
from luoshi.web.pages import projects_edit  # noqa: E402

router.include_router(projects_edit.router)
