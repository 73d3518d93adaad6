"""Progress over the store for a province: 16 cities × 100 targets, 36 months of reports.

    .venv/bin/python bench/bench_progress.py                           # print a Markdown section
    .venv/bin/python bench/bench_progress.py --pg "$(scripts/pg-up)"   # PostgreSQL too
    .venv/bin/python bench/bench_progress.py --write docs/benchmarks.md  # replace its "## Progress" section

The rows are written straight into a new SQLite file (and, given a server, a new PostgreSQL schema):
one plan (2021–2023) for each of 山东省's 16 cities, each with 100 targets (50 indicators, each with
a 2022 milestone and a 2023 target; 25 in the catalog, among them a lower-is-better PUE, 25 not),
10 units per city each leading a task of 10 targets, and every unit's monthly report from 2021-01
to 2023-12 (36 × 160 = 5,760 reports of 10 lines, every 20th corrected by a second version: 6,048
submissions, 60,480 lines). Timed: `luoshi.track.progress.progress(session, region="山东省", as_of="2023-12",
catalog=...)` in a new session per run (the first, cold run apart), and
`office_timeliness` over the 36 months (it judges progress again for each unit's lights).
"""
from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench_extract import machine  # noqa: E402 - after the path is set
from bench_ingest import pg_schema_url  # noqa: E402
from mdsections import publish  # noqa: E402
from sqlalchemy import insert, select  # noqa: E402

from luoshi.store import Store  # noqa: E402
from luoshi.store.dispatch_models import ReportLine, Submission, Task, TaskTarget, TaskUnit, Unit  # noqa: E402
from luoshi.store.models import AssignmentRow, Plan, PlanVersion, Region, TargetRow  # noqa: E402
from luoshi.track.catalog import load_catalog  # noqa: E402

HEADING = "## Progress"
LINKED = ["5G基站", "各类充电桩保有量", "上云企业", "工业互联网平台", "新建数据中心PUE值", "加氢站", "新型研发机构",
          "两化融合示范企业", "在用数据中心机柜数", "新能源汽车充电桩保有量", "公共充电桩", "10G-PON端口",
          "千兆宽带用户", "物联网骨干企业", "技术转化平台", "智能制造标杆企业", "数据应用典型案例", "典型应用场景",
          "新兴产业集聚区", "充电服务示范小区", "工业应用APP", "工业互联网产业园区", "人工智能开放平台",
          "智慧农业应用基地", "数字经济园区"]
NAMES = LINKED + [f"重点建设项目{k}" for k in range(25)]


