"""`build_demo`: a complete, deterministic demo written into an empty store — luoshi's sample plan
(澜州市, invented) and eight invented county plans of 聊城市 through the real pipeline, tasks and
units, the office's and the units' accounts, and a reporting history up to the month before
`today` (monthly reports, milestones, key projects). The same seed and `today` give the same
world, on SQLite and PostgreSQL alike."""
from __future__ import annotations

import random
import time
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from luoshi.demo.accounts import PASSWORD, DemoAccount, add_accounts
from luoshi.demo.county_plans import COUNTIES
from luoshi.demo.extras import add_milestones, add_projects
from luoshi.demo.history import write_history
from luoshi.demo.plans import store_plans
from luoshi.errors import LuoshiError
from luoshi.store import Store
from luoshi.store.account_models import Account
from luoshi.store.bulletin_models import BulletinRow
from luoshi.store.dispatch_models import ReportLine, Submission, Task, Unit
from luoshi.store.models import Plan, TargetRow
from luoshi.store.work_models import MilestoneUpdate, Project, ProjectVersion
from luoshi.track.catalog import load_catalog

SEED = 2024


class StoreNotEmpty(LuoshiError):
    code = "store_not_empty"


@dataclass
class DemoWorld:
    url: str
    today: date
    password: str
    plans: dict[str, int]  # file name → plan id
    county_plans: dict[str, int]  # region code → plan id
    accounts: list[DemoAccount]
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


def build_demo(url: str, *, today: date, seed: int = SEED) -> DemoWorld:
    """Write the demo into the empty store at `url` (its schema made by the migrations)."""
    t0 = time.perf_counter()
    rnd = random.Random(seed)
    store = Store(url)
    try:
        with store.session() as s:
            if s.scalar(select(func.count()).select_from(Plan)):
                raise StoreNotEmpty("演示数据只能写入空数据库（请换一个新的数据库文件）")
            plans = store_plans(s, seed)
            s.commit()
            history = write_history(s, today=today, catalog=load_catalog(None), rnd=rnd)
            accounts = add_accounts(s, [(r.unit_id, r.name) for r in history.reporters])
            add_milestones(s, today=today, rnd=rnd)
            add_projects(s, today=today, rnd=rnd)
            s.commit()
            add_bulletin(s, today)
            codes = dict(s.execute(select(Plan.region_code, Plan.id).where(Plan.region_code.in_([c.code for c in COUNTIES]))).all())
            world = DemoWorld(url, today, PASSWORD, plans, codes, accounts, counts(s))
    finally:
        store.close()
    world.seconds = time.perf_counter() - t0
    return world


def add_bulletin(session: Session, today: date) -> None:
    """The office's bulletin of 聊城市 for the last whole quarter before `today`, published (no PDF:
    the demo needs no LibreOffice, and builds in seconds)."""
    from luoshi.auth.audit import audited
    from luoshi.publish.bulletin.archive import generate, publish
    from luoshi.track.bulletin_data import Quarter

    month = today.year * 12 + today.month - 2  # the month before today, counted from 0
    q = Quarter(month // 12, (month % 12) // 3 + 1)
    if month % 12 % 3 != 2:  # that month does not end its quarter: the quarter before is the last whole one
        q = q.previous()
    with audited(session, "bulletin_published", username="demo", object=f"bulletin:聊城市:{q.key}"):
        row = generate(session, "聊城市", q.key, catalog=load_catalog(None), by="demo", on=today, pdf=False)
        publish(session, row.id, by="demo")


def counts(session: Session) -> dict[str, int]:
    """How many of each thing the store holds."""
    def n(model) -> int:
        return session.scalar(select(func.count()).select_from(model)) or 0

    return {"plans": n(Plan), "targets": n(TargetRow), "tasks": n(Task), "units": n(Unit), "accounts": n(Account),
            "submissions": n(Submission), "report_lines": n(ReportLine), "milestone_updates": n(MilestoneUpdate),
            "projects": n(Project), "project_versions": n(ProjectVersion), "bulletins": n(BulletinRow)}
