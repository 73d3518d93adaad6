"""Milestones (里程碑) of tasks that no number measures: the office sets them, units report their state.

`add_milestone` sets one (title, 完成时限, position); `default_milestones` gives every current task
with no quantitative target and no milestone one milestone, 完成任务, due on the task's 完成时限 or,
lacking one, the last day of its plan version's 实施期. `report_milestone` is the one way a unit's
report comes in (web, API, CLI, Excel): checked whole, every problem in one `MilestoneInvalid`; a
clean report is appended as version n + 1, never written over. Two reports racing for one version
meet the UNIQUE (milestone_id, version): one is stored, the other gets `MilestoneConflict`.
States, lights and the task roll-up are in milestone_state.py; evidence files in evidence.py."""
from __future__ import annotations

from dataclasses import asdict, dataclass
from hashlib import sha256
from urllib.parse import urlsplit

from sqlalchemy import exists, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from luoshi.errors import LuoshiError
from luoshi.store.dispatch_models import Task, TaskTarget, TaskUnit
from luoshi.store.models import AssignmentRow, PlanVersion
from luoshi.store.search import latest_version_ids
from luoshi.store.work_models import MILESTONE_STATES, Evidence, Milestone, MilestoneUpdate
from luoshi.track.evidence import EVIDENCE, EvidenceRejected, EvidenceSettings, kind_of, store_evidence
from luoshi.track.milestone_state import DONE, LATE, parse_day, refresh_task_status
from luoshi.track.reports import SOURCES, resolve_unit
from luoshi.track.timeliness import PeriodError, parse_period, today as china_today

DEFAULT_TITLE = "完成任务"
LABELS = {"title": "里程碑名称", "due": "完成时限", "position": "顺序", "state": "状态",
          "unit": "报送单位", "as_of": "日期", "period": "报告月份", "note": "说明", "evidence": "证明材料",
          "evidence_url": "证明链接", "reported_by": "报送人", "created_by": "设置人"}


@dataclass(frozen=True)
class MilestoneProblem:
    field: str  # a key of LABELS
    message: str  # Chinese

    def __str__(self) -> str:
        return f"{LABELS.get(self.field, self.field)}：{self.message}"

    def to_dict(self) -> dict:
        return asdict(self)


class MilestoneInvalid(LuoshiError):
    """A milestone or a report of one with problems; nothing was stored."""

    code = "milestone_invalid"
    http_status = 422

    def __init__(self, problems: list[MilestoneProblem]):
        self.problems = list(problems)
        super().__init__(f"未保存：共 {len(self.problems)} 处问题。" + "；".join(map(str, self.problems)))

    def to_dict(self) -> dict:
        return {"code": self.code, "message": self.message, "problems": [p.to_dict() for p in self.problems]}


class MilestoneConflict(LuoshiError):
    code = "milestone_conflict"
    http_status = 409


class MilestoneNotFound(LuoshiError):
    code = "milestone_not_found"
    http_status = 404


class TaskNotFound(LuoshiError):
    code = "task_not_found"
    http_status = 404


def _text(value, limit: int, field: str, problems: list) -> str | None:
    text = str(value or "").strip() or None
    if text and len(text) > limit:
        problems.append(MilestoneProblem(field, f"过长（最多 {limit} 字）"))
    return text


def add_milestone(session: Session, task_id: int, *, title: str, due=None, position: int | None = None,
                  created_by: str | None = None, today=None, commit: bool = True) -> Milestone:
    """Set a milestone of a task (due: an ISO date or None; position: default after the last);
    the task's cached status is judged on `today` (default today in China)."""
    if session.get(Task, task_id) is None:
        raise TaskNotFound(f"未找到任务 {task_id}", hint="可用 luoshi tasks 查看任务编号")
    problems: list[MilestoneProblem] = []
    title = _text(title, 300, "title", problems)
    if not title:
        problems.append(MilestoneProblem("title", "不能为空"))
    day = parse_day(due) if due not in (None, "") else None
    if due not in (None, "") and day is None:
        problems.append(MilestoneProblem("due", f"“{due}”不是有效日期，应为 YYYY-MM-DD，如 2024-06-30"))
    by = _text(created_by, 100, "created_by", problems)
    if problems:
        raise MilestoneInvalid(problems)
    if position is None:
        top = session.scalar(select(func.max(Milestone.position)).where(Milestone.task_id == task_id))
        position = 0 if top is None else top + 1
    m = Milestone(task_id=task_id, title=title, due=day.isoformat() if day else None, position=position,
                  created_by=by)
    session.add(m)
    session.flush()
    refresh_task_status(session, [task_id], today)
    if commit:
        session.commit()
    return m


def default_milestones(session: Session, *, created_by: str | None = None) -> list[Milestone]:
    """One milestone 完成任务 for each task of a plan's newest version that has no target and no
    milestone (idempotent: a task given one has one); the caller commits. Returns those made."""
    q = (select(Task, PlanVersion.period_end).join(AssignmentRow, AssignmentRow.id == Task.assignment_id)
         .join(PlanVersion, PlanVersion.id == AssignmentRow.version_id)
         .where(AssignmentRow.version_id.in_(latest_version_ids()),
                ~exists().where(TaskTarget.task_id == Task.id), ~exists().where(Milestone.task_id == Task.id))
         .order_by(Task.plan_id, Task.assignment_id))
    made = []
    for task, end in session.execute(q).all():
        due = task.due or (f"{end:04d}-12-31" if end else None)
        made.append(Milestone(task_id=task.id, title=DEFAULT_TITLE, due=due, position=0, created_by=created_by))
    session.add_all(made)
    session.flush()
    if made:
        refresh_task_status(session, [m.task_id for m in made])
    return made


