"""Writing a plan into the store, all or nothing, and reading plans back."""
from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass

from sqlalchemy import func, insert, select, text
from sqlalchemy.orm import Session

from luoshi.model import Plan as ExtractedPlan
from luoshi.store import sql
from luoshi.store.models import AssignmentRow, AssignmentUnit, Plan, PlanVersion, SectionRow, TargetRow
from luoshi.store.regions import match_region

_REFERENCE = re.compile(r"(?:根据|按照|依据|贯彻|落实)[^。《]{0,12}《([^《》]{4,80}?)》")


@dataclass
class Saved:
    status: str  # "new" (a new plan) | "version" (a new version of a known plan) | "duplicate"
    plan_id: int
    version_id: int
    number: int


def plan_key(extracted: ExtractedPlan, sha256: str) -> str:
    """What makes two files versions of one plan: its 文号, else its title, else its bytes."""
    md = extracted.metadata
    if md.doc_number:
        return "doc:" + _norm(md.doc_number)
    if md.title:
        return "title:" + _norm(md.title)
    return "sha:" + sha256


def _norm(s: str) -> str:
    s = unicodedata.normalize("NFKC", s)
    return "".join(s.split()).replace("〔", "(").replace("〕", ")").replace("[", "(").replace("]", ")")


def save_plan(session: Session, extracted: ExtractedPlan, sha256: str, source_name: str | None = None,
              linker=None) -> Saved:
    """Store one extracted plan in the session's transaction; the caller commits. The same bytes
    are stored once; a known plan with new text becomes its next version."""
    known = session.scalars(select(PlanVersion).where(PlanVersion.sha256 == sha256)).first()
    if known:
        return Saved("duplicate", known.plan_id, known.id, known.number)
    md = extracted.metadata
    key = plan_key(extracted, sha256)
    plan = session.scalars(select(Plan).where(Plan.key == key)).first()
    status = "version"
    if plan is None:
        region = match_region(session, md.region, md.level)
        # The division's own level where it is known: 临清市 reads as a city but is a county.
        plan = Plan(key=key, title=md.title, region_name=md.region, level=region.level if region else md.level,
                    region_code=region.code if region else None)
        session.add(plan)
        session.flush()
        status = "new"
    number = (session.scalar(select(func.max(PlanVersion.number)).where(PlanVersion.plan_id == plan.id)) or 0) + 1
    extra = {"warnings": extracted.warnings, "spans": {k: list(v) for k, v in md.spans.items()},
             "references": sorted(set(_REFERENCE.findall(extracted.text)) - {md.title or ""})}
    v = PlanVersion(plan_id=plan.id, number=number, sha256=sha256, source_name=source_name,
                    format=extracted.format, text=extracted.text, title=md.title, issuer=md.issuer,
                    doc_number=md.doc_number, issued=md.issued,
                    period_start=md.period[0] if md.period else None, period_end=md.period[1] if md.period else None,
                    section_count=len(extracted.sections), target_count=len(extracted.targets),
                    assignment_count=len(extracted.assignments), extra=json.dumps(extra, ensure_ascii=False))
    targets = [TargetRow(position=i, indicator=t.indicator[:200], value=t.value, value_max=t.value_max,
                         unit=t.unit, comparator=t.comparator, year=t.year, kind=t.kind,
                         baseline_year=t.baseline.year if t.baseline else None,
                         baseline_value=t.baseline.value if t.baseline else None,
                         start=t.span[0], end=t.span[1], section=t.section, source=t.source, quote=t.quote)
               for i, t in enumerate(extracted.targets)]
    if linker is not None:
        linker(targets)
    session.add(v)
    session.flush()
    _insert_rows(session, v.id, extracted, targets)
    if session.bind.dialect.name == "sqlite":
        session.execute(text(sql.SQLITE_FTS_INSERT), {"id": v.id, "text": v.text})
    if plan.title != md.title and md.title:
        plan.title = md.title
    return Saved(status, plan.id, v.id, number)


def _insert_rows(session: Session, version_id: int, extracted: ExtractedPlan, targets: list[TargetRow]) -> None:
    """A version's sections, targets and assignments as bulk INSERTs (executemany): the ORM's unit
    of work inserts them one by one with RETURNING, which made saving three times slower."""
    if extracted.sections:
        session.execute(insert(SectionRow), [
            {"version_id": version_id, "position": i, "path": s.path, "title": s.title[:300], "start": s.span[0],
             "end": s.span[1]} for i, s in enumerate(extracted.sections)])
    if targets:
        session.execute(insert(TargetRow), [
            {"version_id": version_id, **{k: x for k, x in vars(t).items() if not k.startswith("_")}}
            for t in targets])
    if extracted.assignments:
        session.execute(insert(AssignmentRow), [
            {"version_id": version_id, "position": i, "start": a.span[0], "end": a.span[1], "section": a.section,
             "lead_count": a.lead_count} for i, a in enumerate(extracted.assignments)])
        ids = dict(session.execute(select(AssignmentRow.position, AssignmentRow.id)
                                   .where(AssignmentRow.version_id == version_id)).all())
        units = [{"assignment_id": ids[i], "position": k, "name": u[:200]}
                 for i, a in enumerate(extracted.assignments) for k, u in enumerate(a.units)]
        if units:
            session.execute(insert(AssignmentUnit), units)


def latest_versions(session: Session) -> list[PlanVersion]:
    """The newest version of every plan."""
    newest = (select(PlanVersion.plan_id, func.max(PlanVersion.number).label("n"))
              .group_by(PlanVersion.plan_id).subquery())
    q = (select(PlanVersion).join(newest, (PlanVersion.plan_id == newest.c.plan_id) & (PlanVersion.number == newest.c.n))
         .order_by(PlanVersion.plan_id))
    return list(session.scalars(q))


def find_plan(session: Session, ref: str) -> Plan | None:
    """A plan by id, 文号, or (part of) its title."""
    if ref.isdigit():
        return session.get(Plan, int(ref))
    p = session.scalars(select(Plan).where(Plan.key == "doc:" + _norm(ref))).first()
    if p:
        return p
    hits = list(session.scalars(select(Plan).where(Plan.title.contains(ref))))
    return hits[0] if len(hits) == 1 else None
