"""`luoshi serve`: the web application and its JSON API; `luoshi account …`: who may sign in.

Passwords are never options on the command line (they would stay in the shell history and the
process list): they are asked for, or read from standard input with --password-stdin."""
from __future__ import annotations

import sys

import typer

from luoshi.commands.common import DB_OPTION, FORMAT_OPTION, OutFormat, emit, store_session

account_app = typer.Typer(no_args_is_help=True, help="账号：添加、停用、重设密码。")


def _password(stdin: bool) -> str:
    if stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = typer.prompt("密码", hide_input=True)
    if typer.prompt("再次输入密码", hide_input=True) != first:
        raise typer.BadParameter("两次输入的密码不一致")
    return first


def add(username: str = typer.Argument(..., help="用户名（字母、数字、_ . @ -）"),
        role: str = typer.Option(..., "--role", help="admin / auditor / coordinator / reporter / leader"),
        unit: str = typer.Option(None, "--unit", "-u", help="所属单位（单位填报员必填）：名称、简称或编号"),
        name: str = typer.Option(None, "--name", help="姓名或显示名"),
        password_stdin: bool = typer.Option(False, "--password-stdin", help="从标准输入读取密码"),
        db: str = DB_OPTION) -> None:
    """添加账号。"""
    from luoshi.auth.accounts import ROLES, create_account
    from luoshi.auth.audit import audited, cli_user
    from luoshi.store.models import as_id
    from luoshi.track.reports import find_unit

    password = _password(password_stdin)
    with store_session(db) as s, audited(s, "account_created", username=cli_user(), object=f"account:{username}",
                                         detail=f"角色 {role}" + (f"，单位 {unit}" if unit else "")):
        unit_id = find_unit(s, as_id(unit) or unit).id if unit else None
        a = create_account(s, username=username, password=password, role=role, unit_id=unit_id, display_name=name)
        secret = _bind_second_factor(a)
    typer.echo(f"已添加账号 {a.username}（{ROLES[a.role]}）")
    _show_second_factor(a, secret)


def totp(username: str = typer.Argument(..., help="用户名"), db: str = DB_OPTION) -> None:
    """为账号绑定（或重新绑定）动态口令（TOTP）：系统管理员和审计员登录时须输入。原口令即时作废。"""
    from luoshi.auth.accounts import find_account
    from luoshi.auth.audit import audited, cli_user
    from luoshi.auth.totp import enroll
    from luoshi.errors import LuoshiError

    with store_session(db) as s, audited(s, "second_factor_bound", username=cli_user(), object=f"account:{username}"):
        a = find_account(s, username)
        if a is None:
            raise LuoshiError(f"没有账号 {username}")
        secret = enroll(a)
    _show_second_factor(a, secret)


def _bind_second_factor(a) -> str | None:
    """A new administrator or auditor gets its TOTP secret at once (等保 A3): shown here, once."""
    from luoshi.auth.policy import DEFAULT_POLICY
    from luoshi.auth.totp import enroll

    return enroll(a) if a.role in DEFAULT_POLICY.second_factor_roles else None


def _show_second_factor(a, secret: str | None) -> None:
    from luoshi.auth.totp import provisioning_uri

    if secret:
        typer.echo(f"动态口令密钥（只显示这一次，请在身份验证器中添加）：{secret}")
        typer.echo(f"或导入地址：{provisioning_uri(a, secret)}")


def accounts(db: str = DB_OPTION, fmt: OutFormat = FORMAT_OPTION) -> None:
    """列出账号。"""
    from sqlalchemy import select

    from luoshi.auth.accounts import ROLES
    from luoshi.store.account_models import Account
    from luoshi.store.dispatch_models import Unit

    with store_session(db) as s:
        names = dict(s.execute(select(Unit.id, Unit.name)).all())
        rows = [{"username": a.username, "name": a.display_name, "role": a.role if fmt is OutFormat.json else ROLES[a.role],
                 "unit": names.get(a.unit_id), "active": a.active if fmt is OutFormat.json else "是" if a.active else "否",
                 "locked_until": a.locked_until}
                for a in s.scalars(select(Account).order_by(Account.username))]
    emit(rows, [("username", "用户名"), ("name", "姓名"), ("role", "角色"), ("unit", "单位"), ("active", "启用"),
                ("locked_until", "锁定至")], fmt, title=f"账号（{len(rows)} 个）")


def _set_active(username: str, active: bool, db: str | None) -> None:
    from luoshi.auth.accounts import find_account, set_active
    from luoshi.auth.audit import audited, cli_user

    with store_session(db) as s, audited(s, "account_enabled" if active else "account_disabled", username=cli_user(),
                                         object=f"account:{username}"):
        a = _existing(find_account(s, username), username)
        set_active(s, a, active)
    typer.echo(f"已{'启用' if active else '停用'}账号 {username}" + ("" if active else "，其登录会话已全部结束"))


def disable(username: str = typer.Argument(...), db: str = DB_OPTION) -> None:
    """停用账号（立即结束其全部登录会话）。"""
    _set_active(username, False, db)


def enable(username: str = typer.Argument(...), db: str = DB_OPTION) -> None:
    """重新启用账号。"""
    _set_active(username, True, db)


def passwd(username: str = typer.Argument(...),
           password_stdin: bool = typer.Option(False, "--password-stdin", help="从标准输入读取密码"),
           db: str = DB_OPTION) -> None:
    """重设密码（结束其全部登录会话）。"""
    from luoshi.auth.accounts import find_account, set_password
    from luoshi.auth.audit import audited, cli_user

    password = _password(password_stdin)
    with store_session(db) as s, audited(s, "password_changed", username=cli_user(), object=f"account:{username}",
                                         detail="由管理员重设"):
        a = _existing(find_account(s, username), username)
        set_password(s, a, password)
    typer.echo(f"已重设账号 {username} 的密码")


def _existing(a, username: str):
    if a is None:
        from luoshi.errors import LuoshiError

        raise LuoshiError(f"没有账号“{username}”")
    return a


def serve(host: str = typer.Option("127.0.0.1", "--host", help="监听地址（对外服务请置于 HTTPS 反向代理之后）"),
          port: int = typer.Option(8000, "--port", min=1, max=65535),
          db: str = DB_OPTION) -> None:
    """启动网页服务与 JSON 接口（接口说明：/api/docs）。"""
    from luoshi.commands.first_run import ensure_admin
    from luoshi.settings import WebSettings

    settings = WebSettings.from_env(db)
    ensure_admin(settings.db_url)  # 等保 B1: the first run asks for the administrator
    run_server(settings, host, port)


def run_server(settings, host: str, port: int) -> None:
    """Serve the web app (`WebSettings`) on host:port in this process until interrupted; shared
    by `luoshi serve` and `luoshi demo`."""
    import uvicorn

    from luoshi.web.app import create_app

    app = create_app(settings)
    typer.echo(f"落实 luoshi：http://{host}:{port}/  （接口说明 http://{host}:{port}/api/docs）")
    uvicorn.run(app, host=host, port=port, log_level="warning")


def register(app: typer.Typer, edge) -> None:
    for fn in (add, disable, enable, passwd, totp):
        account_app.command(fn.__name__)(edge(fn))
    app.add_typer(account_app, name="account")
    app.command("accounts", help="列出账号。")(edge(accounts))
    app.command("serve", help="启动网页服务与 JSON 接口。")(edge(serve))
