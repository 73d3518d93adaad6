"""Filling the store: `luoshi ingest` (files and folders of plans, in parallel) and `luoshi diff`
(what changed in a plan's targets between two of its versions)."""
from __future__ import annotations

from pathlib import Path

import typer

from luoshi.commands.common import DB_OPTION, FORMAT_OPTION, OutFormat, emit, open_store
from luoshi.errors import LuoshiError

STATUS = {"new": "新方案", "version": "新版本", "duplicate": "重复（已入库）", "skipped": "跳过（不是方案）",
          "failed": "失败"}
CHANGE = {"added": "新增", "removed": "删除", "changed": "修改"}


class IngestFailed(LuoshiError):
    """Some files of a batch failed (the rest were stored): exit status 2."""

    code = "ingest_failed"

INGEST_HELP = """导入方案文件或文件夹（递归，跳过隐藏文件），多进程并行抽取后存入数据库。

每个方案单独提交：某个文件失败只跳过该文件，中途终止也不会留下不完整的方案。内容相同的文件只存一次；
文号或标题相同而内容不同的文件存为该方案的新版本（可用 luoshi diff 查看变化）。

退出码：0 = 全部入库、重复或跳过（不是方案）；2 = 有文件失败（其余文件照常入库，失败原因见结果表）。"""


