"""A process beside the web server's for long computations (a province's dashboard, a bulletin's
Word file), started on first use and kept."""
from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool


class WorkerProcess:
    """One process beside the web server's for long computations, started on first use. Spawned,
    never forked: a fork of a threaded server may copy a lock held by another thread. It ends
    itself when the server's process is gone (a server stopped by a signal does not end it)."""

    def __init__(self):
        self._pool: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()

    def run(self, func: Callable, *args):
        return self.submit(func, *args).result()

    def submit(self, func: Callable, *args) -> Started:
        """Start `func(*args)` in the worker; `.result()` waits for it."""
        with self._lock:
            if self._pool is None:
                self._pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                                                 initializer=_follow_parent, initargs=(os.getpid(),))
            pool = self._pool
        return Started(self, pool, pool.submit(func, *args))

    def _lost(self, pool) -> None:
        with self._lock:
            if self._pool is pool:
                self._pool = None

    def close(self) -> None:
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)


class Started:
    """A call running in a WorkerProcess."""

    def __init__(self, worker: WorkerProcess, pool, future):
        self.worker, self.pool, self.future = worker, pool, future

    def result(self):
        try:
            return self.future.result()
        except BrokenProcessPool:  # the worker died (killed for memory): a new one next time
            self.worker._lost(self.pool)
            raise


def _follow_parent(parent: int) -> None:
    """In the worker: exit once the process that started it is gone."""
    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_CHECK)
        os._exit(0)

    threading.Thread(target=watch, name="follow-parent", daemon=True).start()


PARENT_CHECK = 2.0  # seconds between the worker's looks at its parent
