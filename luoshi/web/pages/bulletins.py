"""通报: the quarterly bulletins (季通报). The list shows the versions the reader may see (the office
and leaders: every version; everyone else, the public without an account too: published ones
only) with their files; the office generates a region's quarter as the next version and publishes
it. A bulletin's page shows its particulars and the stored reading copy in a frame.

The reading copy (/bulletins/{id}/view) is the HTML stored at generation, served as issued under
its own Content-Security-Policy: nothing but its one <style> element (allowed by hash), data:
images, and framing by this site only. A draft is 404 to those who may not see drafts."""
from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from luoshi.publish.bulletin import archive
from luoshi.publish.bulletin.html import style_hash
from luoshi.store.account_models import Account
from luoshi.store.bulletin_models import BulletinRow
from luoshi.track.bulletin_data import last_whole_quarter, parse_quarter, quarters_with_reports
from luoshi.track.dashboard_regions import office_region, plan_regions
from luoshi.track.timeliness import china_time
from luoshi.web import api_bulletins as api
from luoshi.web.deps import IdPath, db
from luoshi.web.pages.render import page
from luoshi.web.pages.signin import optional_reader, reader

router = APIRouter()
DONE = {"generated": "已生成新版本（草稿）：发布后公众方可看到", "published": "已发布：公众现在可以看到这一版"}
KINDS = (("docx", "Word"), ("pdf", "PDF"), ("html", "HTML"), ("xlsx", "Excel"))


def view_policy(html: str) -> str:
    """The reading copy's CSP: its one style block by hash, nothing else loads, framed by this site."""
    return f"default-src 'none'; style-src {style_hash(html)}; img-src data:; frame-ancestors 'self'"


@router.get("/bulletins")
def bulletin_list(request: Request, a: Account | None = Depends(optional_reader), s: Session = Depends(db)) -> Response:
    rows = api.listing(s, a)
    office = a is not None and a.role == "coordinator"
    form = {}
    if office:
        quarters = quarters_with_reports(s)
        form = {"regions": plan_regions(s), "region": office_region(s), "quarters": quarters,
                "quarter": last_whole_quarter(s, quarters)}
    return page(request, "bulletins/list.html", {
        "rows": [_row(r, pdf) for r, pdf in _with_pdf(s, rows)], "staff": api.sees_drafts(a), "office": office,
        "form": form, "kinds": KINDS}, account=a)


@router.post("/bulletins")
def bulletin_generate(request: Request, region: str = Form(..., max_length=100), period: str = Form(..., max_length=20),
                      issuer: str = Form("", max_length=100), recipients: str = Form("", max_length=300),
                      copy_to: str = Form("", max_length=300), signed: str = Form("", max_length=10),
                      a: Account = Depends(reader), s: Session = Depends(db)) -> Response:
    row = api.generate(request, s, a, region, period, issuer=issuer, recipients=recipients, copy_to=copy_to,
                       signed=signed)
    return RedirectResponse(f"/bulletins/{row.id}?done=generated", status_code=303)


@router.get("/bulletins/{bulletin_id}")
def bulletin_page(request: Request, bulletin_id: IdPath, done: str = Query("", max_length=10),
                  a: Account | None = Depends(optional_reader), s: Session = Depends(db)) -> Response:
    row = api.visible(s, a, bulletin_id)
    staff = api.sees_drafts(a)
    versions = [_row(r, pdf) for r, pdf in _with_pdf(s, [r for r in api.listing(s, a, region=row.region)
                                                          if r.period == row.period])] if staff else []
    return page(request, "bulletins/detail.html", {
        "b": _row(row, row.pdf is not None), "staff": staff, "office": a is not None and a.role == "coordinator",
        "versions": versions, "notice": DONE.get(done), "kinds": KINDS}, account=a)


@router.get("/bulletins/{bulletin_id}/view")
def bulletin_view(bulletin_id: IdPath, a: Account | None = Depends(optional_reader),
                  s: Session = Depends(db)) -> Response:
    html = api.visible(s, a, bulletin_id).html
    # Set here, so the guards' page-wide CSP and X-Frame-Options (set only where missing) give way.
    return HTMLResponse(html, headers={"Content-Security-Policy": view_policy(html), "X-Frame-Options": "SAMEORIGIN"})


@router.get("/bulletins/{bulletin_id}/file.{kind}")
def bulletin_file(bulletin_id: IdPath, kind: api.Kind, a: Account | None = Depends(optional_reader),
                  s: Session = Depends(db)) -> Response:
    return api.download(api.visible(s, a, bulletin_id), kind)


@router.post("/bulletins/{bulletin_id}/publish")
def bulletin_publish(request: Request, bulletin_id: IdPath, a: Account = Depends(reader),
                     s: Session = Depends(db)) -> Response:
    api.publish(request, s, a, bulletin_id)
    return RedirectResponse(f"/bulletins/{bulletin_id}?done=published", status_code=303)


def _with_pdf(s: Session, rows: list[BulletinRow]) -> list[tuple[BulletinRow, bool]]:
    pdf = archive.with_pdf(s, [r.id for r in rows])
    return [(r, r.id in pdf) for r in rows]


def _row(r: BulletinRow, has_pdf: bool) -> dict:
    """A version as the templates show it."""
    return {"id": r.id, "region": r.region, "period": r.period, "quarter": parse_quarter(r.period).label,
            "version": r.version, "title": r.title, "issuer": r.issuer, "issue": r.issue, "signed": r.signed,
            "as_of": r.as_of, "created_at": _time(r.created_at), "created_by": r.created_by,
            "published_at": _time(r.published_at), "published_by": r.published_by, "has_pdf": has_pdf}


def _time(at) -> str | None:
    return china_time(at).strftime("%Y-%m-%d %H:%M") if at is not None else None

