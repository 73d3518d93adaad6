"""What the CLI commands share: the --db option, opening the store, and printing rows as a table
for a person or as JSON/CSV for a machine."""
from __future__ import annotations

import csv
import json
import sys
from contextlib import contextmanager
from enum import Enum
from typing import Any

import typer

DB_OPTION = typer.Option(None, "--db", help="数据库 URL（默认 $LUOSHI_DB，或 ~/.local/share/luoshi/luoshi.db）")


class OutFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


FORMAT_OPTION = typer.Option(OutFormat.table, "--format", "-f", help="table：表格；json / csv：供程序读取")


def open_store(db: str | None):
    from luoshi.settings import Settings
    from luoshi.store import Store

    return Store(Settings.from_env(db=db).db_url)


@contextmanager
def store_session(db: str | None):
    """A session on the configured store, closed (and the engine disposed) afterwards."""
    store = open_store(db)
    try:
        with store.session() as session:
            yield session
    finally:
        store.close()


def emit(rows: list[dict[str, Any]], columns: list[tuple[str, str]], fmt: OutFormat, title: str = "") -> None:
    """Print rows. `columns` pairs a row key with its Chinese header (the table and CSV headers);
    JSON keeps the keys and every field of the rows."""
    if fmt is OutFormat.json:
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, default=_jsonable, indent=2) + "\n")
        return
    if fmt is OutFormat.csv:
        w = csv.writer(sys.stdout)
        w.writerow([h for _, h in columns])
        for r in rows:
            w.writerow([_cell(r.get(k)) for k, _ in columns])
        return
    from rich.console import Console
    from rich.table import Table

    t = Table(title=title or None, title_justify="left")
    for _, h in columns:
        t.add_column(h, overflow="fold")
    for r in rows:
        t.add_row(*[_cell(r.get(k)) for k, _ in columns])
    Console().print(t)


def _cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        from luoshi.present import fmt_number

        return fmt_number(v)
    if isinstance(v, (list, tuple)):
        return "–".join(str(x) for x in v) if all(isinstance(x, int) for x in v) else "、".join(map(str, v))
    return str(v)


def _jsonable(v: Any):
    from decimal import Decimal

    if isinstance(v, Decimal):
        return float(v)
    if hasattr(v, "isoformat"):
        return v.isoformat()
    return str(v)
