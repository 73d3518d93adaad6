"""One unit's desk (本单位): what it owes and how it stands, for the unit's own page.

- Reports: the months from `months` before the current month up to it, judged as the office
  judges them (`office_timeliness`: on time, late, missing, pending with the days left), the
  unit's own rows and reminders (催办) only. A unit that only supports tasks owes none.
- Tasks: the current tasks it leads or supports, each target with its progress at the end of the
  last complete month (the month whose report is due now): 序时进度, completion, gap, light.
- Milestones: those of its tasks, judged on `as_of`.

Nothing here checks who asks: the caller decides which unit a reader may see."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from luoshi.store.dispatch_models import Submission, Unit
from luoshi.track.milestone_rows import milestone_rows
from luoshi.track.office_timeliness import Report, office_timeliness
from luoshi.track.progress import TargetProgress, progress
from luoshi.track.reminders import Reminder
from luoshi.track.tasks import task_rows
from luoshi.track.timeliness import DispatchSettings, previous_period, today

MONTHS = 6  # how many months before the current one the desk lists


@dataclass
class UnitInbox:
    unit: Unit
    as_of: date
    judged_at: str  # YYYY-MM: the month whose end the lights are judged at
    reports: list[Report]  # newest month first
    versions: dict[str, int]  # period → how many versions the unit has stored
    reminders: list[Reminder]
    tasks: list[dict]  # task_rows, each target with "progress": TargetProgress | None
    milestones: list[dict]
    lights: Counter = field(default_factory=Counter)  # green / yellow / red / none → targets


def current_period(on: date) -> str:
    return f"{on.year:04d}-{on.month:02d}"


def recent_periods(on: date, months: int = MONTHS) -> list[str]:
    """The current month and the `months` before it, newest first."""
    out = [current_period(on)]
    for _ in range(months):
        out.append(previous_period(out[-1]))
    return out


def unit_inbox(session: Session, unit: Unit, *, catalog, as_of: date | None = None,
               settings: DispatchSettings | None = None, months: int = MONTHS) -> UnitInbox:
    """The desk of `unit` on `as_of` (default today in China); `catalog`: the indicator catalog the
    lights are judged with, `settings`: the office's (default as stored)."""
    from luoshi.track.office_settings import dispatch_settings

    as_of = as_of or today()
    settings = settings or dispatch_settings(session)
    periods = recent_periods(as_of, max(1, months))
    owed = office_timeliness(session, start=periods[-1], end=periods[0], as_of=as_of, settings=settings)
    reports = sorted((r for r in owed.reports if r.unit_id == unit.id), key=lambda r: r.period, reverse=True)
    versions = Counter(session.scalars(select(Submission.period).where(Submission.unit_id == unit.id,
                                                                       Submission.period.in_(periods))))
    tasks = task_rows(session, unit=unit)
    judged_at = periods[1]
    mine = {x["id"] for t in tasks for x in t["targets"]}
    by_target: dict[int, TargetProgress] = {}
    if mine:
        by_target = {p.target_id: p for p in progress(session, as_of=judged_at, catalog=catalog, rules=settings.rules)
                     if p.target_id in mine}
    for t in tasks:
        for x in t["targets"]:
            x["progress"] = by_target.get(x["id"])
    lights = Counter(by_target[i].light.value if i in by_target and by_target[i].light else "none" for i in mine)
    return UnitInbox(unit=unit, as_of=as_of, judged_at=judged_at, reports=reports, versions=dict(versions),
                     reminders=[r for r in owed.reminders if r.unit_id == unit.id], tasks=tasks,
                     milestones=milestone_rows(session, unit=unit, as_of=as_of), lights=lights)
