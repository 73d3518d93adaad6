"""When things die: a worker process crashing on one file fails that file alone; the whole ingest
killed mid-batch (SIGKILL) leaves no half-stored plan, and running it again completes the batch."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest
import sqlalchemy as sa

from luoshi.store import Store
from luoshi.store.ingest import ingest
from luoshi.store.ingest_pool import Pool, PoolFailed, WorkerCrashed, extract_bytes
from luoshi.store.models import PlanVersion
from tests.conftest import ROOT
from tests.store.generate import generate, variant
from tests.store.test_ingest import assert_whole, counts


def crash_on_bang(data: bytes, name: str, max_bytes: int):
    """A worker that dies on files named bang*: what a reader crashing in C looks like."""
    if name.startswith("bang"):
        os._exit(1)
    return extract_bytes(data, name, max_bytes)


def test_a_worker_crash_fails_only_its_file():
    pool = Pool(2)
    try:
        text = variant(0).encode("utf-8")
        futures = [pool.submit(crash_on_bang, text, name, 10**7) for name in ("a", "bang", "b", "c")]
        results = []
        for f in futures:
            try:
                results.append(pool.result(f).metadata.title is not None)
            except WorkerCrashed as e:
                results.append(str(e))
        assert results[0] is True and results[2:] == [True, True]
        assert "异常退出" in results[1]
        with pytest.raises(PoolFailed):
            for _ in range(3):
                with pytest.raises(WorkerCrashed):
                    pool.result(pool.submit(crash_on_bang, text, "bang", 10**7))
    finally:
        pool.close()


@pytest.mark.slow
def test_killed_mid_batch_leaves_no_half_stored_plan_and_a_rerun_completes(tmp_path):
    folder = tmp_path / "plans"
    generate(folder, 150)
    url = f"sqlite:///{tmp_path}/kill.db"
    Store(url).close()  # migrated before the race starts
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "luoshi", "ingest", "--db", url, str(folder)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        stored = 0
        while stored < 10 and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.02)
            stored = counts(url)[1]
        assert proc.poll() is None, "ingest finished before it could be killed"
        os.killpg(proc.pid, signal.SIGKILL)  # the ingest process and its workers
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    engine = sa.create_engine(url)
    plans, versions = counts(url)
    assert 10 <= versions < 150 and plans == versions
    assert_whole(engine)

    store = Store(url)
    report = ingest(store, [folder], workers=2)
    store.close()
    assert report.failures == [] and report.duplicates == versions and report.new == 150 - versions
    assert counts(url) == (150, 150)
    with engine.connect() as c:
        assert c.scalar(sa.select(sa.func.count(sa.distinct(PlanVersion.sha256)))) == 150
    assert_whole(engine)
    engine.dispose()
