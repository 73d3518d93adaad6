"""The FastAPI application, built from typed settings: `create_app(WebSettings)`. The store is
opened here and closed when the app shuts down; every request gets its own database session."""
from __future__ import annotations

from contextlib import asynccontextmanager
from dataclasses import replace

from fastapi import FastAPI

from luoshi import __version__
from luoshi.auth.csrf import server_secret
from luoshi.settings import WebSettings
from luoshi.store import Store
from luoshi.track.catalog import load_catalog
from luoshi.web import (api_audit, api_auth, api_bulletins, api_docs, api_milestones, api_progress, api_projects,
                        api_reports, pages)
from luoshi.web.errors import install_error_handlers
from luoshi.web.security import secured

API_DESCRIPTION = """落实（luoshi）的 JSON 接口：行动方案的任务、单位月报、进度和报送及时性。

登录：`POST /api/session` 得到令牌，其后每个请求带 `Authorization: Bearer <令牌>`（浏览器用同名 Cookie；
以 Cookie 登录时，POST/PUT/PATCH/DELETE 请求须带 `X-CSRF-Token` 头，其值为 `luoshi_csrf` Cookie）。
单位填报员只能读写本单位的任务和报告；调度办和领导可读全部。已发布的季通报无须登录即可读取。
错误以 `{"code", "message", ...}` 返回。"""


class _App(FastAPI):
    def build_middleware_stack(self):
        # The guards go outside Starlette's error middleware, so that a 500 carries the headers too.
        return secured(super().build_middleware_stack(), self.state.settings)


def create_app(settings: WebSettings) -> FastAPI:
    store = Store(settings.db_url)
    with store.session() as s:
        settings = replace(settings, secret=server_secret(s, settings.secret))

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        yield
        for worker in ("dashboard_worker", "bulletin_worker"):
            if getattr(app.state, worker, None) is not None:
                getattr(app.state, worker).close()
        store.close()

    app = _App(title="落实 luoshi", version=__version__, description=API_DESCRIPTION, lifespan=lifespan,
               openapi_url="/api/openapi.json", docs_url=None, redoc_url=None)
    app.state.settings, app.state.store = settings, store
    app.state.catalog = load_catalog(settings.base.catalog_path)
    install_error_handlers(app)
    for module in (api_auth, api_reports, api_progress, api_milestones, api_projects, api_bulletins):
        app.include_router(module.router, prefix="/api")
    app.include_router(api_audit.router, prefix="/api")  # the auditor's alone (等保 B2)
    api_docs.install(app)
    pages.install(app)
    return app
