"""A province's quarterly bulletin: the Progress benchmark's 山东省 (16 cities × 100 targets, 160
units, reports 2021-01 to 2023-12), bulletin for 2023Q3, each stage timed.

    .venv/bin/python bench/bench_bulletin.py                              # print a Markdown section
    .venv/bin/python bench/bench_bulletin.py --pg "$(scripts/pg-up)"      # PostgreSQL too
    .venv/bin/python bench/bench_bulletin.py --write docs/benchmarks.md   # replace its "## Bulletin" section

Timed, in a new session per run after one warm-up run (imports and fonts loaded): the data
(`bulletin_data`: the dashboard at the quarter's end, the previous quarter's, the rankings, the
submissions behind each value), the words (`compose`), the Word file with its two charts, the HTML
and the xlsx annex: together what `luoshi bulletin` does before storing; then the same as the web
app runs it, with the Word file drawn in its worker process at the same time. The PDF (LibreOffice,
a process per conversion) is timed apart, where LibreOffice is installed.
"""
from __future__ import annotations

import argparse
import os
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

from luoshi.store import Store  # noqa: E402
from luoshi.track.catalog import load_catalog  # noqa: E402

HEADING = "## Bulletin"
STAGES = ("data", "compose", "docx", "html", "xlsx")


def once(url: str, catalog) -> tuple[dict[str, float], dict]:
    from luoshi.publish.bulletin.annex import annex_sheets, links_for
    from luoshi.publish.bulletin.compose import compose
    from luoshi.publish.bulletin.docx import render_docx
    from luoshi.publish.bulletin.html import render_html
    from luoshi.publish.bulletin.xlsx import render_xlsx
    from luoshi.track.bulletin_data import bulletin_data

    store = Store(url)
    t: dict[str, float] = {}
    try:
        with store.session() as s:
            t0 = time.perf_counter()
            data = bulletin_data(s, "山东省", "2023Q3", catalog=catalog, on=date(2023, 10, 31))
            links = links_for(s, data)
            t["data"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        doc = compose(data)
        t["compose"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        docx = render_docx(doc)
        t["docx"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        html = render_html(doc, links=links)
        t["html"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        xlsx = render_xlsx(doc, extra=annex_sheets(data), links=links)
        t["xlsx"] = time.perf_counter() - t0
    finally:
        store.close()
    size = {"targets": len(data.dashboard.targets), "units": len(data.units), "figures": len(doc.figures()),
            "docx": docx, "html": len(html.encode()), "xlsx": len(xlsx)}
    return t, size


def with_worker(url: str, catalog, worker) -> float:
    """Seconds for `render_all` as the web app runs it: the Word file drawn in its worker process
    while this one draws the HTML and the annex (no PDF)."""
    from luoshi.publish.bulletin.archive import render_all

    store = Store(url)
    try:
        with store.session() as s:
            t0 = time.perf_counter()
            render_all(s, "山东省", "2023Q3", catalog=catalog, on=date(2023, 10, 31), pdf=False, worker=worker)
            return time.perf_counter() - t0
    finally:
        store.close()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--pg", default=os.environ.get("LUOSHI_TEST_PG"), help="a PostgreSQL URL")
    ap.add_argument("--write", type=Path, help="replace the Bulletin section of this Markdown file")
    a = ap.parse_args()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
    tmp = Path(tempfile.mkdtemp(prefix="luoshi-bench-bulletin-"))
    backends = [("SQLite", f"sqlite:///{tmp / 'bulletin.db'}", None)]
    if a.pg:
        backends.append(("PostgreSQL", *pg_schema_url(a.pg)))
    catalog = load_catalog()
    from luoshi.track.worker import WorkerProcess

    rows, size, pdf = [], {}, None
    worker = WorkerProcess()
    for label, url, drop in backends:
        try:
            generate(url)
            once(url, catalog)  # warm-up: imports, matplotlib's fonts
            with_worker(url, catalog, worker)  # and the worker's
            runs, parallel = [], []
            for _ in range(a.runs):
                t, size = once(url, catalog)
                runs.append(t)
                parallel.append(with_worker(url, catalog, worker))
            rows.append((label, runs, parallel))
        finally:
            if drop:
                drop()
    worker.close()
    from luoshi.publish.bulletin import convert

    if convert.available():
        times = []
        for _ in range(3):
            t0 = time.perf_counter()
            pdf_bytes = convert.to_pdf(size["docx"])
            times.append(time.perf_counter() - t0)
        pdf = (statistics.median(times), len(pdf_bytes), len(convert.pdf_pages_png(pdf_bytes, scale=0.1)))
    lines = [HEADING, "",
             f"Machine: {machine()}; load average {load:.1f} when the run began (the machine is shared).",
             f"Command: `.venv/bin/python bench/bench_bulletin.py --runs {a.runs}" + (" --pg URL" if a.pg else "") + "`.",
             (f"Data: the Progress benchmark's 山东省 ({size['targets']:,} targets, {size['units']} units leading "
              "them, reports 2021-01 to 2023-12); the bulletin of 2023Q3 with the previous quarter for comparison: "
              f"{size['figures']:,} figures; Word {len(size['docx']) // 1024} KB (two charts), HTML "
              f"{size['html'] // 1024} KB, xlsx annex {size['xlsx'] // 1024} KB."),
             "", "| backend | " + " | ".join(f"{s} ms" for s in STAGES)
             + " | one process: total ms (median) | max ms | web app (Word in its worker): total ms (median) | max ms |",
             "|---|" + "---:|" * (len(STAGES) + 4)]
    for label, runs, parallel in rows:
        med = {s: statistics.median(r[s] for r in runs) for s in STAGES}
        totals = [sum(r.values()) for r in runs]
        lines.append(f"| {label} | " + " | ".join(f"{med[s] * 1000:.0f}" for s in STAGES)
                     + f" | {statistics.median(totals) * 1000:.0f} | {max(totals) * 1000:.0f}"
                     + f" | {statistics.median(parallel) * 1000:.0f} | {max(parallel) * 1000:.0f} |")
    lines += ["", f"Medians of {a.runs} runs after a warm-up run, each in a new session on an open engine. One process: "
              "the stages one after the other, as `luoshi bulletin` runs them. Web app: `render_all` with the "
              "app's worker process (spawned once, warm) judging the quarter compared with and drawing the Word "
              "file while the request's process judges the quarter and draws the HTML and the annex, as "
              "`POST /api/bulletins` and the bulletins page run it (`luoshi bulletin` likewise, with a forked "
              "process). "
              "The issue's bar: a province-sized bulletin generated in at most 3 s."]
    if pdf:
        lines += ["", f"PDF from the Word file by LibreOffice (headless, a new process and profile per conversion): "
                  f"median {pdf[0]:.1f} s of 3, {pdf[1] // 1024} KB, {pdf[2]} pages. Stored with the version when "
                  "LibreOffice is installed; this is on top of the figures above."]
    publish("\n".join(lines) + "\n", a.write, HEADING)


if __name__ == "__main__":
    main()
