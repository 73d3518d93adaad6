"""The project library's forms: the office adds, changes, retires and restores projects; a unit's
reporter updates its own unit's projects (the monthly figures) but cannot hand one to another
unit. The same core and the same audit rows as the API (api_projects.py): every change a new
version, every problem of a form shown at once with what was typed kept."""
from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from luoshi.auth.access import Forbidden, require
from luoshi.auth.audit import audited
from luoshi.store.account_models import Account
from luoshi.store.work_models import Project
from luoshi.track import projects as core
from luoshi.track.project_rules import FIELDS, ProjectInvalid
from luoshi.web.deps import address, db
from luoshi.web.pages.signin import reader

router = APIRouter()


@router.post("/projects")
async def add(request: Request, a: Account = Depends(reader), s: Session = Depends(db)) -> Response:
    form = await request.form()
    fields, code, reason = _fields(form), _text(form.get("code"), 64), _text(form.get("reason"), 2000)
    try:
        with audited(s, "project_added", account=a, address=address(request),
                     object=f"project:{code or '新'}") as trail:
            require(a, "coordinator")
            v = core.add(s, fields, code=code, source="web", changed_by=_by(a), reason=reason, commit=False)
            code = s.get(Project, v.project_id).code
            trail.object = f"project:{code} v1"
    except ProjectInvalid as e:
        from luoshi.web.pages.projects import list_page

        return list_page(request, s, a, typed=fields | {"code": code or "", "reason": reason or ""},
                         problems=[str(p) for p in e.problems], status=422)
    return RedirectResponse(f"/projects/{quote(code)}?done=added", status_code=303)


@router.post("/projects/{code}/change")
async def change(request: Request, code: str, a: Account = Depends(reader), s: Session = Depends(db)) -> Response:
    form = await request.form()
    fields, reason = _fields(form), _text(form.get("reason"), 2000)
    code = code[:64]
    try:
        with audited(s, "project_changed", account=a, address=address(request), object=f"project:{code}") as trail:
            require(a, "coordinator", "reporter")
            _visible(s, a, code)
            if a.role == "reporter" and "unit" in fields:
                raise Forbidden("单位填报员不能变更项目的责任单位，请联系调度办")
            v = core.change(s, code, fields, source="web", changed_by=_by(a), reason=reason, commit=False)
            trail.object, trail.detail = f"project:{code}" + (f" v{v.version}" if v else ""), None if v else "无变化"
    except ProjectInvalid as e:
        return _detail(request, s, a, code, typed=fields | {"reason": reason or ""}, problems=e.problems)
    return RedirectResponse(f"/projects/{quote(code)}?done={'changed' if v else 'same'}", status_code=303)


@router.post("/projects/{code}/retire")
async def retire(request: Request, code: str, a: Account = Depends(reader), s: Session = Depends(db)) -> Response:
    return await _flip(request, code[:64], a, s, True)


@router.post("/projects/{code}/restore")
async def restore(request: Request, code: str, a: Account = Depends(reader), s: Session = Depends(db)) -> Response:
    return await _flip(request, code[:64], a, s, False)


async def _flip(request: Request, code: str, a: Account, s: Session, retired: bool) -> Response:
    reason = _text((await request.form()).get("reason"), 2000)
    try:
        with audited(s, "project_retired" if retired else "project_restored", account=a, address=address(request),
                     object=f"project:{code}"):
            require(a, "coordinator")
            (core.retire if retired else core.restore)(s, code, reason=reason, source="web", changed_by=_by(a),
                                                       commit=False)
    except ProjectInvalid as e:
        return _detail(request, s, a, code, problems=e.problems)
    return RedirectResponse(f"/projects/{quote(code)}?done={'retired' if retired else 'restored'}", status_code=303)


def _detail(request: Request, s: Session, a: Account, code: str, *, typed: dict | None = None, problems) -> Response:
    from luoshi.web.pages.projects import detail_page

    return detail_page(request, s, a, code, typed=typed, problems=[str(p) for p in problems], status=422)


def _visible(s: Session, a: Account, code: str) -> None:
    from luoshi.web.pages.projects import visible

    visible(s, a, code)


def _fields(form) -> dict:
    """The project fields a form sent (a field left out is not changed; an empty one is cleared)."""
    return {k: str(form.get(k))[:300] for k in FIELDS if k in form}


def _text(value, limit: int) -> str | None:
    return (str(value).strip()[:limit] or None) if value is not None else None


def _by(a: Account) -> str:
    return a.display_name or a.username
