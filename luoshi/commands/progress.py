"""`luoshi progress`: every target of the stored plans judged against 序时进度 from the units'
reports (lights 绿/黄/红); `luoshi timeliness`: who reported on time, late or not at all, with the
office's reminders (催办). Tables for a person, JSON / CSV (plain numbers) for a program."""
from __future__ import annotations

import json
import re
import sys
from datetime import date

import typer

from luoshi.commands.common import DB_OPTION, FORMAT_OPTION, OutFormat, emit, store_session

_CMP = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "~": "约", "=": "", "between": ""}
PROGRESS_COLUMNS = [("region", "地区"), ("plan_title", "方案"), ("indicator", "指标"), ("target", "目标"),
                    ("lead_unit", "牵头单位"), ("last_value", "最新值"), ("last_period", "报告期"),
                    ("scheduled", "序时进度%"), ("completion", "完成率%"), ("gap", "差距（百分点）"),
                    ("light", "灯"), ("forecast", "预测期末值"), ("forecast_reaches", "预计完成"), ("status", "状态")]
PROGRESS_CSV = [("plan_id", "方案编号"), ("target_id", "目标编号"), ("region", "地区"), ("plan_title", "方案"),
                ("indicator", "指标"), ("indicator_key", "目录键"), ("comparator", "比较"), ("value", "目标值"),
                ("value_max", "上限"), ("unit", "单位"), ("year", "年份"), ("deadline", "期限"), ("kind", "类型"),
                ("lead_unit", "牵头单位"), ("reported_by", "报送单位"), ("last_value", "最新值"),
                ("last_period", "报告期"), ("scheduled", "序时进度%"), ("expected", "应达值"),
                ("completion", "完成率%"), ("gap", "差距（百分点）"), ("light", "灯"), ("forecast", "预测期末值"),
                ("forecast_reaches", "预计完成"), ("status", "状态"), ("same_as", "同一目标")]
UNIT_COLUMNS = [("unit", "单位"), ("due", "应报"), ("on_time", "按时"), ("late", "逾期"), ("missing", "超期未报"),
                ("pending", "未到期"), ("rate", "按时率%"), ("max_late_days", "最长逾期天数"), ("green", "绿"),
                ("yellow", "黄"), ("red", "红"), ("none", "暂无数据")]
LATE_COLUMNS = [("unit", "单位"), ("period", "月份"), ("due", "截止日"), ("submitted", "报送日"),
                ("days", "逾期天数"), ("approved", "经批准")]
MISSING_COLUMNS = [("unit", "单位"), ("period", "月份"), ("due", "截止日"), ("days", "已超期天数")]
REMIND_COLUMNS = [("unit", "单位"), ("kind", "类型"), ("periods", "月份"), ("due", "截止日"), ("days", "天数"),
                  ("text", "提醒")]
_KINDS = {"overdue": "超期未报", "due_soon": "即将到期"}


def _as_of(text: str) -> str | date:
    if re.fullmatch(r"\d{4}-\d{1,2}", text.strip()):
        return text.strip()
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        from luoshi.errors import LuoshiError

        raise LuoshiError(f"--as-of“{text}”无法识别：应为 2024-08 这样的年月或 2024-08-31 这样的日期") from None


def _plain(v):
    """A number for CSV: no 万/亿, at most four decimals."""
    if isinstance(v, bool) or v is None or not isinstance(v, float):
        return v
    return str(int(v)) if v.is_integer() else f"{round(v, 4)}"


def _yes(v) -> str:
    return "" if v is None else "是" if v else "否"


