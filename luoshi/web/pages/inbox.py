"""本单位: a unit's desk (reports due, reminders, its tasks with their lights, its milestones) and
the Excel way in (download the month's template, upload it filled). A reporter sees its own unit
only; the office picks any unit (`?unit=`) and may report for it; a leader reads. The report form
itself is in inbox_form.py (its routes hang on this router)."""
from __future__ import annotations

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import Response
from sqlalchemy.orm import Session

from luoshi.auth.access import Forbidden, check_unit, may_write_reports, unit_scope
from luoshi.auth.audit import audited, report_object
from luoshi.errors import LuoshiError
from luoshi.publish.excel_layout import WorkbookInvalid
from luoshi.settings import WebSettings
from luoshi.store.account_models import Account
from luoshi.store.dispatch_models import Unit
from luoshi.track.reports import find_unit, resolve_unit, timeliness_of
from luoshi.track.timeliness import DispatchSettings, period_label
from luoshi.track.unit_inbox import recent_periods, unit_inbox
from luoshi.track.units import unit_rows
from luoshi.web.deps import address, db, id_or_name, office, settings
from luoshi.web.pages.render import page
from luoshi.web.pages.signin import reader
from luoshi.web.uploads import read_upload

router = APIRouter()


class NoFile(LuoshiError):
    code = "no_file"
    http_status = 422


def desk_unit(s: Session, a: Account, unit: str | None) -> Unit | None:
    """The unit whose desk `a` may open: a reporter's own (another unit, or one that does not
    exist, is 403); for the office and leaders the one asked for, or None (they pick one)."""
    scope = unit_scope(a)  # admin and auditor: 403
    if scope is not None:
        if unit:
            found = resolve_unit(s, id_or_name(unit))
            check_unit(a, found.id if found is not None else -1)
        return find_unit(s, scope)
    return find_unit(s, id_or_name(unit)) if unit else None


def unit_choices(s: Session) -> list[dict]:
    """Units with current tasks, for the office's unit picker."""
    return [u for u in unit_rows(s) if u["lead_tasks"] or u["support_tasks"]]


def template_url(unit: Unit, period: str) -> str:
    return f"/api/reports/{unit.id}/{period}/template.xlsx"


@router.get("/inbox")
def inbox(request: Request, unit: str | None = Query(None, max_length=200), a: Account = Depends(reader),
          s: Session = Depends(db), rules: DispatchSettings = Depends(office)) -> Response:
    u = desk_unit(s, a, unit)
    if u is None:
        return page(request, "inbox/pick.html", {"units": unit_choices(s)}, account=a)
    desk = unit_inbox(s, u, settings=rules, catalog=request.app.state.catalog)
    periods = recent_periods(desk.as_of)
    return page(request, "inbox/index.html", {
        "unit": u, "desk": desk, "period_label": period_label, "due_period": periods[1], "template_url": template_url,
        "may_write": a.role in ("reporter", "coordinator"),
        "units": unit_choices(s) if a.role != "reporter" else [],
        "unit_query": "" if a.role == "reporter" else f"&unit={u.id}"}, account=a)


@router.post("/inbox/upload")
async def upload(request: Request, file: UploadFile | None = File(None),
                 correction_reason: str = Form("", max_length=2000), a: Account = Depends(reader),
                 s: Session = Depends(db), cfg: WebSettings = Depends(settings),
                 rules: DispatchSettings = Depends(office)) -> Response:
    """A filled workbook, through excel_import (all or nothing): a summary, or every bad cell."""
    from luoshi.publish.excel_import import import_workbook

    name = (file.filename if file is not None else None) or ""
    context: dict = {"file_name": name}
    try:
        with audited(s, "report_imported", account=a, address=address(request), object=f"workbook:{name}") as note:
            may_write_reports(a)
            if file is None or not name:
                raise NoFile("请选择要上传的 Excel 文件（.xlsx）")
            data = await read_upload(file, cfg.max_upload_bytes, kind="XLSX")
            done = import_workbook(s, data, submitted_by=a.display_name or a.username,
                                   correction_reason=correction_reason.strip() or None, settings=rules,
                                   only_unit=unit_scope(a), catalog=request.app.state.catalog, commit=False)
            unit_name = find_unit(s, done.unit_id).name
            note.object = report_object(unit_name, done.period, done.submission.version if done.submission else None)
    except Forbidden:
        raise
    except WorkbookInvalid as e:
        context.update(errors=e.errors, message=e.message)
        return page(request, "inbox/upload_result.html", context, account=a, status_code=422)
    except LuoshiError as e:
        context["message"] = e.message + (f"（{e.hint}）" if e.hint else "")
        return page(request, "inbox/upload_result.html", context, account=a, status_code=e.http_status)
    sub = done.submission
    context.update(done=done, unit_name=unit_name, period_label=period_label(done.period),
                   timeliness=timeliness_of(sub, rules).label if sub is not None else None,
                   unit_query="" if a.role == "reporter" else f"?unit={done.unit_id}")
    return page(request, "inbox/upload_result.html", context, account=a)


# The report form's routes join this router (pages/__init__.py registers the module's router).
from luoshi.web.pages import inbox_form  # noqa: E402

router.include_router(inbox_form.router)
