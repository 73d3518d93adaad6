"""`luoshi report submit UNIT PERIOD FILE`: a unit's monthly report from a JSON or CSV file;
`luoshi report history UNIT PERIOD`: every version of it; `luoshi report template UNIT PERIOD`
and `luoshi report import FILE`: the same report as an Excel workbook (luoshi/publish).

The file: JSON (a list of lines, or {"lines": [...]}) or CSV with a header row, Chinese or English
(target_id/目标编号, 当月, 累计, 进展情况, 滞后原因, 下步措施); other CSV columns (a template's
指标名称, 目标值) are ignored. CSV may be UTF-8 (with or without BOM) or GBK/GB18030 as Excel
saves it in China.
"""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import typer

from luoshi.commands.common import DB_OPTION, FORMAT_OPTION, OutFormat, emit, store_session
from luoshi.errors import LuoshiError

report_app = typer.Typer(no_args_is_help=True, help="单位月报：报送（含更正）与版本记录。")
UNIT_ARG = typer.Argument(..., help="单位全称、简称或编号")
PERIOD_ARG = typer.Argument(..., help="报告月份，如 2024-03")
OUTPUT_OPTION = typer.Option(None, "-o", "--output", help="输出文件（默认：单位_月份_月报.xlsx）")
WORKBOOK_ARG = typer.Argument(..., help="填好的 Excel 月报模板（.xlsx）")


class ReportFileError(LuoshiError):
    code = "report_file"
    http_status = 422


def read_lines(path: Path) -> tuple[list[dict], list[str]]:
    """The lines of a report file, and where each stands in it (CSV: the file's row; JSON: item)."""
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise ReportFileError(f"无法读取报告文件 {path}：{e.strerror or e}") from e
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = raw.decode("gb18030")
        except UnicodeDecodeError:
            raise ReportFileError(f"报告文件 {path} 不是 UTF-8 或 GBK 编码的文本") from None
    if text.lstrip()[:1] in ("[", "{"):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as e:
            raise ReportFileError(f"报告文件 {path} 不是有效的 JSON（第{e.lineno}行：{e.msg}）") from e
        lines = data.get("lines") if isinstance(data, dict) else data
        if not isinstance(lines, list):
            raise ReportFileError(f"报告文件 {path} 应为条目列表，或含 lines 列表的对象")
        return lines, [f"第{i}项" for i in range(1, len(lines) + 1)]
    return _csv_lines(text, path)


def _csv_lines(text: str, path: Path) -> tuple[list[dict], list[str]]:
    from luoshi.track.report_lines import canonical_key

    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    keys = [canonical_key(h) for h in header or []]
    if "target_id" not in keys:
        raise ReportFileError(f"报告文件 {path} 的表头缺少“目标编号”（target_id）列")
    lines, rows = [], []
    for cells in reader:
        if not any(c.strip() for c in cells):
            continue
        lines.append({k: (c.strip() or None) for k, c in zip(keys, cells) if k is not None})
        rows.append(f"第{reader.line_num}行")
    return lines, rows


def submit(unit: str = UNIT_ARG, period: str = PERIOD_ARG,
           file: Path = typer.Argument(..., help="报告文件：JSON 或 CSV（表头可用中文或英文）"),
           reason: str = typer.Option(None, "--reason", help="更正说明（更正已报送的报告、累计减少时必填）"),
           by: str = typer.Option(None, "--by", help="报送人"),
           approved: bool = typer.Option(False, "--approved", help="调度办公室同意补报已锁定月份"),
           db: str = DB_OPTION) -> None:
    """报送一个单位一个月的报告；再次报送即为更正（新版本，须说明原因）。"""
    from luoshi.auth.audit import audited, cli_user, report_object
    from luoshi.track.reports import ReportInvalid, find_unit, submit as submit_report

    lines, places = read_lines(file)
    with store_session(db) as s:
        try:
            with audited(s, "approval" if approved else "report_submitted", username=cli_user(),
                         object=report_object(unit, period), detail=f"报送人 {by}" if by else None) as trail:
                sub = submit_report(s, unit=unit, period=period, lines=lines, source="cli", submitted_by=by,
                                    correction_reason=reason, approved=approved, commit=False)
                trail.object = report_object(find_unit(s, sub.unit_id).name, sub.period, sub.version)
        except ReportInvalid as e:
            for p in e.problems:
                typer.echo(p.text(None if p.line is None else places[p.line]), err=True)
            typer.echo(f"错误：报告未保存，共 {len(e.problems)} 处问题", err=True)
            raise typer.Exit(e.exit_code) from None
        note = {"late": "（逾期报送）", "locked": "（已锁定月份，经调度办公室同意补报）"}.get(str(sub.timeliness), "")
        typer.echo(f"已保存：{sub.period} 第{sub.version}版，{len(sub.lines)} 条{note}")


