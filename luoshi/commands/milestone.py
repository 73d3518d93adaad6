"""Task milestones (里程碑): `luoshi milestone add|defaults|report|history` set them and take the
units' reports of their state (with evidence: a file or a link); `luoshi milestones` lists them
judged at a date (状态, 红黄绿灯); `luoshi evidence ID` writes a stored evidence file back out."""
from __future__ import annotations

from pathlib import Path

import typer

from luoshi.commands.common import DB_OPTION, FORMAT_OPTION, OutFormat, emit, store_session

milestone_app = typer.Typer(no_args_is_help=True, help="任务里程碑：设置、报送状态（附证明材料）与版本记录。")
ID_ARG = typer.Argument(..., help="里程碑编号（luoshi milestones 可查）")
LIST_COLUMNS = [("id", "编号"), ("region", "地区"), ("task", "任务"), ("title", "里程碑"), ("due", "完成时限"),
                ("lead", "牵头单位"), ("state", "状态"), ("light_label", "灯"), ("status", "说明"),
                ("since", "状态日期"), ("evidence", "证明材料")]
CSV_COLUMNS = [("id", "里程碑编号"), ("task_id", "任务编号"), ("plan_id", "方案编号"), ("plan_title", "方案"),
               ("region", "地区"), ("section", "章节"), ("task", "任务"), ("title", "里程碑"), ("due", "完成时限"),
               ("lead", "牵头单位"), ("support", "配合单位"), ("state", "状态"), ("reported_state", "单位所报状态"),
               ("overdue", "逾期"), ("light_label", "灯"), ("status", "说明"), ("days_left", "距完成时限天数"),
               ("task_state", "任务状态"), ("version", "版本"), ("since", "状态日期"), ("period", "报告月份"),
               ("reported_unit", "报送单位"), ("note", "情况说明"), ("evidence_id", "证明材料编号"),
               ("evidence_name", "证明材料"), ("evidence_url", "证明链接")]
HISTORY_COLUMNS = [("version", "版本"), ("state", "状态"), ("as_of", "状态日期"), ("period", "报告月份"),
                   ("unit", "报送单位"), ("reported_by", "报送人"), ("source", "来源"), ("reported_at", "报送时间"),
                   ("note", "情况说明"), ("evidence", "证明材料")]


def add(task_id: int = typer.Argument(..., help="任务编号（luoshi tasks 可查）"),
        title: str = typer.Option(..., "--title", help="里程碑名称，如 完成招标"),
        due: str = typer.Option(..., "--due", help="完成时限，如 2024-06-30"),
        position: int = typer.Option(None, "--position", help="在任务各里程碑中的顺序（默认排在最后）"),
        by: str = typer.Option(None, "--by", help="设置人"), db: str = DB_OPTION) -> None:
    """为任务设置一个里程碑。"""
    from luoshi.auth.audit import audited, cli_user
    from luoshi.store.dispatch_models import Task
    from luoshi.track.milestones import add_milestone

    with store_session(db) as s:
        with audited(s, "milestone_added", username=cli_user(), object=f"task:{task_id}") as trail:
            m = add_milestone(s, task_id, title=title, due=due, position=position, created_by=by, commit=False)
            trail.object, trail.detail = f"milestone:{m.id} task:{task_id}", f"{m.title}，完成时限 {m.due}"
        task = s.get(Task, task_id)
        typer.echo(f"已添加里程碑 {m.id}：任务 {task_id}「{task.title}」— {m.title}，完成时限 {m.due}")


def defaults(db: str = DB_OPTION) -> None:
    """为没有量化目标、也没有里程碑的任务各设一个里程碑“完成任务”，并按今天刷新任务状态。"""
    from luoshi.track.milestone_state import refresh_task_status
    from luoshi.track.milestones import DEFAULT_TITLE, default_milestones

    from luoshi.auth.audit import audited, cli_user

    with store_session(db) as s, audited(s, "milestone_added", username=cli_user(), object="milestone:defaults") as trail:
        made = default_milestones(s)
        changed = refresh_task_status(s)
        trail.detail = f"默认里程碑 {len(made)} 个"
    if made:
        typer.echo(f"已为 {len(made)} 个无量化目标的任务各添加里程碑“{DEFAULT_TITLE}”")
    else:
        typer.echo("没有需要添加默认里程碑的任务（无量化目标的任务都已有里程碑）")
    typer.echo(f"任务状态已按今天刷新，{changed} 个有变化")


