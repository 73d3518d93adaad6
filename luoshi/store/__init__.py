"""Storage: plans, their versions and everything extracted from them, in SQLite (default) or
PostgreSQL, through SQLAlchemy 2 with Alembic migrations."""
from luoshi.store import (  # noqa: F401 - all tables known to the metadata
    account_models, audit_models, bulletin_models, dispatch_models, settings_models, work_models)
from luoshi.store.db import Store, StoreError

__all__ = ["Store", "StoreError"]