def history(unit: str = UNIT_ARG, period: str = PERIOD_ARG, db: str = DB_OPTION, fmt: OutFormat = FORMAT_OPTION) -> None:
    """一个单位一个月报告的全部版本：谁、何时报送，更正说明。"""
    from luoshi.track.office_settings import dispatch_settings
    from luoshi.track.reports import find_unit, history as report_history, timeliness_of
    from luoshi.track.timeliness import Timeliness, china_time

    with store_session(db) as s:
        u, office = find_unit(s, unit), dispatch_settings(s)
        subs = report_history(s, u.id, period)
        rows = [{"version": x.version, "submitted_at": x.submitted_at, "submitted_by": x.submitted_by,
                 "source": x.source, "timeliness": timeliness_of(x, office).value, "approved": x.approved,
                 "correction_reason": x.correction_reason, "line_count": len(x.lines),
                 "lines": [{"target_id": ln.target_id, "month_value": ln.month_value, "cumulative": ln.cumulative,
                            "narrative": ln.narrative, "delay_reason": ln.delay_reason,
                            "next_steps": ln.next_steps} for ln in x.lines]} for x in subs]
    if fmt is OutFormat.json:
        emit(rows, [], fmt)
        return
    for r in rows:
        r.update(submitted_at=f"{china_time(r['submitted_at']):%Y-%m-%d %H:%M}",
                 timeliness=Timeliness(r["timeliness"]).label, approved="是" if r["approved"] else "")
    cols = [("version", "版本"), ("submitted_at", "报送时间"), ("submitted_by", "报送人"), ("source", "来源"),
            ("line_count", "条目"), ("timeliness", "及时性"), ("approved", "经批准"), ("correction_reason", "更正说明")]
    if fmt is OutFormat.table and not rows:
        typer.echo(f"{u.name}尚无{period}的报告。")
        return
    emit(rows, cols, fmt, title=f"{u.name} {period} 报告版本（共 {len(rows)} 版）")


def template(unit: str = UNIT_ARG, period: str = PERIOD_ARG,
             out: Path = OUTPUT_OPTION,
             db: str = DB_OPTION) -> None:
    """生成一个单位一个月的 Excel 月报填报模板。"""
    from luoshi.auth.audit import audited, cli_user
    from luoshi.publish.excel_report import write_template
    from luoshi.track.reports import find_unit
    from luoshi.track.timeliness import parse_period

    with store_session(db) as s, audited(s, "export", username=cli_user(), object=f"report-template:{unit}/{period}"):
        u, period = find_unit(s, unit), parse_period(period)
        path = write_template(s, u.id, period, out or Path(f"{u.name}_{period}_月报.xlsx"))
    typer.echo(f"已生成模板：{path}")


def import_(file: Path = WORKBOOK_ARG,
            reason: str = typer.Option(None, "--reason", help="更正说明（更正已报送的报告、累计减少时必填）"),
            by: str = typer.Option(None, "--by", help="报送人"),
            approved: bool = typer.Option(False, "--approved", help="调度办公室同意补报已锁定月份"),
            db: str = DB_OPTION) -> None:
    """导入填好的 Excel 月报：全部无误才保存，否则逐一列出出错的单元格。"""
    from luoshi.auth.audit import audited, cli_user, report_object
    from luoshi.publish.excel_report import WorkbookInvalid, import_workbook
    from luoshi.track.reports import find_unit

    with store_session(db) as s:
        try:
            with audited(s, "report_imported", username=cli_user(), object=f"workbook:{file.name}",
                         detail="经批准补报已锁定月份" if approved else None) as trail:
                done = import_workbook(s, file, submitted_by=by, correction_reason=reason, approved=approved,
                                       commit=False)
                trail.object = report_object(find_unit(s, done.unit_id).name, done.period,
                                             done.submission.version if done.submission else None)
        except WorkbookInvalid as e:
            for err in e.errors:
                typer.echo(str(err), err=True)
            typer.echo(f"错误：报表未导入，共 {len(e.errors)} 处问题", err=True)
            raise typer.Exit(e.exit_code) from None
        sub, text = done.submission, f"已导入：{done.period} "
        if sub is not None:
            note = {"late": "（逾期报送）", "locked": "（已锁定月份，经调度办公室同意补报）"}.get(str(sub.timeliness), "")
            text += f"第{sub.version}版，{len(sub.lines)} 条{note}"
        else:
            text += "未填报指标"
        if done.milestone_updates or done.unchanged:
            same = f"（另有 {done.unchanged} 个与已报送的相同，未重复保存）" if done.unchanged else ""
            text += f"；里程碑 {len(done.milestone_updates)} 个{same}"
        typer.echo(text)


def register(app: typer.Typer, edge) -> None:
    report_app.command("submit")(edge(submit))
    report_app.command("history")(edge(history))
    report_app.command("template")(edge(template))
    report_app.command("import")(edge(import_))
    app.add_typer(report_app, name="report", help="单位月报：报送（含更正）与版本记录。")
