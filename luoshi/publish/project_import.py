"""Reading an edited key-project workbook back (滚动更新), all or nothing: every row is checked
first (through the same rules as `projects.add` / `change`), every problem named by sheet and
cell in one `WorkbookInvalid`; only a clean sheet is stored, in one transaction.

A row with a new code, or none, is added; a row that differs from its project's current version
is a new version (its 变更说明 the reason); an unchanged row appends nothing. 关联任务编号 sets the
project's task links (links are not versioned). Live projects missing from the sheet are retired
only with `retire_missing` (and a reason)."""
from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from luoshi.publish.project_layout import (COLUMN_OF, COLUMNS, FIRST_ROW, HEADER_OF, HEADER_ROW, LAST_COLUMN,
                                           PROJECT_FIELDS, SHEET, CellError, WorkbookInvalid)
from luoshi.store.dispatch_models import Task
from luoshi.store.models import utcnow
from luoshi.store.work_models import Project
from luoshi.track import projects
from luoshi.track.project_places import prepare
from luoshi.track.project_queries import set_task_links
from luoshi.track.project_rules import CODE_MAX, LABELS, Problem, ProjectInvalid, text
from luoshi.track.timeliness import china_time


@dataclass
class ImportSummary:
    """The codes of the projects added, changed (new version), unchanged, retired, and those whose
    task links alone changed."""

    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    retired: list[str] = field(default_factory=list)
    relinked: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {k: len(v) for k, v in vars(self).items()}


@dataclass
class _Row:
    row: int
    code: str | None
    fields: dict
    tasks: set[int]
    reason: str | None
    kind: str = "add"  # add | change | same


def import_project_sheet(session: Session, path_or_bytes: str | Path | bytes, *, retire_missing: bool = False,
                         reason: str | None = None, changed_by: str | None = None,
                         at: datetime | None = None) -> ImportSummary:
    """Store the edits of a project workbook (a path or the file's bytes); see the module. `at`:
    the time of every version made (default now)."""
    ws = _sheet(path_or_bytes)
    errors = [CellError(SHEET, f"{col}{HEADER_ROW}", f"表头应为“{header}”，实为“{got or '空'}”（请勿修改表头或增删列）")
              for col, header, _ in COLUMNS if (got := text(ws[f"{col}{HEADER_ROW}"].value)) != header]
    if errors:
        raise WorkbookInvalid(errors)
    at = at or utcnow()
    latest = {v.project_id: v for v in projects.newest(session)}
    codes = dict(session.execute(select(Project.code, Project.id)).all())
    rows, seen = _rows(session, ws, errors), {}
    for r in rows:
        base = latest.get(codes.get(r.code)) if r.code else None
        if r.code in seen:
            errors.append(CellError(SHEET, f"A{r.row}", f"项目编号{r.code}与第{seen[r.code]}行重复"))
        elif base is not None and base.retired:
            errors.append(CellError(SHEET, f"A{r.row}", f"项目{r.code}已退库，不能在表中变更"
                                                        "（如需恢复请用 luoshi project restore）"))
        elif r.code and len(r.code) > CODE_MAX:
            errors.append(CellError(SHEET, f"A{r.row}", f"项目编号过长（最多 {CODE_MAX} 字）"))
        if r.code:
            seen.setdefault(r.code, r.row)
        state, problems = prepare(session, r.fields, projects.state_of(base) if base else None,
                                  today=china_time(at).date())
        errors += [_cell(p, r.row) for p in problems]
        if base is not None:
            r.kind = "change" if projects.differences(projects.state_of(base), state) else "same"
    missing = [c for c, pid in codes.items() if pid in latest and not latest[pid].retired and c not in seen]
    if retire_missing and missing and not text(reason):
        errors.append(CellError(None, None, f"表中缺少 {len(missing)} 个在库项目（{'、'.join(sorted(missing)[:5])}"
                                            f"{'等' if len(missing) > 5 else ''}），退库须填写原因（--reason）"))
    if errors:
        raise WorkbookInvalid(sorted(errors, key=_place))
    return _store(session, rows, missing if retire_missing else [], codes, reason, changed_by, at)


