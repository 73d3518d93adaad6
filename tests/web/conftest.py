"""A running API over the small dispatch world of tests/track/report_data.py (both backends),
with one account of each role. Accounts share one Argon2 hash computed once (hashing costs
~0.2 s) and most tests use tokens opened directly; signing in itself is tested in test_api_auth."""
from __future__ import annotations

from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient

from luoshi.auth.passwords import hash_password
from luoshi.auth.sessions import open_session
from luoshi.settings import Settings, WebSettings
from luoshi.store import Store
from luoshi.store.account_models import Account
from luoshi.track.timeliness import DispatchSettings
from luoshi.web.app import create_app
from tests.store.conftest import db_url, pg_admin_engine  # noqa: F401 - both backends
from tests.track.report_data import build

PASSWORD = "Lanzhou-2024"
ROLES = ("admin", "auditor", "coordinator", "leader", "reporter", "other_reporter")
_HASH: list[str] = []


@dataclass
class Api:
    client: TestClient
    world: object
    tokens: dict[str, str]

    def as_(self, who: str | None) -> dict:
        return {"Authorization": f"Bearer {self.tokens[who]}"} if who else {}

    def get(self, url, who=None, **kw):
        return self.client.get(url, headers=self.as_(who), **kw)

    def post(self, url, who=None, **kw):
        return self.client.post(url, headers=self.as_(who), **kw)


def add_accounts(url: str, world) -> dict[str, str]:
    return unit_accounts(url, world.lead, world.other_unit)


def unit_accounts(url: str, lead: int, other: int) -> dict[str, str]:
    """One signed-in account of each role (ROLES): `reporter` for unit `lead`, `other_reporter` for
    `other`; their session tokens by name."""
    if not _HASH:
        _HASH.append(hash_password(PASSWORD))
    store = Store(url)
    tokens = {}
    try:
        with store.session() as s:
            for name in ROLES:
                role = "reporter" if name.endswith("reporter") else name
                unit = lead if name == "reporter" else other if name == "other_reporter" else None
                a = Account(username=name, password_hash=_HASH[0], role=role, unit_id=unit, display_name=f"{name}用户",
                            active=True, failed_logins=0)
                s.add(a)
                s.flush()
                tokens[name] = open_session(s, a, "testclient", second_factor=True)  # TOTP: tests/auth
            s.commit()
    finally:
        store.close()
    return tokens


def web_settings(url: str, **dispatch) -> WebSettings:
    # Reports in tests are for 2024 months; received "today" they are late, and without a long
    # lock window they would be locked. The locked case is tested on its own.
    return WebSettings(Settings(db_url=url), dispatch=DispatchSettings(**({"lock_after_days": 100000} | dispatch)))


@pytest.fixture
def api(db_url):
    world = build(db_url)
    tokens = add_accounts(db_url, world)
    with TestClient(create_app(web_settings(db_url))) as client:
        yield Api(client, world, tokens)
