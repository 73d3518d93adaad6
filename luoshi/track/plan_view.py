"""What a person reading one stored plan sees, assembled from the store: its metadata, its text
with sections, clauses and targets marked where they stand (`text_marks`), the outline, the
targets with their catalog links, the clauses with their lead and supporting units and the task
each became; the list of plans; and the findings of `luoshi check` that cite a plan, with each
citation resolved to the target it quotes."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from luoshi.store.dispatch_models import Task, TaskUnit
from luoshi.store.models import AssignmentRow, Plan, PlanVersion, TargetRow
from luoshi.store.queries import PlanNotFound, _region_test, plan_summaries, plan_version
from luoshi.store.search import latest_version_ids
from luoshi.track.catalog import Catalog
from luoshi.track.checks import KIND_LABELS, Finding
from luoshi.track.text_marks import Span, marked

LEVELS = {"province": "省级", "city": "市级", "county": "县级"}
COMPARATORS = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "~": "约", "between": "", "=": ""}


@dataclass(frozen=True)
class ClauseView:
    row: AssignmentRow
    lead: list[str]
    support: list[str]
    task_id: int | None
    task_title: str | None
    unit_ids: frozenset[int]  # the registered units of its task


@dataclass
class PlanView:
    plan: Plan
    version: PlanVersion
    latest: bool
    versions: list[int]
    sections: list  # SectionRow, in order
    targets: list[TargetRow]
    links: dict[int, str]  # target id → catalog key (confident links of the catalog in hand)
    clauses: list[ClauseView]
    nodes: list  # the text as text_marks nodes

    @property
    def level(self) -> str:
        return LEVELS.get(self.plan.level or "", self.plan.level or "")

    @property
    def period(self) -> str:
        v = self.version
        return f"{v.period_start}—{v.period_end}年" if v.period_start and v.period_end else ""


def plan_view(session: Session, plan_id: int, catalog: Catalog, version: int | None = None) -> PlanView:
    """One plan as stored (its newest version, or version `version`); PlanNotFound (404) if none."""
    plan = session.get(Plan, plan_id)
    if plan is None:
        raise PlanNotFound(f"没有找到方案 {plan_id}")
    v = plan_version(session, plan, version)
    numbers = list(session.scalars(select(PlanVersion.number).where(PlanVersion.plan_id == plan.id)
                                   .order_by(PlanVersion.number)))
    links = {}
    for t in v.targets:
        m = catalog.match(t.indicator, t.unit, t.kind)
        if m.confident:
            links[t.id] = m.key
    clauses = _clauses(session, v)
    spans = ([Span("section", s.id, s.start, s.end) for s in v.sections]
             + [Span("clause", c.row.id, c.row.start, c.row.end) for c in clauses]
             + [Span("target", t.id, t.start, t.end) for t in v.targets])
    return PlanView(plan, v, v.number == numbers[-1], numbers, list(v.sections), list(v.targets), links, clauses,
                    marked(v.text, spans))


def _clauses(session: Session, v: PlanVersion) -> list[ClauseView]:
    rows = list(v.assignments)
    tasks = {a: (t, title) for t, a, title in session.execute(
        select(Task.id, Task.assignment_id, Task.title).where(Task.assignment_id.in_([a.id for a in rows])))}
    units: dict[int, set[int]] = defaultdict(set)
    if tasks:
        for task_id, unit_id in session.execute(select(TaskUnit.task_id, TaskUnit.unit_id).where(
                TaskUnit.task_id.in_([t for t, _ in tasks.values()]))):
            units[task_id].add(unit_id)
    out = []
    for a in rows:
        names = [u.name for u in a.units]
        task_id, title = tasks.get(a.id, (None, None))
        out.append(ClauseView(a, names[:a.lead_count], names[a.lead_count:], task_id, title,
                              frozenset(units.get(task_id, ()))))
    return out


def plan_list(session: Session, region: str | None = None) -> list[dict]:
    """Every plan's newest version (plan_summaries) with its issuer, 实施期 and task count, those
    of `region` and the divisions under it only if given, newest issued first."""
    rows = plan_summaries(session)
    if region:
        inside = _region_test(session, region)
        keep = {p.id for p in session.scalars(select(Plan)) if inside(p)}
        rows = [r for r in rows if r["id"] in keep]
    latest = select(PlanVersion.id).where(PlanVersion.id.in_(latest_version_ids()))
    more = {pid: (issuer, start, end) for pid, issuer, start, end in session.execute(
        select(PlanVersion.plan_id, PlanVersion.issuer, PlanVersion.period_start, PlanVersion.period_end)
        .where(PlanVersion.id.in_(latest)))}
    tasks = dict(session.execute(
        select(Task.plan_id, func.count()).join(AssignmentRow, AssignmentRow.id == Task.assignment_id)
        .where(AssignmentRow.version_id.in_(latest)).group_by(Task.plan_id)).all())
    for r in rows:
        issuer, start, end = more.get(r["id"], (None, None, None))
        r.update(issuer=issuer, period=f"{start}—{end}年" if start and end else "", tasks=tasks.get(r["id"], 0),
                 level_label=LEVELS.get(r["level"] or "", r["level"] or ""))
    rows.sort(key=lambda r: (r["issued"] or "", r["id"]), reverse=True)
    return rows


def plan_regions(session: Session) -> list[str]:
    """The regions that have plans, for a filter."""
    return sorted({r for r in session.scalars(select(Plan.region_name)) if r})


def plan_findings(session: Session, findings: list[Finding], plan_id: int, version_id: int) -> list[dict]:
    """The findings that cite `plan_id`, each citation with the id of the target it quotes (found
    by its version and span) and whether it is in the version shown (`here`)."""
    mine = [f for f in findings if any(c.plan_id == plan_id for c in f.citations)]
    cited = {c.version_id for f in mine for c in f.citations}
    where = {}
    if cited:
        for tid, vid, start, end in session.execute(select(TargetRow.id, TargetRow.version_id, TargetRow.start,
                                                           TargetRow.end).where(TargetRow.version_id.in_(cited))):
            where.setdefault((vid, start, end), tid)
    return [{"kind": f.kind, "label": KIND_LABELS.get(f.kind, f.kind), "severity": f.severity, "message": f.message,
             "citations": [{"plan_id": c.plan_id, "version_id": c.version_id, "title": c.title, "region": c.region,
                            "quote": c.quote, "here": c.version_id == version_id,
                            "target_id": where.get((c.version_id, c.span[0], c.span[1]))} for c in f.citations]}
            for f in mine]


def shown_value(t) -> str:
    """A target's value as a reader writes it: ≥9800, 2–3, 约120."""
    from luoshi.present import fmt_number

    value = fmt_number(float(t.value))
    if t.value_max is not None:
        value += "–" + fmt_number(float(t.value_max))
    return COMPARATORS.get(t.comparator, t.comparator) + value
