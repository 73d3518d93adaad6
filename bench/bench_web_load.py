"""The web app under load: 50 concurrent users for 60 s against a province-sized database, on
loopback, SQLite and (given a server) PostgreSQL.

    .venv/bin/python bench/bench_web_load.py                            # print a Markdown section
    .venv/bin/python bench/bench_web_load.py --pg "$(scripts/pg-up)"    # PostgreSQL too
    .venv/bin/python bench/bench_web_load.py --pause 0 1 5              # one run per mean think time (s)
    .venv/bin/python bench/bench_web_load.py --write docs/benchmarks.md # replace its "## Web under load" section

Data: bench_progress.generate (山东省's 16 cities × 100 targets, 160 units, 36 months of reports),
plus a leader's account and one reporter's account per unit (one Argon2 hash shared).
Server: `luoshi.web.app.create_app` under uvicorn in a subprocess on 127.0.0.1 (a free port),
one worker process, log level warning, a fresh one per run, started and stopped here (its
process group, so that what the app starts stops with it).
Load: one asyncio process (httpx2.AsyncClient), each virtual user signs in once (POST
/api/session, before the clock starts) and then loops: a request, its answer, a pause (by default
none: a closed loop; `--pause` gives the mean, each pause drawn between half and 1.5 times it):
- a leader GETs `/dashboard?region=山东省` with its session cookie, as a browser does; while that page
  does not exist (not 200 at the start) `GET /api/progress?region=山东省&as_of=<this month>` stands in;
- a reporter POSTs `/api/reports` for its own unit and this month: the first time a new report,
  then corrections (a new version each, with 更正说明), every value a little above its last one.
Every request's latency is taken on the client; any answer other than 2xx is an error and printed.
"""
from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import time
import traceback
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import httpx2 as httpx  # noqa: E402 - the HTTP client luoshi's test dependencies bring
from bench_extract import machine  # noqa: E402 - after the path is set
from bench_ingest import pg_schema_url  # noqa: E402
from bench_progress import generate  # noqa: E402
from mdsections import publish  # noqa: E402
from sqlalchemy import func, select, text  # noqa: E402

from luoshi.auth.passwords import hash_password  # noqa: E402
from luoshi.store import Store  # noqa: E402
from luoshi.store.account_models import Account  # noqa: E402
from luoshi.store.dispatch_models import ReportLine, Submission, Unit  # noqa: E402

HEADING = "## Web under load"
PASSWORD = "Bench-2024-luoshi"
REGION = "山东省"
SERVER = ("import sys, uvicorn\n"
          "from luoshi.settings import Settings, WebSettings\n"
          "from luoshi.web.app import create_app\n"
          "uvicorn.run(create_app(WebSettings(Settings(db_url=sys.argv[1]))), host='127.0.0.1', "
          "port=int(sys.argv[2]), log_level='warning')\n")


def advance_sequences(url: str) -> None:
    """bench_progress writes its rows with their ids: on PostgreSQL the id sequences must then be
    moved past them, or the first report the server stores takes id 1 again."""
    from luoshi.store.models import Base

    store = Store(url)
    try:
        with store.session() as s:
            if s.get_bind().dialect.name != "postgresql":
                return
            for table in Base.metadata.sorted_tables:
                if "id" in table.c and table.c.id.primary_key and table.c.id.autoincrement is not False:
                    s.execute(text(f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                                   f"(SELECT coalesce(max(id), 0) + 1 FROM {table.name}), false)"))
            s.commit()
    finally:
        store.close()


def add_accounts(url: str) -> list[tuple[str, int]]:
    """A leader, and a reporter for each unit; returns (username, unit id) of the reporters."""
    digest = hash_password(PASSWORD)
    store = Store(url)
    try:
        with store.session() as s:
            units = list(s.scalars(select(Unit.id).order_by(Unit.id)))
            s.add(Account(username="leader", password_hash=digest, role="leader", active=True, failed_logins=0))
            s.add_all(Account(username=f"r{u}", password_hash=digest, role="reporter", unit_id=u, active=True,
                              failed_logins=0) for u in units)
            s.commit()
    finally:
        store.close()
    return [(f"r{u}", u) for u in units]


