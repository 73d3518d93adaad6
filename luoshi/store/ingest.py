"""Ingesting many plan files: extraction in worker processes on every core, writing in this one.

    from luoshi.store import Store
    from luoshi.store.ingest import ingest
    report = ingest(Store(url), ["plans/", "extra.docx"])

The main process reads each file and hashes its bytes; bytes already stored (or seen earlier in
the batch) are reported as duplicates without being extracted. The rest go to a process pool as
bytes, come back as `luoshi.model.Plan`, and are written one plan per transaction, so a file that
fails is reported and skipped, and a process killed mid-batch leaves no half-stored plan.
"""
from __future__ import annotations

import hashlib
import os
import time
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import DataError, IntegrityError, OperationalError

from luoshi.errors import LuoshiError
from luoshi.read import DEFAULT_MAX_BYTES, read_file
from luoshi.store.db import Store, StoreError
from luoshi.store.ingest_pool import Pool, PoolFailed, extract_bytes
from luoshi.store.models import PlanVersion
from luoshi.store.plans import save_plan


@dataclass
class Outcome:
    """What became of one file."""

    path: str
    status: str  # new | version | duplicate | skipped (not a plan) | failed
    reason: str = ""  # in Chinese, for people: why it failed, was skipped, or is a duplicate
    plan_id: int | None = None
    version: int | None = None
    title: str | None = None


@dataclass
class IngestReport:
    outcomes: list[Outcome] = field(default_factory=list)
    elapsed: float = 0.0  # seconds

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    new = property(lambda self: self.count("new"))
    versions = property(lambda self: self.count("version"))
    duplicates = property(lambda self: self.count("duplicate"))
    skipped = property(lambda self: [o for o in self.outcomes if o.status == "skipped"])
    failures = property(lambda self: [o for o in self.outcomes if o.status == "failed"])

    @property
    def files(self) -> int:
        return len(self.outcomes)

    @property
    def files_per_second(self) -> float:
        return self.files / self.elapsed if self.elapsed > 0 else 0.0


Progress = Callable[[int, int, "Outcome | None"], None]  # (done, total, the file just finished)


def find_files(paths: Iterable[str | os.PathLike]) -> list[Path]:
    """Files named and files under folders named (recursively, sorted), without hidden files and
    folders or Office lock files (~$…). A path that does not exist is kept: it fails, reported."""
    out: list[Path] = []
    for p in map(Path, paths):
        if not p.is_dir():
            out.append(p)
            continue
        for root, dirs, files in os.walk(p):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            out += [Path(root) / f for f in sorted(files) if not f.startswith((".", "~$"))]
    seen: set[Path] = set()
    return [p for p in out if not (p in seen or seen.add(p))]


def ingest(store: Store, paths: Iterable[str | os.PathLike], *, workers: int = 0, progress: Progress | None = None,
           linker=None, max_bytes: int = DEFAULT_MAX_BYTES) -> IngestReport:
    """Store every plan in `paths` (files or folders). `workers`: extraction processes, 0 for one
    per core (a single file is extracted in this process). `linker` is passed to `save_plan` (it
    links targets to the indicator catalog). `progress(done, total, outcome)` is first called
    once the workers are up: start a progress bar's thread then, not before (workers are forked
    on Linux). Elsewhere they are spawned, and a script calling this needs the usual
    `if __name__ == "__main__":` guard."""
    t0 = time.perf_counter()
    files = find_files(paths)
    report = IngestReport()
    total = len(files)
    workers = workers or os.cpu_count() or 1
    pool = Pool(workers, inline=total <= 1)
    seen: dict[str, Path] = {}
    # Files in order, each with its outcome or the future of its extraction: results are stored in
    # the order of the files (a revision after its original), the next files extracting meanwhile.
    queue: deque[tuple[Path, str | None, Outcome | Future]] = deque()
    in_flight = 0

    def finish() -> None:
        nonlocal in_flight
        path, sha, item = queue.popleft()
        if isinstance(item, Future):
            in_flight -= 1
            item = _store_result(store, pool.result, item, path, sha, linker)
        report.outcomes.append(item)
        if progress:
            progress(len(report.outcomes), total, item)

    try:
        pool.start()
        if progress:
            progress(0, total, None)
        for path in files:
            o, data, sha = _prepare(store, path, seen, max_bytes)
            if o is None:
                seen[sha] = path
                o = pool.submit(extract_bytes, data, path.name, max_bytes)
                in_flight += 1
            queue.append((path, sha, o))
            while queue and (in_flight >= pool.window or not isinstance(queue[0][2], Future)):
                finish()
        while queue:
            finish()
    finally:
        pool.close()
    report.elapsed = time.perf_counter() - t0
    return report


def _prepare(store: Store, path: Path, seen: dict[str, Path], max_bytes: int):
    """(an Outcome when the file needs no extraction, its bytes, their sha256)."""
    try:
        data = read_file(path, max_bytes=max_bytes)
    except LuoshiError as e:
        return Outcome(str(path), "failed", str(e)), None, None
    sha = hashlib.sha256(data).hexdigest()
    if sha in seen:
        return Outcome(str(path), "duplicate", f"与本批文件“{seen[sha]}”内容相同"), None, sha
    with store.engine.connect() as conn:
        known = conn.execute(select(PlanVersion.plan_id, PlanVersion.number).where(PlanVersion.sha256 == sha)).first()
    if known:
        return Outcome(str(path), "duplicate", "内容相同的文件已入库", known.plan_id, known.number), None, sha
    return None, data, sha


def _store_result(store: Store, wait_for, fut: Future, path: Path, sha: str, linker) -> Outcome:
    """Write what a worker extracted, in one transaction of its own."""
    try:
        result = wait_for(fut)
    except PoolFailed:
        raise
    except LuoshiError as e:
        return Outcome(str(path), "failed", str(e))
    except Exception as e:  # noqa: BLE001 - one file's bug must not stop the batch
        return Outcome(str(path), "failed", f"抽取时出现内部错误（{type(e).__name__}: {e}）")
    if isinstance(result, str):
        return Outcome(str(path), "failed", result)
    if result.is_empty:
        return Outcome(str(path), "skipped", "；".join(result.warnings))
    try:
        with store.session() as s, s.begin():
            saved = save_plan(s, result, sha, source_name=str(path)[-500:], linker=linker)
    except (IntegrityError, DataError) as e:  # this plan's rows (a value too large…): this file fails
        return Outcome(str(path), "failed", f"写入数据库失败：{_first_line(e)}")
    except OperationalError as e:  # the database itself (gone, locked, full): the batch stops
        raise StoreError(f"写入数据库失败，导入已停止：{_first_line(e)}") from e
    reason = "内容相同的文件已入库" if saved.status == "duplicate" else ""
    return Outcome(str(path), saved.status, reason, saved.plan_id, saved.number, result.metadata.title)


def _first_line(e: Exception) -> str:
    lines = str(getattr(e, "orig", None) or e).strip().splitlines()
    return lines[0] if lines else type(e).__name__
