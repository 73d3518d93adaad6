"""What a milestone's state is at a date, its light, and a task's state from its milestones.

The state at a date D: of the updates whose `as_of` (the day the state holds from) is on or before
D, the newest version; later reports correct earlier ones, so a backdated correction counts from
its own date. Nothing reported yet: 未启动. Then, with `due` the milestone's 完成时限:

- 已完成: green (a completion after the due day says 逾期完成, still green: it is done);
- 滞后 as reported: red;
- D after the due day and not 已完成: 滞后 whatever the unit said (逾期), red;
- 未启动 and D within `warn_days` (30) days of the due day, the due day included: yellow;
- otherwise (推进中; 未启动 further off; no due day at all): green.

A task's state rolls up from its milestones' states: all 已完成 → 已完成; else any 滞后 → 滞后; else
any started (推进中 or 已完成) → 推进中; else 未启动. `Task.status` holds that roll-up as a cached
summary, written when a milestone is added or reported (as of that day); overdue milestones turn
late with time alone, so `refresh_task_status` (or `luoshi milestone defaults`) brings it up to
date, and listings (`milestone_rows`) always judge afresh."""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from luoshi.errors import LuoshiError
from luoshi.store.dispatch_models import Task
from luoshi.store.work_models import MILESTONE_STATES, Milestone, MilestoneUpdate
from luoshi.track.lights import Light

NOT_STARTED, IN_PROGRESS, DONE, LATE = MILESTONE_STATES


class DateInvalid(LuoshiError):
    code = "date_invalid"
    http_status = 422


@dataclass(frozen=True)
class MilestoneSettings:
    warn_days: int = 30  # 未启动 this close to the due day is yellow


MILESTONES = MilestoneSettings()


@dataclass(frozen=True)
class Judged:
    reported: str  # what the unit last said (未启动 when nothing yet)
    state: str  # what counts: 滞后 when overdue
    overdue: bool  # past the due day, not done
    light: Light
    status: str  # Chinese, for a person
    days_left: int | None  # days to the due day (negative: past it)


def parse_day(value) -> date | None:
    """A date from a date or an ISO string (2024-05-10); None when it is no valid date."""
    if isinstance(value, date):
        return value
    text = str(value or "").strip()
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def as_of_day(value) -> date:
    """A listing's date: a date, 2024-05-10, or 2024-05 (its last day); else DateInvalid."""
    m = re.fullmatch(r"(\d{4})-(\d{1,2})", str(value or "").strip())
    if m and 1 <= int(m.group(2)) <= 12:
        y, mo = int(m.group(1)), int(m.group(2))
        return date(y, mo, calendar.monthrange(y, mo)[1])
    if (day := parse_day(value)) is None:
        raise DateInvalid(f"日期“{value}”无效：应为 2024-05-10 这样的日期或 2024-05 这样的年月")
    return day


def current(updates, on: date):
    """The update in force on `on` (see the module), or None; `updates` need .version and .as_of."""
    day = on.isoformat()
    return max((u for u in updates if u.as_of <= day), key=lambda u: u.version, default=None)


def judge(due: str | None, update, on: date, settings: MilestoneSettings = MILESTONES) -> Judged:
    """A milestone with its due day and the update in force (or None), judged on `on`."""
    reported = update.state if update is not None else NOT_STARTED
    due_day = parse_day(due) if due else None
    left = (due_day - on).days if due_day else None
    past = left is not None and left < 0
    if reported == DONE:
        late = due_day is not None and update.as_of > due_day.isoformat()
        return Judged(reported, DONE, False, Light.GREEN, "已完成（逾期完成）" if late else "已完成", left)
    if reported == LATE:
        return Judged(reported, LATE, past, Light.RED, f"滞后，已逾期{-left}天" if past else "滞后", left)
    if past:
        return Judged(reported, LATE, True, Light.RED, f"逾期{-left}天未完成（单位报“{reported}”）", left)
    if reported == NOT_STARTED and left is not None and left <= settings.warn_days:
        text = "今日到期，尚未启动" if left == 0 else f"未启动，距完成时限{left}天"
        return Judged(reported, NOT_STARTED, False, Light.YELLOW, text, left)
    return Judged(reported, reported, False, Light.GREEN, reported, left)


def rollup(states) -> str | None:
    """A task's state from its milestones' states (see the module); None without milestones."""
    states = list(states)
    if not states:
        return None
    if all(s == DONE for s in states):
        return DONE
    if LATE in states:
        return LATE
    return IN_PROGRESS if any(s in (IN_PROGRESS, DONE) for s in states) else NOT_STARTED


def task_states(session: Session, task_ids, on: date, settings: MilestoneSettings = MILESTONES) -> dict[int, str]:
    """The roll-up state on `on` of each given task that has milestones (two queries)."""
    ms = session.execute(select(Milestone.id, Milestone.task_id, Milestone.due)
                         .where(Milestone.task_id.in_(task_ids))).all()
    if not ms:
        return {}
    ups: dict[int, list] = {}
    for u in session.execute(select(MilestoneUpdate.milestone_id, MilestoneUpdate.version, MilestoneUpdate.state,
                                    MilestoneUpdate.as_of)
                             .where(MilestoneUpdate.milestone_id.in_([m.id for m in ms]),
                                    MilestoneUpdate.as_of <= on.isoformat())):
        ups.setdefault(u.milestone_id, []).append(u)
    by_task: dict[int, list[str]] = {}
    for m in ms:
        by_task.setdefault(m.task_id, []).append(judge(m.due, current(ups.get(m.id, ()), on), on, settings).state)
    return {t: rollup(states) for t, states in by_task.items()}


def refresh_task_status(session: Session, task_ids=None, on: date | None = None,
                        settings: MilestoneSettings = MILESTONES) -> int:
    """Write each task's roll-up on `on` (default today in China) into Task.status, for the given
    tasks or all that have milestones; the caller commits. Returns how many changed."""
    from luoshi.track.timeliness import today

    on = on or today()
    ids = select(Milestone.task_id) if task_ids is None else list(task_ids)
    changed = 0
    for task_id, state in task_states(session, ids, on, settings).items():
        task = session.get(Task, task_id)
        if task is not None and task.status != state:
            task.status, changed = state, changed + 1
    session.flush()
    return changed
