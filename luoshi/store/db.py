"""Opening a store: an engine for the configured URL, migrated to the newest schema."""
from __future__ import annotations

from pathlib import Path

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from luoshi.errors import LuoshiError

MIGRATIONS = Path(__file__).with_name("migrations")


class StoreError(LuoshiError):
    code = "store"
    exit_code = 3
    http_status = 503


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite:///"):
        path = Path(url[len("sqlite:///"):])
        if str(path) not in ("", ":memory:"):
            path.parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(conn, _record):
            cur = conn.cursor()
            cur.execute("PRAGMA foreign_keys = ON")
            cur.execute("PRAGMA journal_mode = WAL")  # readers never block the one writer
            # With WAL, NORMAL syncs at checkpoints, not at every commit (2.6 ms each here): still
            # atomic, and a commit survives the process being killed; only a power cut may undo
            # the last few. Ingest commits once per plan.
            cur.execute("PRAGMA synchronous = NORMAL")
            # Checkpoint every ~40 MB of WAL rather than 4 MB: a plan writes ~90 KB (its text twice,
            # with the trigram index), and each checkpoint syncs; ingest runs 25% faster.
            cur.execute("PRAGMA wal_autocheckpoint = 10000")
            cur.close()

        return engine
    return create_engine(url, pool_pre_ping=True)


def _alembic_config(url: str):
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade(engine: Engine, revision: str = "head") -> None:
    from alembic import command

    cfg = _alembic_config(str(engine.url))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_alembic_config("sqlite://")).get_current_head()


class Store:
    """The database behind luoshi: `store.session()` for work, migrated on open."""

    def __init__(self, url: str, migrate: bool = True):
        self.url = url
        try:
            self.engine = make_engine(url)
            if migrate and current_revision(self.engine) != head_revision():
                upgrade(self.engine)
        except LuoshiError:
            raise
        except Exception as e:  # noqa: BLE001 - a database that cannot be opened is the user's to fix
            raise StoreError(f"无法打开数据库（{_safe(url)}）：{type(e).__name__}: {e}") from e
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def session(self) -> Session:
        return self._sessions()

    def close(self) -> None:
        self.engine.dispose()


def _safe(url: str) -> str:
    """The URL without its password, for messages."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001
        return "?"
