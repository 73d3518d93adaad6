"""When a monthly report is due (报送时限), and when its month is locked.

A month's report is due on `DispatchSettings.due_day` of the following month (clamped to that
month's last day); until then, that day included, it is on time (按时). For `lock_after_days`
more days it is still accepted but late (逾期). After that the month is locked: a report, first
or correction, needs the office's approval (锁定后补报). Days are dates in China (UTC+8, no summer
time), so a report stored at 23:30 on the due day in Beijing is on time although it is 15:30 UTC;
stored times are UTC, and a naive one read back (SQLite) is taken as UTC.
The office-wide view (rates, missing reports, reminders) is in `luoshi.track.office_timeliness`.
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from enum import StrEnum

from luoshi.errors import LuoshiError
from luoshi.track.goals import RULES, Rules

CHINA = timezone(timedelta(hours=8), "Asia/Shanghai")
_PERIOD = re.compile(r"\s*(\d{4})\s*(?:-|/|\.|年)\s*(\d{1,2})\s*月?\s*")


class PeriodError(LuoshiError):
    code = "period"
    http_status = 422


class ReportLocked(LuoshiError):
    """The month is locked: only the office can let a report in (`approved=True`)."""

    code = "report_locked"
    http_status = 423


@dataclass(frozen=True)
class DispatchSettings:
    """An office's rules for monthly reports. Tolerances: how far 上期累计 + 当月 may miss 累计
    (spreadsheets round), whichever of the two is larger."""

    due_day: int = 10  # day of the following month by which a month's report is due
    lock_after_days: int = 15  # days after the due day after which a report needs approval
    abs_tolerance: float = 0.01
    rel_tolerance: float = 1e-4
    rules: Rules = field(default=RULES)  # lights: what counts as behind schedule

    def __post_init__(self):
        if not 1 <= self.due_day <= 31 or self.lock_after_days < 0:
            raise PeriodError("调度设置无效：报送截止日应在 1–31 日之间，锁定天数不能为负")
        if self.abs_tolerance < 0 or self.rel_tolerance < 0:
            raise PeriodError("调度设置无效：容差不能为负")


DISPATCH = DispatchSettings()


class Timeliness(StrEnum):
    ON_TIME = "on_time"
    LATE = "late"
    LOCKED = "locked"  # arrived after the lock: stored only with the office's approval

    @property
    def label(self) -> str:
        return {"on_time": "按时", "late": "逾期", "locked": "锁定后补报"}[self.value]


def parse_period(text: str) -> str:
    """A month as 'YYYY-MM' (from 2024-03, 2024-3, 2024/03, 2024年3月), or PeriodError."""
    m = _PERIOD.fullmatch(str(text or ""))
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise PeriodError(f"报告月份“{text}”无效：应为 YYYY-MM，如 2024-03")
    return f"{int(m.group(1)):04d}-{int(m.group(2)):02d}"


def period_parts(period: str) -> tuple[int, int]:
    p = parse_period(period)
    return int(p[:4]), int(p[5:])


def previous_period(period: str) -> str:
    y, m = period_parts(period)
    return f"{y - 1:04d}-12" if m == 1 else f"{y:04d}-{m - 1:02d}"


def period_label(period: str) -> str:
    """2024-03 as people write it: 2024年3月."""
    y, m = period_parts(period)
    return f"{y}年{m}月"


def day_label(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def due_date(period: str, settings: DispatchSettings = DISPATCH) -> date:
    y, m = period_parts(period)
    y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return date(y, m, min(settings.due_day, calendar.monthrange(y, m)[1]))


def lock_date(period: str, settings: DispatchSettings = DISPATCH) -> date:
    """The last day a late report is accepted without approval."""
    return due_date(period, settings) + timedelta(days=settings.lock_after_days)


def timeliness(period: str, received: date, settings: DispatchSettings = DISPATCH) -> Timeliness:
    """A report for `period` received on `received` (a date in China)."""
    if received <= due_date(period, settings):
        return Timeliness.ON_TIME
    return Timeliness.LATE if received <= lock_date(period, settings) else Timeliness.LOCKED


def locked_message(period: str, settings: DispatchSettings = DISPATCH) -> str:
    due, lock = due_date(period, settings), lock_date(period, settings)
    return (f"{period_label(period)}的报告已锁定：报送截止日为{day_label(due)}，"
            f"{day_label(lock)}后须经调度办公室同意方可补报或更正")


def today() -> date:
    return datetime.now(CHINA).date()


def china_time(at: datetime) -> datetime:
    """A stored time in China (naive times, as SQLite returns them, are UTC)."""
    return (at if at.tzinfo else at.replace(tzinfo=timezone.utc)).astimezone(CHINA)


def received_on(submitted_at: datetime) -> date:
    """The day in China a stored submission arrived."""
    return china_time(submitted_at).date()
