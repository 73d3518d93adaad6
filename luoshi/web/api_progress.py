"""Progress against schedule and reporting timeliness, as JSON: the same core as `luoshi progress`
and `luoshi timeliness`. A reporter sees the targets of its unit's tasks and its own timeliness."""
from __future__ import annotations

import re
from dataclasses import asdict
from datetime import date

from fastapi import APIRouter, Depends, Query, Request
from sqlalchemy import select
from sqlalchemy.orm import Session

from luoshi.auth.access import unit_scope
from luoshi.errors import LuoshiError
from luoshi.track.timeliness import DispatchSettings
from luoshi.store.account_models import Account
from luoshi.store.dispatch_models import TaskTarget, TaskUnit
from luoshi.track.office_timeliness import office_timeliness
from luoshi.track.progress import progress as run_progress
from luoshi.web.deps import account, db, office

router = APIRouter(tags=["进度与及时性"])


class AsOfInvalid(LuoshiError):
    code = "as_of_invalid"
    http_status = 422


def parse_as_of(text: str | None, *, month_ok: bool = True) -> str | date | None:
    if text is None:
        return None
    text = text.strip()
    if month_ok and re.fullmatch(r"\d{4}-\d{1,2}", text):
        return text
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise AsOfInvalid(f"时点“{text}”无法识别：应为 2024-08 这样的年月或 2024-08-31 这样的日期") from None


def own_targets(s: Session, unit_id: int) -> set[int]:
    return set(s.scalars(select(TaskTarget.target_id).join(TaskUnit, TaskUnit.task_id == TaskTarget.task_id)
                         .where(TaskUnit.unit_id == unit_id)))


@router.get("/progress", summary="量化目标进度：序时进度、完成率、差距、红黄绿灯、期末预测")
def progress(request: Request, as_of: str = Query(..., max_length=20, description="年月（按月末计）或日期"),
             region: str | None = Query(None, max_length=64), plan: str | None = Query(None, max_length=300),
             a: Account = Depends(account), s: Session = Depends(db)) -> list[dict]:
    scope = unit_scope(a)
    rows = run_progress(s, region=region, plan=plan, as_of=parse_as_of(as_of), catalog=request.app.state.catalog)
    if scope is not None:
        mine = own_targets(s, scope)
        rows = [p for p in rows if p.target_id in mine or p.same_as in mine]  # with the table's restatement
    return [p.to_dict() for p in rows]


@router.get("/timeliness", summary="月报报送及时性：按时、逾期、超期未报、催办提醒")
def timeliness(request: Request, start: str = Query(..., alias="from", max_length=7, description="起始月份"),
               end: str = Query(..., alias="to", max_length=7, description="结束月份"),
               as_of: str | None = Query(None, max_length=10, description="统计日期（默认今天）"),
               a: Account = Depends(account), s: Session = Depends(db),
               rules: DispatchSettings = Depends(office)) -> dict:
    scope = unit_scope(a)
    t = office_timeliness(s, start=start, end=end, as_of=parse_as_of(as_of, month_ok=False), settings=rules,
                          catalog=request.app.state.catalog)

    def keep(rows):
        return [asdict(r) for r in rows if scope is None or r.unit_id == scope]

    return {"from": t.start, "to": t.end, "as_of": t.as_of.isoformat(), "units": keep(t.units),
            "late": keep(t.late), "missing": keep(t.missing), "reminders": keep(t.reminders)}