def _store(session, rows, missing, codes, reason, by, at) -> ImportSummary:
    out = ImportSummary()
    kw = {"source": "excel", "changed_by": by, "at": at, "commit": False}
    try:
        for r in sorted(rows, key=lambda r: (r.kind != "add", r.code is None)):  # given codes before assigned ones
            if r.kind == "add":
                v = projects.add(session, r.fields, code=r.code, reason=r.reason, **kw)
                pid = v.project_id
                out.added.append(session.get(Project, pid).code)
            else:
                pid = codes[r.code]
                if r.kind == "change":
                    projects.change(session, r.code, r.fields, reason=r.reason, **kw)
                    out.changed.append(r.code)
                else:
                    out.unchanged.append(r.code)
            if set_task_links(session, pid, r.tasks) and r.kind == "same":
                out.relinked.append(r.code)
        for code in sorted(missing):
            projects.retire(session, code, reason=reason, **kw)
            out.retired.append(code)
        session.commit()
    except ProjectInvalid as e:  # checked above; only a race with another change gets here
        session.rollback()
        raise WorkbookInvalid([CellError(None, None, str(p)) for p in e.problems]) from None
    except BaseException:
        session.rollback()
        raise
    return out


def _rows(session: Session, ws, errors: list[CellError]) -> list[_Row]:
    """The filled rows of the sheet, their task links read (bad ones into `errors`)."""
    out = []
    for r in range(FIRST_ROW, ws.max_row + 1):
        values = {f: ws[f"{COLUMN_OF[f]}{r}"].value for _, _, f in COLUMNS}
        if all(text(values[f]) is None for f in ("code", *PROJECT_FIELDS, "tasks")):
            continue  # an empty row (or a 变更说明 alone)
        out.append(_Row(r, text(values["code"]), {f: values[f] for f in PROJECT_FIELDS},
                        _tasks(values["tasks"], f"{COLUMN_OF['tasks']}{r}", errors), text(values["reason"])))
    ids = {t for row in out for t in row.tasks}
    known = set(session.scalars(select(Task.id).where(Task.id.in_(ids)))) if ids else set()
    for row in out:
        for t in sorted(row.tasks - known):
            errors.append(CellError(SHEET, f"{COLUMN_OF['tasks']}{row.row}",
                                    f"未找到任务 {t}（可用 luoshi tasks 查看）"))
    return out


def _tasks(value, cell: str, errors: list[CellError]) -> set[int]:
    if isinstance(value, (int, float)) and not isinstance(value, bool) and float(value).is_integer():
        return {int(value)}
    parts = [p for p in re.split(r"[、,，;；\s]+", text(value) or "") if p]
    bad = [p for p in parts if not p.removesuffix(".0").isdigit()]
    if bad:
        errors.append(CellError(SHEET, cell, f"关联任务编号“{'、'.join(bad)}”不是任务编号（应为数字，多个用顿号分隔）"))
    return {int(p.removesuffix(".0")) for p in parts if p not in bad}


def _cell(p: Problem, row: int) -> CellError:
    col = COLUMN_OF.get({"owner_unit_id": "unit", "region_code": "county"}.get(p.field, p.field))
    label = LABELS.get(p.field, p.field)
    if col is None:
        return CellError(SHEET, f"A{row}:{LAST_COLUMN}{row}", f"{label}：{p.message}")
    return CellError(SHEET, f"{col}{row}", f"{HEADER_OF.get(p.field, label).split('（')[0]}{p.message}")


def _place(e: CellError) -> tuple:
    """Errors by row, then column; those of the whole sheet last."""
    m = re.match(r"([A-Z]+)(\d+)", e.cell or "")
    return (int(m.group(2)), m.group(1)) if m else (10 ** 9, "")


def _sheet(path_or_bytes):
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    raw = isinstance(path_or_bytes, (bytes, bytearray))
    name = "上传的文件" if raw else f"文件 {path_or_bytes}"
    source = io.BytesIO(path_or_bytes) if raw else Path(path_or_bytes)
    if isinstance(source, Path) and not source.is_file():
        raise WorkbookInvalid([CellError(None, None, f"找不到{name}")])
    try:
        wb = load_workbook(source, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError, TypeError) as e:
        raise WorkbookInvalid([CellError(None, None, f"{name}不是有效的 Excel 工作簿（.xlsx），或已损坏")]) from e
    if SHEET not in wb.sheetnames:
        raise WorkbookInvalid([CellError(None, None, f"{name}中没有“{SHEET}”工作表，"
                                                     "请使用 luoshi project template 生成的项目库表")])
    return wb[SHEET]
