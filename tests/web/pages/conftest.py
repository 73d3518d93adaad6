"""The pages over luoshi's own sample plan (澜州市), stored through the real pipeline (extract,
save, tasks from its clauses), with one account of each role and a browser-like client per role:
the session cookie and the CSRF cookie set as signing in sets them. `Site.month(...)` reports.

市工业和信息化局 (`site.lead`) leads several tasks with targets; its reporter is `reporter`;
`other_reporter` reports for 市发展和改革委员会 (`site.other`)."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from luoshi.auth.csrf import csrf_token
from luoshi.extract import extract
from luoshi.read import read_bytes
from luoshi.sample import sample_text
from luoshi.store import Store
from luoshi.store.dispatch_models import Task, TaskTarget, TaskUnit, Unit
from luoshi.store.plans import save_plan
from luoshi.track import reports
from luoshi.track.catalog import linker, load_catalog
from luoshi.track.tasks import build_tasks
from luoshi.web.app import create_app
from tests.store.conftest import db_url, pg_admin_engine  # noqa: F401 - both backends
from tests.web.conftest import ROLES, unit_accounts, web_settings  # noqa: F401 - ROLES for the tests

LEAD, OTHER = "市工业和信息化局", "市发展和改革委员会"


@dataclass
class Site:
    app: object
    url: str
    plan_id: int
    lead: int
    other: int
    tokens: dict[str, str]
    clients: dict[str, TestClient] = field(default_factory=dict)

    def browser(self, who: str | None) -> TestClient:
        """A client signed in as `who` by cookie (None: the public), as a browser after /login."""
        if who not in self.clients:
            c = TestClient(self.app, base_url="http://testserver")
            if who:
                c.cookies.set("luoshi_session", self.tokens[who])
                c.cookies.set("luoshi_csrf", csrf_token(self.app.state.settings.secret, self.tokens[who]))
            self.clients[who] = c
        return self.clients[who]

    def csrf(self, who: str) -> dict:
        """The header htmx adds to a state-changing request (static/app.js)."""
        return {"X-CSRF-Token": self.browser(who).cookies.get("luoshi_csrf")}

    def lead_targets(self) -> list[int]:
        """The target ids of the tasks 市工业和信息化局 leads, in plan order."""
        with Store(self.url).session() as s:
            return list(s.scalars(
                select(TaskTarget.target_id).join(Task, Task.id == TaskTarget.task_id)
                .join(TaskUnit, TaskUnit.task_id == Task.id)
                .where(TaskUnit.unit_id == self.lead, TaskUnit.role == "lead").order_by(TaskTarget.target_id)))

    def month(self, period: str, values: dict[int, float], *, unit: int | None = None, received: date | None = None,
              **line) -> None:
        """Store a report of `unit` (default the lead) for `period`: cumulative values by target id."""
        store = Store(self.url)
        try:
            with store.session() as s:
                reports.submit(s, unit=unit or self.lead, period=period, source="api",
                               lines=[{"target_id": t, "cumulative": v, **line} for t, v in values.items()],
                               as_of=received, settings=self.app.state.settings.dispatch)
        finally:
            store.close()


def build_site(url: str) -> tuple[int, int, int]:
    text = sample_text().encode("utf-8")
    store = Store(url)
    try:
        with store.session() as s:
            saved = save_plan(s, extract(read_bytes(text, "sample_plan.txt")), hashlib.sha256(text).hexdigest(),
                              "sample_plan.txt", linker=linker(load_catalog(None)))
            build_tasks(s)
            s.commit()
            units = {u.name: u.id for u in s.scalars(select(Unit))}
            plan_id = saved.plan_id
    finally:
        store.close()
    return plan_id, _unit(units, LEAD), _unit(units, OTHER)


def _unit(units: dict[str, int], name: str) -> int:
    return next(i for n, i in units.items() if n.endswith(name))


@pytest.fixture
def site(db_url):
    plan_id, lead, other = build_site(db_url)
    tokens = unit_accounts(db_url, lead, other)
    app = create_app(web_settings(db_url))
    with TestClient(app):  # runs the app's start-up and shut-down
        s = Site(app, db_url, plan_id, lead, other, tokens)
        yield s
        for c in s.clients.values():
            c.close()
