"""Full-text search over the latest version of every stored plan, without word segmentation:
SQLite's FTS5 trigram index for queries of three characters or more (LIKE below that), ILIKE on
PostgreSQL (served by the pg_trgm index where the extension exists). Every hit carries its
occurrences as snippets with offsets into the plan text and the targets stated there."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from luoshi.errors import LuoshiError
from luoshi.store import sql
from luoshi.store.models import Plan, PlanVersion, TargetRow

CONTEXT = 30  # characters of text either side of an occurrence in a snippet
NEAR = 20  # a target whose number is this close to an occurrence belongs to it
SNIPPETS = 5  # snippets kept per plan; `count` still counts every occurrence


@dataclass
class LinkedTarget:
    id: int
    indicator: str
    indicator_key: str | None
    comparator: str
    value: float
    value_max: float | None
    unit: str
    year: int | None
    span: tuple[int, int]


@dataclass
class Snippet:
    span: tuple[int, int]  # the occurrence: text[start:end] matches the query
    context: tuple[int, int]  # the stretch of text the snippet shows
    text: str  # that stretch as plain text, the occurrence inside 【】
    target_ids: list[int] = field(default_factory=list)


@dataclass
class Hit:
    plan_id: int
    version_id: int
    title: str | None
    region: str | None
    count: int
    snippets: list[Snippet]
    targets: list[LinkedTarget]  # linked to any occurrence, in the plan's order


def latest_version_ids():
    """A SELECT of the id of every plan's newest version."""
    newest = (select(PlanVersion.plan_id, func.max(PlanVersion.number).label("n"))
              .group_by(PlanVersion.plan_id).subquery())
    return select(PlanVersion.id).join(
        newest, (PlanVersion.plan_id == newest.c.plan_id) & (PlanVersion.number == newest.c.n))


def search(session: Session, query: str, *, limit: int = 20, snippets: int = SNIPPETS) -> list[Hit]:
    """Plans whose latest text contains `query` literally (ASCII case ignored), most occurrences first."""
    query = query.strip()
    if not query:
        raise LuoshiError("检索词为空")
    ids = _candidates(session, query)
    if not ids:
        return []
    rows = session.execute(
        select(PlanVersion.id, PlanVersion.plan_id, PlanVersion.text, PlanVersion.title, Plan.title, Plan.region_name)
        .join(Plan, Plan.id == PlanVersion.plan_id).where(PlanVersion.id.in_(ids))).all()
    pattern = re.compile(re.escape(query), re.IGNORECASE)
    found = []
    for vid, pid, body, vtitle, ptitle, region in rows:
        spans = [m.span() for m in pattern.finditer(body)]
        if spans:
            found.append((len(spans), pid, vid, body, spans, vtitle or ptitle, region))
    found.sort(key=lambda f: (-f[0], f[1]))
    found = found[:limit]
    targets = _targets(session, [f[2] for f in found])
    hits = []
    for _count, pid, vid, body, spans, title, region in found:
        hits.append(_hit(pid, vid, title, region, body, spans, targets.get(vid, []), snippets))
    return hits


def _candidates(session: Session, query: str) -> list[int]:
    """Ids of latest versions that may contain the query; the caller confirms each."""
    latest = latest_version_ids()
    dialect = session.bind.dialect.name
    if dialect == "sqlite" and len(query) >= 3:
        matched = set(session.scalars(text(sql.SQLITE_FTS_SEARCH), {"q": sql.fts_phrase(query)}))
        return [i for i in session.scalars(latest) if i in matched]
    column = PlanVersion.text
    cond = column.icontains(query, autoescape=True) if dialect == "postgresql" else \
        column.contains(query, autoescape=True)
    return list(session.scalars(select(PlanVersion.id).where(PlanVersion.id.in_(latest.scalar_subquery()), cond)))


def _targets(session: Session, version_ids: list[int]) -> dict[int, list[TargetRow]]:
    out: dict[int, list[TargetRow]] = {}
    if version_ids:
        q = select(TargetRow).where(TargetRow.version_id.in_(version_ids)).order_by(TargetRow.position)
        for t in session.scalars(q):
            out.setdefault(t.version_id, []).append(t)
    return out


def _hit(pid, vid, title, region, body: str, spans, rows: list[TargetRow], keep: int) -> Hit:
    sentences = [(t, _sentence(body, t)) for t in rows]
    linked: dict[int, TargetRow] = {}
    snippets = []
    for i, (s, e) in enumerate(spans):
        ids = [t.id for t, (qs, qe) in sentences
               if (qs < e and s < qe) or max(t.start - e, s - t.end, 0) <= NEAR]
        for t, _ in sentences:
            if t.id in ids:
                linked[t.id] = t
        if i < keep:
            snippets.append(_snippet(body, s, e, ids))
    targets = [LinkedTarget(t.id, t.indicator, t.indicator_key, t.comparator, _num(t.value), _num(t.value_max),
                            t.unit, t.year, (t.start, t.end)) for t in rows if t.id in linked]
    return Hit(pid, vid, title, region, len(spans), snippets, targets)


def _sentence(body: str, t: TargetRow) -> tuple[int, int]:
    """Where the target's quote (its sentence or table row) stands in the text; else its own span."""
    if t.quote:
        at = body.rfind(t.quote, 0, t.end + len(t.quote))
        if at != -1 and at <= t.start and at + len(t.quote) >= t.end:
            return at, at + len(t.quote)
    return t.start, t.end


def _snippet(body: str, s: int, e: int, ids: list[int]) -> Snippet:
    cs, ce = max(0, s - CONTEXT), min(len(body), e + CONTEXT)
    shown = (("…" if cs else "") + _flat(body[cs:s]).lstrip() + "【" + body[s:e] + "】"
             + _flat(body[e:ce]).rstrip() + ("…" if ce < len(body) else ""))
    return Snippet((s, e), (cs, ce), shown, ids)


def _flat(s: str) -> str:
    """One line for a terminal: runs of whitespace as one space."""
    return re.sub(r"\s+", " ", s)


def _num(v):
    """A stored Numeric as a plain number: int when whole."""
    if v is None:
        return None
    f = float(v)
    return int(f) if f.is_integer() and abs(f) < 1e17 else f
