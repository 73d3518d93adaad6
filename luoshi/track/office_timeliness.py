"""The office's view of monthly reporting (报送及时性) across units: for a range of months, who
owed which report, which came on time, late or not at all (超期未报), each unit's on-time rate,
and the reminders (催办) in `luoshi.track.reminders`.

Decisions:
- Who owes what: a unit owes a report for every month of the range in which it leads a task
  (`roles`) with targets of a plan whose latest version's 实施期 covers that month's year (a plan
  without a period: every month). Supporting units report through their lead; a task without
  targets owes milestone states, not monthly numbers.
- A month's report is due by the office's `due_day` of the following month (a shorter month: its
  last day); days are counted in China (`luoshi.track.timeliness.received_on`).
- Each (unit, month) is, as of `as_of` (submissions received after that day are not seen):
  on time: its first submission (of any version: a later correction does not make it late) on or
  before the due day; late: after it, lateness in days = day received − due day; missing
  (超期未报): nothing received and the due day is over; pending: not due yet, nothing received.
- On-time rate = on time ÷ (on time + late + missing), in percent; none where nothing is due yet.
- Reminders (催办), one per unit and kind: its missing months, and its months due within
  `remind_days` days (0 = due today) not received yet.
- Unit summary: the counts and the lights of the targets of the tasks it leads, judged at `as_of`
  by `luoshi.track.progress` (given a catalog).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from luoshi.errors import LuoshiError
from luoshi.store.dispatch_models import Submission, Task, TaskTarget, TaskUnit, Unit
from luoshi.store.models import PlanVersion
from luoshi.store.search import latest_version_ids
from luoshi.track.reminders import Reminder, UnitTimeliness, reminders, summarise, unit_lights
from luoshi.track.timeliness import due_date, period_parts, received_on, today

REMIND_DAYS = 3  # reports due within this many days are in the reminders
ROLES = ("lead",)  # which units of a task owe the monthly report


class RangeError(LuoshiError):
    code = "month_range"


@dataclass(frozen=True)
class Report:
    """One month's report one unit owes."""

    unit_id: int
    unit: str
    period: str  # YYYY-MM
    due: date
    state: str  # on_time | late | missing | pending
    submitted: date | None = None  # first submitted (北京时间)
    days: int | None = None  # late: days late; missing: days overdue; pending: days left
    approved: bool = False  # a late report let in by the office


@dataclass
class OfficeTimeliness:
    start: str
    end: str
    as_of: date
    reports: list[Report]
    units: list[UnitTimeliness]
    reminders: list[Reminder]

    @property
    def late(self) -> list[Report]:
        return [r for r in self.reports if r.state == "late"]

    @property
    def missing(self) -> list[Report]:
        return [r for r in self.reports if r.state == "missing"]


def month_range(start: str, end: str) -> list[str]:
    """The months from `start` to `end` (YYYY-MM), both included."""
    (y0, m0), (y1, m1) = period_parts(start), period_parts(end)
    if (y0, m0) > (y1, m1):
        raise RangeError(f"起始月份 {start} 晚于结束月份 {end}")
    return [f"{i // 12:04d}-{i % 12 + 1:02d}" for i in range(y0 * 12 + m0 - 1, y1 * 12 + m1)]


def office_timeliness(session: Session, *, start: str, end: str, as_of: date | None = None,
                      settings=None, remind_days: int | None = None, roles: tuple[str, ...] = ROLES,
                      catalog=None) -> OfficeTimeliness:
    """Reports owed from `start` to `end` (YYYY-MM) as of `as_of` (default today in China), by the
    office's `settings` (its `due_day`; `luoshi.track.timeliness.DispatchSettings`); with a
    catalog, each unit's summary also counts the lights of the targets it leads."""
    if settings is None or remind_days is None:  # the office's own, as stored
        from luoshi.track.office_settings import current, dispatch_settings

        settings = settings or dispatch_settings(session)
        remind_days = int(current(session)["remind_days"]) if remind_days is None else remind_days
    months = month_range(start, end)
    as_of = as_of or today()
    # A monthly report is numbers: only a task with targets makes one owed. Tasks without targets are
    # tracked by their milestones, reported when their state changes (milestone_state.py).
    owing = session.execute(select(TaskUnit.unit_id, Unit.name, Task.plan_id).join(Task, Task.id == TaskUnit.task_id)
                            .join(Unit, Unit.id == TaskUnit.unit_id).where(TaskUnit.role.in_(roles))
                            .where(exists().where(TaskTarget.task_id == Task.id))).all()
    periods = {p: (a, b) for p, a, b in session.execute(
        select(PlanVersion.plan_id, PlanVersion.period_start, PlanVersion.period_end)
        .where(PlanVersion.id.in_(latest_version_ids())))}
    owed: dict[tuple[int, str], set[str]] = defaultdict(set)
    for unit_id, name, plan_id in owing:
        a, b = periods.get(plan_id, (None, None))
        owed[(unit_id, name)] |= {m for m in months if (a or 0) <= int(m[:4]) <= (b or 9999)}
    first: dict[tuple[int, str], tuple[date, bool]] = {}
    for unit_id, period, at, approved in session.execute(
            select(Submission.unit_id, Submission.period, Submission.submitted_at, Submission.approved)
            .where(Submission.period >= months[0], Submission.period <= months[-1])):
        day = received_on(at)
        if day <= as_of and ((unit_id, period) not in first or day < first[(unit_id, period)][0]):
            first[(unit_id, period)] = (day, bool(approved))
    by_unit = {(unit_id, name): [_judge(unit_id, name, p, first.get((unit_id, p)), as_of, settings) for p in sorted(ps)]
               for (unit_id, name), ps in sorted(owed.items(), key=lambda kv: (kv[0][1], kv[0][0])) if ps}
    rules = getattr(settings, "rules", None)
    lights = unit_lights(session, roles, as_of, catalog, rules) if catalog is not None else {}
    units = [summarise(unit_id, name, rs, lights.get(unit_id)) for (unit_id, name), rs in by_unit.items()]
    reports = [r for rs in by_unit.values() for r in rs]
    return OfficeTimeliness(months[0], months[-1], as_of, reports, units, reminders(reports, remind_days))


def _judge(unit_id: int, name: str, period: str, sent: tuple[date, bool] | None, as_of: date, settings) -> Report:
    due = due_date(period, settings)
    if sent:
        day, approved = sent
        late = (day - due).days
        return Report(unit_id, name, period, due, "late" if late > 0 else "on_time", day, max(late, 0), approved)
    if as_of > due:
        return Report(unit_id, name, period, due, "missing", days=(as_of - due).days)
    return Report(unit_id, name, period, due, "pending", days=(due - as_of).days)


