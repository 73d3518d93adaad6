"""The key-project library (重点项目库): projects added, changed, retired and restored over time.

Nothing is updated in place: `add`, `change`, `retire` and `restore` each append a ProjectVersion,
a whole snapshot with who, when, why and from where. A project is its newest version; `as_of` and
`version_on` (project_history) read the library as it stood at the end of a day in China. A
change that changes nothing appends nothing. An add or change is checked whole (project_rules,
project_places) and every problem comes back in one `ProjectInvalid`. Two changes racing for one version meet the UNIQUE
(project_id, version): one is stored, the other gets `ProjectConflict`; two adds taking one assigned
code meet UNIQUE(code) the same way.

`fields` (a dict, as a form sends it; see project_rules.FIELDS): name, unit (责任单位: name, alias
or id), county (所在区县), planned_investment and completed_investment (万元), planned_start,
planned_end, actual_start (YYYY-MM-DD or YYYY-MM), in_statistics (入统). An empty value clears one."""
from __future__ import annotations

import re
from datetime import date, datetime, timezone

from sqlalchemy import exists, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from luoshi.errors import LuoshiError
from luoshi.store.work_models import Project, ProjectVersion
from luoshi.track.project_history import (ProjectNotFound, as_of, current, differences, find_project, history, newest,
                                          state_of, version_on)
from luoshi.track.project_places import prepare
from luoshi.track.project_rules import BY_MAX, CODE_MAX, Problem, ProjectInvalid, in_order, text
from luoshi.track.timeliness import china_time, today

__all__ = ["CHANGES", "SOURCES", "ProjectConflict", "ProjectInvalid", "ProjectNotFound", "add", "as_of", "change",
           "current", "differences", "find_project", "history", "newest", "next_code", "restore", "retire",
           "state_of", "version_on"]
SOURCES = ("web", "api", "cli", "excel")
CHANGES = {"add": "新增", "change": "变更", "retire": "退库", "restore": "恢复"}
_CODE = re.compile(r"XM-(\d+)")


class ProjectConflict(LuoshiError):
    code = "project_conflict"
    http_status = 409


def add(session: Session, fields: dict, *, code: str | None = None, source: str, changed_by: str | None = None,
        reason: str | None = None, at: datetime | None = None, commit: bool = True) -> ProjectVersion:
    """Add a project (version 1); `code` as given, else the next XM-0001. `at`: when (default now;
    a naive time is UTC); stored in UTC, since SQLite keeps a time's digits and drops its zone;
    `commit=False` leaves the commit to the caller (a conflict still rolls the session back)."""
    by, problems = _who(source, changed_by)
    code = text(code)
    if code and len(code) > CODE_MAX:
        problems.append(Problem("code", f"过长（最多 {CODE_MAX} 字）"))
    elif code and session.scalar(select(exists().where(Project.code == code))):
        problems.append(Problem("code", f"“{code}”已存在（变更请用该编号修改，不要新增）"))
    state, more = prepare(session, fields, None, today=_today(at))
    if problems + more:
        raise ProjectInvalid(in_order(problems + more))
    project = Project(code=code or next_code(session))
    return _append(session, project, state, "add", 1, text(reason), source, by, at, commit)


def change(session: Session, code: str, fields: dict, *, source: str, changed_by: str | None = None,
           reason: str | None = None, at: datetime | None = None, commit: bool = True) -> ProjectVersion | None:
    """Change the given fields of a live project: a new version, or None when nothing changes."""
    by, problems = _who(source, changed_by)
    project, cur = _current(session, code)
    if cur.retired:
        problems.append(Problem("code", f"{project.code}已退库，须先恢复才能变更"))
    if not fields:
        problems.append(Problem("fields", "没有要变更的字段"))
    version = _next_version(session, project.id)
    state, more = prepare(session, fields or {}, state_of(cur), today=_today(at))
    problems += more + _not_before(cur, at)
    if problems:
        raise ProjectInvalid(in_order(problems))
    if not differences(state_of(cur), state):
        return None
    return _append(session, project, state, "change", version, text(reason), source, by, at, commit)


