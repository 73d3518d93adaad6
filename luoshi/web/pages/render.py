"""The template environment and `page(...)`, which renders a template for the signed-in reader
with what every page shows: who is signed in, the menu their role may use, the CSRF token htmx
sends back (luoshi.web.csrf)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from luoshi import __version__
from luoshi.auth.accounts import ROLES
from luoshi.store.account_models import Account

WEB = Path(__file__).resolve().parents[1]
STATIC = WEB / "static"
TEMPLATES = WEB / "templates"


@dataclass(frozen=True)
class MenuItem:
    path: str
    label: str
    roles: frozenset[str]


# The menu each role sees; each page checks the role again on the server.
MENU = [
    MenuItem("/dashboard", "总览", frozenset({"coordinator", "leader"})),
    MenuItem("/inbox", "本单位", frozenset({"reporter"})),
    MenuItem("/plans", "行动方案", frozenset({"coordinator", "leader", "reporter"})),
    MenuItem("/indicators", "指标", frozenset({"coordinator", "leader"})),
    MenuItem("/projects", "重点项目", frozenset({"coordinator", "leader", "reporter"})),
    MenuItem("/reporting", "报送情况", frozenset({"coordinator", "leader"})),
    MenuItem("/inbox", "单位报送", frozenset({"coordinator", "leader"})),
    # Published bulletins are public: every role, and readers without an account ("public").
    MenuItem("/bulletins", "通报", frozenset({"coordinator", "leader", "reporter", "admin", "auditor", "public"})),
    MenuItem("/audit", "审计日志", frozenset({"auditor"})),
    MenuItem("/admin/accounts", "账号管理", frozenset({"admin"})),
]
# Where each role lands after signing in.
HOME = {"coordinator": "/dashboard", "leader": "/dashboard", "reporter": "/inbox", "auditor": "/audit",
        "admin": "/admin/accounts"}


def environment() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["num"] = number
    env.filters["pct"] = percent
    env.globals.update(version=__version__, light_label=LIGHT_LABELS.get, role_label=ROLES.get)
    return env


LIGHT_LABELS = {"green": "绿灯", "yellow": "黄灯", "red": "红灯", "grey": "未判断", None: "未判断"}


def number(value, digits: int = 2) -> str:
    """A figure as a reader expects it: thousands grouped, no trailing zeros, '—' for none."""
    if value is None or value == "":
        return "—"
    try:
        v = float(value)
    except (TypeError, ValueError):
        return str(value)
    if v == int(v) and abs(v) < 1e15:
        return f"{int(v):,}"
    return f"{v:,.{digits}f}".rstrip("0").rstrip(".")


def percent(value, digits: int = 1) -> str:
    """A ratio (0.853) as a percentage (85.3%)."""
    if value is None:
        return "—"
    return f"{float(value) * 100:.{digits}f}%"


def menu_for(account: Account | None) -> list[MenuItem]:
    role = account.role if account else "public"
    return [m for m in MENU if role in m.roles]


def page(request: Request, template: str, context: dict | None = None, *, account: Account | None = None,
         status_code: int = 200, headers: dict | None = None) -> HTMLResponse:
    env: Environment = request.app.state.templates
    ctx = {"request": request, "me": account, "menu": menu_for(account), "path": request.url.path,
           "csrf": request.cookies.get("luoshi_csrf", "")}
    ctx.update(context or {})
    html = env.get_template(template).render(ctx)
    return HTMLResponse(html, status_code=status_code, headers=headers)
