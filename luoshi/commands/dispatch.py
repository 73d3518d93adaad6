"""Monthly dispatch (月调度), its registry: `luoshi dispatch init` builds the responsible units
and the tasks from the stored plans; `luoshi units` and `luoshi tasks` list them."""
from __future__ import annotations

import typer

from luoshi.commands.common import DB_OPTION, FORMAT_OPTION, OutFormat, emit, store_session
from luoshi.errors import LuoshiError

KINDS = {"department": "部门", "government": "政府", "company": "企业", "other": "其他"}
ROLES = {"lead": "牵头", "support": "配合"}
dispatch_app = typer.Typer(no_args_is_help=True, help="月调度：责任单位名录与任务。")


class UnitNotFound(LuoshiError):
    code = "unit_not_found"
    http_status = 404


def init(plan: str = typer.Argument(None, help="只为这个方案建任务（编号、文号或标题中的一段）；默认全部方案"),
         db: str = DB_OPTION) -> None:
    """Build the unit registry and the tasks of every plan's newest version (or of one plan)."""
    from sqlalchemy import func, select

    from luoshi.store.dispatch_models import Task, Unit
    from luoshi.store.queries import resolve_plan
    from luoshi.track.tasks import build_tasks
    from luoshi.track.units import Units, build_registry

    with store_session(db) as s:
        plan_id = resolve_plan(s, plan).id if plan else None
        before = s.scalar(select(func.count()).select_from(Unit))
        units = Units(s)
        registered = build_registry(s, units=units)
        made = build_tasks(s, plan_id, units=units)
        total_units = s.scalar(select(func.count()).select_from(Unit))
        total_tasks = s.scalar(select(func.count()).select_from(Task))
        linked = sum(len(t.targets) for t in made)
        s.commit()
    typer.echo(f"责任单位 {total_units} 个（本次新增 {total_units - before} 个，方案中出现 {len(registered)} 个）")
    typer.echo(f"任务 {total_tasks} 个（本次新增 {len(made)} 个，关联量化目标 {linked} 项）")


def units(db: str = DB_OPTION, fmt: OutFormat = FORMAT_OPTION) -> None:
    """Every registered unit: kind, region, tasks led and supported, other spellings."""
    from luoshi.track.units import unit_rows

    with store_session(db) as s:
        rows = unit_rows(s)
    if fmt is not OutFormat.json:
        rows = [{**r, "kind": KINDS.get(r["kind"], r["kind"])} for r in rows]
    if fmt is OutFormat.table and not rows:
        typer.echo("尚无责任单位：请先运行 luoshi dispatch init", err=True)
    emit(rows, [("id", "编号"), ("name", "单位"), ("kind", "类型"), ("region", "地区"), ("lead_tasks", "牵头任务"),
                ("support_tasks", "配合任务"), ("aliases", "其他写法")], fmt, title=f"责任单位（{len(rows)} 个）")


def tasks(unit: str = typer.Option(None, "--unit", "-u", help="责任单位：名称或其他写法（市工信局）"),
          plan: str = typer.Option(None, "--plan", "-p", help="方案：编号、文号或标题中的一段"),
          db: str = DB_OPTION, fmt: OutFormat = FORMAT_OPTION) -> None:
    """The tasks of every plan's newest version, or of one unit or plan: units and targets."""
    from luoshi.store.queries import resolve_plan
    from luoshi.track.tasks import task_rows
    from luoshi.track.units import resolve

    with store_session(db) as s:
        p = resolve_plan(s, plan) if plan else None
        u = None
        if unit:
            u = resolve(s, unit, p.region_code if p else None, region_name=p.region_name if p else None)
            if u is None:
                raise UnitNotFound(f"没有找到责任单位「{unit}」",
                                   hint="“市…”“县…”这样的写法请用 --plan 指明方案，或写全称；可用 luoshi units 查看")
        rows = task_rows(s, unit=u, plan_id=p.id if p else None)
    if fmt is not OutFormat.json:
        rows = [{**r, "targets": [_target_text(x) for x in r["targets"]]} for r in rows]
    if fmt is OutFormat.table:
        if not rows:
            typer.echo("没有任务：请先运行 luoshi dispatch init", err=True)
        from rich.markup import escape

        rows = [{k: escape(v) if isinstance(v, str) else v for k, v in r.items()} for r in rows]
    cols = [("id", "编号"), ("plan_id", "方案"), ("section", "章节"), ("title", "任务"), ("lead", "牵头单位"),
            ("support", "配合单位"), ("targets", "量化目标"), ("due", "完成时限")]
    if fmt is OutFormat.csv:
        cols[2:2] = [("plan_title", "方案名称")]
        cols.append(("status", "状态"))
    who = f"{u.name}的" if u else ""
    emit(rows, cols, fmt, title=f"{who}任务（{len(rows)} 个）")


def _target_text(t: dict) -> str:
    from luoshi.present import _CMP, fmt_number

    value = fmt_number(t["value"]) + (f"—{fmt_number(t['value_max'])}" if t["value_max"] is not None else "")
    cmp = _CMP.get(t["comparator"], t["comparator"])
    return f"{t['indicator']} {'' if cmp == '=' else cmp}{value}{t['unit']}" + (f"（{t['year']}年）" if t["year"] else "")


def register(app: typer.Typer, edge) -> None:
    dispatch_app.command("init", help="从已入库方案（各方案最新版）建立责任单位名录和任务；可重复运行。")(edge(init))
    app.add_typer(dispatch_app, name="dispatch", help="月调度：建立责任单位名录和任务。")
    app.command("units", help="责任单位名录：类型、地区、牵头与配合任务数、其他写法。")(edge(units))
    app.command("tasks", help="任务：所属方案与章节、牵头与配合单位、量化目标。")(edge(tasks))
