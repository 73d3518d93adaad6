"""Importing filled Excel monthly reports into a province-sized store: 200 workbooks.

    .venv/bin/python bench/bench_excel_import.py                             # print a Markdown section
    .venv/bin/python bench/bench_excel_import.py --pg "$(scripts/pg-up)"     # PostgreSQL too
    .venv/bin/python bench/bench_excel_import.py --write docs/benchmarks.md  # replace its "## Excel import" section

The store is bench_progress's province (16 cities × 100 targets, 160 units each leading a task of 10
targets, reports 2021-01 to 2023-12 written straight into the tables), its targets linked to the
shipped catalog as `luoshi link` would, and its reports from 2023-01 on taken out again. Then, for
100 units and the months 2023-01 and 2023-02 in turn: `excel_report.write_template` writes each
unit's template, a person's filling is simulated with openpyxl (当月 typed, 累计 = the template's
上月累计 + 当月, 进展情况 on every row, 滞后原因 and 下步措施 where the row is behind 序时进度 by the
unit's own reckoning), and each workbook is imported with `excel_import.import_workbook` in a
session of its own, committed, as `luoshi report import` does (its process start and opening the
store are not timed). The month's reports arrive on the 5th of the month after (`as_of`), on time.
Timed: each import (reading the workbook, checking, storing, committing); then, apart, reading the
200 workbooks alone with openpyxl, to show its share.
"""
from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench_extract import machine  # noqa: E402 - after the path is set
from bench_ingest import pg_schema_url  # noqa: E402
from bench_progress import generate  # noqa: E402
from mdsections import publish  # noqa: E402
from openpyxl import load_workbook  # noqa: E402
from sqlalchemy import delete, func, select, text  # noqa: E402

from luoshi.publish.excel_import import import_workbook  # noqa: E402
from luoshi.publish.excel_layout import COLUMN_OF, FIRST_ROW, SHEET  # noqa: E402
from luoshi.publish.excel_report import write_template  # noqa: E402
from luoshi.store import Store  # noqa: E402
from luoshi.store.dispatch_models import ReportLine, Submission, TaskTarget, TaskUnit  # noqa: E402
from luoshi.store.models import PlanVersion, TargetRow  # noqa: E402
from luoshi.track.catalog import load_catalog, relink  # noqa: E402

HEADING = "## Excel import"
MONTHS = (("2023-01", date(2023, 2, 5)), ("2023-02", date(2023, 3, 5)))  # (month, day received)
UNITS = 100  # × 2 months = 200 workbooks


def prepare(url: str, catalog) -> dict:
    """The province store, linked, with no reports from 2023-01 on; returns bench_progress's counts."""
    counts = generate(url)
    store = Store(url)
    try:
        with store.session() as s:
            relink(s, catalog)
            gone = select(Submission.id).where(Submission.period >= MONTHS[0][0])
            s.execute(delete(ReportLine).where(ReportLine.submission_id.in_(gone)))
            s.execute(delete(Submission).where(Submission.period >= MONTHS[0][0]))
            if s.bind.dialect.name == "postgresql":  # generate wrote the ids itself: move the sequences on
                for table in (Submission.__table__.name, ReportLine.__table__.name):
                    s.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                   f"(SELECT max(id) FROM {table}))"))
            s.commit()
    finally:
        store.close()
    return counts


class Person:
    """What a unit's reporter knows: each target's goal, where it started (the baseline, else the
    unit's first report) and its plan's first year; how fast it goes (seeded)."""

    def __init__(self, s, unit_id: int, catalog, rnd: random.Random):
        self.goals: dict[int, tuple] = {}
        q = (select(TargetRow, PlanVersion.period_start).join(TaskTarget, TaskTarget.target_id == TargetRow.id)
             .join(TaskUnit, TaskUnit.task_id == TaskTarget.task_id)
             .join(PlanVersion, PlanVersion.id == TargetRow.version_id).where(TaskUnit.unit_id == unit_id))
        first = dict(s.execute(select(ReportLine.target_id, ReportLine.cumulative)
                               .join(Submission, Submission.id == ReportLine.submission_id)
                               .where(Submission.unit_id == unit_id, Submission.period == "2021-01",
                                      Submission.version == 1)).all())
        for t, start in s.execute(q):
            ind = catalog.get(t.indicator_key)
            base = float(t.baseline_value) if t.baseline_value is not None else float(first[t.id])
            self.goals[t.id] = (float(t.value), base, t.year, start, getattr(ind, "nature", "cumulative"),
                                rnd.uniform(0.4, 1.6))

    def fill(self, path: Path, period: str) -> int:
        """Type this month's figures into the template; returns the rows filled."""
        wb = load_workbook(path)
        ws = wb[SHEET]
        col = COLUMN_OF
        y, m = int(period[:4]), int(period[5:])
        rows = 0
        for r in range(FIRST_ROW, ws.max_row + 1):
            tid = ws[f"{col['target_id']}{r}"].value
            if tid is None:
                continue
            value, base, year, start, nature, speed = self.goals[tid]
            before = float(ws[f"G{r}"].value)  # 上月累计, as the template shows it
            step = round(abs(value - base) / 36 * speed, 2)
            down = value < base
            total = round(before - step if down else before + step, 4)
            ws[f"{col['cumulative']}{r}"] = total
            if nature != "ratio":  # a level (PUE) has no 当月
                ws[f"{col['month_value']}{r}"] = step
            ws[f"{col['narrative']}{r}"] = "按计划推进"
            if self.behind(value, base, year, start, y * 12 + m, total):
                ws[f"{col['delay_reason']}{r}"] = "项目审批和建设进度滞后"
                ws[f"{col['next_steps']}{r}"] = "倒排工期，按月调度"
            rows += 1
        wb.save(path)
        return rows

    @staticmethod
    def behind(value, base, year, start, at, total) -> bool:
        """Below 序时进度 (time elapsed since the plan began, linear), or past the deadline unmet."""
        origin, end = start * 12, (year + 1) * 12
        met = total <= value if value < base else total >= value
        if at > end:
            return not met
        done = (total - base) / (value - base) if value != base else 1.0
        return not met and done < (at - origin) / (end - origin)


