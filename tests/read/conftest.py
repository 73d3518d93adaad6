"""Fixtures for the reader tests: the seed plans and development documents from ../shared."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import DEV_DOCS, SEEDS, SHARED


@pytest.fixture(scope="session")
def shared() -> Path:
    if not (SHARED / "corpus").is_dir():
        pytest.skip("../shared/corpus is not beside the project")
    return SHARED


@pytest.fixture(scope="session")
def seed_texts(shared) -> dict[str, str]:
    """Seed plans and development documents (plain UTF-8 text) by file name."""
    files = sorted(SEEDS.glob("*.txt")) + sorted(DEV_DOCS.glob("*.txt"))
    if not files:
        pytest.skip("no plain-text plans in ../shared/corpus")
    return {f.name: f.read_bytes().decode("utf-8") for f in files}
