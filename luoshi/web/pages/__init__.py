"""Server-rendered pages (Jinja2, htmx), in Chinese, on the same core and the same access rules
as the JSON API: every page checks its reader's role and unit on the server.

`install(app)` mounts the bundled static files (ECharts, htmx, the county maps) and the page
routers; `luoshi.web.pages.render` holds the template environment."""
from __future__ import annotations

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from luoshi.web import maps
from luoshi.web.pages import (admin, audit_log, bulletins, dashboard, inbox, indicators, plans, projects, render,
                              reporting, signin)
from luoshi.web.pages.render import STATIC

# Each module is one area of the site, with an APIRouter named `router`.
MODULES = [signin, dashboard, reporting, inbox, plans, indicators, projects, bulletins, audit_log, admin, maps]


def install(app: FastAPI) -> None:
    app.state.templates = render.environment()
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    for module in MODULES:
        app.include_router(module.router, include_in_schema=False)
