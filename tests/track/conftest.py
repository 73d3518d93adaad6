"""Fixtures of the tracking tests: the storage suite's `db_url` (SQLite, and PostgreSQL where
LUOSHI_TEST_PG is set), and the shipped catalog, loaded once."""
from __future__ import annotations

import pytest

from luoshi.track.catalog import load_catalog
from tests.store.conftest import db_url, pg_admin_engine  # noqa: F401 - fixtures shared with tests/store


@pytest.fixture(scope="session")
def catalog():
    return load_catalog()
