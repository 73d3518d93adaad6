"""Errors at the web edge: every answer that is not a success is JSON `{"code", "message", ...}`
in Chinese, with the HTTP status the core error names (LuoshiError.http_status); on a page (any
path outside /api and /static) the same error is an HTML page, and "not signed in" sends the
browser to /login. Request bodies
FastAPI cannot read get a 422 in the same shape; an unexpected exception is logged and answered
with a plain 500 that leaks no internals."""
from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from starlette.exceptions import HTTPException

from luoshi.errors import LuoshiError

log = logging.getLogger("luoshi.web")
_HTTP = {400: "请求无效", 401: "请先登录", 403: "无权访问", 404: "未找到", 405: "不支持此请求方法",
         413: "上传内容过大", 415: "不支持的文件类型", 429: "请求过于频繁"}


def error_body(e: LuoshiError) -> dict:
    body = e.to_dict() if hasattr(e, "to_dict") else {"code": e.code, "message": e.message}
    if e.hint and "hint" not in body:
        body["hint"] = e.hint
    if getattr(e, "problems", None) and "problems" not in body:
        body["problems"] = [str(p) for p in e.problems]
    return body


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(LuoshiError)
    async def _core(request: Request, e: LuoshiError):
        if is_page(request):
            if e.code == "second_factor_required":
                return _second_factor(request)
            return _page_error(request, e.http_status, e.message)
        headers = {"WWW-Authenticate": "Bearer"} if e.http_status == 401 else None
        return JSONResponse(error_body(e), status_code=e.http_status, headers=headers)

    @app.exception_handler(RequestValidationError)
    async def _request(request: Request, e: RequestValidationError):
        problems = [_problem(err) for err in e.errors()]
        if is_page(request):
            return _page_error(request, 422, "请求格式错误：" + "；".join(problems))
        return JSONResponse({"code": "request_invalid", "message": "请求格式错误：" + "；".join(problems),
                             "problems": problems}, status_code=422)

    @app.exception_handler(HTTPException)
    async def _http(request: Request, e: HTTPException):
        message = e.detail if isinstance(e.detail, str) and e.detail and not e.detail.isascii() else None
        # A guard's own HTTPException (security.BodyTooLarge) names its code.
        code = getattr(e, "code", None) or f"http_{e.status_code}"
        if is_page(request):
            return _page_error(request, e.status_code, message or _HTTP.get(e.status_code, "请求失败"))
        return JSONResponse({"code": code, "message": message or _HTTP.get(e.status_code, "请求失败")},
                            status_code=e.status_code, headers=getattr(e, "headers", None))

    @app.exception_handler(Exception)
    async def _bug(request: Request, e: Exception):
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        if is_page(request):
            return _page_error(request, 500, "服务器内部错误，已记录，请联系管理员")
        return JSONResponse({"code": "internal", "message": "服务器内部错误，已记录，请联系管理员"}, status_code=500)


def _problem(err: dict) -> str:
    where = ".".join(str(x) for x in err.get("loc", ()) if x not in ("body", "query", "path"))
    kind = err.get("type", "")
    what = {"missing": "缺少此项", "int_parsing": "应为整数", "bool_parsing": "应为是/否（true/false）",
            "string_type": "应为文本", "list_type": "应为列表", "dict_type": "应为对象", "json_invalid": "不是有效的 JSON",
            "string_too_long": "过长", "model_attributes_type": "应为 JSON 对象"}.get(kind, "格式不正确")
    return f"{where or '请求体'}：{what}"


def is_page(request: Request) -> bool:
    path = request.url.path
    return not (path.startswith("/api/") or path == "/api" or path.startswith("/static/"))


def _second_factor(request: Request):
    from urllib.parse import quote

    from fastapi.responses import RedirectResponse, Response

    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    target = "/login/totp?next=" + quote(here, safe="")
    if request.headers.get("hx-request"):
        return Response(status_code=204, headers={"HX-Redirect": target})
    return RedirectResponse(target, status_code=303)


def _page_error(request: Request, status: int, message: str):
    # Imported here: the pages import the API's modules, which import this one.
    from luoshi.web.pages.render import page
    from luoshi.web.pages.signin import login_redirect

    if status == 401:
        return login_redirect(request)
    try:
        return page(request, "error.html", {"status": status, "message": message}, status_code=status)
    except Exception:  # a broken template must not hide the error it was to show
        log.exception("error page failed")
        return HTMLResponse(f"<h1>{status}</h1>", status_code=status)