def report(milestone_id: int = ID_ARG,
           unit: str = typer.Option(..., "--unit", "-u", help="报送单位：全称、简称或编号"),
           state: str = typer.Option(..., "--state", help="未启动 / 推进中 / 已完成 / 滞后"),
           day: str = typer.Option(..., "--date", help="状态起始日期（已完成：完成日期），如 2024-05-10"),
           period: str = typer.Option(None, "--period", help="所属报告月份，如 2024-05"),
           note: str = typer.Option(None, "--note", help="情况说明（报“滞后”须写明原因）"),
           evidence: Path = typer.Option(None, "--evidence", help="证明材料文件：PDF、JPEG、PNG、OFD、DOCX 或 XLSX"),
           link: str = typer.Option(None, "--link", help="证明材料链接（http/https）"),
           by: str = typer.Option(None, "--by", help="报送人"), db: str = DB_OPTION) -> None:
    """报送里程碑状态；每次报送都是新版本，不覆盖以前的记录。"""
    from luoshi.errors import LuoshiError
    from luoshi.track.evidence import EVIDENCE, EvidenceRejected
    from luoshi.track.milestones import MilestoneInvalid, report_milestone

    if evidence is not None and link:
        raise LuoshiError("--evidence（上传文件）与 --link（链接）只能二选一")
    upload = None
    if evidence is not None:
        try:
            if evidence.stat().st_size > EVIDENCE.max_bytes:  # refuse before reading it into memory
                raise EvidenceRejected(f"证明材料过大，不能超过 {EVIDENCE.max_bytes // 1024 // 1024} MB")
            upload = (evidence.name, evidence.read_bytes())
        except OSError as e:
            raise LuoshiError(f"无法读取证明材料 {evidence}：{e.strerror or e}") from None
    from luoshi.auth.audit import audited, cli_user

    with store_session(db) as s:
        try:
            with audited(s, "milestone_reported", username=cli_user(), object=f"milestone:{milestone_id}",
                         detail=f"{state}（{day}），单位 {unit}") as trail:
                up = report_milestone(s, milestone_id, unit=unit, state=state, as_of=day, period=period, note=note,
                                      evidence_url=link, evidence=upload, source="cli", reported_by=by, commit=False)
                trail.object = f"milestone:{milestone_id} v{up.version}"
        except MilestoneInvalid as e:
            for p in e.problems:
                typer.echo(str(p), err=True)
            typer.echo(f"错误：里程碑状态未保存，共 {len(e.problems)} 处问题", err=True)
            raise typer.Exit(e.exit_code) from None
        task = s.scalar(_task_of(milestone_id))
        proof = f"，证明材料 {up.evidence_id}" if up.evidence_id else (f"，证明链接 {up.evidence_url}" if up.evidence_url else "")
        typer.echo(f"已保存：里程碑 {milestone_id} 第{up.version}版，{up.state}（{up.as_of}）{proof}；"
                   f"任务「{task.title}」状态：{task.status}")


def _task_of(milestone_id: int):
    from sqlalchemy import select

    from luoshi.store.dispatch_models import Task
    from luoshi.store.work_models import Milestone

    return select(Task).join(Milestone, Milestone.task_id == Task.id).where(Milestone.id == milestone_id)


def history(milestone_id: int = ID_ARG, db: str = DB_OPTION, fmt: OutFormat = FORMAT_OPTION) -> None:
    """一个里程碑的全部报送记录（版本）：状态、日期、报送单位、说明、证明材料。"""
    from luoshi.store.work_models import Milestone
    from luoshi.track.milestone_rows import milestone_history
    from luoshi.track.timeliness import china_time

    with store_session(db) as s:
        rows = milestone_history(s, milestone_id)
        title = s.get(Milestone, milestone_id).title
    for r in rows:
        r["reported_at"] = china_time(r["reported_at"])
    if fmt is OutFormat.json:
        emit(rows, [], fmt)
        return
    if fmt is OutFormat.table and not rows:
        typer.echo(f"里程碑 {milestone_id}「{title}」尚无报送记录。")
        return
    for r in rows:
        r.update(reported_at=f"{r['reported_at']:%Y-%m-%d %H:%M}", evidence=_proof(r))
    emit(rows, HISTORY_COLUMNS, fmt, title=f"里程碑 {milestone_id}「{title}」报送记录（共 {len(rows)} 版）")


