"""The office's side of timeliness: each unit's summary (its reports and the lights of the targets
it leads) and the reminders (催办) for reports overdue or due within a few days. Reports are
`luoshi.track.office_timeliness.Report`s (read by their fields only)."""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from luoshi.store.dispatch_models import TaskTarget, TaskUnit

if TYPE_CHECKING:
    from luoshi.track.office_timeliness import Report

LIGHTS = ("green", "yellow", "red", "none")


@dataclass
class UnitTimeliness:
    unit_id: int
    unit: str
    due: int = 0  # on time + late + missing
    on_time: int = 0
    late: int = 0
    missing: int = 0
    pending: int = 0
    rate: float | None = None  # on-time rate, percent
    max_late_days: int | None = None
    lights: dict[str, int] = field(default_factory=dict)  # green / yellow / red / none → targets


@dataclass(frozen=True)
class Reminder:
    unit_id: int
    unit: str
    kind: str  # overdue (超期未报) | due_soon (即将到期)
    periods: tuple[str, ...]
    due: date  # the earliest due date among them
    days: int  # overdue: the most days overdue; due_soon: the fewest days left
    text: str


def summarise(unit_id: int, name: str, reports: list[Report], lights: Counter | None) -> UnitTimeliness:
    u = UnitTimeliness(unit_id, name)
    for r in reports:
        setattr(u, r.state, getattr(u, r.state) + 1)
    u.due = u.on_time + u.late + u.missing
    u.rate = u.on_time / u.due * 100 if u.due else None
    u.max_late_days = max((r.days for r in reports if r.state == "late"), default=None)
    u.lights = {k: (lights or {}).get(k, 0) for k in LIGHTS}
    return u


def reminders(reports: list[Report], remind_days: int = 3) -> list[Reminder]:
    """催办: per unit, its missing months, and its months due within `remind_days` days."""
    groups: dict[tuple, list[Report]] = defaultdict(list)
    for r in reports:
        if r.state == "missing" or (r.state == "pending" and r.days <= remind_days):
            groups[(r.state != "missing", r.unit, r.unit_id)].append(r)
    out = []
    for (pending, unit, unit_id), rs in sorted(groups.items()):
        months = "、".join(f"{r.period[:4]}年{int(r.period[5:])}月" for r in rs)
        if pending:
            days = min(r.days for r in rs)
            left = "（今天）" if days == 0 else f"（还有{days}天）"
            text = f"{unit}：{months}的月报将于{rs[0].due:%Y-%m-%d}到期{left}"
        else:
            days = max(r.days for r in rs)
            text = f"{unit}：{months}的月报超期未报，最长已超期{days}天"
        out.append(Reminder(unit_id, unit, "due_soon" if pending else "overdue", tuple(r.period for r in rs),
                            min(r.due for r in rs), days, text))
    return out


def unit_lights(session: Session, roles, as_of: date, catalog, rules) -> dict[int, Counter]:
    """unit id → how many of the targets of the tasks it leads show each light at `as_of`."""
    from luoshi.track.progress import progress

    judged = {p.target_id: p.light.value if p.light else "none"
              for p in progress(session, as_of=as_of, catalog=catalog, **({"rules": rules} if rules else {}))}
    led: dict[int, set[int]] = defaultdict(set)
    for unit_id, target_id in session.execute(
            select(TaskUnit.unit_id, TaskTarget.target_id).join(TaskTarget, TaskTarget.task_id == TaskUnit.task_id)
            .where(TaskUnit.role.in_(roles))):
        if target_id in judged:
            led[unit_id].add(target_id)
    return {u: Counter(judged[t] for t in ts) for u, ts in led.items()}