def progress(as_of: str = typer.Option(..., "--as-of", help="判断时点：年月（按月末计），如 2022-08；或日期"),
             region: str = typer.Option(None, "--region", "-r", help="地区（含下辖地区），名称或区划代码"),
             plan: str = typer.Option(None, "--plan", "-p", help="方案编号、文号或标题中的一段"),
             db: str = DB_OPTION, fmt: OutFormat = FORMAT_OPTION) -> None:
    """各方案（最新版）量化目标的进度：序时进度、完成率、差距、红黄绿灯和期末预测。"""
    from luoshi.commands.check import load_catalog_for
    from luoshi.present import fmt_number
    from luoshi.track.progress import progress as run_progress

    when = _as_of(as_of)
    catalog = load_catalog_for(db)
    with store_session(db) as s:
        found = run_progress(s, region=region, plan=plan, as_of=when, catalog=catalog)
    rows = [p.to_dict() for p in found]
    if fmt is OutFormat.json:
        emit(rows, [], fmt)
        return
    if fmt is OutFormat.csv:
        emit([{k: _plain(v) for k, v in r.items()} | {"light": p.light_label, "forecast_reaches": _yes(
            p.forecast_reaches)} for r, p in zip(rows, found, strict=True)], PROGRESS_CSV, fmt)
        return
    from rich.markup import escape

    def num(v, unit=""):
        return "" if v is None else fmt_number(round(v, 4)) + unit

    def pct(v):
        return "" if v is None else f"{v:.1f}"

    cells = [{"region": p.region, "plan_title": escape(p.plan_title or ""), "indicator": escape(p.indicator),
              "target": _CMP.get(p.comparator, "") + num(p.value) + (f"–{num(p.value_max)}" if p.value_max else "")
              + p.unit + (f"（{p.deadline}年）" if p.deadline else ""),
              "lead_unit": p.lead_unit, "last_value": num(p.last_value, p.unit), "last_period": p.last_period,
              "scheduled": pct(p.scheduled), "completion": pct(p.completion),
              "gap": "" if p.gap is None else f"{p.gap:+.1f}", "light": p.light_label,
              "forecast": num(p.forecast, p.unit), "forecast_reaches": _yes(p.forecast_reaches),
              "status": p.status + (f"（与目标 {p.same_as} 为同一目标）" if p.same_as else "")}
             for p in found]
    once = [p for p in found if not p.same_as]  # a table restating a task's target counts once
    counts = {label: sum(p.light_label == label for p in once) for label in ("绿", "黄", "红")}
    none = len(once) - sum(counts.values())
    head = "，".join(f"{k}灯 {v}" for k, v in counts.items())
    emit(cells, PROGRESS_COLUMNS, fmt, title=f"进度（截至 {as_of}，{len(once)} 个目标：{head}，未判断 {none}；"
                                             f"另有 {len(found) - len(once)} 项为重复表述）")


def timeliness(start: str = typer.Option(..., "--from", help="起始月份，如 2022-01"),
               end: str = typer.Option(..., "--to", help="结束月份，如 2022-08"),
               as_of: str = typer.Option(None, "--as-of", help="统计日期，如 2022-09-12（默认今天，北京时间）"),
               due_day: int = typer.Option(None, "--due-day", min=1, max=31,
                                           help="月报截止日：次月几日（默认按 luoshi settings 的设置，初始为 10 日）"),
               part: str = typer.Option("units", "--list", help="CSV 输出哪一张表：units / late / missing / remind"),
               db: str = DB_OPTION, fmt: OutFormat = FORMAT_OPTION) -> None:
    """各单位月报报送及时性：按时、逾期、超期未报、按时率，催办提醒，及其牵头目标的红黄绿灯数。"""
    from dataclasses import asdict, replace

    from luoshi.commands.check import load_catalog_for
    from luoshi.track.office_timeliness import office_timeliness
    from luoshi.track.office_settings import dispatch_settings

    when = _as_of(as_of) if as_of else None
    if isinstance(when, str):
        raise typer.BadParameter("应为日期，如 2022-09-12", param_hint="--as-of")
    catalog = load_catalog_for(db)
    with store_session(db) as s:
        office = dispatch_settings(s)
        if due_day is not None:  # this listing only; `luoshi settings set due_day` changes the office's
            office = replace(office, due_day=due_day)
        due_day = office.due_day
        t = office_timeliness(s, start=start, end=end, as_of=when, settings=office, catalog=catalog)
    tables = {"units": [{**asdict(u), **u.lights} for u in t.units],
              "late": [asdict(r) for r in t.late], "missing": [asdict(r) for r in t.missing],
              "remind": [{**asdict(r), "periods": list(r.periods)} for r in t.reminders]}
    if fmt is OutFormat.json:
        data = {"from": t.start, "to": t.end, "as_of": t.as_of, **tables}
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")
        return
    columns = {"units": UNIT_COLUMNS, "late": LATE_COLUMNS, "missing": MISSING_COLUMNS, "remind": REMIND_COLUMNS}
    for r in tables["late"]:
        r["approved"] = "是" if r["approved"] else ""
    for r in tables["remind"]:
        r["kind"] = _KINDS[r["kind"]]
    if fmt is OutFormat.csv:
        if part not in columns:
            raise typer.BadParameter("只能是 units / late / missing / remind", param_hint="--list")
        emit([{k: _plain(v) for k, v in r.items()} for r in tables[part]], columns[part], fmt)
        return
    for r in tables["units"]:
        r["rate"] = "" if r["rate"] is None else f"{r['rate']:.1f}"
    span = f"{t.start} 至 {t.end}，截至 {t.as_of}"
    emit(tables["units"], UNIT_COLUMNS, fmt, title=f"月报报送及时性（{span}，次月 {due_day} 日前报送）")
    for key, title in (("late", "逾期报送"), ("missing", "超期未报"), ("remind", "催办提醒")):
        if tables[key]:
            emit(tables[key], columns[key], fmt, title=f"{title}（{len(tables[key])} 条）")


def register(app: typer.Typer, edge) -> None:
    app.command("progress", help="量化目标进度：序时进度、完成率、差距、红黄绿灯和期末预测。")(edge(progress))
    app.command("timeliness", help="各单位月报报送及时性、超期未报和催办提醒。")(edge(timeliness))
