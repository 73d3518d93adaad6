"""`luoshi check`: findings across the stored plans; `luoshi link`: link every stored target to the
indicator catalog again (after the office edited it) and list the links it should confirm."""
from __future__ import annotations

import typer

from luoshi.commands.common import DB_OPTION, FORMAT_OPTION, OutFormat, emit

_SEVERITY = {"warning": "警告", "info": "提示"}
_STATUS = {"exact": "精确对应", "fuzzy": "模糊对应", "proposed": "待确认", "none": "未对应"}


def load_catalog_for(db: str | None):
    """The catalog an office configured (LUOSHI_CATALOG), else the shipped one."""
    from luoshi.settings import Settings
    from luoshi.track.catalog import load_catalog

    return load_catalog(Settings.from_env(db=db).catalog_path)


def register(app: typer.Typer, edge) -> None:
    @app.command()
    @edge
    def check(db: str = DB_OPTION, fmt: OutFormat = FORMAT_OPTION) -> None:
        """检查全部方案的最新版本：标准宽于上级、方案间目标不一致、目标序列、差于基期、数值不合理、下级目标合计。"""
        from luoshi.commands.common import store_session
        from luoshi.track.checks import KIND_LABELS, run_checks

        catalog = load_catalog_for(db)
        with store_session(db) as session:
            findings = run_checks(session, catalog)
        if fmt is OutFormat.json:
            emit([f.to_dict() for f in findings], [], fmt)
            return
        rows = [{"severity": _SEVERITY[f.severity], "kind": KIND_LABELS.get(f.kind, f.kind), "message": f.message,
                 "where": "\n".join(_where(c) for c in f.citations)} for f in findings]
        columns = [("severity", "级别"), ("kind", "类型"), ("message", "说明"), ("where", "出处")]
        if fmt is OutFormat.csv:
            emit(rows, columns, fmt)
            return
        if not findings:
            typer.echo("未发现问题（已检查各方案的最新版本）。")
            return
        warnings = sum(f.severity == "warning" for f in findings)
        emit(rows, columns, fmt, title=f"检查结果：{warnings} 条警告，{len(findings) - warnings} 条提示")

    @app.command()
    @edge
    def link(db: str = DB_OPTION, fmt: OutFormat = FORMAT_OPTION) -> None:
        """按指标目录（$LUOSHI_CATALOG 或内置目录）重新对应已入库的全部量化目标，列出需要确认的对应。"""
        from luoshi.commands.common import store_session
        from luoshi.track.catalog import relink

        catalog = load_catalog_for(db)
        with store_session(db) as session:
            counts = relink(session, catalog)
            session.commit()
            proposed = _proposed(session, catalog)
        if fmt is OutFormat.json:
            import json
            import sys

            data = {"catalog": catalog.source, "counts": {s: counts.get(s, 0) for s in _STATUS}, "proposed": proposed}
            sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
            return
        if fmt is OutFormat.table:
            total = sum(counts.values())
            parts = "，".join(f"{_STATUS[s]} {counts.get(s, 0)}" for s in _STATUS)
            typer.echo(f"已按指标目录（{catalog.source}，{len(catalog)} 个指标）重新对应 {total} 个目标：{parts}")
            if not proposed:
                return
            typer.echo("以下对应需要确认：确认后把“目标名称”加入该指标的 aliases"
                       "（单位不同的请核对单位），再运行 luoshi link。")
        columns = [("indicator", "目标名称"), ("unit", "单位"), ("key", "建议指标"), ("name", "指标名称"),
                   ("catalog_unit", "指标单位"), ("score", "相似度"), ("count", "目标数"), ("plans", "方案")]
        emit(proposed, columns, fmt, title=f"待确认的对应（{len(proposed)} 项）")


def _where(c) -> str:
    title = f"《{c.title}》" if c.title else f"方案 {c.plan_id}"
    return f"{title} {c.span[0]}–{c.span[1]}：{_short(c.quote)}"


def _short(s: str, n: int = 60) -> str:
    s = " ".join((s or "").split())
    return s if len(s) <= n else s[: n - 1] + "…"


def _proposed(session, catalog) -> list[dict]:
    """Proposed links, one row per name, unit and key, with how many targets and which plans."""
    from sqlalchemy import select

    from luoshi.store.models import Plan, PlanVersion, TargetRow

    q = (select(TargetRow.indicator, TargetRow.unit, TargetRow.indicator_key, TargetRow.link_score, Plan.title)
         .join(PlanVersion, TargetRow.version_id == PlanVersion.id).join(Plan, PlanVersion.plan_id == Plan.id)
         .where(TargetRow.link_status == "proposed").order_by(TargetRow.indicator_key, TargetRow.indicator))
    rows: dict[tuple, dict] = {}
    for name, unit, key, score, title in session.execute(q):
        ind = catalog.get(key)
        r = rows.setdefault((name, unit, key), {
            "indicator": name, "unit": unit, "key": key, "name": ind.name if ind else "",
            "catalog_unit": ind.unit if ind else "", "score": score, "count": 0, "plans": []})
        r["count"] += 1
        if title and title not in r["plans"]:
            r["plans"].append(title)
    return list(rows.values())
