"""Reading the policy database: `luoshi plans`, `show`, `targets` and `search`. Each prints a
table for a person, or JSON / CSV (plain numbers) for a program."""
from __future__ import annotations

import json
import sys

import typer

from luoshi.commands.common import DB_OPTION, FORMAT_OPTION, OutFormat, emit, store_session

LEVELS = {"province": "省级", "city": "市级", "county": "县级"}
SOURCES = {"text": "正文", "table": "表格"}
TARGET_COLUMNS = [("region", "地区"), ("year", "年份"), ("plan_title", "方案"), ("indicator", "指标"),
                  ("indicator_key", "目录键"), ("comparator", "比较"), ("value", "数值"), ("unit", "单位"),
                  ("kind", "类型"), ("source", "来源"), ("span", "位置")]
TARGET_CSV = [("id", "目标编号"), ("plan_id", "方案编号")] + TARGET_COLUMNS[:6] + [
    ("value", "数值"), ("value_max", "上限"), ("unit", "单位"), ("kind", "类型"), ("source", "来源"),
    ("start", "起"), ("end", "止"), ("quote", "原文")]


def _emit(rows: list[dict], columns, fmt: OutFormat, title: str = "") -> None:
    """emit(), with plan text in a table taken literally (a "[b]" in it is no Rich markup)."""
    if fmt is OutFormat.table:
        from rich.markup import escape

        rows = [{k: escape(v) if isinstance(v, str) else v for k, v in r.items()} for r in rows]
        title = escape(title)
    emit(rows, columns, fmt, title=title)


def plans(db: str = DB_OPTION, fmt: OutFormat = FORMAT_OPTION) -> None:
    """Every stored plan with its newest version."""
    from luoshi.store.queries import plan_summaries

    with store_session(db) as s:
        rows = plan_summaries(s)
    cols = [("id", "编号"), ("title", "标题"), ("doc_number", "文号"), ("region", "地区"), ("level", "层级"),
            ("versions", "版本"), ("issued", "成文日期"), ("ingested_at", "入库日期"),
            ("targets", "目标"), ("assignments", "分工")]
    if fmt is OutFormat.table:  # the newest version's dates and counts
        rows = [{**r, "level": LEVELS.get(r["level"] or "", r["level"]),
                 "ingested_at": f"{r['ingested_at']:%Y-%m-%d}"} for r in rows]
    elif fmt is OutFormat.csv:
        rows = [{**r, "ingested_at": r["ingested_at"].isoformat()} for r in rows]
    _emit(rows, cols, fmt, title=f"方案（共 {len(rows)} 个）")


def show(plan: str = typer.Argument(..., help="方案编号、文号或标题中的一段（须只对应一个方案）"),
         version: int = typer.Option(None, "--version", "-v", help="第几版（默认最新版）"),
         db: str = DB_OPTION, fmt: OutFormat = FORMAT_OPTION) -> None:
    """One plan: metadata, outline, targets and assignments of a version (CSV: its targets)."""
    from luoshi.store.queries import (
        plan_version,
        resolve_plan,
        target_rows,
        version_model,
    )

    with store_session(db) as s:
        p = resolve_plan(s, plan)
        v = plan_version(s, p, version)
        count = len(p.versions)
        m = version_model(p, v)
        ids = [(t.id, t.indicator_key, t.link_status) for t in v.targets]
        assignment_ids = [a.id for a in v.assignments]
        from luoshi.store.hierarchy import child_plans, parent_plan

        parent = parent_plan(s, p)
        kids = child_plans(s, p)
        family = {"parent": {"id": parent.id, "title": parent.title} if parent else None,
                  "children": [{"id": c.id, "title": c.title, "region": c.region_name} for c in kids]}
        rows = target_rows(s, version_id=v.id) if fmt is OutFormat.csv else []
    if fmt is OutFormat.csv:
        _emit(_target_cells(rows, fmt), TARGET_CSV, fmt)
        return
    if fmt is OutFormat.json:
        data = {"plan": {"id": p.id, "key": p.key, "title": p.title, "region": p.region_name,
                         "region_code": p.region_code, "level": p.level, "versions": count},
                "version": {"id": v.id, "number": v.number, "source_name": v.source_name, "format": v.format,
                            "sha256": v.sha256, "ingested_at": v.ingested_at.isoformat()},
                **family, **m.to_json(False)}
        for t, (tid, key, status) in zip(data["targets"], ids):
            t.update(id=tid, indicator_key=key, link_status=status)
        for a, aid in zip(data["assignments"], assignment_ids):
            a["id"] = aid
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        return
    from luoshi.present import print_plan

    head = f"方案 {p.id} · 第 {v.number} 版（共 {count} 版）· {v.ingested_at:%Y-%m-%d} 入库"
    if parent:
        head += f"\n上级方案：{parent.id} {parent.title}"
    if kids:
        head += "\n下级方案：" + "；".join(f"{c.id} {c.title}" for c in kids)
    print_plan(m, title=head)