def last_values(url: str, units: list[int]) -> dict[int, dict[int, float]]:
    """unit → {target id: its last 累计} (the current version of its last month)."""
    store = Store(url)
    out: dict[int, dict[int, float]] = {u: {} for u in units}
    try:
        with store.session() as s:
            top = (select(Submission.unit_id, func.max(Submission.period).label("p")).group_by(Submission.unit_id)
                   .subquery())
            rows = s.execute(select(Submission.unit_id, Submission.version, ReportLine.target_id, ReportLine.cumulative)
                             .join(ReportLine, ReportLine.submission_id == Submission.id)
                             .join(top, (top.c.unit_id == Submission.unit_id) & (top.c.p == Submission.period))
                             .where(Submission.unit_id.in_(units)).order_by(Submission.version))
            for unit, _, target, cum in rows:
                out[unit][target] = float(cum)
    finally:
        store.close()
    return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(url: str) -> tuple[subprocess.Popen, str]:
    port = free_port()
    # A process group of its own: stopping it stops any helper process the app started too.
    proc = subprocess.Popen([sys.executable, "-c", SERVER, url, str(port)], cwd=ROOT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the server exited with {proc.returncode}")
        try:
            if httpx.get(base + "/login", timeout=2).status_code == 200:
                return proc, base
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    proc.kill()
    raise RuntimeError("the server did not answer within 60 s")


def stop_server(proc: subprocess.Popen) -> None:
    """Stop the server's process group (the server and what it started), by its id."""
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(10)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    except ProcessLookupError:
        pass
    time.sleep(0.5)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)  # a helper process that outlived the server


def server_cpu(pgid: int) -> float | None:
    """CPU seconds (user + system) used by the processes of the server's group, from /proc (None
    elsewhere): the server and any process it started for the app."""
    if not Path("/proc/self/stat").exists():
        return None
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid:  # fields after the name: state, ppid, pgrp, …, utime (11), stime (12)
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


class Load:
    """What the virtual users record: latencies (s) by request kind, and the errors."""

    def __init__(self):
        self.times: dict[str, list[float]] = {}
        self.errors: list[str] = []
        self.cpu: float | None = None  # the server's CPU seconds per second of load
        self.client_cpu = 0.0  # this process's

    def add(self, kind: str, seconds: float, status: int, text: str) -> None:
        self.times.setdefault(kind, []).append(seconds)
        if not 200 <= status < 300:
            self.errors.append(f"{kind} {status}: {text[:200]}")


async def sign_in(client: httpx.AsyncClient, username: str) -> str:
    r = await client.post("/api/session", json={"username": username, "password": PASSWORD})
    r.raise_for_status()
    return r.json()["token"]


def think(pause: float, rnd: random.Random) -> float:
    """A user's pause: uniform between half and one and a half times the mean, so that users who
    started together do not stay in step and arrive in bursts."""
    return pause * rnd.uniform(0.5, 1.5)


async def leader(client, token: str, page: str, until: float, pause: float, load: Load, rnd) -> None:
    cookies = {"Cookie": f"luoshi_session={token}"}
    await asyncio.sleep(pause * rnd.random())  # users come in over the first pause, not all at once
    while time.monotonic() < until:
        t0 = time.perf_counter()
        r = await client.get(page, headers=cookies)
        load.add("leader", time.perf_counter() - t0, r.status_code, r.text if r.status_code >= 300 else "")
        await asyncio.sleep(think(pause, rnd))


class Desk:
    """A reporter's desk: its unit's last values, and the versions of this month's report it has sent."""

    def __init__(self, values: dict[int, float]):
        self.values, self.version = values, 0

    def body(self, period: str) -> dict:
        self.version += 1
        self.values = {t: round(v * 1.001 + 1, 4) for t, v in self.values.items()}  # never down: no reason asked
        body = {"period": period, "lines": [{"target_id": t, "cumulative": v, "narrative": "按计划推进",
                                             "delay_reason": "前期手续办理周期较长", "next_steps": "加快推进"}
                                            for t, v in self.values.items()]}
        if self.version > 1:
            body["correction_reason"] = f"第{self.version}次核实更正"
        return body


async def reporter(client, token: str, period: str, unit: Desk, until: float, pause: float, load: Load,
                   rnd) -> None:
    auth = {"Authorization": f"Bearer {token}"}
    await asyncio.sleep(pause * rnd.random())
    while time.monotonic() < until:
        body = unit.body(period)
        t0 = time.perf_counter()
        r = await client.post("/api/reports", json=body, headers=auth)
        load.add("reporter", time.perf_counter() - t0, r.status_code, r.text if r.status_code >= 300 else "")
        await asyncio.sleep(think(pause, rnd))