def retire(session: Session, code: str, *, reason: str, source: str, changed_by: str | None = None,
           at: datetime | None = None, commit: bool = True) -> ProjectVersion:
    """Take a project out of the library (退库), with its reason; its history stays."""
    return _flip(session, code, True, reason, source, changed_by, at, commit)


def restore(session: Session, code: str, *, reason: str, source: str, changed_by: str | None = None,
            at: datetime | None = None, commit: bool = True) -> ProjectVersion:
    """Bring a retired project back as it was when retired, with the reason."""
    return _flip(session, code, False, reason, source, changed_by, at, commit)


def _flip(session, code, retired, reason, source, changed_by, at, commit) -> ProjectVersion:
    by, problems = _who(source, changed_by)
    project, cur = _current(session, code)
    word = "退库" if retired else "恢复"
    if cur.retired == retired:
        problems.append(Problem("code", f"{project.code}{'已退库' if retired else '未退库，无需恢复'}"))
    if not text(reason):
        problems.append(Problem("reason", f"{word}须填写原因"))
    version = _next_version(session, project.id)
    problems += _not_before(cur, at)
    if problems:
        raise ProjectInvalid(problems, what=f"项目未{word}")
    return _append(session, project, state_of(cur), "retire" if retired else "restore", version, text(reason),
                   source, by, at, commit, retired=retired)


def _append(session, project, state, kind, version, reason, source, by, at, commit, retired=False) -> ProjectVersion:
    row = ProjectVersion(version=version, change=kind, retired=retired, reason=reason, source=source, changed_by=by,
                         **state, **({"changed_at": china_time(at).astimezone(timezone.utc)} if at else {}))
    pid, code = project.id, project.code  # a rollback expires them
    try:
        if pid is None:
            session.add(project)
            session.flush()
        row.project_id = project.id
        session.add(row)
        session.flush()
        if commit:
            session.commit()
    except IntegrityError as e:
        session.rollback()
        if pid is None and session.scalar(select(exists().where(Project.code == code))):
            raise ProjectConflict(f"项目编号{code}刚被他人使用，请重试") from e
        if pid is not None and session.scalar(select(exists().where(
                ProjectVersion.project_id == pid, ProjectVersion.version == version))):
            raise ProjectConflict(f"项目{code}刚被他人修改（第{version}版已存在），请刷新后重试") from e
        raise
    return row


def _who(source: str, changed_by: str | None) -> tuple[str | None, list[Problem]]:
    if source not in SOURCES:
        raise ValueError(f"source must be one of {SOURCES}, not {source!r}")
    by = text(changed_by)
    return by, [Problem("changed_by", f"过长（最多 {BY_MAX} 字）")] if by and len(by) > BY_MAX else []


def _not_before(cur: ProjectVersion, at: datetime | None) -> list[Problem]:
    """A version may not predate the one before it, or `as_of` would read the history out of order."""
    if at is None or china_time(at) >= china_time(cur.changed_at):
        return []
    return [Problem("at", f"早于第{cur.version}版（{china_time(cur.changed_at):%Y-%m-%d %H:%M}）")]


def _today(at: datetime | None) -> date:
    return china_time(at).date() if at else today()


def _next_version(session: Session, project_id: int) -> int:
    top = session.scalar(select(func.max(ProjectVersion.version)).where(ProjectVersion.project_id == project_id))
    return (top or 0) + 1


def next_code(session: Session) -> str:
    """The code after the highest XM-nnnn in use."""
    numbers = [int(m.group(1)) for c in session.scalars(select(Project.code).where(Project.code.like("XM-%")))
               if (m := _CODE.fullmatch(c))]
    return f"XM-{max(numbers, default=0) + 1:04d}"


def _current(session: Session, code) -> tuple[Project, ProjectVersion]:
    project = find_project(session, code)
    return project, history(session, project)[-1]
