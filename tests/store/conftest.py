"""Storage fixtures: every test that takes `db_url` runs once on SQLite and once on PostgreSQL.

PostgreSQL comes from LUOSHI_TEST_PG (a SQLAlchemy URL; `scripts/test` sets it from
`scripts/pg-up` under CI or with LUOSHI_PG=1). Each PostgreSQL test gets a schema of its own,
selected through the connection's search_path and dropped with everything in it afterwards.
Without LUOSHI_TEST_PG the PostgreSQL runs are skipped on a developer's machine and FAIL under CI,
so CI can never pass without the real server.
"""
from __future__ import annotations

import os
import uuid

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

PG_ENV = "LUOSHI_TEST_PG"


def _under_ci() -> bool:
    # Same rule as scripts/test: CI set to anything but an explicit "no".
    return os.environ.get("CI", "") not in ("", "0", "false", "False", "FALSE", "no")


@pytest.fixture(scope="session")
def pg_admin_engine():
    """An engine on the PostgreSQL test database (autocommit), or fail/skip when there is none."""
    url = os.environ.get(PG_ENV, "").strip()
    if not url:
        if _under_ci():
            pytest.fail(
                f"CI is set but {PG_ENV} is not: the PostgreSQL storage tests must run against a real "
                "server in CI. Run the suite through scripts/test (it starts one with scripts/pg-up) "
                f"or set {PG_ENV} to a postgresql+psycopg:// URL.",
                pytrace=False,
            )
        pytest.skip(f"{PG_ENV} is not set (LUOSHI_PG=1 scripts/test starts a local PostgreSQL)")
    u = make_url(url)
    if u.drivername == "postgresql":  # plain postgresql:// would mean psycopg2; we ship psycopg 3
        u = u.set(drivername="postgresql+psycopg")
    engine = sa.create_engine(u, isolation_level="AUTOCOMMIT", pool_pre_ping=True)
    try:
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
    except sa.exc.SQLAlchemyError as exc:  # one clear message, not a driver traceback per test
        engine.dispose()
        pytest.fail(f"cannot connect to {PG_ENV}={u.render_as_string()}: {exc}", pytrace=False)
    yield engine
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    """A SQLAlchemy URL to an empty database: a fresh SQLite file, or a fresh PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/luoshi.db"
        return

    admin = request.getfixturevalue("pg_admin_engine")
    schema = f"t_{uuid.uuid4().hex}"
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    # The test's schema first on the search path: whatever the test creates lands in it. Then
    # "extensions", where scripts/pg-up installs pg_trgm (a schema that does not exist is ignored).
    # public stays off the path, so nothing left there can leak into a test. application_name
    # tags the test's connections so that teardown can end any it left open (they would hold
    # locks and block the DROP).
    url = admin.url.update_query_dict(
        {"options": f"-csearch_path={schema},extensions", "application_name": schema}
    )
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(
                sa.text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE application_name = :schema AND pid <> pg_backend_pid()"
                ),
                {"schema": schema},
            )
            conn.execute(sa.text("SET lock_timeout = '30s'"))
            conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
