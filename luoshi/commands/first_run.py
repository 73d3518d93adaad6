"""The first `luoshi serve` (等保 B1: no default account or password after install). With no
account in the store, the system administrator is asked for on the terminal, the password twice
and checked by the same rule as every other; without a terminal (a service unit, a container) the
server refuses to start and says how to add one, rather than run with nobody able to sign in."""
from __future__ import annotations

import sys

import typer

from luoshi.errors import LuoshiError


class NoAccount(LuoshiError):
    code = "no_account"


def interactive() -> bool:
    # A function, so that tests can stand in for a terminal.
    return sys.stdin.isatty()


def ensure_admin(db_url: str) -> None:
    """Return at once when an account exists; else make the administrator or raise NoAccount."""
    from sqlalchemy import func, select

    from luoshi.auth import audit
    from luoshi.auth.accounts import AccountInvalid, create_account
    from luoshi.auth.totp import enroll, provisioning_uri
    from luoshi.store import Store
    from luoshi.store.account_models import Account

    store = Store(db_url)
    try:
        with store.session() as s:
            if s.scalar(select(func.count(Account.id))):
                return
            if not interactive():
                raise NoAccount("尚无任何账号，服务未启动。请先添加系统管理员：luoshi account add <用户名> --role admin"
                                "（密码在提示时输入，或用 --password-stdin 从标准输入读取），再运行 luoshi serve")
            typer.echo("首次启动：尚无任何账号，请设置系统管理员（只管理账号和设置，不能查看业务数据）。")
            while True:
                username = typer.prompt("管理员用户名").strip()
                password = typer.prompt("密码", hide_input=True)
                if typer.prompt("再次输入密码", hide_input=True) != password:
                    typer.echo("两次输入的密码不一致，请重新输入。", err=True)
                    continue
                try:
                    a = create_account(s, username=username, password=password, role="admin")
                except AccountInvalid as e:
                    typer.echo("；".join(e.problems) + "。请重新输入。", err=True)
                    continue
                secret = enroll(a)
                audit.record(s, action="account_created", result="ok", username=audit.cli_user(),
                             object=f"account:{a.username}", detail="首次启动设置系统管理员")
                s.commit()
                typer.echo(f"已添加系统管理员 {a.username}。业务账号请用 luoshi account add 添加。")
                typer.echo(f"管理员登录还须动态口令：请在身份验证器中添加密钥 {secret}（只显示这一次）")
                typer.echo(f"或导入地址：{provisioning_uri(a, secret)}")
                return
    finally:
        store.close()
