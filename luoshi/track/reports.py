"""Monthly reports (月报) of units: `submit` is the one way in for the web API, the CLI and Excel.

A report is all or nothing: every line is checked (`report_lines` reads them, `report_rules`
judges them) and every problem comes back in one `ReportInvalid`; only a clean report is stored.
Nothing is overwritten: the first report of a unit for a month is version 1, each later one a
correction (version n + 1, with its reason). `current_lines` reads the latest version, `history`
all of them. Two reports racing for one version meet the UNIQUE (unit_id, period, version): one
is stored, the other gets `ReportConflict`.

Timeliness: a late report is stored, `.timeliness` on the object returned says so, and later it
is derived from `submitted_at` (`timeliness_of`: the table has no column for it). A locked month
raises `ReportLocked` unless the office approves (`approved=True`, kept in `Submission.approved`)."""
from __future__ import annotations

import functools
from collections import defaultdict
from datetime import date, datetime, time, timezone
from decimal import Decimal

from sqlalchemy import exists, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from luoshi.errors import LuoshiError
from luoshi.store.dispatch_models import ReportLine, Submission, TaskTarget, TaskUnit, Unit, UnitAlias
from luoshi.store.models import MAX_ID, TargetRow, as_id
from luoshi.track.report_lines import Problem, ReportInvalid, parse_lines
from luoshi.track.office_settings import dispatch_settings
from luoshi.track.report_rules import Context, check
from luoshi.track.target_goals import goals_of_targets
from luoshi.track.timeliness import (CHINA, DISPATCH, DispatchSettings, PeriodError, ReportLocked, Timeliness,
                                     locked_message, parse_period, period_label, received_on, timeliness, today)

__all__ = ["SOURCES", "DispatchSettings", "Problem", "ReportConflict", "ReportInvalid", "ReportLocked",
           "UnitNotFound", "current_lines", "find_unit", "history", "resolve_unit", "submit", "timeliness_of"]
SOURCES = ("web", "api", "cli", "excel")


class ReportConflict(LuoshiError):
    code = "report_conflict"
    http_status = 409


class UnitNotFound(LuoshiError):
    code = "unit_not_found"
    http_status = 404


def submit(session: Session, *, unit: str | int, period: str, lines: list[dict], source: str,
           submitted_by: str | None = None, correction_reason: str | None = None, as_of: date | None = None,
           settings: DispatchSettings | None = None, approved: bool = False, catalog=None,
           commit: bool = True, only_unit: int | None = None) -> Submission:
    """Check and store one unit's report for one month (see the module). `as_of`: the day it is
    received (default today in China; another day is stored as noon of that day in China, so that
    `timeliness_of` the stored report says what `.timeliness` says); `approved`: the office lets a
    locked month in; `catalog`: the indicator catalog (default the shipped one); `commit=False`
    leaves the commit to the caller (a conflict still rolls the session back); `only_unit`: the id
    of the one unit the caller may report for (a unit's reporter signed in to the web app), any
    other is a problem."""
    if source not in SOURCES:
        raise ValueError(f"source must be one of {SOURCES}, not {source!r}")
    settings, as_of = settings or dispatch_settings(session), as_of or today()
    reason = (correction_reason or "").strip() or None
    by = (submitted_by or "").strip() or None
    problems: list[Problem] = []
    if by and len(by) > 100:
        problems.append(Problem(None, None, "submitted_by", "报送人过长（最多 100 字）"))
    u = resolve_unit(session, unit)
    if u is None:
        problems.append(Problem(None, None, "unit", f"未找到单位“{unit}”（按单位全称或简称查找）"))
    elif only_unit is not None and u.id != only_unit:
        problems.append(Problem(None, None, "unit", f"只能报送本单位的报告，不能报送“{u.name}”的报告"))
        u = None
    try:
        period = parse_period(period)
    except PeriodError as e:
        problems.append(Problem(None, None, "period", e.message))
        period = None
    if period and period > f"{as_of.year:04d}-{as_of.month:02d}":
        problems.append(Problem(None, None, "period", f"{period_label(period)}尚未到来，不能报送"))
        period = None
    state = version = None
    if u is not None and period:
        state = timeliness(period, as_of, settings)
        if state is Timeliness.LOCKED and not approved:
            raise ReportLocked(locked_message(period, settings))
        version = _next_version(session, u.id, period)
        if version > 1 and not reason:
            problems.append(Problem(None, None, "correction_reason",
                                    f"{period_label(period)}已报送第{version - 1}版，更正须填写更正说明"))
    parsed, line_problems = parse_lines(lines)
    ids = {ln.target_id for ln in parsed if ln.target_id is not None}
    ctx = _context(session, u, period, ids, catalog or _shipped_catalog())
    problems += line_problems + check(parsed, ctx, reason, settings)
    if problems:
        raise ReportInvalid(problems)
    sub = Submission(unit_id=u.id, period=period, version=version, source=source,
                     submitted_by=by, correction_reason=reason,
                     approved=bool(approved and state is Timeliness.LOCKED),
                     lines=[ReportLine(**ln.values()) for ln in parsed])
    if as_of != today():  # received another day (a backfill): stored on that day, not now
        sub.submitted_at = datetime.combine(as_of, time(12), CHINA).astimezone(timezone.utc)
    session.add(sub)
    uid, unit_name = u.id, u.name  # a rollback expires them
    try:
        session.flush()
        if commit:
            session.commit()
    except IntegrityError as e:
        session.rollback()
        taken = session.scalar(select(exists().where(Submission.unit_id == uid, Submission.period == period,
                                                     Submission.version == version)))
        if taken:
            raise ReportConflict(f"{unit_name}{period_label(period)}的报告（第{version}版）刚被他人提交，"
                                 "请刷新后重试") from e
        raise
    sub.timeliness = state
    return sub


