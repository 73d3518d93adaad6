"""The key-project library (重点项目库): `luoshi project add | change | retire | restore` append a
version each; `luoshi project link | unlink` count a project toward a task or target;
`luoshi projects` lists the library (now or `--as-of` a day) with investment totals; `luoshi
project show` one project and its history; `luoshi project template | import` the rolling update
as an Excel workbook (luoshi/publish/project_excel.py)."""
from __future__ import annotations

from pathlib import Path

import typer

from luoshi.commands.common import DB_OPTION, store_session
from luoshi.commands.project_show import (STATS_OPT, TARGET_OPT, TASK_OPT, UNIT_OPT, amount, print_problems, projects,
                                          show)

HELP = "重点项目库：新增、变更、退库、恢复（版本留痕），关联任务，Excel 滚动更新。"
project_app = typer.Typer(no_args_is_help=True, help=HELP)
CODE_ARG = typer.Argument(..., help="项目编号，如 XM-0001")
COUNTY_OPT = typer.Option(None, "--county", help="所在区县，如 东昌府区")
PLANNED_OPT = typer.Option(None, "--planned", help="计划总投资（万元），如 1200.5")
COMPLETED_OPT = typer.Option(None, "--completed", help="累计完成投资（万元）")
START_OPT = typer.Option(None, "--start", help="计划开工：YYYY-MM-DD 或 YYYY-MM")
END_OPT = typer.Option(None, "--end", help="计划竣工：YYYY-MM-DD 或 YYYY-MM")
ACTUAL_OPT = typer.Option(None, "--actual-start", help="实际开工：YYYY-MM-DD 或 YYYY-MM，不能晚于今天")
BY_OPT = typer.Option(None, "--by", help="填报人")


def _fields(**given) -> dict:
    """The options given (an empty text clears a field)."""
    return {k: v for k, v in given.items() if v is not None}


def add(name: str = typer.Argument(..., help="项目名称"), unit: str = UNIT_OPT, county: str = COUNTY_OPT,
        planned: str = PLANNED_OPT, completed: str = COMPLETED_OPT, start: str = START_OPT, end: str = END_OPT,
        actual_start: str = ACTUAL_OPT, in_stats: bool = STATS_OPT,
        code: str = typer.Option(None, "--code", help="项目编号（不填则自动编号 XM-0001 起）"),
        reason: str = typer.Option(None, "--reason", help="说明（如 入库批次）"), by: str = BY_OPT,
        db: str = DB_OPTION) -> None:
    """新增一个重点项目（第1版）。"""
    from luoshi.auth.audit import audited, cli_user
    from luoshi.store.work_models import Project
    from luoshi.track.projects import ProjectInvalid, add as add_project

    fields = _fields(name=name, unit=unit or "", county=county, planned_investment=planned,
                     completed_investment=completed, planned_start=start, planned_end=end, actual_start=actual_start,
                     in_statistics=in_stats)
    with store_session(db) as s:
        try:
            with audited(s, "project_added", username=cli_user(), object=f"project:{code or '新'}") as trail:
                v = add_project(s, fields, code=code, source="cli", changed_by=by, reason=reason, commit=False)
                trail.object = f"project:{s.get_one(Project, v.project_id).code} v1"
        except ProjectInvalid as e:
            print_problems(e)
        typer.echo(f"已新增项目 {s.get_one(Project, v.project_id).code}：{v.name}（第1版）")


def change(code: str = CODE_ARG, name: str = typer.Option(None, "--name", help="项目名称"), unit: str = UNIT_OPT,
           county: str = COUNTY_OPT, planned: str = PLANNED_OPT, completed: str = COMPLETED_OPT,
           start: str = START_OPT, end: str = END_OPT, actual_start: str = ACTUAL_OPT, in_stats: bool = STATS_OPT,
           reason: str = typer.Option(None, "--reason", help="变更说明"), by: str = BY_OPT,
           db: str = DB_OPTION) -> None:
    """变更项目的指定字段（只改给出的字段，空字符串表示清空），生成新版本。"""
    from luoshi.auth.audit import audited, cli_user
    from luoshi.track.project_queries import version_rows
    from luoshi.track.projects import ProjectInvalid, change as change_project

    fields = _fields(name=name, unit=unit, county=county, planned_investment=planned, completed_investment=completed,
                     planned_start=start, planned_end=end, actual_start=actual_start, in_statistics=in_stats)
    with store_session(db) as s:
        try:
            with audited(s, "project_changed", username=cli_user(), object=f"project:{code}") as trail:
                v = change_project(s, code, fields, source="cli", changed_by=by, reason=reason, commit=False)
                trail.object, trail.detail = f"project:{code}" + (f" v{v.version}" if v else ""), None if v else "无变化"
        except ProjectInvalid as e:
            print_problems(e)
        if v is None:
            typer.echo(f"项目 {code} 没有变化，未生成新版本")
            return
        what = "；".join(f"{c['label']} {amount(c['before']) or '空'} → {amount(c['after']) or '空'}"
                        for c in version_rows(s, code)[-1]["changes"])
        typer.echo(f"已变更项目 {code}：第{v.version}版（{what}）")


