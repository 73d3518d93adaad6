"""Reporting status (报送情况) for the office and leaders: the last six months by unit, each month on
time, late (days) or missing (超期未报), with counts and the reminders (催办) to send, from
`luoshi.track.reporting_status`. `?unit=` keeps one unit; `?as_of=` takes a month (judged as its
reporting cycle closed) or a day."""
from __future__ import annotations

import re
from datetime import date

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from luoshi.auth.access import require
from luoshi.errors import LuoshiError
from luoshi.store.account_models import Account
from luoshi.store.dispatch_models import TaskTarget, TaskUnit, Unit
from luoshi.store.models import as_id
from luoshi.track.dashboard_regions import default_month
from luoshi.track.reporting_status import STATES, reporting_status
from luoshi.track.timeliness import DispatchSettings, parse_period
from luoshi.web.deps import db, office
from luoshi.web.pages.render import page
from luoshi.web.pages.signin import reader

router = APIRouter()
READERS = ("coordinator", "leader")
STATE_LABELS = {"on_time": "按时", "late": "逾期", "missing": "超期未报", "pending": "未到期"}


class UnitUnknown(LuoshiError):
    code = "unit_not_found"
    http_status = 404


class DayInvalid(LuoshiError):
    code = "as_of_invalid"
    http_status = 422


def parse_as_of(text: str) -> str | date:
    """A month (2024-08, 2024年8月) or a day (2024-09-15)."""
    text = text.strip()
    if re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", text):
        try:
            return date.fromisoformat("-".join(p.zfill(2) for p in text.split("-")))
        except ValueError:
            raise DayInvalid(f"日期“{text}”无效：应为 2024-09-15 这样的日期或 2024-08 这样的月份") from None
    return parse_period(text)


def owing_units(s: Session) -> list[tuple[int, str]]:
    """The units that owe monthly reports (they lead a task with targets), by name."""
    return list(s.execute(select(Unit.id, Unit.name).join(TaskUnit, TaskUnit.unit_id == Unit.id)
                          .join(TaskTarget, TaskTarget.task_id == TaskUnit.task_id)
                          .where(TaskUnit.role == "lead").distinct().order_by(Unit.name)).all())


@router.get("/reporting")
def reporting_page(request: Request, as_of: str | None = Query(None, max_length=12),
                   unit: str | None = Query(None, max_length=12), a: Account = Depends(reader),
                   s: Session = Depends(db), rules: DispatchSettings = Depends(office)) -> Response:
    require(a, *READERS)
    when = parse_as_of(as_of) if (as_of or "").strip() else default_month(s)
    units = owing_units(s)
    unit_id = chosen = None
    if (unit or "").strip():  # the form's 全部单位 sends unit= empty
        unit_id = as_id(unit)
        chosen = unit_id and s.scalar(select(Unit.name).where(Unit.id == unit_id))
        if not chosen:
            raise UnitUnknown("未找到该单位")
    status = reporting_status(s, when, unit_id=unit_id, settings=rules)
    return page(request, "reporting/index.html", {
        "status": status, "units": units, "unit": unit_id, "unit_name": chosen, "labels": STATE_LABELS,
        "states": STATES, "as_of": when.isoformat() if isinstance(when, date) else when}, account=a)