def ingest(paths: list[Path] = typer.Argument(..., help="方案文件或文件夹"),
           db: str = DB_OPTION,
           workers: int = typer.Option(None, "--workers", "-w", min=0,
                                       help="并行抽取的进程数（默认每个 CPU 核一个）"),
           max_mb: int = typer.Option(50, "--max-mb", help="单个文件的大小上限（MB）")) -> None:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from luoshi.settings import Settings
    from luoshi.store.ingest import ingest as run_ingest
    from luoshi.track.catalog import linker, load_catalog

    settings = Settings.from_env(db=db)
    link = linker(load_catalog(settings.catalog_path))  # targets linked to the indicator catalog as stored
    store = open_store(db)
    err = Console(stderr=True)
    bar = Progress(TextColumn("导入"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                   TextColumn("{task.description}"), console=err, transient=True)
    task = bar.add_task("", total=None)

    def progress(done: int, total: int, outcome) -> None:
        if outcome is None:
            bar.start()  # only now: the worker processes are forked before the bar's thread starts
        bar.update(task, completed=done, total=total, description=Path(outcome.path).name[-40:] if outcome else "")

    try:
        report = run_ingest(store, paths, workers=settings.workers if workers is None else workers,
                            progress=progress, linker=link, max_bytes=max_mb * 1024 * 1024)
    finally:
        bar.stop()
        store.close()
    if not report.files:
        typer.echo("提示：没有找到可导入的文件（隐藏文件和文件夹已跳过）", err=True)
        return
    _summary(report)
    if report.failures:
        raise IngestFailed(f"{len(report.failures)} 个文件导入失败（原因见上表），其余文件已处理")


def _summary(report) -> None:
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    out = Console()
    t = Table(title="导入结果", title_justify="left")
    t.add_column("结果")
    t.add_column("文件数", justify="right")
    for status in ("new", "version", "duplicate", "skipped", "failed"):
        t.add_row(STATUS[status], str(report.count(status)))
    t.add_row("合计", str(report.files), style="bold")
    out.print(t)
    out.print(f"用时 {report.elapsed:.1f} 秒，每秒 {report.files_per_second:.1f} 个文件")
    notable = [o for o in report.outcomes if o.status in ("failed", "skipped", "version")]
    if notable:
        d = Table(title="需要留意的文件", title_justify="left")
        for h in ("文件", "结果", "说明"):
            d.add_column(h, overflow="fold")
        for o in notable:
            label = f"新版本（第 {o.version} 版）" if o.status == "version" else STATUS[o.status]
            note = f"方案 {o.plan_id}：luoshi diff {o.plan_id} 可查看变化" if o.status == "version" else o.reason
            d.add_row(escape(o.path), label, escape(note))
        out.print(d)


def diff(plan: str = typer.Argument(..., help="方案编号、文号或标题中的一段（须只对应一个方案）"),
         from_: int = typer.Option(None, "--from", help="旧版本号（默认新版本的前一版）"),
         to: int = typer.Option(None, "--to", help="新版本号（默认最新版）"),
         db: str = DB_OPTION, fmt: OutFormat = FORMAT_OPTION) -> None:
    from luoshi.store.diff import diff_targets
    from luoshi.store.queries import plan_version, resolve_plan

    store = open_store(db)
    try:
        with store.session() as s:
            p = resolve_plan(s, plan)
            numbers = [v.number for v in p.versions]
            new = plan_version(s, p, to)
            if from_ is None:
                older = [n for n in numbers if n < new.number]
                if not older:
                    raise LuoshiError(f"方案 {p.id} 在第 {new.number} 版之前没有版本可比较",
                                      hint=f"已有版本：{'、'.join(map(str, numbers))}")
                from_ = older[-1]
            old = plan_version(s, p, from_)
            result = diff_targets(old.targets, new.targets)
            rows = [_change_row(c, fmt) for c in result.changes]
            title = (f"{p.title or '方案 ' + str(p.id)}：第 {old.number} 版 → 第 {new.number} 版"
                     f"（新增 {result.count('added')}，删除 {result.count('removed')}，"
                     f"修改 {result.count('changed')}，未变 {result.unchanged}）")
    finally:
        store.close()
    if fmt is OutFormat.table and not rows:
        typer.echo(f"提示：第 {old.number} 版与第 {new.number} 版的量化目标没有变化", err=True)
        return
    cols = [("change", "变化"), ("indicator", "指标"), ("old", f"第 {old.number} 版"), ("new", f"第 {new.number} 版"),
            ("fields", "变化项")]
    if fmt is OutFormat.table:
        from rich.markup import escape

        rows = [{k: escape(v) if isinstance(v, str) else v for k, v in r.items()} for r in rows]
        title = escape(title)
    emit(rows, cols, fmt, title=title)


def _change_row(c, fmt: OutFormat) -> dict:
    from luoshi.store.diff import FIELD_NAMES

    a, b = c.old, c.new
    name = (b or a).indicator
    if a is not None and b is not None and "indicator" in c.fields:
        name = f"{a.indicator} → {b.indicator}"
    if fmt is OutFormat.json:
        return {"change": c.change, "indicator": name, "fields": c.fields, "old": _target(a), "new": _target(b)}
    return {"change": CHANGE[c.change], "indicator": name, "old": _said(a), "new": _said(b),
            "fields": "、".join(FIELD_NAMES[f] for f in c.fields)}


def _target(t) -> dict | None:
    from luoshi.store.search import _num

    if t is None:
        return None
    return {"indicator": t.indicator, "comparator": t.comparator, "value": _num(t.value),
            "value_max": _num(t.value_max), "unit": t.unit, "year": t.year, "kind": t.kind,
            "position": t.position, "span": [t.start, t.end], "quote": t.quote}


def _said(t) -> str:
    """A target as a person reads it: ≥ 1.2万个（2026年）."""
    from luoshi.present import _CMP, fmt_number
    from luoshi.store.search import _num

    if t is None:
        return ""
    value = fmt_number(_num(t.value)) + (f"—{fmt_number(_num(t.value_max))}" if t.value_max is not None else "")
    return f"{_CMP.get(t.comparator, t.comparator)} {value}{t.unit}" + (f"（{t.year}年）" if t.year else "")


def register(app: typer.Typer, edge) -> None:
    app.command("ingest", help=INGEST_HELP)(edge(ingest))
    app.command("diff", help="比较一个方案的两个版本：哪些量化目标新增、删除或修改（默认比较最新两版）。")(edge(diff))
