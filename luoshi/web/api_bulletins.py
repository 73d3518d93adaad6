"""Quarterly bulletins (季通报) over the API, on the same core as `luoshi bulletin`: the office
generates a region's quarter as the next stored version and publishes it; the files are served as
stored. The office and leaders see every version; everyone else, the public without an account
included, sees published versions only, and a draft is 404 to them (its existence is not told).

Reading needs no account (a published bulletin is public); a token that is sent must be valid.
Generating and publishing are the office's, recorded in the audit log as the CLI records them."""
from __future__ import annotations

import re
import threading
from datetime import date
from typing import Literal
from urllib.parse import quote

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from luoshi.auth.access import READ_ALL, require
from luoshi.auth.audit import audited
from luoshi.errors import LuoshiError
from luoshi.publish.bulletin import archive
from luoshi.publish.bulletin.compose import Masthead
from luoshi.store.account_models import Account
from luoshi.store.bulletin_models import BulletinRow
from luoshi.track.worker import WorkerProcess
from luoshi.track.timeliness import china_time
from luoshi.web.deps import IdPath, account, address, db, token

router = APIRouter(tags=["季通报"])
Kind = Literal["docx", "pdf", "html", "xlsx"]
# Characters a Word or Excel file cannot hold (XML 1.0): refused here rather than failing in the writer.
_UNWRITABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


class BulletinInvalid(LuoshiError):
    code = "bulletin_invalid"
    http_status = 422


class BulletinIn(BaseModel):
    region: str = Field(min_length=1, max_length=100, description="地区：全称、简称或区划代码")
    period: str = Field(min_length=1, max_length=20, description="季度，如 2024Q2 或 2024年第二季度")
    issuer: str | None = Field(None, max_length=100, description="发文机关（默认：地区+方案简称+调度办公室）")
    recipients: str | None = Field(None, max_length=300, description="主送机关（默认按地区层级）")
    copy_to: str | None = Field(None, max_length=300, description="抄送机关（默认：地区党委、政府办公室）")
    signed: date | None = Field(None, description="成文日期（默认：季度月报截止当月末或今天）")


def optional_account(request: Request, s: Session = Depends(db)) -> Account | None:
    """The signed-in account, None without a token (the public); a token sent that is not valid is 401."""
    return account(request, s) if token(request) else None


def sees_drafts(a: Account | None) -> bool:
    return a is not None and a.role in READ_ALL


def text_field(value: str | None, label: str) -> str | None:
    v = (value or "").strip()
    if _UNWRITABLE.search(v):
        raise BulletinInvalid(f"{label}含有无法使用的控制字符")
    return v or None


def masthead(issuer: str | None, recipients: str | None, copy_to: str | None,
             signed: date | str | None) -> Masthead:
    """What the office decides (blank: the default); `signed` as a date or a form's text."""
    if isinstance(signed, str):
        signed = signed_day(signed)
    if signed is not None and not 2000 <= signed.year <= 2100:
        raise BulletinInvalid(f"成文日期“{signed.isoformat()}”超出范围（2000—2100年）")
    return Masthead(issuer=text_field(issuer, "发文机关"), recipients=text_field(recipients, "主送机关"),
                    copy_to=text_field(copy_to, "抄送机关"), signed=signed)


def signed_day(text: str) -> date | None:
    text = text.strip()
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        raise BulletinInvalid(f"成文日期“{text[:20]}”无法识别：应为 2024-07-15 这样的日期") from None


def listing(s: Session, a: Account | None, *, region: str | None = None,
            published: bool | None = None) -> list[BulletinRow]:
    """The versions `a` may see, newest quarter first; `region` by name or code, `published` True
    (published only) or False (drafts only)."""
    region = text_field(region, "地区")
    rows = archive.bulletins(s, published_only=published is True or not sees_drafts(a))
    return [r for r in rows if (region is None or region in (r.region, r.region_code))
            and (published is not False or r.published_at is None)]


def visible(s: Session, a: Account | None, bulletin_id: int) -> BulletinRow:
    return archive.bulletin(s, bulletin_id, published_only=not sees_drafts(a))


def meta(row: BulletinRow, has_pdf: bool) -> dict:
    files = {k: f"/api/bulletins/{row.id}/file.{k}" for k in archive.FILES}
    if not has_pdf:
        files["pdf"] = None
    return {"id": row.id, "region": row.region, "region_code": row.region_code, "period": row.period,
            "version": row.version, "title": row.title, "issuer": row.issuer, "issue": row.issue,
            "signed": row.signed.isoformat(), "as_of": row.as_of, "created_at": _iso(row.created_at),
            "created_by": row.created_by, "published": row.published_at is not None,
            "published_at": _iso(row.published_at), "published_by": row.published_by, "has_pdf": has_pdf,
            "files": files, "page": f"/bulletins/{row.id}"}


