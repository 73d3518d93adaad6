"""The monthly report form (月报填报): one row per target of the unit's tasks with 当月, 累计,
进展情况, 滞后原因 and 下步措施, prefilled with the month's current report when there is one (a
correction then needs its 更正说明). The form goes through `reports.submit`, the same core as the
API, the CLI and Excel: its problems come back next to each line, with what the user typed kept.
A reporter reports for its own unit only (a tampered unit field is 403); the office for any."""
from __future__ import annotations

from collections import defaultdict

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from luoshi.auth.access import Forbidden, may_write_reports, unit_scope
from luoshi.auth.audit import audited, report_object
from luoshi.publish.excel_layout import INPUT_FIELDS
from luoshi.publish.excel_report import template_rows
from luoshi.store.account_models import Account
from luoshi.store.dispatch_models import Unit
from luoshi.store.models import as_id
from luoshi.track.progress import progress
from luoshi.track.reports import (Problem, ReportConflict, ReportInvalid, ReportLocked, current_lines, history,
                                  submit, timeliness_of)
from luoshi.track.timeliness import (DispatchSettings, PeriodError, Timeliness, locked_message, parse_period,
                                     period_label, previous_period, timeliness, today)
from luoshi.track.unit_inbox import recent_periods
from luoshi.web.deps import address, db, office
from luoshi.web.pages.render import page
from luoshi.web.pages.signin import reader

router = APIRouter()
MAX_FIELDS = 20000  # 6 inputs a target: room for a unit with a few thousand targets


@router.get("/inbox/report")
def report_form(request: Request, period: str | None = Query(None, max_length=20),
                unit: str | None = Query(None, max_length=200), a: Account = Depends(reader),
                s: Session = Depends(db), rules: DispatchSettings = Depends(office)) -> Response:
    from luoshi.web.pages.inbox import desk_unit, unit_choices

    may_write_reports(a)
    u = desk_unit(s, a, unit)
    if u is None:
        return page(request, "inbox/pick.html", {"units": unit_choices(s), "action": "/inbox/report"}, account=a)
    try:
        period = parse_period(period) if period else recent_periods(today())[1]
    except PeriodError as e:
        return _form(request, s, a, u, recent_periods(today())[1], rules, general=[e.message], status=422)
    return _form(request, s, a, u, period, rules)


@router.post("/inbox/report")
async def report_post(request: Request, a: Account = Depends(reader), s: Session = Depends(db),
                      rules: DispatchSettings = Depends(office)) -> Response:
    from luoshi.web.pages.inbox import desk_unit

    form = await request.form(max_fields=MAX_FIELDS)
    period, unit = str(form.get("period") or "")[:20], str(form.get("unit") or "")[:200]
    reason, approved = str(form.get("correction_reason") or "").strip()[:2000], form.get("approved") == "1"
    typed = {tid: {f: str(form.get(f"{f}-{tid}") or "") for f in INPUT_FIELDS}
             for tid in dict.fromkeys(as_id(x) for x in form.getlist("target_id")) if tid is not None}
    lines = [{"target_id": tid, **{f: v.strip() or None for f, v in vals.items()}}
             for tid, vals in typed.items() if any(v.strip() for v in vals.values())]
    uid = None
    try:
        with audited(s, "approval" if approved else "report_submitted", account=a, address=address(request),
                     object=report_object(unit or a.unit_id, period)) as note:
            may_write_reports(a)
            u = desk_unit(s, a, unit or None)  # a reporter's tampered unit: 403, recorded
            if u is None:
                raise ReportInvalid([Problem(None, None, "unit", "请指定报送单位")])
            if approved and a.role != "coordinator":
                raise Forbidden("只有调度办可以批准补报已锁定的月份")
            uid, name = u.id, u.name
            sub = submit(s, unit=uid, period=period, lines=lines, source="web",
                         submitted_by=a.display_name or a.username, correction_reason=reason or None,
                         settings=rules, approved=approved, only_unit=unit_scope(a),
                         catalog=request.app.state.catalog, commit=False)
            note.object = report_object(name, sub.period, sub.version)
    except (ReportInvalid, ReportLocked, ReportConflict) as e:
        if uid is None:
            raise
        u = s.get(Unit, uid)
        by_line, general = defaultdict(list), []
        for p in getattr(e, "problems", []):
            if p.line is not None and p.line < len(lines):
                by_line[lines[p.line]["target_id"]].append(p)
            else:
                general.append(str(p))
        if not getattr(e, "problems", None):
            general.append(e.message)
        try:
            shown = parse_period(period)
        except PeriodError:
            shown = recent_periods(today())[1]
        return _form(request, s, a, u, shown, rules, typed=typed, errors=by_line, general=general,
                     reason=reason, status=e.http_status, invalid=isinstance(e, ReportInvalid))
    return _done(request, s, a, u, sub, rules)


def _form(request: Request, s: Session, a: Account, u: Unit, period: str, rules: DispatchSettings, *,
          typed: dict | None = None, errors: dict | None = None, general: list | None = None, reason: str = "",
          status: int = 200, invalid: bool = False) -> Response:
    rows = template_rows(s, u, period)
    # 累计 may be filled in the browser as the month before's 累计 + 当月: only from the month just
    # before (after a gap 当月 covers less than the gap), never in January (annual totals restart).
    base = {} if period.endswith("-01") else {ln.target_id: ln.cumulative for ln in
                                               current_lines(s, u.id, previous_period(period))}
    general = list(general or [])
    shown = {r["target_id"] for r in rows}
    for tid, problems in (errors or {}).items():
        if tid not in shown:  # a target the form does not list (not the unit's): said above the form
            general += [str(p) for p in problems]
    for r in rows:
        r["base"] = _plain(base.get(r["target_id"]))
        r["errors"] = defaultdict(list)
        for p in (errors or {}).get(r["target_id"], []):
            r["errors"][p.field].append(p.message)
        if typed is not None:  # what the user typed, as typed, never what was stored
            r.update(typed.get(r["target_id"], {f: "" for f in INPUT_FIELDS}))
    versions = history(s, u.id, period)
    state = timeliness(period, today(), rules)
    return page(request, "inbox/report_form.html", {
        "unit": u, "period": period, "label": period_label(period), "rows": rows, "versions": versions,
        "general": general, "reason": reason, "invalid": invalid, "periods": recent_periods(today(), 12),
        "state": state, "locked": locked_message(period, rules) if state is Timeliness.LOCKED else None,
        "rules": rules, "timeliness_of": timeliness_of, "office": a.role == "coordinator",
        "unit_query": "" if a.role == "reporter" else f"&unit={u.id}"}, account=a, status_code=status)


def _done(request: Request, s: Session, a: Account, u: Unit, sub, rules: DispatchSettings) -> Response:
    ids = [ln.target_id for ln in sub.lines]
    judged = {p.target_id: p for p in progress(s, as_of=sub.period, catalog=request.app.state.catalog,
                                               rules=rules.rules) if p.target_id in set(ids)}
    names = {r["target_id"]: r for r in template_rows(s, u, sub.period)}
    return page(request, "inbox/report_done.html", {
        "unit": u, "sub": sub, "label": period_label(sub.period), "timeliness": timeliness_of(sub, rules).label,
        "lines": [(ln, names.get(ln.target_id), judged.get(ln.target_id)) for ln in sub.lines],
        "unit_query": "" if a.role == "reporter" else f"?unit={u.id}"}, account=a)


def _plain(v) -> str | None:
    """A stored Decimal as a script reads a number: 1200, 12.5."""
    if v is None:
        return None
    text = f"{v:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
