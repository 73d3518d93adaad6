"""Alembic environment: luoshi runs migrations programmatically (luoshi.store.db.upgrade), passing
the connection in `config.attributes`."""
from alembic import context

from luoshi.store import (  # noqa: F401 - registers every table
    account_models, audit_models, bulletin_models, dispatch_models, settings_models, work_models)
from luoshi.store.models import Base

config = context.config
target_metadata = Base.metadata


def _ours(name, type_, parent_names) -> bool:
    """Autogenerate compares only luoshi's tables: the FTS5 index's shadow tables are SQLite's."""
    return not (type_ == "table" and name and name.startswith("plan_text_fts"))


def run() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        from sqlalchemy import create_engine

        engine = create_engine(config.get_main_option("sqlalchemy.url"))
        with engine.begin() as conn:
            _migrate(conn)
        return
    _migrate(connection)


def _migrate(connection) -> None:
    context.configure(connection=connection, target_metadata=target_metadata,
                      render_as_batch=connection.dialect.name == "sqlite", include_name=_ours)
    with context.begin_transaction():
        context.run_migrations()


run()
