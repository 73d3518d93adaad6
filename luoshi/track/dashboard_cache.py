"""A snapshot cache for views that take long to compute (the dashboard of a province: about a
second) but are read by many at once while units keep reporting.

Each key keeps its last snapshot with the freshness stamp it was computed at. On a read the stamp
is taken again (one cheap query); when it changed:
- if the last computation was quick (under `quick` seconds), it is recomputed at once, so a small
  database (and every test) always sees fresh data;
- else the previous snapshot is served, marked stale, while one background thread recomputes
  (never two at once for one key, and not again within `min_interval` seconds of the last
  one's end: while units keep reporting, a province is recomputed every few seconds, not
  without pause); the next read after it finishes gets the new one.
A key never computed is computed at once, one reader at a time (the others wait and share it).
The cache is thread-safe and holds at most `size` keys (least recently read dropped first).

A second of pure Python in a thread of the web server holds the interpreter lock away from every
request meanwhile; `background` moves the recomputation elsewhere (another process: see
`luoshi.track.worker.WorkerProcess`, `dashboard_in_worker` below), the thread only waiting for its answer."""
from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from contextlib import AbstractContextManager
from dataclasses import dataclass, replace
from datetime import datetime, timezone

from sqlalchemy.orm import Session

log = logging.getLogger("luoshi.dashboard")


@dataclass(frozen=True)
class Snapshot:
    value: object
    stamp: Hashable
    computed_at: datetime  # UTC
    took: float  # seconds
    started: float = 0.0  # monotonic time the computation began: a newer one never gives way to an older
    stale: bool = False  # served while a newer one is being computed


class SnapshotCache:
    """`compute(session, key)` makes a value; `stamp(session, key)` says whether it is still current;
    `opener()` gives a session (a context manager) for background recomputation, or `background(key)`
    recomputes in the background itself, returning (stamp, value)."""

    def __init__(self, compute: Callable[[Session, Hashable], object], stamp: Callable[[Session, Hashable], Hashable],
                 opener: Callable[[], AbstractContextManager[Session]], *, quick: float = 0.1, size: int = 32,
                 background: Callable[[Hashable], tuple[Hashable, object]] | None = None, min_interval: float = 0.0):
        self.compute, self.stamp, self.opener, self.background = compute, stamp, opener, background
        self.quick, self.size, self.min_interval = quick, size, min_interval
        self._entries: OrderedDict[Hashable, Snapshot] = OrderedDict()
        self._lock = threading.Lock()
        self._key_locks: dict[Hashable, threading.Lock] = {}
        self._running: dict[Hashable, threading.Thread] = {}

    def get(self, session: Session, key: Hashable) -> Snapshot:
        now = self.stamp(session, key)
        entry = self._entry(key)
        if entry is not None and entry.stamp == now:
            return entry
        if entry is not None and entry.took >= self.quick:
            if time.monotonic() >= entry.started + entry.took + self.min_interval:
                self._refresh_in_background(key)
            return replace(entry, stale=True)
        with self._key_lock(key):  # one computes, the others wait for it
            entry = self._entry(key)
            if entry is not None and entry.stamp == now:
                return entry
            return self._run(session, key, now)

    def refreshing(self, key: Hashable) -> bool:
        with self._lock:
            return key in self._running

    def wait(self, timeout: float | None = None) -> None:
        """Until the background recomputations under way have finished (tests, shutdown)."""
        with self._lock:
            threads = list(self._running.values())
        for t in threads:
            t.join(timeout)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def _entry(self, key: Hashable) -> Snapshot | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
            return entry

    def _key_lock(self, key: Hashable) -> threading.Lock:
        with self._lock:
            return self._key_locks.setdefault(key, threading.Lock())

    def _run(self, session: Session, key: Hashable, stamp: Hashable) -> Snapshot:
        started = time.monotonic()
        return self._keep(key, stamp, self.compute(session, key), started)

    def _keep(self, key: Hashable, stamp: Hashable, value: object, started: float) -> Snapshot:
        snap = Snapshot(value, stamp, datetime.now(timezone.utc), time.monotonic() - started, started)
        with self._lock:
            old = self._entries.get(key)
            if old is None or old.started <= snap.started:
                self._entries[key] = snap
                self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                dropped, _ = self._entries.popitem(last=False)
                if dropped not in self._running:
                    self._key_locks.pop(dropped, None)
        return snap

    def _refresh_in_background(self, key: Hashable) -> None:
        with self._lock:
            if key in self._running:
                return
            thread = threading.Thread(target=self._refresh, args=(key,), name=f"snapshot-{key}", daemon=True)
            self._running[key] = thread
        thread.start()

    def _refresh(self, key: Hashable) -> None:
        try:
            if self.background is not None:
                started = time.monotonic()
                self._keep(key, *self.background(key), started)
                return
            with self.opener() as session:
                self._run(session, key, self.stamp(session, key))
        except Exception:  # the stale snapshot stays; the next stale read tries again
            log.exception("recomputing the snapshot %r failed", key)
        finally:
            with self._lock:
                self._running.pop(key, None)


_STORES: dict[str, object] = {}
_CATALOGS: dict[str, object] = {}


def dashboard_in_worker(url: str, key: tuple[str, str], settings, catalog_path) -> tuple[tuple, object]:
    """In the worker process: (the freshness stamp, the dashboard) of key = (region, month), without
    each target's assessment (large, and no page shows it). `settings`: the office's
    DispatchSettings, None for those stored."""
    from luoshi.store import Store
    from luoshi.track.catalog import load_catalog
    from luoshi.track.dashboard import dashboard, lean
    from luoshi.track.dashboard_data import freshness

    if url not in _STORES:
        _STORES[url] = Store(url, migrate=False)
    path = str(catalog_path or "")
    if path not in _CATALOGS:
        _CATALOGS[path] = load_catalog(catalog_path)
    with _STORES[url].session() as session:
        stamp = freshness(session)
        return stamp, lean(dashboard(session, key[0], key[1], catalog=_CATALOGS[path], settings=settings))