def _next_version(session: Session, unit_id: int, period: str) -> int:
    top = session.scalar(select(func.max(Submission.version)).where(Submission.unit_id == unit_id,
                                                                   Submission.period == period))
    return (top or 0) + 1


def resolve_unit(session: Session, unit: str | int) -> Unit | None:
    """A unit by id, canonical name or alias (市工信局); None when there is none."""
    if isinstance(unit, int) and not isinstance(unit, bool):
        return session.get(Unit, unit) if 0 < unit <= MAX_ID else None
    name = str(unit or "").strip()
    found = session.scalar(select(Unit).where(Unit.name == name)) if name else None
    if found is None and name:
        found = session.scalar(select(Unit).join(UnitAlias, UnitAlias.unit_id == Unit.id)
                               .where(UnitAlias.alias == name))
    if found is None and as_id(name) is not None:
        found = session.get(Unit, as_id(name))
    if found is None and name:
        from luoshi.track.units import resolve  # the registry's alias groups: 市工信局 → 市工业和信息化局

        found = resolve(session, name)
    return found


def find_unit(session: Session, unit: str | int) -> Unit:
    """resolve_unit, or UnitNotFound."""
    if (found := resolve_unit(session, unit)) is None:
        raise UnitNotFound(f"未找到单位“{unit}”（按单位全称、简称或编号查找）")
    return found


def current_lines(session: Session, unit_id: int, period: str) -> list[ReportLine]:
    """The lines of the latest version of a unit's report for a month ([] when none)."""
    subs = history(session, unit_id, period)
    return list(subs[-1].lines) if subs else []


def history(session: Session, unit_id: int, period: str) -> list[Submission]:
    """Every version of a unit's report for a month, oldest first, with its lines."""
    period = parse_period(period)
    return list(session.scalars(select(Submission).options(selectinload(Submission.lines))
                                .where(Submission.unit_id == unit_id, Submission.period == period)
                                .order_by(Submission.version)))


def timeliness_of(sub: Submission, settings: DispatchSettings | None = None) -> Timeliness:
    """A stored submission's timeliness, from the day (in China) it was stored."""
    return timeliness(sub.period, received_on(sub.submitted_at), settings or DISPATCH)


def _context(session: Session, u: Unit | None, period: str | None, ids: set[int], catalog) -> Context:
    ctx = Context(unit_name=u.name if u else None, period=period)
    if not ids:
        return ctx
    for row in session.scalars(select(TargetRow).where(TargetRow.id.in_(ids))):
        ctx.targets[row.id] = row
    g = goals_of_targets(session, ids, catalog)
    ctx.goals = {i: g.goals[i] for i in ids if i in g.goals}
    ctx.indicators = {i: g.links.get(i) for i in ids}
    if u is None:
        return ctx
    ctx.owned = set(session.scalars(select(TaskTarget.target_id).join(TaskUnit, TaskUnit.task_id == TaskTarget.task_id)
                                    .where(TaskUnit.unit_id == u.id, TaskTarget.target_id.in_(ids))))
    if period:
        ctx.earlier = _earlier(session, u.id, period, ids)
    return ctx


def _earlier(session: Session, unit_id: int, period: str, ids: set[int]) -> dict[int, list[tuple[str, Decimal]]]:
    """Each target's 累计 in the current version of every earlier month's report of the unit."""
    current: dict[str, tuple[int, int]] = {}
    for sid, p, v in session.execute(select(Submission.id, Submission.period, Submission.version)
                                     .where(Submission.unit_id == unit_id, Submission.period < period)):
        if p not in current or v > current[p][1]:
            current[p] = (sid, v)
    by_id = {sid: p for p, (sid, _) in current.items()}
    out: dict[int, list[tuple[str, Decimal]]] = defaultdict(list)
    if not by_id:
        return out
    for sid, tid, cum in session.execute(select(ReportLine.submission_id, ReportLine.target_id, ReportLine.cumulative)
                                         .where(ReportLine.submission_id.in_(by_id), ReportLine.target_id.in_(ids))):
        if cum is not None:
            out[tid].append((by_id[sid], Decimal(cum)))
    for series in out.values():
        series.sort()
    return out


@functools.cache
def _shipped_catalog():
    from luoshi.track.catalog import load_catalog

    return load_catalog()
