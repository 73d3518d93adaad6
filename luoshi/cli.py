"""The `luoshi` command: a thin shell over the library.

Core errors (LuoshiError) become a one-line Chinese message on stderr and their exit code (2 for
bad input); no traceback reaches the user unless LUOSHI_DEBUG is set.
"""
from __future__ import annotations

import functools
import json
import os
import sys
from enum import Enum
from pathlib import Path

import typer

from luoshi.errors import LuoshiError



def edge(fn):
    """Translate core errors to a message and exit code; users never see a traceback."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except (typer.Exit, typer.TyperException):  # usage errors (BadParameter) print as typer does
            raise
        except LuoshiError as e:
            typer.echo(f"错误：{e}", err=True)
            raise typer.Exit(e.exit_code) from None
        except KeyboardInterrupt:
            typer.echo("已中断", err=True)
            raise typer.Exit(130) from None
        except Exception as e:  # noqa: BLE001
            if os.environ.get("LUOSHI_DEBUG"):
                raise
            typer.echo(f"内部错误（{type(e).__name__}: {e}）。设置 LUOSHI_DEBUG=1 可查看详细信息。", err=True)
            raise typer.Exit(1) from None

    return wrapper


class Format(str, Enum):
    json = "json"
    table = "table"


def extract(
    file: Path = typer.Argument(..., help="方案文件：TXT、DOCX、PDF 或 HTML（按内容识别，不看扩展名）"),
    format: Format = typer.Option(Format.json, "--format", "-f", help="json：SPEC 格式；table：便于阅读的表格"),
    max_mb: int = typer.Option(50, "--max-mb", help="可读取的最大文件大小（MB）"),
    with_text: bool = typer.Option(None, "--text/--no-text", help="在 JSON 中附带原文（DOCX/PDF 默认附带）"),
) -> None:
    """Extract a plan: metadata, outline, targets and responsibility assignments, with spans."""
    from luoshi.extract import extract as run_extract
    from luoshi.read import read_path

    doc = read_path(file, max_bytes=max_mb * 1024 * 1024)
    plan = run_extract(doc)
    for w in plan.warnings:
        typer.echo(f"提示：{w}", err=True)
    if format is Format.table:
        from luoshi.present import print_plan

        print_plan(plan, title=str(file))
    else:
        data = plan.to_json(with_text)
        indent = 2 if sys.stdout.isatty() else None
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=indent) + "\n")


def demo(
    folder: Path = typer.Option(Path("demo"), "--dir", help="示例方案和演示数据库写入的文件夹"),
    host: str = typer.Option("127.0.0.1", "--host", help="网页服务的监听地址"),
    port: int = typer.Option(8000, "--port", min=1, max=65535, help="网页服务的端口"),
    serve: bool = typer.Option(True, "--serve/--no-serve", help="建好演示数据库后启动网页服务"),
) -> None:
    """Write luoshi's own sample plan and show what luoshi extracts from it; then build the demo
    database (<dir>/luoshi-demo.db, anew each run) and serve the web app over it."""
    from luoshi.extract import extract as run_extract
    from luoshi.present import print_plan
    from luoshi.read import read_path
    from luoshi.sample import write_sample

    path = write_sample(folder)
    typer.echo(f"示例方案已写入 {path}")
    plan = run_extract(read_path(path))
    print_plan(plan, title=str(path))
    out = path.with_suffix(".json")
    out.write_text(json.dumps(plan.to_json(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    typer.echo(f"抽取结果（JSON）已写入 {out}")
    url = _demo_database(folder)
    if serve:
        from luoshi.commands.web import run_server
        from luoshi.settings import Settings, WebSettings

        run_server(WebSettings(Settings(db_url=url)), host, port)


def _demo_database(folder: Path) -> str:
    """Build the demo database afresh in `folder` and show its accounts; returns its URL."""
    from rich.console import Console
    from rich.table import Table

    from luoshi.auth.accounts import ROLES
    from luoshi.demo import build_demo
    from luoshi.track.timeliness import today

    db = folder / "luoshi-demo.db"
    for leftover in (db, *(db.with_name(db.name + s) for s in ("-journal", "-wal", "-shm"))):
        leftover.unlink(missing_ok=True)
    typer.echo("正在生成演示数据库（9 个方案、各单位自 2024 年 1 月以来的月报）……")
    world = build_demo(f"sqlite:///{db.resolve()}", today=today())
    c = world.counts
    typer.echo(f"演示数据库已写入 {db}：{c['plans']} 个方案、{c['tasks']} 项任务、{c['submissions']} 份月报、"
               f"{c['projects']} 个重点项目、{c['bulletins']} 期已发布的季通报（用时 {world.seconds:.1f} 秒）。方案和数字均为虚构。")
    table = Table(title=f"演示账号（密码均为 {world.password}）")
    for header in ("账号", "角色", "单位"):
        table.add_column(header)
    for a in world.accounts:
        table.add_row(a.username, ROLES.get(a.role, a.role), a.unit or "")
    console = Console()
    console.print(table)
    for a in world.accounts:
        if a.second_factor:
            typer.echo(f"{a.username} 登录还须动态口令：请在身份验证器中添加密钥 {a.second_factor}")
    return f"sqlite:///{db.resolve()}"


def build_app(full: bool = True) -> typer.Typer:
    """The `luoshi` application. `full=False` leaves out the storage and tracking commands, whose
    registration costs start-up time that `luoshi extract` does not need."""
    from luoshi.commands import registry

    app = typer.Typer(add_completion=False, no_args_is_help=True, help="luoshi (落实): 把行动方案变成可追踪的任务。")
    app.command()(edge(extract))
    app.command()(edge(demo))
    if full:
        for register in registry():
            register(app, edge)
    return app


def __getattr__(name: str):
    # `from luoshi.cli import app` (tests, embedding) builds the whole application on demand.
    if name == "app":
        return build_app()
    raise AttributeError(name)


def main() -> None:
    first = next((a for a in sys.argv[1:] if not a.startswith("-")), "")
    build_app(full=first not in ("extract", "demo"))()


if __name__ == "__main__":
    main()