def download(row: BulletinRow, kind: str) -> Response:
    """One stored file as an attachment, named in Chinese (RFC 5987) with an ASCII fallback."""
    content = archive.file_of(row, kind)
    name = quote(archive.file_name(row, kind))
    return Response(content, media_type=archive.MEDIA[kind], headers={
        "Content-Disposition": f"attachment; filename=\"bulletin-{row.id}.{kind}\"; filename*=UTF-8''{name}"})


def generate(request: Request, s: Session, a: Account, region: str, period: str, *, issuer: str | None = None,
             recipients: str | None = None, copy_to: str | None = None,
             signed: date | str | None = None) -> BulletinRow:
    """Generate and store the next version as the office; the PDF when LibreOffice is installed."""
    with audited(s, "bulletin_generated", account=a, address=address(request),
                 object=f"bulletin:{region[:100]}:{period[:20]}") as trail:
        require(a, "coordinator")
        head = masthead(issuer, recipients, copy_to, signed)
        row = archive.generate(s, text_field(region, "地区") or "", period, catalog=request.app.state.catalog,
                               head=head, by=a.display_name or a.username, pdf=None,
                               base_url=str(request.base_url),  # the annex's links resolve against this site
                               worker=bulletin_worker(request))
        trail.object, trail.detail = f"bulletin:{row.id}", f"{row.region}{row.period} 第{row.version}版"
    return row


_WORKER_LOCK = threading.Lock()


def bulletin_worker(request: Request) -> WorkerProcess:
    """The app's process for drawing Word files beside the request's (made on first use): a
    province's bulletin then takes the time of its slower half, not of both."""
    state = request.app.state
    with _WORKER_LOCK:
        if getattr(state, "bulletin_worker", None) is None:
            state.bulletin_worker = WorkerProcess()
        return state.bulletin_worker


def publish(request: Request, s: Session, a: Account, bulletin_id: int) -> BulletinRow:
    with audited(s, "bulletin_published", account=a, address=address(request),
                 object=f"bulletin:{bulletin_id}") as trail:
        require(a, "coordinator")
        row = archive.publish(s, bulletin_id, by=a.display_name or a.username)
        trail.detail = f"{row.region}{row.period} 第{row.version}版"
    return row


@router.get("/bulletins", summary="季通报各版本（调度办、领导：全部；其他人和公众：已发布的）")
def list_bulletins(region: str | None = Query(None, max_length=100, description="地区名称或区划代码"),
                   published: bool | None = Query(None, description="true：只列已发布的；false：只列草稿"),
                   a: Account | None = Depends(optional_account), s: Session = Depends(db)) -> list[dict]:
    rows = listing(s, a, region=region, published=published)
    pdf = archive.with_pdf(s, [r.id for r in rows])
    return [meta(r, r.id in pdf) for r in rows]


@router.post("/bulletins", status_code=201, summary="生成一个地区一个季度的通报，保存为新版本（调度办）")
def create_bulletin(body: BulletinIn, request: Request, a: Account = Depends(account),
                    s: Session = Depends(db)) -> dict:
    row = generate(request, s, a, body.region, body.period, issuer=body.issuer, recipients=body.recipients,
                   copy_to=body.copy_to, signed=body.signed)
    return meta(row, row.pdf is not None) | {"figures": row.figures}


@router.get("/bulletins/{bulletin_id}", summary="一版通报：基本信息和引用的全部数字（含来源）")
def get_bulletin(bulletin_id: IdPath, a: Account | None = Depends(optional_account),
                 s: Session = Depends(db)) -> dict:
    row = visible(s, a, bulletin_id)
    return meta(row, row.pdf is not None) | {"figures": row.figures}


@router.get("/bulletins/{bulletin_id}/file.{kind}", summary="下载一版通报的文件：docx、pdf、html、xlsx（保存时原样）",
            response_class=Response,
            responses={200: {"content": {archive.MEDIA[k].split(";")[0]: {} for k in archive.FILES},
                             "description": "文件（附件）"}})
def bulletin_file(bulletin_id: IdPath, kind: Kind, a: Account | None = Depends(optional_account),
                  s: Session = Depends(db)) -> Response:
    return download(visible(s, a, bulletin_id), kind)


@router.post("/bulletins/{bulletin_id}/publish", summary="发布一版通报：发布后公众可以看到（调度办）")
def publish_bulletin(bulletin_id: IdPath, request: Request, a: Account = Depends(account),
                     s: Session = Depends(db)) -> dict:
    row = publish(request, s, a, bulletin_id)
    return meta(row, row.pdf is not None)


def _iso(at) -> str | None:
    return china_time(at).isoformat() if at is not None else None