def retire(code: str = CODE_ARG, reason: str = typer.Option(None, "--reason", help="退库原因（必填）"),
           by: str = BY_OPT, db: str = DB_OPTION) -> None:
    """项目退库（保留全部历史，可恢复）。"""
    _flip(code, reason, by, db, retire=True)


def restore(code: str = CODE_ARG, reason: str = typer.Option(None, "--reason", help="恢复原因（必填）"),
            by: str = BY_OPT, db: str = DB_OPTION) -> None:
    """恢复已退库的项目（按退库时的内容）。"""
    _flip(code, reason, by, db, retire=False)


def _flip(code: str, reason: str | None, by: str | None, db: str | None, *, retire: bool) -> None:
    from luoshi.auth.audit import audited, cli_user
    from luoshi.track import projects

    with store_session(db) as s:
        try:
            with audited(s, "project_retired" if retire else "project_restored", username=cli_user(),
                         object=f"project:{code}", detail=reason):
                v = (projects.retire if retire else projects.restore)(s, code, reason=reason, source="cli",
                                                                      changed_by=by, commit=False)
        except projects.ProjectInvalid as e:
            print_problems(e)
    typer.echo(f"项目 {code} 已{'退库' if retire else '恢复'}（第{v.version}版）")


def link(code: str = CODE_ARG, task: int = TASK_OPT, target: int = TARGET_OPT, db: str = DB_OPTION) -> None:
    """把项目关联到一个任务或一个量化目标。"""
    from luoshi.auth.audit import audited, cli_user
    from luoshi.track.project_queries import link as link_project

    what = f"任务 {task}" if task is not None else f"量化目标 {target}"
    with store_session(db) as s, audited(s, "project_linked", username=cli_user(), object=f"project:{code}", detail=what):
        link_project(s, code, task=task, target=target, commit=False)
    typer.echo(f"已关联：项目 {code} → {what}")


def unlink(code: str = CODE_ARG, task: int = TASK_OPT, target: int = TARGET_OPT, db: str = DB_OPTION) -> None:
    """取消项目与任务或量化目标的关联。"""
    from luoshi.auth.audit import audited, cli_user
    from luoshi.track.project_queries import unlink as unlink_project

    what = f"{'任务' if task is not None else '量化目标'} {task if task is not None else target}"
    with store_session(db) as s, audited(s, "project_unlinked", username=cli_user(), object=f"project:{code}",
                                         detail=what):
        gone = unlink_project(s, code, task=task, target=target, commit=False)
    typer.echo(f"已取消关联：项目 {code} → {what}" if gone else f"项目 {code} 未关联{what}，无需取消")


def template(out: Path = typer.Option(Path("重点项目库.xlsx"), "-o", "--out", help="输出文件"),
             db: str = DB_OPTION) -> None:
    """导出当前项目库为 Excel（滚动更新用：改后用 luoshi project import 导入）。"""
    from luoshi.auth.audit import audited, cli_user
    from luoshi.publish.project_excel import write_project_sheet

    with store_session(db) as s, audited(s, "export", username=cli_user(), object="project-sheet", detail=str(out)):
        path = write_project_sheet(s, out)
    typer.echo(f"已生成项目库表：{path}")


def import_(file: Path = typer.Argument(..., help="编辑后的项目库表（.xlsx）"),
            retire_missing: bool = typer.Option(False, "--retire-missing", help="表中没有的在库项目退库"),
            reason: str = typer.Option(None, "--reason", help="退库原因（--retire-missing 时必填）"),
            by: str = BY_OPT, db: str = DB_OPTION) -> None:
    """导入项目库表：新增、变更、（可选）退库，全部无误才保存，否则逐一列出出错的单元格。"""
    from luoshi.auth.audit import audited, cli_user
    from luoshi.publish.project_excel import WorkbookInvalid, import_project_sheet

    with store_session(db) as s:
        try:  # the import commits itself; its audit row follows at once
            with audited(s, "project_imported", username=cli_user(), object=f"workbook:{file.name}") as trail:
                done = import_project_sheet(s, file, retire_missing=retire_missing, reason=reason, changed_by=by)
                trail.detail = "新增 {added}，变更 {changed}，退库 {retired}".format(**done.counts())
        except WorkbookInvalid as e:
            for err in e.errors:
                typer.echo(str(err), err=True)
            typer.echo(f"错误：项目库表未导入，共 {len(e.errors)} 处问题", err=True)
            raise typer.Exit(e.exit_code) from None
    n = done.counts()
    typer.echo(f"已导入：新增 {n['added']} 个，变更 {n['changed']} 个，未变 {n['unchanged']} 个，退库 {n['retired']} 个"
               + (f"，仅调整任务关联 {n['relinked']} 个" if n["relinked"] else ""))
    for word, codes in (("新增", done.added), ("变更", done.changed), ("退库", done.retired)):
        if codes:
            typer.echo(f"  {word}：{'、'.join(codes)}")


def register(app: typer.Typer, edge) -> None:
    for name, fn in (("add", add), ("change", change), ("retire", retire), ("restore", restore), ("link", link),
                     ("unlink", unlink), ("show", show), ("template", template), ("import", import_)):
        project_app.command(name)(edge(fn))
    app.add_typer(project_app, name="project", help=HELP)
    app.command("projects", help="重点项目库：按单位、区县、入统、关联任务筛选，合计投资；"
                                 "--as-of 查看历史。")(edge(projects))
