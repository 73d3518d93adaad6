"""The extraction processes behind `ingest`: a process pool that survives a worker crashing on one
file (a broken PDF can take its process down), or no pool at all for a single file."""
from __future__ import annotations

import multiprocessing
import signal
import sys
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from luoshi.errors import LuoshiError


class WorkerCrashed(LuoshiError):
    """One file took its worker process down, twice."""

    code = "worker_crashed"


class PoolFailed(LuoshiError):
    """Worker processes die whatever they are given: the batch cannot go on."""

    code = "pool_failed"
    exit_code = 1


def extract_bytes(data: bytes, name: str, max_bytes: int):
    """In a worker: a file's bytes → luoshi.model.Plan, or the Chinese reason they are not a plan
    file (a LuoshiError message). Anything else raised is a bug and travels back as itself."""
    from luoshi.extract import extract
    from luoshi.read import read_bytes

    try:
        return extract(read_bytes(data, name, max_bytes=max_bytes))
    except LuoshiError as e:
        return str(e)


def _quiet_worker() -> None:
    # Ctrl-C reaches the whole process group; the main process stops the pool, not each worker.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _context():
    """fork on Linux: workers start in milliseconds with the extractor already imported, and a
    script needs no `if __name__ == "__main__":` guard. `Pool.start` forks them before the caller
    starts any thread (a progress bar), so no lock is copied held. spawn elsewhere (macOS, Windows)."""
    return multiprocessing.get_context("fork" if sys.platform.startswith("linux") else "spawn")


class Pool:
    """`submit` a call, `result(future)` for its result. When a worker dies, every call in flight
    fails with BrokenProcessPool; each is then run again alone in a pool of one, so only the file
    that kills its process again is reported (WorkerCrashed), and the batch goes on."""

    def __init__(self, workers: int, inline: bool = False):
        self.workers = max(1, workers)
        self.inline = inline
        self.window = 1 if inline else self.workers * 3  # calls in flight: keeps workers fed, memory bounded
        self._pool: ProcessPoolExecutor | None = None
        self._solo: ProcessPoolExecutor | None = None
        self._calls: dict[Future, tuple] = {}
        self._crashes = 0  # files in a row that crashed a pool of one

    def _new(self, n: int) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(n, mp_context=_context(), initializer=_quiet_worker)

    def start(self) -> None:
        """Start the worker processes now (all of them, with fork) rather than at the first call."""
        if not self.inline and self._pool is None:
            self._pool = self._new(self.workers)
            self._pool.submit(int).result()

    def submit(self, fn, *args) -> Future:
        if self.inline:
            fut: Future = Future()
            try:
                fut.set_result(fn(*args))
            except Exception as e:  # noqa: BLE001 - reported by the caller, as from a worker
                fut.set_exception(e)
            return fut
        if self._pool is None:
            self._pool = self._new(self.workers)
        fut = self._pool.submit(fn, *args)
        self._calls[fut] = (fn, args, self._pool)
        return fut

    def result(self, fut: Future):
        """The call's result; a call whose worker died is run once more, alone."""
        fn, args, pool = self._calls.pop(fut, (None, (), None))
        try:
            return fut.result()
        except BrokenProcessPool:
            if fn is None:
                raise
        if pool is self._pool:  # the first of its calls to come back: new calls go to a new pool
            pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None
        if self._solo is None:
            self._solo = self._new(1)
        try:
            result = self._solo.submit(fn, *args).result()
        except BrokenProcessPool:
            self._solo.shutdown(wait=False)
            self._solo = None
            self._crashes += 1
            if self._crashes >= 3:
                raise PoolFailed("抽取进程接连异常退出，导入已停止") from None
            raise WorkerCrashed("解析该文件时抽取进程异常退出（文件可能已损坏）") from None
        self._crashes = 0
        return result

    def close(self) -> None:
        for p in (self._pool, self._solo):
            if p is not None:
                p.shutdown(wait=True, cancel_futures=True)
        self._pool = self._solo = None
