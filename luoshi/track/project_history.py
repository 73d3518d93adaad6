"""Reading the key-project library's history: a project by its code, every version of it, and the
library as it stood at the end of a day in China (`as_of`, `version_on`). Stored times are UTC;
a day ends at 24:00 in Beijing."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from luoshi.errors import LuoshiError
from luoshi.store.models import as_id
from luoshi.store.work_models import Project, ProjectVersion
from luoshi.track.project_rules import MONEY, STATE, text
from luoshi.track.timeliness import CHINA


class ProjectNotFound(LuoshiError):
    code = "project_not_found"
    http_status = 404


def find_project(session: Session, code: str | int) -> Project:
    """A project by its code (or its id), or ProjectNotFound."""
    key = text(code) or ""
    found = session.scalar(select(Project).where(Project.code == key))
    if found is None and as_id(key) is not None:
        found = session.get(Project, as_id(key))
    if found is None:
        raise ProjectNotFound(f"未找到项目“{code}”（按项目编号查找；可用 luoshi projects 查看）")
    return found


def history(session: Session, code_or_project) -> list[ProjectVersion]:
    """Every version of a project, oldest first."""
    project = code_or_project if isinstance(code_or_project, Project) else find_project(session, code_or_project)
    return list(session.scalars(select(ProjectVersion).where(ProjectVersion.project_id == project.id)
                                .order_by(ProjectVersion.version)))


def current(session: Session, code) -> ProjectVersion:
    """A project's newest version (retired or not)."""
    return history(session, code)[-1]


def cutoff(day: date) -> datetime:
    """The end of a day in China, in UTC (stored times are UTC)."""
    return datetime.combine(day + timedelta(days=1), time(), CHINA).astimezone(timezone.utc)


def newest(session: Session, *, day: date | None = None, project_ids=None) -> list[ProjectVersion]:
    """Each project's newest version (changed by the end of `day`), by project; retired ones too."""
    q = select(ProjectVersion.project_id, func.max(ProjectVersion.version).label("top")).group_by(
        ProjectVersion.project_id)
    if day is not None:
        q = q.where(ProjectVersion.changed_at < cutoff(day))
    if project_ids is not None:
        q = q.where(ProjectVersion.project_id.in_(project_ids))
    top = q.subquery()
    return list(session.scalars(select(ProjectVersion).join(top, and_(ProjectVersion.project_id == top.c.project_id,
                                                                      ProjectVersion.version == top.c.top))
                                .order_by(ProjectVersion.project_id)))


def as_of(session: Session, day: date) -> list[ProjectVersion]:
    """The library at the end of `day`: each project added by then, as its newest version then."""
    return newest(session, day=day)


def version_on(session: Session, code, day: date) -> ProjectVersion | None:
    """A project as it stood at the end of `day` (None: not yet added)."""
    found = newest(session, day=day, project_ids=[find_project(session, code).id])
    return found[0] if found else None


def state_of(v: ProjectVersion) -> dict:
    return {k: getattr(v, k) for k in STATE}


def differences(before: dict | None, after: dict) -> list[str]:
    """The STATE keys whose values differ (amounts compared as numbers)."""
    before = before or {}

    def same(k):
        x, y = before.get(k), after.get(k)
        if k in MONEY and x is not None and y is not None:
            return Decimal(x) == Decimal(y)
        return x == y

    return [k for k in STATE if not same(k)]
