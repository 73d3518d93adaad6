"""The API's documentation page, /api/docs, served entirely from this server: Swagger UI from the
swagger-ui-bundle package, started by a static script of ours. FastAPI's own page fetches Swagger
UI from a CDN, which an office network without Internet access cannot reach."""
from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

STATIC = Path(__file__).with_name("static")
PAGE = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>落实 luoshi 接口说明</title>
<link rel="stylesheet" href="/api/docs/ui/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/api/docs/ui/swagger-ui-bundle.js"></script>
<script src="/api/docs/static/api-docs.js"></script></body></html>"""


def install(app: FastAPI) -> None:
    import swagger_ui_bundle

    app.mount("/api/docs/ui", StaticFiles(directory=swagger_ui_bundle.swagger_ui_path), name="swagger-ui")
    app.mount("/api/docs/static", StaticFiles(directory=STATIC), name="api-docs-static")

    @app.get("/api/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return HTMLResponse(PAGE)