def targets(indicator: str = typer.Option(None, "--indicator", "-i", help="指标：目录键、目录名称或指标名称"),
            region: str = typer.Option(None, "--region", "-r", help="地区（含下辖地区），名称或区划代码"),
            year: int = typer.Option(None, "--year", "-y", help="目标年份"),
            db: str = DB_OPTION, fmt: OutFormat = FORMAT_OPTION) -> None:
    """The targets of every plan's newest version in one table, by region and year."""
    from luoshi.store.queries import target_rows

    keys_for = _catalog_keys(db) if indicator else None
    with store_session(db) as s:
        rows = target_rows(s, indicator=indicator, region=region, year=year, keys_for=keys_for)
    if fmt is OutFormat.table and not rows:
        typer.echo("没有符合条件的量化目标", err=True)
    _emit(_target_cells(rows, fmt), TARGET_CSV if fmt is OutFormat.csv else TARGET_COLUMNS, fmt,
         title=f"量化目标（{len(rows)} 项）")


def _catalog_keys(db: str | None):
    """The keys the indicator catalog (LUOSHI_CATALOG, else the shipped one) has for a name or key."""
    from luoshi.settings import Settings
    from luoshi.track.catalog import load_catalog
    from luoshi.track.normalize import norm_name

    catalog = load_catalog(Settings.from_env(db=db).catalog_path)
    return lambda name: {k for k in (catalog.names.get(norm_name(name)), name.strip().lower()) if k in catalog.by_key}


def _target_cells(rows: list[dict], fmt: OutFormat) -> list[dict]:
    if fmt is OutFormat.csv:
        return [{**r, "start": r["span"][0], "end": r["span"][1]} for r in rows]
    if fmt is OutFormat.json:
        return rows
    from luoshi.present import _CMP, _KIND, fmt_number

    return [{**r, "comparator": _CMP.get(r["comparator"], r["comparator"]), "kind": _KIND.get(r["kind"], r["kind"]),
             "value": fmt_number(r["value"]) + (f"—{fmt_number(r['value_max'])}" if r["value_max"] is not None else ""),
             "source": SOURCES.get(r["source"], r["source"]),
             "indicator_key": r["indicator_key"] and r["indicator_key"] + ("（待确认）" if r["link_status"] == "proposed" else "")}
            for r in rows]


def search(query: str = typer.Argument(..., help="检索词（按原文逐字匹配，不分词）"),
           limit: int = typer.Option(20, "--limit", "-n", min=1, help="最多列出多少个方案"),
           db: str = DB_OPTION, fmt: OutFormat = FORMAT_OPTION) -> None:
    """Plans whose text contains QUERY, most occurrences first, with snippets and the targets there."""
    from dataclasses import asdict

    from luoshi.present import fmt_number
    from luoshi.store.search import search as run_search

    with store_session(db) as s:
        hits = run_search(s, query, limit=limit)
    if fmt is OutFormat.json:
        sys.stdout.write(json.dumps([asdict(h) for h in hits], ensure_ascii=False, indent=2) + "\n")
        return
    said = {}
    for h in hits:
        for t in h.targets:
            value = fmt_number(t.value) + (f"—{fmt_number(t.value_max)}" if t.value_max is not None else "")
            said[t.id] = f"{t.indicator} {value}{t.unit}" + (f"（{t.year}年）" if t.year else "")
    if fmt is OutFormat.csv:
        rows = [{"plan_id": h.plan_id, "title": h.title, "region": h.region, "count": h.count,
                 "start": sn.span[0], "end": sn.span[1], "snippet": sn.text,
                 "targets": "；".join(said[i] for i in sn.target_ids)} for h in hits for sn in h.snippets]
        _emit(rows, [("plan_id", "方案编号"), ("title", "方案"), ("region", "地区"), ("count", "出现次数"),
                    ("start", "起"), ("end", "止"), ("snippet", "片段"), ("targets", "相关目标")], fmt)
        return
    if not hits:
        typer.echo(f"没有方案提到「{query.strip()}」", err=True)
        return
    rows = [{"plan_id": h.plan_id, "title": h.title, "region": h.region, "count": h.count,
             "snippets": "\n".join(f"{sn.span[0]}：{sn.text}" for sn in h.snippets)
             + (f"\n……另有 {h.count - len(h.snippets)} 处" if h.count > len(h.snippets) else ""),
             "targets": "\n".join(said[t.id] for t in h.targets)} for h in hits]
    _emit(rows, [("plan_id", "编号"), ("title", "方案"), ("region", "地区"), ("count", "次数"),
                ("snippets", "片段（位置：原文）"), ("targets", "相关目标")], fmt,
         title=f"「{query.strip()}」出现在 {len(hits)} 个方案中")


def register(app: typer.Typer, edge) -> None:
    app.command("plans", help="列出数据库中的全部方案。")(edge(plans))
    app.command("show", help="查看一个方案：基本信息、提纲、量化目标和责任分工。")(edge(show))
    app.command("targets", help="全部方案的量化目标（一张表，按地区和年份排序）。")(edge(targets))
    app.command("search", help="在全部方案原文中检索（逐字匹配，不分词）。")(edge(search))
