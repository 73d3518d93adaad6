"""Reporting status (报送情况) for the office: the recent months by unit, each month on time, late
(days), missing (超期未报) or not due yet, with counts and the reminders (催办), from
`luoshi.track.office_timeliness`.

The time: a month `as_of` ("2024-08") shows the months up to it, judged as that month's
reporting cycle closed (`dashboard_regions.judged_on`: today, but no later than the end of the month
after it); a day shows the months up to the one before it, judged on that day."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.orm import Session

from luoshi.track.dashboard_regions import judged_on, recent_months
from luoshi.track.office_timeliness import Report, office_timeliness
from luoshi.track.reminders import Reminder, UnitTimeliness

MONTHS = 6
STATES = ("on_time", "late", "missing", "pending")


@dataclass
class UnitLine:
    summary: UnitTimeliness
    cells: dict[str, Report]  # period → its report; a month not owed is absent


@dataclass
class MonthTotal:
    period: str
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STATES, 0))


@dataclass
class ReportingStatus:
    months: list[str]
    judged_on: date
    units: list[UnitLine]
    totals: list[MonthTotal]
    reminders: list[Reminder]

    @property
    def counts(self) -> dict[str, int]:
        return {k: sum(t.counts[k] for t in self.totals) for k in STATES}


def window(as_of: str | date, on: date | None = None, n: int = MONTHS) -> tuple[list[str], date]:
    """The months shown and the day they are judged on (see the module)."""
    if isinstance(as_of, date):
        y, m = (as_of.year - 1, 12) if as_of.month == 1 else (as_of.year, as_of.month - 1)
        return recent_months(f"{y:04d}-{m:02d}", n), as_of
    return recent_months(as_of, n), judged_on(as_of, on)


def reporting_status(session: Session, as_of: str | date, *, unit_id: int | None = None, settings=None,
                     on: date | None = None, n: int = MONTHS) -> ReportingStatus:
    """Who reported what for the `n` months up to `as_of`; `unit_id` keeps one unit."""
    months, day = window(as_of, on, n)
    t = office_timeliness(session, start=months[0], end=months[-1], as_of=day, settings=settings)
    cells: dict[int, dict[str, Report]] = {}
    totals = {p: MonthTotal(p) for p in months}
    for r in t.reports:
        if unit_id is None or r.unit_id == unit_id:
            cells.setdefault(r.unit_id, {})[r.period] = r
            totals[r.period].counts[r.state] += 1
    units = [UnitLine(u, cells.get(u.unit_id, {})) for u in t.units if unit_id is None or u.unit_id == unit_id]
    units.sort(key=lambda u: (-u.summary.missing, -u.summary.late, u.summary.unit))
    return ReportingStatus(months, day, units, list(totals.values()),
                           [r for r in t.reminders if unit_id is None or r.unit_id == unit_id])
