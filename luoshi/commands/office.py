"""`luoshi settings`: the office's dispatch rules as stored (due day, lock, light thresholds,
reminder window); `luoshi settings set KEY VALUE` changes one, kept with who and when."""
from __future__ import annotations

import typer

from luoshi.commands.common import DB_OPTION, FORMAT_OPTION, OutFormat, emit, store_session

settings_app = typer.Typer(help="调度办设置：月报截止日、锁定天数、红黄灯阈值、催办提醒天数。", invoke_without_command=True)


@settings_app.callback()
def show(ctx: typer.Context, db: str = DB_OPTION, fmt: OutFormat = FORMAT_OPTION) -> None:
    """列出当前设置（未设置的为默认值）。"""
    if ctx.invoked_subcommand is not None:
        return
    from luoshi.track.office_settings import setting_history, setting_rows
    from luoshi.track.timeliness import china_time

    with store_session(db) as s:
        rows = setting_rows(s)
        changes = [{"key": h.key, "value": h.value, "changed_by": h.changed_by,
                    "changed_at": f"{china_time(h.changed_at):%Y-%m-%d %H:%M}"} for h in setting_history(s)]
    if fmt is OutFormat.json:
        emit([r | {"history": [c for c in changes if c["key"] == r["key"]]} for r in rows], [], fmt)
        return
    for r in rows:
        r["changed"] = "已修改" if r["changed"] else ""
    emit(rows, [("key", "设置项"), ("label", "含义"), ("value", "当前值"), ("default", "默认值"), ("changed", "")], fmt,
         title="调度办设置")
    if changes and fmt is OutFormat.table:
        emit(changes, [("changed_at", "时间"), ("key", "设置项"), ("value", "值"), ("changed_by", "修改人")], fmt,
             title=f"修改记录（{len(changes)} 条）")


def set_(key: str = typer.Argument(..., help="设置项，如 due_day"), value: str = typer.Argument(..., help="新值"),
         by: str = typer.Option(None, "--by", help="修改人"), db: str = DB_OPTION) -> None:
    """修改一项设置（保留修改记录）。"""
    from luoshi.auth.audit import audited, cli_user
    from luoshi.track.office_settings import KEYS, set_setting

    with store_session(db) as s, audited(s, "setting_changed", username=cli_user(), object=f"setting:{key}",
                                         detail=f"设为 {value}" + (f"（修改人 {by}）" if by else "")):
        row = set_setting(s, key, value, changed_by=by)
    typer.echo(f"已设置 {KEYS[key].label}：{row.value}")


def register(app: typer.Typer, edge) -> None:
    settings_app.callback()(edge(show))
    settings_app.command("set")(edge(set_))
    app.add_typer(settings_app, name="settings")