def _proof(r: dict) -> str:
    parts = [f"{r['evidence_name']}（编号 {r['evidence_id']}）"] if r.get("evidence_id") else []
    return "；".join(parts + ([r["evidence_url"]] if r.get("evidence_url") else []))


def milestones(unit: str = typer.Option(None, "--unit", "-u", help="责任单位（牵头或配合）：全称、简称或编号"),
               region: str = typer.Option(None, "--region", "-r", help="地区（含下辖地区），名称或区划代码"),
               plan: str = typer.Option(None, "--plan", "-p", help="方案编号、文号或标题中的一段"),
               as_of: str = typer.Option(None, "--as-of", help="判断日期，如 2024-06-30；或年月（按月末）；默认今天"),
               db: str = DB_OPTION, fmt: OutFormat = FORMAT_OPTION) -> None:
    """各任务的里程碑：状态（逾期未完成计为滞后）、红黄绿灯、证明材料。"""
    from luoshi.track.milestone_rows import milestone_rows
    from luoshi.track.timeliness import china_time, today

    with store_session(db) as s:
        rows = milestone_rows(s, unit=unit, region=region, plan=plan, as_of=as_of or today())
    for r in rows:
        r["reported_at"] = r["reported_at"] and china_time(r["reported_at"])
    if fmt is OutFormat.json:
        emit(rows, [], fmt)
        return
    for r in rows:
        r.update(evidence=_proof(r), overdue="是" if r["overdue"] else "")
    if fmt is OutFormat.csv:
        emit(rows, CSV_COLUMNS, fmt)
        return
    if not rows:
        typer.echo("没有里程碑：可用 luoshi milestone add 设置，或 luoshi milestone defaults 为无量化目标的任务补设", err=True)
    from rich.markup import escape

    rows = [{k: escape(v) if isinstance(v, str) else v for k, v in r.items()} for r in rows]
    lights = "，".join(f"{k}灯 {sum(r['light_label'] == k for r in rows)}" for k in ("绿", "黄", "红"))
    day = rows[0]["as_of"] if rows else (as_of or str(today()))
    emit(rows, LIST_COLUMNS, fmt, title=f"里程碑（截至 {day}，共 {len(rows)} 个：{lights}）")


def evidence(evidence_id: int = typer.Argument(..., help="证明材料编号"),
             out: Path = typer.Option(None, "--out", "-o", help="写到这个文件（默认：材料原名，写在当前目录）"),
             force: bool = typer.Option(False, "--force", help="目标文件已存在时覆盖"), db: str = DB_OPTION) -> None:
    """取出一份证明材料，写成文件。"""
    from luoshi.errors import LuoshiError
    from luoshi.track.evidence import kind_label, read_evidence

    with store_session(db) as s:
        ev = read_evidence(s, evidence_id)
        name, kind, content = ev.name, kind_label(ev.media_type), ev.content
    path = out or Path(name)
    if path.exists() and not force:
        raise LuoshiError(f"文件 {path} 已存在；换一个 --out，或加 --force 覆盖")
    try:
        path.write_bytes(content)
    except OSError as e:
        raise LuoshiError(f"无法写入 {path}：{e.strerror or e}") from None
    typer.echo(f"已写出证明材料 {evidence_id}（{name}，{kind}，{len(content)} 字节）到 {path}")


def register(app: typer.Typer, edge) -> None:
    milestone_app.command("add")(edge(add))
    milestone_app.command("defaults")(edge(defaults))
    milestone_app.command("report")(edge(report))
    milestone_app.command("history")(edge(history))
    app.add_typer(milestone_app, name="milestone", help="任务里程碑：设置、报送状态（附证明材料）与版本记录。")
    app.command("milestones", help="各任务里程碑的状态、红黄绿灯和证明材料。")(edge(milestones))
    app.command("evidence", help="取出一份证明材料（里程碑报送时上传的文件）。")(edge(evidence))