def _check_url(url: str, problems: list) -> None:
    parts = urlsplit(url)
    if len(url) > 1000:
        problems.append(MilestoneProblem("evidence_url", f"过长（{len(url)} 个字符，最多 1000）"))
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or any(c.isspace() for c in url):
        problems.append(MilestoneProblem("evidence_url", f"“{url[:80]}”不是有效的 http(s) 链接"))


def report_milestone(session: Session, milestone_id: int, *, unit, state: str, as_of, period=None, note=None,
                     evidence_url=None, evidence: tuple[str, bytes] | None = None, source: str,
                     reported_by: str | None = None, today=None, settings: EvidenceSettings = EVIDENCE,
                     commit: bool = True) -> MilestoneUpdate:
    """Check and store a unit's report of a milestone's state (see the module). `as_of`: the day
    the state holds from (for 已完成, the day it was done); `evidence`: (file name, bytes);
    `today`: default today in China; `commit=False` leaves the commit to the caller."""
    if source not in SOURCES:
        raise ValueError(f"source must be one of {SOURCES}, not {source!r}")
    today = today or china_today()
    m = session.get(Milestone, milestone_id)
    if m is None:
        raise MilestoneNotFound(f"未找到里程碑 {milestone_id}")
    problems: list[MilestoneProblem] = []
    state = str(state or "").strip()
    if state not in MILESTONE_STATES:
        problems.append(MilestoneProblem("state", f"“{state}”无效，只能是{'、'.join(MILESTONE_STATES)}"))
    u = resolve_unit(session, unit)
    if u is None:
        problems.append(MilestoneProblem("unit", f"未找到单位“{unit or ''}”（按单位全称、简称或编号查找）"))
    elif session.scalar(select(TaskUnit.role).where(TaskUnit.task_id == m.task_id, TaskUnit.unit_id == u.id)) is None:
        problems.append(MilestoneProblem("unit", f"{u.name}不是该任务的牵头或配合单位，不能报送"))
    day = parse_day(as_of)
    if day is None:
        problems.append(MilestoneProblem("as_of", f"“{as_of or ''}”不是有效日期，应为 YYYY-MM-DD，如 2024-05-10"))
    elif day > today:
        problems.append(MilestoneProblem("as_of", f"{day.isoformat()}晚于今天（{today.isoformat()}），不能预报"))
    if period not in (None, ""):
        try:
            period = parse_period(period)
            if period > f"{today.year:04d}-{today.month:02d}":
                problems.append(MilestoneProblem("period", f"{period}尚未到来"))
        except PeriodError as e:
            problems.append(MilestoneProblem("period", e.message))
    note = _text(note, 2000, "note", problems)
    if state == LATE and not note:
        problems.append(MilestoneProblem("note", "报“滞后”须说明滞后原因"))
    url = (evidence_url or "").strip() or None
    if url:
        _check_url(url, problems)
    if evidence is not None:
        try:
            kind_of(evidence[1], settings)
        except EvidenceRejected as e:
            problems.append(MilestoneProblem("evidence", e.message))
    if state == DONE and not url and evidence is None:
        problems.append(MilestoneProblem("evidence", "报“已完成”须附证明材料（上传文件或填写链接）"))
    by = _text(reported_by, 100, "reported_by", problems)
    if problems:
        raise MilestoneInvalid(problems)
    mid, task_id, title = m.id, m.task_id, m.title  # a rollback expires them
    version = _next_version(session, mid)
    try:
        ev = store_evidence(session, evidence[0], evidence[1], uploaded_by=by, settings=settings) if evidence else None
        session.flush()
        up = MilestoneUpdate(milestone_id=mid, version=version, state=state, as_of=day.isoformat(),
                             period=period or None, note=note, evidence_url=url, evidence_id=ev.id if ev else None,
                             unit_id=u.id, source=source, reported_by=by)
        session.add(up)
        session.flush()
        refresh_task_status(session, [task_id], today)
        if commit:
            session.commit()
    except IntegrityError as e:
        session.rollback()
        if session.scalar(select(exists().where(MilestoneUpdate.milestone_id == mid,
                                                MilestoneUpdate.version == version))):
            raise MilestoneConflict(f"里程碑“{title}”的第{version}版刚被他人报送，请刷新后重试") from e
        if evidence and session.scalar(select(exists().where(Evidence.sha256 == sha256(evidence[1]).hexdigest()))):
            raise MilestoneConflict("同一证明材料刚被他人上传，请重试") from e
        raise
    return up


def _next_version(session: Session, milestone_id: int) -> int:
    top = session.scalar(select(func.max(MilestoneUpdate.version)).where(MilestoneUpdate.milestone_id == milestone_id))
    return (top or 0) + 1
