"""The report tests' dispatch world (report_data.py: three units, two tasks, three targets) with
what the key-project tests need beside it: the task ids, the lead unit placed in 济南市 (370100,
so a bare 市中区 means its 市中区), and helpers to open a session and count what is stored."""
from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from luoshi.store.dispatch_models import Task, Unit
from luoshi.store.work_models import Project, ProjectLink, ProjectVersion
from luoshi.track.timeliness import CHINA
from tests.track.report_data import LEAD, OTHER_UNIT, SUPPORT, World, build

__all__ = ["LEAD", "OTHER_UNIT", "SUPPORT", "ProjectWorld", "at", "build_projects", "counts"]


@dataclass
class ProjectWorld:
    base: World
    task1: int  # 加快5G网络深度覆盖, led by 市工业和信息化局
    task2: int  # 提升算力供给, led by 市发展和改革委员会

    @property
    def url(self) -> str:
        return self.base.url

    @contextmanager
    def session(self):
        store = self.base.store()
        try:
            with store.session() as s:
                yield s
        finally:
            store.close()


def build_projects(url: str, year: int = 2024) -> ProjectWorld:
    world = build(url, year)
    store = world.store()
    try:
        with store.session() as s:
            s.get(Unit, world.lead).region_code = "370100"
            tasks = dict(s.execute(select(Task.section, Task.id)).all())
            s.commit()
    finally:
        store.close()
    return ProjectWorld(world, tasks["二/(一)/1"], tasks["二/(二)/1"])


def at(text: str) -> datetime:
    """A time in China, as an office gives it: '2024-06-15 23:30'."""
    return datetime.fromisoformat(text).replace(tzinfo=CHINA)


def counts(url: str) -> tuple[int, int, int]:
    """(projects, project versions, project links) stored."""
    from luoshi.store import Store

    store = Store(url)
    try:
        with store.session() as s:
            return tuple(s.scalar(select(func.count()).select_from(m)) for m in (Project, ProjectVersion, ProjectLink))
    finally:
        store.close()