def run(url: str, folder: Path, catalog) -> dict:
    store = Store(url)
    rnd = random.Random(11)
    times, reads, rows, files = [], [], [], []
    try:
        with store.session() as s:
            units = list(s.scalars(select(TaskUnit.unit_id).where(TaskUnit.role == "lead")
                                   .order_by(TaskUnit.unit_id).limit(UNITS)))
            people = {u: Person(s, u, catalog, rnd) for u in units}
        for period, received in MONTHS:
            month = []
            for u in units:
                path = folder / f"{u}_{period}.xlsx"
                with store.session() as s:
                    write_template(s, u, period, path)
                rows.append(people[u].fill(path, period))
                month.append(path)
            for path in month:  # one import per workbook, each in a session of its own
                t0 = time.perf_counter()
                with store.session() as s:
                    import_workbook(s, path, submitted_by="填报员", as_of=received)
                times.append(time.perf_counter() - t0)
            files += month
        for path in files:
            t0 = time.perf_counter()
            load_workbook(path, data_only=True)
            reads.append(time.perf_counter() - t0)
        with store.session() as s:
            stored = s.scalar(select(func.count()).select_from(Submission).where(Submission.period >= MONTHS[0][0]))
    finally:
        store.close()
    assert stored == len(files), (stored, len(files))
    return {"times": times, "reads": reads, "rows": rows, "bytes": sum(p.stat().st_size for p in files)}


def p95(xs: list[float]) -> float:
    return statistics.quantiles(xs, n=20, method="inclusive")[-1]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pg", default=os.environ.get("LUOSHI_TEST_PG"), help="a PostgreSQL URL")
    ap.add_argument("--write", type=Path, help="replace the Excel import section of this Markdown file")
    a = ap.parse_args()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
    catalog = load_catalog()
    tmp = Path(tempfile.mkdtemp(prefix="luoshi-bench-excel-"))
    backends = [("SQLite", f"sqlite:///{tmp / 'excel.db'}", None)]
    if a.pg:
        backends.append(("PostgreSQL", *pg_schema_url(a.pg)))
    results, counts = [], {}
    for label, url, drop in backends:
        folder = tmp / label
        folder.mkdir()
        try:
            counts = prepare(url, catalog)
            results.append((label, run(url, folder, catalog)))
        finally:
            if drop:
                drop()
    lines = [HEADING, "",
             f"Machine: {machine()}; load average {load:.1f} when the run began (the machine is shared).",
             "Command: `.venv/bin/python bench/bench_excel_import.py" + (" --pg URL" if a.pg else "") + "`.",
             (f"Data: the Progress benchmark's province ({counts['targets']:,} targets, {counts['units']} units, "
              "reports 2021-01 to 2022-12), targets linked to the shipped catalog; 100 units × 2 months "
              "(2023-01, 2023-02) = 200 templates written by `write_template`, filled with openpyxl as a "
              "person would (当月, 累计 agreeing with the month before, reasons where behind), each imported "
              "by `import_workbook` in a session of its own and committed, as `luoshi report import` does "
              "(process start and opening the store not timed)."),
             "", ("| backend | workbooks | rows per workbook | total s | workbooks/s | median ms | p95 ms | max ms "
                  "| of which openpyxl reading, median ms |"),
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for label, r in results:
        t, n = r["times"], len(r["times"])
        lines.append(f"| {label} | {n} | {statistics.mean(r['rows']):.0f} | {sum(t):.1f} | {n / sum(t):.0f} | "
                     f"{statistics.median(t) * 1000:.0f} | {p95(t) * 1000:.0f} | {max(t) * 1000:.0f} | "
                     f"{statistics.median(r['reads']) * 1000:.0f} |")
    lines += ["", (f"Workbooks of {results[0][1]['bytes'] / len(results[0][1]['times']) / 1024:.0f} KB on average. "
                   "The issue's bar: importing 200 filled workbooks in at most 30 s."), ""]
    publish("\n".join(lines), a.write, HEADING)


if __name__ == "__main__":
    main()
