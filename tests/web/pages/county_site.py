"""The county world (county_world.py) served by the app, with one account of each role as the
`site` fixture has them (the reporter reports for 阳谷县工业和信息化局)."""
from __future__ import annotations

import json
import re

import pytest
from fastapi.testclient import TestClient

from luoshi.web.app import create_app
from tests.web.conftest import unit_accounts, web_settings
from tests.web.pages.conftest import Site
from tests.web.pages.county_world import build

ROLE_MATRIX = {"coordinator": 200, "leader": 200, "admin": 403, "auditor": 403, "reporter": 403,
               "other_reporter": 403}


@pytest.fixture
def county_site(db_url):
    world = build(db_url)
    lead, other = world.units["阳谷县工业和信息化局"], world.units["东昌府区工业和信息化局"]
    tokens = unit_accounts(db_url, lead, other)
    app = create_app(web_settings(db_url))
    with TestClient(app):
        site = Site(app, db_url, world.plans["聊城市"], lead, other, tokens)
        site.world = world
        yield site
        for c in site.clients.values():
            c.close()


def chart_data(html: str) -> dict:
    m = re.search(r'<script type="application/json" id="dashboard-data">(.*?)</script>', html, re.S)
    return json.loads(m.group(1))


def check_policy(html: str) -> None:
    """What the Content-Security-Policy would block: inline scripts and style attributes."""
    scripts = re.findall(r"<script\b([^>]*)>", html)
    assert all("src=" in attrs or 'type="application/json"' in attrs for attrs in scripts), scripts
    assert not re.search(r"<[^>]+\sstyle\s*=", html)
    assert not re.search(r"<[^>]+\son[a-z]+\s*=", html)
