"""Generating, storing and publishing bulletins. `generate` computes a region's quarter from the
store, composes it, renders every format and stores them as the next version; nothing stored is
changed afterwards except the mark `publish` sets. The public reads published versions only.

Decisions:
- The formats are rendered once, when the version is made, and stored as issued: a published
  bulletin reads the same next year, whatever the reports say by then.
- PDF needs LibreOffice (scripts/office-up); without it the version is stored without a PDF
  (`pdf=None`) rather than not at all, unless the caller demands one.
- Two generations racing for the same version number: the loser takes the next one.
"""
from __future__ import annotations

from dataclasses import asdict
from datetime import date, datetime, timezone

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, defer

from luoshi.errors import LuoshiError
from luoshi.publish.bulletin.annex import annex_sheets, links_for
from luoshi.publish.bulletin.compose import Masthead, compose
from luoshi.store.bulletin_models import BulletinRow
from luoshi.track.bulletin_data import bulletin_data

FILES = ("docx", "pdf", "html", "xlsx")
MEDIA = {"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
         "pdf": "application/pdf", "html": "text/html; charset=utf-8",
         "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


class BulletinNotFound(LuoshiError):
    code = "bulletin_not_found"
    http_status = 404


class BulletinConflict(LuoshiError):
    code = "bulletin_conflict"
    http_status = 409


def render_all(session: Session, region: str, period: str, *, catalog, head: Masthead | None = None,
               on: date | None = None, pdf: bool | None = None, base_url: str | None = None,
               worker=None) -> dict:
    """Every format of the bulletin, without storing it: docx, xlsx (bytes), html (str), pdf (bytes;
    None when `pdf` is None and LibreOffice is missing; `pdf=False`: not made), the Document and
    its data. `base_url`: the web app's address, which the xlsx annex's relative links resolve
    against. `worker` (anything with `submit(func, *args)` giving `.result()`: the web app's
    `luoshi.track.worker.WorkerProcess`, the CLI's forked process): the Word file is drawn there while this process
    draws the HTML and the annex, each on its own core; the quarter compared with is judged there
    too, while this process judges the quarter itself."""
    from luoshi.publish.bulletin import convert
    from luoshi.publish.bulletin.docx import render_docx
    from luoshi.publish.bulletin.html import render_html
    from luoshi.publish.bulletin.xlsx import render_xlsx

    data = bulletin_data(session, region, period, catalog=catalog, on=on, worker=worker)
    doc = compose(data, head)
    links = links_for(session, data)
    started = worker.submit(render_docx, doc) if worker is not None else None
    out = {"document": doc, "data": data, "html": render_html(doc, links=links),
           "xlsx": render_xlsx(doc, extra=annex_sheets(data), links=links, base_url=base_url), "pdf": None}
    out["docx"] = started.result() if started is not None else render_docx(doc)
    if pdf or (pdf is None and convert.available()):
        out["pdf"] = convert.to_pdf(out["docx"])
    return out


def generate(session: Session, region: str, period: str, *, catalog, head: Masthead | None = None,
             by: str | None = None, on: date | None = None, pdf: bool | None = None,
             base_url: str | None = None, worker=None) -> BulletinRow:
    """Compose, render and store the next version of the region's bulletin for the quarter (the
    caller commits)."""
    made = render_all(session, region, period, catalog=catalog, head=head, on=on, pdf=pdf, base_url=base_url,
                      worker=worker)
    doc, data = made["document"], made["data"]
    for _ in range(3):
        version = (session.scalar(select(func.max(BulletinRow.version))
                                  .where(BulletinRow.region == doc.region, BulletinRow.period == doc.period)) or 0) + 1
        row = BulletinRow(region=doc.region, region_code=data.region.code, period=doc.period, version=version,
                          title=doc.title, issuer=doc.issuer, issue=doc.issue, signed=doc.signed, as_of=doc.as_of,
                          figures=[_figure_json(f) for f in doc.figures()], docx=made["docx"], xlsx=made["xlsx"],
                          html=made["html"], pdf=made["pdf"], created_by=(by or "")[:100] or None)
        try:
            with session.begin_nested():
                session.add(row)
                session.flush()
            return row
        except IntegrityError:
            continue
    raise BulletinConflict("同一季度的通报正在同时生成，请稍后再试")


def _figure_json(f) -> dict:
    d = asdict(f)
    d["source"] = {k: [list(x) if isinstance(x, tuple) else x for x in v] for k, v in d["source"].items()}
    return d


def bulletins(session: Session, *, published_only: bool = False, region: str | None = None) -> list[BulletinRow]:
    """Stored versions, newest quarter and version first, without their files loaded."""
    q = select(BulletinRow).options(*(defer(getattr(BulletinRow, k)) for k in ("docx", "xlsx", "html", "pdf", "figures")))
    if published_only:
        q = q.where(BulletinRow.published_at.is_not(None))
    if region:
        q = q.where(BulletinRow.region == region)
    return list(session.scalars(q.order_by(BulletinRow.period.desc(), BulletinRow.region, BulletinRow.version.desc())))


def word_worker():
    """For a one-shot command: a forked process that judges the quarter compared with while this one
    judges the quarter, and then draws the Word file while this one draws the rest (None where fork
    is not available, or where other threads run: a fork copies their locks). The web app spawns
    its own."""
    import multiprocessing
    import threading
    from concurrent.futures import ProcessPoolExecutor

    # Call it before opening the store: the child must not share a database connection.
    if "fork" not in multiprocessing.get_all_start_methods() or threading.active_count() > 1:
        return None
    pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork"))
    pool.submit(int)  # start it now
    return pool


def with_pdf(session: Session, ids: list[int]) -> set[int]:
    """Which of the versions have a PDF, without loading the files."""
    out: set[int] = set()
    for i in range(0, len(ids), 900):
        out.update(session.scalars(select(BulletinRow.id).where(BulletinRow.id.in_(ids[i:i + 900]),
                                                                BulletinRow.pdf.is_not(None))))
    return out


def bulletin(session: Session, bulletin_id: int, *, published_only: bool = False) -> BulletinRow:
    row = session.get(BulletinRow, bulletin_id)
    if row is None or (published_only and row.published_at is None):
        raise BulletinNotFound(f"没有编号为 {bulletin_id} 的{'已发布' if published_only else ''}通报")
    return row


def file_of(row: BulletinRow, kind: str) -> bytes:
    """One stored format as bytes; BulletinNotFound for a PDF that was not made."""
    if kind not in FILES:
        raise BulletinNotFound(f"没有“{kind}”格式，可选：{'、'.join(FILES)}")
    value = getattr(row, kind)
    if value is None:
        raise BulletinNotFound("这一版通报生成时服务器未安装 LibreOffice，没有 PDF 文件",
                               hint="可下载 Word 文件，或安装 LibreOffice（scripts/office-up）后重新生成")
    return value.encode("utf-8") if isinstance(value, str) else value


def file_name(row: BulletinRow, kind: str) -> str:
    return f"{row.region}{row.period}通报-第{row.version}版.{kind}"


def publish(session: Session, bulletin_id: int, *, by: str | None = None) -> BulletinRow:
    """Mark a version published (the caller commits); BulletinConflict when it already is."""
    row = bulletin(session, bulletin_id)
    if row.published_at is not None:
        from luoshi.track.timeliness import china_time

        raise BulletinConflict(f"第 {row.version} 版已于 {china_time(row.published_at):%Y-%m-%d %H:%M} 发布")
    row.published_at, row.published_by = datetime.now(timezone.utc), (by or "")[:100] or None
    session.flush()
    return row
