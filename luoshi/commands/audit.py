"""`luoshi audit`: the audit log at the server, for the auditor (等保 C1–C4): list it, `verify` its
hash chain (exit 1 at the first row that is not as written), `purge` what is past the kept period
(never under 180 days; the purge is recorded). Nothing here changes or removes any other row."""
from __future__ import annotations

import typer

from luoshi.commands.common import DB_OPTION, FORMAT_OPTION, OutFormat, emit, store_session

audit_app = typer.Typer(help="审计记录：查看、校验哈希链、清除超过保存期限的记录。", invoke_without_command=True)
COLUMNS = [("id", "编号"), ("at", "时间"), ("username", "用户"), ("role", "角色"), ("address", "地址"),
           ("action", "操作"), ("object", "对象"), ("result", "结果"), ("detail", "说明")]
RESULTS = {"ok": "成功", "denied": "拒绝", "failed": "失败"}


@audit_app.callback()
def show(ctx: typer.Context,
         since: str = typer.Option(None, "--since", help="起始日期或时间（北京时间），如 2026-11-01"),
         until: str = typer.Option(None, "--until", help="截止日期（含当天）或时间"),
         user: str = typer.Option(None, "--user", help="用户名；命令行操作为 cli:系统用户"),
         action: str = typer.Option(None, "--action", help="操作，如 login_failed、report_submitted、setting_changed"),
         limit: int = typer.Option(100, "--limit", min=1, max=1000, help="最多列出多少条（新的在前）"),
         db: str = DB_OPTION, fmt: OutFormat = FORMAT_OPTION) -> None:
    """列出审计记录：时间、用户、地址、操作、对象、结果。"""
    if ctx.invoked_subcommand is not None:
        return
    from luoshi.auth.audit_read import rows, time_range

    start, end = time_range(since, until)
    with store_session(db) as s:
        found = rows(s, start, end, user, action, limit)
    if fmt is OutFormat.table:
        for r in found:
            r.update(at=r["at"][:19].replace("T", " "), result=RESULTS.get(r["result"], r["result"]))
    if fmt is OutFormat.csv:  # a name typed at sign-in is anyone's: no formula may reach a spreadsheet (等保 D1)
        for r in found:
            r.update({k: "'" + r[k] for k in ("username", "object", "detail") if (r[k] or " ")[0] in "=+-@\t\r"})
    emit(found, COLUMNS, fmt, title=f"审计记录（{len(found)} 条，新的在前）")


def verify(db: str = DB_OPTION) -> None:
    """校验哈希链：每条记录未被修改、其间未被删除。"""
    from luoshi.auth.audit import tip, verify as verify_chain

    with store_session(db) as s:
        ok, bad = verify_chain(s)
        last = tip(s)
    if not ok:
        typer.echo(f"错误：审计记录第 {bad} 条与哈希链不符：该条被修改，或其前面的记录被删除", err=True)
        raise typer.Exit(1)
    typer.echo(f"审计记录完整：共 {last['rows']} 条，哈希链校验通过。")
    if last["last_id"] is not None:
        # A chain cannot show its own tail cut off; the last hash, noted elsewhere, can.
        typer.echo(f"最后一条：第 {last['last_id']} 条，哈希 {last['last_hash']}（请另行记下，下次校验时比对）")


def purge(older_than: int = typer.Option(..., "--older-than", help="清除多少天以前的记录（不少于 180）"),
          db: str = DB_OPTION) -> None:
    """清除超过保存期限的审计记录（至少保留 180 天；清除本身也记入审计记录）。"""
    from luoshi.auth.audit import cli_user, purge as purge_log

    with store_session(db) as s:
        removed = purge_log(s, older_than, username=cli_user())
    typer.echo(f"已清除 {removed} 条 {older_than} 天以前的审计记录；其余记录的哈希链仍可校验")


def register(app: typer.Typer, edge) -> None:
    audit_app.callback()(edge(show))
    audit_app.command("verify")(edge(verify))
    audit_app.command("purge")(edge(purge))
    app.add_typer(audit_app, name="audit")
