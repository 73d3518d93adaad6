"""Typed settings, read once at the edge (CLI, web app) and passed down; nothing reads the
environment at import time."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from luoshi.auth.policy import AuthPolicy
    from luoshi.track.timeliness import DispatchSettings


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


def _default(name: str):
    # Imported when needed: `luoshi extract` reads Settings and must not load the web's modules.
    from luoshi.auth.policy import DEFAULT_POLICY

    return DEFAULT_POLICY


@dataclass(frozen=True)
class WebSettings:
    """What `luoshi serve` needs beyond the store: security rules, limits, the office's dispatch
    rules. Built at the edge and handed to `luoshi.web.app.create_app`."""

    base: Settings
    auth: AuthPolicy = field(default_factory=lambda: _default("auth"))  # the 等保 level-3 numbers
    # None: the office's own rules as stored (`luoshi settings`), read on each request.
    dispatch: DispatchSettings | None = None
    max_upload_bytes: int = 20 * 1024 * 1024
    # Set behind HTTPS (every real deployment: see docs/deploy.md); plain http on loopback for the demo.
    cookie_secure: bool = False
    # Signs the anti-CSRF tokens: $LUOSHI_SECRET, else made once and kept in the store
    # (luoshi.auth.csrf); create_app fills it in. Never printed.
    secret: str | None = field(default=None, repr=False)

    @property
    def db_url(self) -> str:
        return self.base.db_url

    @classmethod
    def from_env(cls, db: str | None = None) -> "WebSettings":
        secure = os.environ.get("LUOSHI_COOKIE_SECURE", "") not in ("", "0", "false", "no")
        return cls(base=Settings.from_env(db), cookie_secure=secure, secret=os.environ.get("LUOSHI_SECRET") or None,
                   max_upload_bytes=int(os.environ.get("LUOSHI_MAX_UPLOAD_MB", "20")) * 1024 * 1024)
