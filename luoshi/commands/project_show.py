"""Reading the key-project library from the command line: `luoshi projects` (filters, investment
totals, `--as-of` a day) and `luoshi project show CODE` (one project as it stands and every
version of it: who, when, what changed, why); and what the project commands share."""
from __future__ import annotations

from decimal import Decimal

import typer

from luoshi.commands.common import DB_OPTION, FORMAT_OPTION, OutFormat, emit, store_session
from luoshi.errors import LuoshiError

SOURCES = {"web": "网页", "api": "接口", "cli": "命令行", "excel": "Excel"}
UNIT_OPT = typer.Option(None, "--unit", "-u", help="责任单位：全称、简称（市工信局）或编号")
STATS_OPT = typer.Option(None, "--in-stats/--not-in-stats", help="是否已入统")
TASK_OPT = typer.Option(None, "--task", help="任务编号（luoshi tasks 可查）")
TARGET_OPT = typer.Option(None, "--target", help="量化目标编号（luoshi targets 可查）")


class AsOfInvalid(LuoshiError):
    code = "as_of_invalid"
    http_status = 422


def amount(v) -> str | None:
    """An amount (万元) as a person writes it: 1200.5, 3000; other values as they are."""
    if isinstance(v, Decimal):
        return format(v.normalize(), "f")
    if isinstance(v, bool):
        return "是" if v else "否"
    return None if v is None else str(v)


def print_problems(e) -> None:
    """Every problem of a ProjectInvalid on stderr, then exit 2."""
    for p in e.problems:
        typer.echo(str(p), err=True)
    typer.echo(f"错误：{e.message.split('：')[0]}，共 {len(e.problems)} 处问题", err=True)
    raise typer.Exit(e.exit_code) from None


def projects(unit: str = UNIT_OPT, county: str = typer.Option(None, "--county", help="区县或地区（含下辖区县）"),
             in_stats: bool = STATS_OPT, retired: bool = typer.Option(False, "--retired", help="包括已退库项目"),
             task: int = TASK_OPT, target: int = TARGET_OPT,
             as_of: str = typer.Option(None, "--as-of", help="查看截至某日的项目库：YYYY-MM-DD 或 YYYY-MM（月末）"),
             db: str = DB_OPTION, fmt: OutFormat = FORMAT_OPTION) -> None:
    """重点项目库：筛选，并合计计划总投资和累计完成投资。"""
    from luoshi.track.project_queries import project_rows, totals

    day = _day(as_of) if as_of else None
    with store_session(db) as s:
        rows = project_rows(s, unit=unit, county=county, in_statistics=in_stats, include_retired=retired, task=task,
                            target=target, day=day)
    sums = totals(rows)
    if fmt is OutFormat.json:
        emit({"as_of": day, **sums, "projects": rows}, [], fmt)
        return
    shown = [{**r, "planned_investment": amount(r["planned_investment"]),
              "completed_investment": amount(r["completed_investment"]), "in_statistics": amount(r["in_statistics"]),
              "tasks": "、".join(map(str, r["tasks"])), "state": "已退库" if r["retired"] else "在库"} for r in rows]
    cols = [("code", "项目编号"), ("name", "项目名称"), ("unit", "责任单位"), ("county", "所在区县"),
            ("planned_investment", "计划总投资（万元）"), ("completed_investment", "累计完成投资（万元）"),
            ("planned_start", "计划开工"), ("planned_end", "计划竣工"), ("actual_start", "实际开工"),
            ("in_statistics", "入统"), ("tasks", "关联任务")] + ([("state", "状态")] if retired else [])
    if fmt is OutFormat.table and not rows:
        typer.echo("没有符合条件的项目（luoshi project add 或 luoshi project import 添加）", err=True)
    when = f"截至 {day.isoformat()} 的" if day else ""
    money = (f"计划总投资 {amount(sums['planned_investment'])} 万元，"
             f"累计完成投资 {amount(sums['completed_investment'])} 万元")
    emit(shown, cols, fmt, title=f"{when}重点项目（{sums['count']} 个；{money}）")


def _day(text: str):
    from luoshi.track.project_rules import last_day, parse_date

    try:
        iso = parse_date(text)
    except ValueError as e:
        raise AsOfInvalid(f"--as-of {e}") from None
    if iso is None:
        raise AsOfInvalid("--as-of 应为 YYYY-MM-DD 或 YYYY-MM")
    return last_day(iso)


def show(code: str = typer.Argument(..., help="项目编号，如 XM-0001"), db: str = DB_OPTION,
         fmt: OutFormat = FORMAT_OPTION) -> None:
    """一个项目的当前内容与全部版本：谁、何时、改了什么、为什么。"""
    from luoshi.track.project_queries import project_rows, version_rows
    from luoshi.track.projects import CHANGES
    from luoshi.track.timeliness import china_time

    with store_session(db) as s:
        now = project_rows(s, code=code)[0]
        versions = version_rows(s, code)
    if fmt is OutFormat.json:
        emit({"project": now, "versions": versions}, [], fmt)
        return
    for v in versions:
        v.update(kind=CHANGES.get(v["change"], v["change"]), source=SOURCES.get(v["source"], v["source"]),
                 changed_at=f"{china_time(v['changed_at']):%Y-%m-%d %H:%M}",
                 what="；".join(f"{c['label']} {amount(c['before']) or '空'} → {amount(c['after']) or '空'}"
                               for c in v["changes"]))
    cols = [("version", "版本"), ("kind", "类型"), ("changed_at", "时间"), ("changed_by", "填报人"),
            ("source", "来源"), ("what", "变更内容"), ("reason", "原因")]
    if fmt is OutFormat.csv:
        emit(versions, cols, fmt)
        return
    county = now["county"] + (f"（{now['region_code']}）" if now["region_code"] else "") if now["county"] else None
    facts = [("项目编号", now["code"]), ("项目名称", now["name"]), ("责任单位", now["unit"]), ("所在区县", county),
             ("计划总投资（万元）", amount(now["planned_investment"])),
             ("累计完成投资（万元）", amount(now["completed_investment"])), ("计划开工", now["planned_start"]),
             ("计划竣工", now["planned_end"]), ("实际开工", now["actual_start"]),
             ("是否入统", amount(now["in_statistics"])),
             ("关联任务", "、".join(map(str, now["tasks"]))), ("关联量化目标", "、".join(map(str, now["targets"]))),
             ("状态", f"已退库（{now['reason']}）" if now["retired"] else "在库")]
    emit([{"k": k, "v": v} for k, v in facts], [("k", "项目"), ("v", "内容")], fmt,
         title=f"{now['code']} {now['name']}（第{now['version']}版）")
    emit(versions, cols, fmt, title=f"版本记录（共 {len(versions)} 版）")
