"""Ingest throughput: 1,000 generated plan files into SQLite and, given a server, PostgreSQL.

    .venv/bin/python bench/bench_ingest.py                          # print a Markdown section
    .venv/bin/python bench/bench_ingest.py --pg "$(scripts/pg-up)"  # PostgreSQL too (or LUOSHI_TEST_PG)
    .venv/bin/python bench/bench_ingest.py --write docs/benchmarks.md   # replace its "## Ingest" section

The files are the shared seed plans (read in place from ../shared; luoshi's sample plan alone when
that is absent) and luoshi's sample plan, each copy under a region, title and 文号 of its own with
its numbers changed (tests/store/generate.py). Each backend starts empty: a new SQLite file, a new
PostgreSQL schema (dropped afterwards). Timed: `luoshi.store.ingest.ingest` as `luoshi ingest`
calls it (targets linked to the shipped catalog), from the folder walk to the last commit; then
the same folder again, every file a duplicate (read, hash, one lookup each).
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench_extract import machine  # noqa: E402 - after the path is set
from mdsections import publish  # noqa: E402

from luoshi.store import Store  # noqa: E402
from luoshi.store.ingest import ingest  # noqa: E402
from luoshi.track.catalog import linker, load_catalog  # noqa: E402
from tests.store.generate import bases, generate  # noqa: E402

HEADING = "## Ingest"


def pg_schema_url(url: str):
    """A URL whose connections use a new, empty schema, and a function that drops it."""
    import sqlalchemy as sa
    from sqlalchemy.engine import make_url

    u = make_url(url)
    if u.drivername == "postgresql":
        u = u.set(drivername="postgresql+psycopg")
    admin = sa.create_engine(u, isolation_level="AUTOCOMMIT")
    schema = f"bench_{uuid.uuid4().hex[:12]}"
    with admin.connect() as c:
        c.execute(sa.text(f'CREATE SCHEMA "{schema}"'))

    def drop() -> None:
        with admin.connect() as c:
            c.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()

    return u.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(hide_password=False), drop


def run(url: str, folder: Path, workers: int, link) -> tuple[float, float, float, int]:
    """(seconds, files/s, files/s again with every file a duplicate, plans stored)."""
    store = Store(url)
    try:
        first = ingest(store, [folder], workers=workers, linker=link)
        assert not first.failures, first.failures[:3]
        again = ingest(store, [folder], workers=workers, linker=link)
        assert again.duplicates == again.files
    finally:
        store.close()
    return first.elapsed, first.files_per_second, again.files_per_second, first.new + first.versions


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--files", type=int, default=1000)
    ap.add_argument("--workers", type=int, default=0, help="extraction processes (0: one per core)")
    ap.add_argument("--pg", default=os.environ.get("LUOSHI_TEST_PG"), help="a PostgreSQL URL")
    ap.add_argument("--write", type=Path, help="replace the Ingest section of this Markdown file")
    a = ap.parse_args()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
    link = linker(load_catalog())
    tmp = Path(tempfile.mkdtemp(prefix="luoshi-bench-ingest-"))
    folder = tmp / "plans"
    generate(folder, a.files)
    size = sum(p.stat().st_size for p in folder.iterdir())
    cores = os.cpu_count() or 1
    w = a.workers or cores
    runs = [("SQLite", f"sqlite:///{tmp / 'bench.db'}", w)]
    if w > 1:
        runs.append(("SQLite", f"sqlite:///{tmp / 'bench1.db'}", 1))
    if a.pg:
        runs.append(("PostgreSQL", None, w))
    rows = []
    for label, url, workers in runs:
        drop = None
        if url is None:
            url, drop = pg_schema_url(a.pg)
        try:
            rows.append((label, workers, *run(url, folder, workers, link)))
        finally:
            if drop:
                drop()
    seeds = [b.name[:3] for b in bases() if b.name != "sample_plan.txt"]
    names = (f"seed plans {', '.join(seeds)} (../shared) and " if seeds else "") + "luoshi's sample plan"
    lines = [HEADING, "",
             f"Machine: {machine()}; load average {load:.1f} when the run began (the machine is shared).",
             f"Command: `.venv/bin/python bench/bench_ingest.py --files {a.files}"
             + (" --pg URL" if a.pg else "") + "` (PostgreSQL from `scripts/pg-up`, on the same machine).",
             (f"Files: {a.files:,} UTF-8 text plans, {size / 1e6:.1f} MB, generated from {names} "
              "(tests/store/generate.py); every file a plan of its own; targets linked to the shipped catalog."),
             "",
             "| backend | worker processes | files | seconds | files per second | again, all duplicates: files per second |",
             "|---|---:|---:|---:|---:|---:|"]
    for label, workers, secs, fps, dup_fps, stored in rows:
        lines.append(f"| {label} | {workers} | {stored:,} | {secs:.1f} | {fps:.0f} | {dup_fps:.0f} |")
    lines += ["", ("Extraction runs in the worker processes; the main process reads and hashes each file, skips "
                   "bytes already stored, and writes each plan in a transaction of its own. Writing is serial, "
                   "so once extraction keeps up the main process sets the pace.")]
    sqlite = {r[1]: r[3] for r in rows if r[0] == "SQLite"}
    if 1 in sqlite and w in sqlite and w > 1 and sqlite[1] > sqlite[w]:
        lines.append(f"Here one worker process was faster than {w}: with {cores} cores the writer needs one of its own.")
    lines.append("")
    publish("\n".join(lines), a.write, HEADING)


if __name__ == "__main__":
    main()
