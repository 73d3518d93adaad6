"""Typed settings, read once at the edge (CLI, web app) and passed down; nothing reads the
environment at import time."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


def default_home() -> Path:
    """Where luoshi keeps its data: $LUOSHI_HOME, else $XDG_DATA_HOME/luoshi, else ~/.local/share/luoshi."""
    if os.environ.get("LUOSHI_HOME"):
        return Path(os.environ["LUOSHI_HOME"])
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "luoshi"


@dataclass(frozen=True)
class Settings:
    db_url: str
    catalog_path: Path | None = None  # an office's own indicator catalog; None: the shipped one
    workers: int = 0  # processes for ingest; 0: one per core

    @classmethod
    def from_env(cls, db: str | None = None, catalog: str | Path | None = None) -> "Settings":
        url = db or os.environ.get("LUOSHI_DB")
        if not url:
            home = default_home()
            url = f"sqlite:///{home / 'luoshi.db'}"
        cat = catalog or os.environ.get("LUOSHI_CATALOG")
        return cls(db_url=url, catalog_path=Path(cat) if cat else None,
                   workers=int(os.environ.get("LUOSHI_WORKERS", "0") or 0))
