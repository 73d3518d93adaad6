"""`luoshi bulletin`: the quarterly bulletin (季通报) of a region, generated from the stored data in
the official format, stored as the next version and written to files (Word, PDF, HTML, the xlsx
annex: by the suffix of each --out). `luoshi bulletins list|publish|get` list the stored
versions, publish one (the public sees published ones only) and write a stored one out."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import typer

from luoshi.commands.common import DB_OPTION, FORMAT_OPTION, OutFormat, emit, store_session

bulletins_app = typer.Typer(no_args_is_help=True, help="已生成的季通报：列出、发布、取出文件。")
ID_ARG = typer.Argument(..., help="通报编号（luoshi bulletins list 可查）")
LIST_COLUMNS = [("id", "编号"), ("region", "地区"), ("period", "季度"), ("version", "版本"), ("created_at", "生成时间"),
                ("created_by", "生成人"), ("published_at", "发布时间"), ("pdf", "PDF"), ("title", "标题")]


def _suffix(path: Path) -> str:
    from luoshi.errors import LuoshiError
    from luoshi.publish.bulletin.archive import FILES

    kind = path.suffix.lower().lstrip(".")
    if kind == "htm":
        kind = "html"
    if kind not in FILES:
        raise LuoshiError(f"无法按扩展名确定格式：{path}", hint="--out 的扩展名应为 .docx、.pdf、.html 或 .xlsx")
    return kind


def bulletin(region: str = typer.Option(..., "--region", help="地区：全称、简称或区划代码，如 聊城市"),
             period: str = typer.Option(..., "--period", help="季度，如 2022Q3 或 2022年第三季度"),
             out: list[Path] = typer.Option([], "--out", "-o",
                                            help="写出的文件，格式按扩展名：.docx .pdf .html .xlsx（可重复）"),
             issuer: str = typer.Option(None, "--issuer", help="发文机关（默认：地区+方案简称+调度办公室）"),
             recipients: str = typer.Option(None, "--to", help="主送机关，如 各县（市、区）人民政府，市直有关部门："),
             copy_to: str = typer.Option(None, "--cc", help="抄送机关"),
             signed: str = typer.Option(None, "--date", help="成文日期，如 2022-10-15（默认：季度月报截止当月末或今天）"),
             base_url: str = typer.Option(None, "--base-url",
                                          help="网页服务的地址，如 https://luoshi.example.gov.cn/：Excel 附件中的链接据此打开"),
             store: bool = typer.Option(True, "--store/--no-store", help="保存为新版本（默认保存）"),
             by: str = typer.Option(None, "--by", help="生成人"), db: str = DB_OPTION) -> None:
    """生成一个地区一个季度的通报（公文格式），保存为新版本并写出文件。"""
    from luoshi.errors import LuoshiError
    from luoshi.publish.bulletin.archive import word_worker
    from luoshi.publish.bulletin.compose import Masthead

    kinds = [_suffix(p) for p in out]  # a bad --out fails before any work, and before anything is stored
    for path in out:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise LuoshiError(f"无法写入 {path}：{e.strerror}") from None
    try:
        day = date.fromisoformat(signed) if signed else None
    except ValueError:
        raise LuoshiError(f"--date“{signed}”无法识别：应为 2022-10-15 这样的日期") from None
    head = Masthead(issuer=issuer, recipients=recipients, copy_to=copy_to, signed=day)
    worker = word_worker()  # before the store is opened: the child must not share its connection
    try:
        files = _make(db, region, period, head, kinds, base_url, store, by, worker)
    finally:
        if worker is not None:
            worker.shutdown(cancel_futures=True)
    for path, kind in zip(out, kinds):
        path.write_bytes(files[kind])
        typer.echo(f"已写出 {path}（{len(files[kind]) // 1024} KB）")


def _make(db, region, period, head, kinds, base_url, store, by, worker) -> dict:
    from luoshi.auth.audit import audited, cli_user
    from luoshi.commands.check import load_catalog_for
    from luoshi.publish.bulletin.archive import file_of, generate, render_all

    catalog = load_catalog_for(db)
    with store_session(db) as s:
        if store:
            with audited(s, "bulletin_generated", username=by or cli_user(), object=f"bulletin:{region}:{period}") as trail:
                row = generate(s, region, period, catalog=catalog, head=head, by=by or cli_user(),
                               pdf=True if "pdf" in kinds else None, base_url=base_url, worker=worker)
                trail.object, trail.detail = f"bulletin:{row.id}", f"{row.region}{row.period} 第{row.version}版"
            files = {k: file_of(row, k) for k in kinds}
            typer.echo(f"已生成通报 {row.id}：{row.title}（{row.region} {row.period} 第 {row.version} 版，"
                       f"引用数字 {len(row.figures)} 个{'，无 PDF：未安装 LibreOffice' if row.pdf is None else ''}）")
        else:
            made = render_all(s, region, period, catalog=catalog, head=head, pdf="pdf" in kinds, base_url=base_url,
                              worker=worker)
            files = {k: made[k].encode("utf-8") if k == "html" else made[k] for k in kinds}
            typer.echo(f"已生成（未保存）：{made['document'].title}")
    return files


def list_(published: bool = typer.Option(False, "--published", help="只列已发布的"),
          region: str = typer.Option(None, "--region", help="只列这个地区的"), fmt: OutFormat = FORMAT_OPTION,
          db: str = DB_OPTION) -> None:
    """列出已保存的通报（各版本）。"""
    from luoshi.publish.bulletin.archive import bulletins, with_pdf

    with store_session(db) as s:
        found = bulletins(s, published_only=published, region=region)
        pdf = with_pdf(s, [r.id for r in found])
        rows = [{"id": r.id, "region": r.region, "period": r.period, "version": r.version, "title": r.title,
                 "created_at": _when(r.created_at), "created_by": r.created_by, "published_at": _when(r.published_at),
                 "pdf": "有" if r.id in pdf else "无"} for r in found]
    emit(rows, LIST_COLUMNS, fmt, title="季通报")


def _when(at) -> str | None:
    """A stored time as people in China read it (2026-11-23 12:11)."""
    from luoshi.track.timeliness import china_time

    return None if at is None else f"{china_time(at):%Y-%m-%d %H:%M}"


def publish(bulletin_id: int = ID_ARG, by: str = typer.Option(None, "--by", help="发布人"),
            db: str = DB_OPTION) -> None:
    """发布一版通报：发布后公众可以看到。"""
    from luoshi.auth.audit import audited, cli_user
    from luoshi.publish.bulletin.archive import publish as run_publish

    with store_session(db) as s:
        with audited(s, "bulletin_published", username=by or cli_user(), object=f"bulletin:{bulletin_id}") as trail:
            row = run_publish(s, bulletin_id, by=by or cli_user())
            trail.detail = f"{row.region}{row.period} 第{row.version}版"
        typer.echo(f"已发布通报 {row.id}：{row.title}（第 {row.version} 版）")


def get(bulletin_id: int = ID_ARG, out: Path = typer.Option(..., "--out", "-o", help="写出的文件：.docx .pdf .html .xlsx"),
        db: str = DB_OPTION) -> None:
    """把一版已保存的通报写成文件（保存时的原样）。"""
    from luoshi.publish.bulletin.archive import bulletin as find, file_of

    kind = _suffix(out)
    with store_session(db) as s:
        content = file_of(find(s, bulletin_id), kind)
    out.write_bytes(content)
    typer.echo(f"已写出 {out}（{len(content) // 1024} KB）")


def register(app: typer.Typer, edge) -> None:
    app.command("bulletin", help="生成季通报（公文格式 Word，另可 PDF、HTML、Excel 附件），保存为新版本。")(edge(bulletin))
    bulletins_app.command("list")(edge(list_))
    bulletins_app.command("publish")(edge(publish))
    bulletins_app.command("get")(edge(get))
    app.add_typer(bulletins_app, name="bulletins", help="已生成的季通报：列出、发布、取出文件。")