async def run_load(base: str, pid: int, reporters: list[tuple[str, int]], desks: dict[int, Desk], users: int,
                   seconds: float, pause: float) -> tuple[Load, str, float]:
    """(what was recorded, the leader's page, the seconds the load ran)."""
    now = datetime.now(timezone(timedelta(hours=8)))
    period = f"{now.year:04d}-{now.month:02d}"
    # Idle connections are dropped here before uvicorn's 5 s keep-alive timeout closes them there:
    # else a pause of about 5 s races the server's close and the request fails.
    limits = httpx.Limits(max_connections=users + 10, max_keepalive_connections=users + 10, keepalive_expiry=3)
    async with httpx.AsyncClient(base_url=base, timeout=300, limits=limits) as client:
        leaders = users // 2
        mine = reporters[: users - leaders]
        tokens = [await sign_in(client, "leader") for _ in range(leaders)]  # one at a time: Argon2 is CPU
        rtokens = [await sign_in(client, name) for name, _ in mine]
        units = [desks[u] for _, u in mine]
        # Warm-up, as a day of reporting would find it: this month's first report is in (the
        # dashboard then turns to this month) and the leader's page has been drawn once.
        first = await client.post("/api/reports", json=units[0].body(period),
                                  headers={"Authorization": f"Bearer {rtokens[0]}"})
        first.raise_for_status()
        probe = await client.get(f"/dashboard?region={REGION}", headers={"Cookie": f"luoshi_session={tokens[0]}"})
        page = (f"/dashboard?region={REGION}" if probe.status_code == 200
                else f"/api/progress?region={REGION}&as_of={period}")
        if probe.status_code != 200:
            await client.get(page, headers={"Authorization": f"Bearer {tokens[0]}"})
        load = Load()
        cpu0, own0, t0 = server_cpu(pid), time.process_time(), time.monotonic()
        until = t0 + seconds
        rnd = random.Random(7)
        await asyncio.gather(*[leader(client, t, page, until, pause, load, rnd) for t in tokens],
                             *[reporter(client, t, period, unit, until, pause, load, rnd)
                               for t, unit in zip(rtokens, units)])
        ran = time.monotonic() - t0
        load.cpu = (server_cpu(pid) - cpu0) / ran if cpu0 is not None else None
        load.client_cpu = (time.process_time() - own0) / ran
        return load, page, ran


def pct(xs: list[float], p: float) -> float:
    s = sorted(xs)
    return s[min(len(s) - 1, max(0, round(p / 100 * len(s) + 0.5) - 1))] if s else float("nan")


def measure(url: str, users: int, seconds: float, pauses: list[float]) -> tuple[dict, list[dict]]:
    """The counts of the data, and one run per pause, each on a fresh server over the same database
    (the reporters' units taking turns: each run starts with units the runs before did not use, as
    long as there are such units)."""
    counts = generate(url)
    advance_sequences(url)
    reporters = add_accounts(url)
    values = last_values(url, [u for _, u in reporters])
    desks = {u: Desk(v) for u, v in values.items()}  # kept across runs: a unit used again goes on correcting
    runs, per_run = [], users - users // 2
    for k, pause in enumerate(pauses):
        turn = k * per_run % len(reporters)
        mine = reporters[turn:] + reporters[:turn]
        proc, base = start_server(url)
        try:
            load, page, ran = asyncio.run(run_load(base, proc.pid, mine, desks, users, seconds, pause))
        finally:
            stop_server(proc)
        runs.append({"load": load, "page": page, "ran": ran, "pause": pause})
    return counts, runs


def table(label: str, r: dict) -> list[str]:
    load, ran = r["load"], r["ran"]
    names = {"leader": f"leader `GET {r['page'].split('&')[0]}`", "reporter": "reporter `POST /api/reports`"}
    cpu = (f"{load.cpu * 100:.0f} %" if load.cpu is not None else "—") + f" | {load.client_cpu * 100:.0f} %"
    out = []
    for kind in ("leader", "reporter"):
        xs = load.times.get(kind, [])
        errors = sum(e.startswith(kind + " ") for e in load.errors)
        out.append(f"| {label} | {r['pause']:g} | {names[kind]} | {len(xs):,} | {len(xs) / ran:.1f} | "
                   f"{pct(xs, 50) * 1000:.0f} | {pct(xs, 95) * 1000:.0f} | {pct(xs, 99) * 1000:.0f} | "
                   f"{max(xs, default=0) * 1000:.0f} | {errors} | {cpu} |")
    return out


