"""The demo's reporting history: every unit leading tasks with targets reports each month from
the plans' first month (2024-01) to the month before `today`, through `reports.submit` as the web
app does, each report stored on the day it was received.

Each unit has a pace (most on schedule, some behind, two ahead) and a habit (most on time, two
often late); two units stopped reporting one and two months ago; one report is corrected by a
second version. Where the core asks for 滞后原因 and 下步措施 (a behind value: `ReportInvalid`
names the lines), they are added and the report sent again, as a unit would."""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from luoshi.demo.texts import delay_reason, narrative, next_steps
from luoshi.demo.values import Series, group, invented_start, month_value, rounded, value_at
from luoshi.store.dispatch_models import Task, TaskTarget, TaskUnit, Unit
from luoshi.store.models import TargetRow
from luoshi.track.office_settings import dispatch_settings
from luoshi.track.reports import ReportInvalid, submit
from luoshi.track.target_goals import goals_of_targets
from luoshi.track.timeliness import due_date, lock_date

FIRST = "2024-01"
PACES = {"ahead": (1.22, 1.3), "on": (1.02, 1.08), "yellow": (0.8, 0.86), "red": (0.55, 0.65)}


@dataclass
class Reporter:
    unit_id: int
    name: str
    pace: float
    kind: str  # ahead | on | yellow | red
    late_share: float  # the share of months it reports after the due day
    stop_months: int  # the last months it has not reported
    series: list[Series] = field(default_factory=list)


@dataclass
class History:
    reporters: list[Reporter]
    submissions: int = 0
    late: int = 0
    with_reasons: int = 0
    corrected: list[tuple[int, str]] = field(default_factory=list)  # (unit id, period)


def months(first: str, today: date) -> list[str]:
    """From `first` to the month before `today`."""
    y, m = int(first[:4]), int(first[5:])
    out = []
    while (y, m) < (today.year, today.month):
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def reporters(session: Session, catalog, rnd: random.Random) -> list[Reporter]:
    """Every unit leading a task with targets, with its pace, habit and the series it reports."""
    rows = session.execute(select(Unit.id, Unit.name, TaskTarget.target_id)
                           .join(TaskUnit, TaskUnit.unit_id == Unit.id).join(Task, Task.id == TaskUnit.task_id)
                           .join(TaskTarget, TaskTarget.task_id == Task.id).where(TaskUnit.role == "lead")
                           .order_by(Unit.id, TaskTarget.target_id)).all()
    owned: dict[tuple[int, str], list[int]] = {}
    for uid, name, tid in rows:
        owned.setdefault((uid, name), []).append(tid)
    ids = {t for ts in owned.values() for t in ts}
    goals = goals_of_targets(session, ids, catalog).goals
    targets = {r.id: r for r in session.scalars(select(TargetRow).where(TargetRow.id.in_(ids)))}
    kinds = ["ahead"] * 2 + ["red"] * 3 + ["yellow"] * 6
    kinds += ["on"] * max(0, len(owned) - len(kinds))
    rnd.shuffle(kinds)
    out = []
    for k, ((uid, name), tids) in enumerate(owned.items()):
        kind = kinds[k]
        r = Reporter(uid, name, rnd.uniform(*PACES[kind]), kind, 0.04, 0)
        for ids_, goal, unit in group([targets[t] for t in dict.fromkeys(tids)], goals):
            r.series.append(Series(ids_, goal, unit, invented_start(goal, unit, rnd), {}))
        out.append(r)
    for r in rnd.sample(out, 2):
        r.late_share = 0.35
    stopped = rnd.sample([r for r in out if r.kind in ("yellow", "red")], 2)
    stopped[0].stop_months, stopped[1].stop_months = 1, 2
    return out


def received(period: str, late: bool, rnd: random.Random, settings) -> date:
    due = due_date(period, settings)
    if late:
        return due + timedelta(days=rnd.randint(1, (lock_date(period, settings) - due).days))
    return due - timedelta(days=min(rnd.choice((0, 0, 1, 1, 2, 3, 4, 5, 6, 8)), due.day - 1))


def write_history(session: Session, *, today: date, catalog, rnd: random.Random) -> History:
    """Store the reports (committed month by month)."""
    settings = dispatch_settings(session)
    h = History(reporters(session, catalog, rnd))
    periods = months(FIRST, today)
    fix = (rnd.choice([r for r in h.reporters if r.kind == "on"]), periods[len(periods) // 2])
    for i, period in enumerate(periods):
        for r in h.reporters:
            if i >= len(periods) - r.stop_months:
                continue
            late = rnd.random() < r.late_share
            day = received(period, late, rnd, settings)
            if day > today:
                continue  # not sent yet: still within its time
            values = {id(s): value_at(s, period, r.pace, rnd) for s in r.series}
            if (r, period) == fix:  # first sent with a slip, corrected four days later
                slipped = {id(s): rounded(values[id(s)] * 1.08, s.unit) if values[id(s)] >= 10 else values[id(s)]
                           for s in r.series}
                _send(session, h, r, period, slipped, day, rnd, settings, record=False)
                day = min(day + timedelta(days=4), lock_date(period, settings), today)
                _send(session, h, r, period, values, day, rnd, settings,
                      reason=f"{period[:4]}年{int(period[5:])}月部分数据统计口径有误（误含在建未开通数），经核实予以更正")
                h.corrected.append((r.unit_id, period))
            else:
                _send(session, h, r, period, values, day, rnd, settings)
            h.late += late
        session.commit()
    return h


def _send(session, h: History, r: Reporter, period: str, values: dict, day: date, rnd, settings, *,
          reason: str | None = None, record: bool = True) -> None:
    lines = []
    for s in r.series:
        v = values[id(s)]
        mv = month_value(s, period, v)
        for tid in s.target_ids:
            line = {"target_id": tid, "cumulative": v, "narrative": narrative(s, period, v, mv, rnd)}
            if mv is not None:
                line["month_value"] = mv
            if s.behind and r.kind in ("yellow", "red"):  # saves sending it twice
                line["delay_reason"], line["next_steps"] = delay_reason(rnd), next_steps(rnd)
            lines.append(line)
    try:
        submit(session, unit=r.unit_id, period=period, lines=lines, source="web", submitted_by=f"{r.name}填报员",
               correction_reason=reason, as_of=day, settings=settings, commit=False)
    except ReportInvalid as e:
        behind = {p.line for p in e.problems if p.field in ("delay_reason", "next_steps")}
        if not behind or len(behind) < len({p.line for p in e.problems}):
            raise
        for i in behind:
            lines[i]["delay_reason"], lines[i]["next_steps"] = delay_reason(rnd), next_steps(rnd)
        for s in r.series:
            s.behind = s.behind or any(lines[i]["target_id"] in s.target_ids for i in behind)
        submit(session, unit=r.unit_id, period=period, lines=lines, source="web", submitted_by=f"{r.name}填报员",
               correction_reason=reason, as_of=day, settings=settings, commit=False)
        h.with_reasons += 1
    h.submissions += 1
    if record:
        for s in r.series:
            s.values[period] = values[id(s)]
