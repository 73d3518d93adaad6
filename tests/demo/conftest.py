"""The demo built once per backend for a module (a build takes seconds): SQLite always,
PostgreSQL in a schema of its own when LUOSHI_TEST_PG is set (tests/store/conftest.py's rules)."""
from __future__ import annotations

import uuid
from datetime import date

import pytest
import sqlalchemy as sa

from tests.store.conftest import pg_admin_engine  # noqa: F401 - the PostgreSQL server, or skip/fail

TODAY = date(2026, 11, 23)  # the history runs from 2024-01 to 2026-10


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def demo(request, tmp_path_factory):
    """(url, DemoWorld) of a demo built into an empty database."""
    from luoshi.demo import build_demo

    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('demo')}/demo.db"
        yield url, build_demo(url, today=TODAY)
        return
    admin = request.getfixturevalue("pg_admin_engine")
    schema = f"t_{uuid.uuid4().hex}"
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    url = admin.url.update_query_dict({"options": f"-csearch_path={schema},extensions",
                                       "application_name": schema}).render_as_string(hide_password=False)
    try:
        yield url, build_demo(url, today=TODAY)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                 "WHERE application_name = :s AND pid <> pg_backend_pid()"), {"s": schema})
            conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