def verdict(results: list[tuple[str, dict]], users: int) -> str:
    """Which runs meet the bar (both requests' p95 ≤ 150 ms, no errors), and what a closed loop asks."""
    met = {}
    for label, r in results:
        ok = not r["load"].errors and all(pct(r["load"].times.get(k, []), 95) <= 0.150 for k in ("leader", "reporter"))
        met.setdefault(label, []).append((r["pause"], ok))
    said = "; ".join(f"{label}: " + (f"met at a mean pause of {', '.join(f'{p:g}' for p in good)} s" if good
                                      else "not met in any run")
                     for label, runs in met.items() for good in [[p for p, ok in runs if ok]])
    return (f"{said}. In a closed loop every user waits on the others: a p95 of 150 ms for {users} users with no "
            f"think time needs about {users / 0.15:.0f} answers a second, several times what one server process "
            "gives here.")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--users", type=int, default=50, help="concurrent virtual users, half leaders, half reporters")
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--pause", type=float, nargs="+", default=[0.0],
                    help="think time after each answer (s), one run each; 0: closed loop")
    ap.add_argument("--pg", default=os.environ.get("LUOSHI_TEST_PG"), help="a PostgreSQL URL")
    ap.add_argument("--write", type=Path, help="replace the Web under load section of this Markdown file")
    a = ap.parse_args()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
    tmp = Path(tempfile.mkdtemp(prefix="luoshi-bench-web-"))
    backends = [("SQLite", f"sqlite:///{tmp / 'web.db'}", None)]
    if a.pg:
        backends.append(("PostgreSQL", *pg_schema_url(a.pg)))
    results, c, failed = [], {}, []
    for label, url, drop in backends:
        try:
            c, runs = measure(url, a.users, a.seconds, a.pause)
            results += [(label, r) for r in runs]
        except Exception:  # noqa: BLE001 - one backend failing leaves the other's numbers
            traceback.print_exc()
            failed.append(label)
        finally:
            if drop:
                drop()
    for label, r in results:
        for e in r["load"].errors[:20]:
            print(f"{label}: {e}", file=sys.stderr)
    if not results:
        sys.exit("no backend could be measured")
    pauses = " ".join(f"{p:g}" for p in a.pause)
    lines = [HEADING, "",
             f"Machine: {machine()}; load average {load:.1f} when the run began (the machine is shared).",
             f"Command: `.venv/bin/python bench/bench_web_load.py --users {a.users} --seconds {a.seconds:g}"
             + (f" --pause {pauses}" if a.pause != [0.0] else "") + (" --pg URL" if a.pg else "") + "`.",
             (f"Data: {REGION} as in the Progress section ({c['targets']:,} targets, {c['units']} units, "
              f"{c['submissions']:,} submissions, {c['lines']:,} report lines), a leader's account and one "
              "reporter's per unit."),
             (f"Load: {a.users} virtual users in one asyncio process (httpx2), half leaders, half reporters "
              "(each its own unit), each signed in once before the clock starts, then for "
              f"{a.seconds:g} s each sends a request, waits for the answer, pauses and sends the next: a pause "
              "drawn uniformly between half and 1.5 times the mean given (users starting at random within the first "
              "pause, so that they do not arrive in step); 0 is a closed loop with no think time. A reporter sends this month's report, then corrections (a version each, "
              "with 更正说明). Before the clock: one unit's report for this month is in and the leader's page drawn "
              "once. Server: uvicorn, one worker process, on 127.0.0.1, a fresh one per run; client and server "
              "share the machine. Server CPU: the CPU seconds of the server and the processes it started, per second of load (100 % is one core); client CPU: the load generator's."),
             "", ("| backend | mean pause s | request | count | per s | p50 ms | p95 ms | p99 ms | max ms | errors (non-2xx) "
                  "| server CPU | client CPU |"), "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for label, r in results:
        lines += table(label, r)
    lines += [f"| {label} | | failed: see the run's error output | | | | | | | | | |" for label in failed]
    lines += ["", ("The bar: under this load the dashboard and the report submission answer with p95 ≤ 150 ms "
                   "on SQLite and on PostgreSQL. " + verdict(results, a.users)), ""]
    publish("\n".join(lines), a.write, HEADING)


if __name__ == "__main__":
    main()