def generate(url: str, seed: int = 7) -> dict:
    """Write the province into the store at `url`; returns the counts."""
    rnd = random.Random(seed)
    store = Store(url)
    rows: dict[str, list[dict]] = {k: [] for k in ("plans", "versions", "targets", "assignments", "units", "tasks",
                                                   "task_units", "task_targets", "submissions", "lines")}
    try:
        with store.session() as s:
            cities = s.execute(select(Region.code, Region.name).where(Region.parent_code == "370000",
                                                                      Region.level == "city")).all()
            tid = uid = sid = 0
            for c, (code, name) in enumerate(cities, 1):
                rows["plans"].append({"id": c, "key": f"doc:bench{c}", "title": f"{name}新基建三年行动方案",
                                      "region_name": name, "region_code": code, "level": "city"})
                rows["versions"].append({"id": c, "plan_id": c, "number": 1, "sha256": f"{c:064d}", "format": "txt",
                                         "text": "……", "title": f"{name}新基建三年行动方案", "period_start": 2021,
                                         "period_end": 2023, "target_count": 100})
                series = []  # (target id, start value, end value) per target, in position order
                for k, ind in enumerate(NAMES):
                    pue = ind == "新建数据中心PUE值"
                    base, goal = (1.5, 1.3) if pue else (100.0 * (k + 1), 1000.0 * (k + 1) * rnd.uniform(0.8, 1.2))
                    for year, value in ((2022, base + (goal - base) * 0.6), (2023, goal)):
                        tid += 1
                        rows["targets"].append({
                            "id": tid, "version_id": c, "position": len(series), "indicator": ind, "value": value,
                            "unit": "" if pue else "个", "comparator": "<=" if pue else ">=", "year": year,
                            "kind": "goal", "baseline_year": 2020 if k % 2 else None,
                            "baseline_value": base if k % 2 else None, "start": 0, "end": 1, "section": "二",
                            "source": "text", "quote": ind, "link_status": "none"})
                        series.append((tid, base, value))
                for j in range(10):
                    uid += 1
                    rows["units"].append({"id": uid, "name": f"{name}单位{j + 1}", "kind": "department",
                                          "region_code": code})
                    rows["assignments"].append({"id": uid, "version_id": c, "position": j, "start": 0, "end": 1,
                                                "section": "二", "lead_count": 1})
                    rows["tasks"].append({"id": uid, "plan_id": c, "assignment_id": uid, "title": f"任务{j + 1}"})
                    rows["task_units"].append({"task_id": uid, "unit_id": uid, "role": "lead", "position": 0})
                    mine = series[10 * j:10 * j + 10]
                    rows["task_targets"] += [{"task_id": uid, "target_id": t} for t, _, _ in mine]
                    for m in range(36):
                        period = f"{2021 + m // 12}-{m % 12 + 1:02d}"
                        at = datetime(2021 + (m + 1) // 12, (m + 1) % 12 + 1, 8, tzinfo=timezone.utc)
                        for version in (1, 2) if (uid + m) % 20 == 0 else (1,):
                            sid += 1
                            rows["submissions"].append({
                                "id": sid, "unit_id": uid, "period": period, "version": version, "source": "api",
                                "submitted_at": at, "correction_reason": "更正" if version > 1 else None,
                                "approved": False})
                            share = (m + 1) / 36
                            rows["lines"] += [{"submission_id": sid, "target_id": t,
                                               "cumulative": round(b + (v - b) * share * rnd.uniform(0.6, 1.15), 4)}
                                              for t, b, v in mine]
            for key, model in (("plans", Plan), ("versions", PlanVersion), ("targets", TargetRow),
                               ("assignments", AssignmentRow), ("units", Unit), ("tasks", Task),
                               ("task_units", TaskUnit), ("task_targets", TaskTarget), ("submissions", Submission),
                               ("lines", ReportLine)):
                for i in range(0, len(rows[key]), 5000):
                    s.execute(insert(model), rows[key][i:i + 5000])
            s.commit()
    finally:
        store.close()
    return {k: len(v) for k, v in rows.items()}


def timed(url: str, runs: int) -> dict[str, tuple]:
    """(first run s, median s, min s, max s, median CPU s, result size) for progress and office_timeliness."""
    from luoshi.track.office_timeliness import office_timeliness
    from luoshi.track.progress import progress

    catalog = load_catalog()
    store = Store(url)
    calls = {"progress": lambda s: progress(s, region="山东省", as_of="2023-12", catalog=catalog),
             "timeliness": lambda s: office_timeliness(s, start="2021-01", end="2023-12",
                                                       as_of=datetime(2024, 1, 20).date(), catalog=catalog).reports}
    out = {}
    try:
        for name, call in calls.items():
            times, cpu, size = [], [], 0
            for _ in range(runs + 1):
                with store.session() as s:
                    t0, c0 = time.perf_counter(), time.process_time()
                    size = len(call(s))
                    times.append(time.perf_counter() - t0)
                    cpu.append(time.process_time() - c0)
            rest = times[1:]
            out[name] = (times[0], statistics.median(rest), min(rest), max(rest), statistics.median(cpu[1:]), size)
    finally:
        store.close()
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--pg", default=os.environ.get("LUOSHI_TEST_PG"), help="a PostgreSQL URL")
    ap.add_argument("--write", type=Path, help="replace the Progress section of this Markdown file")
    a = ap.parse_args()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
    tmp = Path(tempfile.mkdtemp(prefix="luoshi-bench-progress-"))
    backends = [("SQLite", f"sqlite:///{tmp / 'progress.db'}", None)]
    if a.pg:
        backends.append(("PostgreSQL", *pg_schema_url(a.pg)))
    results, counts = [], {}
    for label, url, drop in backends:
        try:
            counts = generate(url)
            results.append((label, timed(url, a.runs)))
        finally:
            if drop:
                drop()
    lines = [HEADING, "",
             f"Machine: {machine()}; load average {load:.1f} when the run began (the machine is shared).",
             f"Command: `.venv/bin/python bench/bench_progress.py --runs {a.runs}"
             + (" --pg URL" if a.pg else "") + "`.",
             (f"Data: 山东省's 16 cities, one plan each, {counts['targets']:,} targets, {counts['units']} units "
              f"leading {counts['tasks']} tasks, {counts['submissions']:,} monthly submissions (2021-01 to 2023-12, "
              f"every 20th corrected) with {counts['lines']:,} report lines, written straight into the tables."),
             "", "| backend | call | result rows | first run ms | median ms | min ms | max ms | median CPU ms |",
             "|---|---|---:|---:|---:|---:|---:|---:|"]
    what = {"progress": '`progress(region="山东省", as_of="2023-12")`',
            "timeliness": "`office_timeliness(2021-01…2023-12)` with lights"}
    for label, res in results:
        for name, (first, med, lo, hi, cpu, size) in res.items():
            lines.append(f"| {label} | {what[name]} | {size:,} | {first * 1000:.0f} | {med * 1000:.0f} | "
                         f"{lo * 1000:.0f} | {hi * 1000:.0f} | {cpu * 1000:.0f} |")
    lines += ["", (f"Medians of {a.runs} runs after the first, each in a new session on an open engine; CPU is this "
                   "process's CPU time (on a loaded machine wall time runs above it; PostgreSQL's own work is not "
                   "in it). The issue's bar: progress for a province of this size in at most 1 s."), ""]
    publish("\n".join(lines), a.write, HEADING)


if __name__ == "__main__":
    main()
