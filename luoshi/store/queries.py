"""The read side of the store: every plan at a glance, one plan by a reference a person types
(id, 文号, part of its title), and the targets of every plan in one list. Rows are plain dicts of
plain values, ready for a table, JSON or CSV."""
from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from luoshi import model
from luoshi.errors import LuoshiError
from luoshi.store.models import Plan, PlanVersion, TargetRow
from luoshi.store.plans import _norm
from luoshi.store.regions import match_region, short_name
from luoshi.store.search import _num, latest_version_ids

_UNIT_SUFFIX = re.compile(r"\([^()]{1,12}\)$")  # 5G基站(个), after NFKC turned （） into ()


class PlanNotFound(LuoshiError):
    code = "plan_not_found"
    http_status = 404


def normalise_indicator(name: str) -> str:
    """An indicator name for comparison: NFKC, ASCII case folded, no spaces, no trailing (单位)."""
    s = "".join(unicodedata.normalize("NFKC", name).split()).casefold()
    return _UNIT_SUFFIX.sub("", s) or s


def plan_summaries(session: Session) -> list[dict]:
    """Every plan with its newest version: counts of versions, targets and assignments."""
    counts = dict(session.execute(select(PlanVersion.plan_id, func.count()).group_by(PlanVersion.plan_id)).all())
    q = (select(Plan, PlanVersion).join(PlanVersion, PlanVersion.plan_id == Plan.id)
         .where(PlanVersion.id.in_(latest_version_ids())).order_by(Plan.id))
    return [{"id": p.id, "title": v.title or p.title, "doc_number": v.doc_number, "region": p.region_name,
             "region_code": p.region_code, "level": p.level, "versions": counts.get(p.id, 0),
             "latest_version": v.number, "issued": v.issued, "ingested_at": v.ingested_at,
             "targets": v.target_count, "assignments": v.assignment_count}
            for p, v in session.execute(q).all()]


def resolve_plan(session: Session, ref: str) -> Plan:
    """The one plan `ref` names: its id, its 文号, or a part of its title found in no other plan."""
    ref = ref.strip()
    if ref.isdigit() and (p := session.get(Plan, int(ref))):
        return p
    want = _norm(ref).casefold()
    plans = list(session.scalars(select(Plan).order_by(Plan.id)))
    for p in plans:
        if p.key.casefold() == "doc:" + want:
            return p
    exact = [p for p in plans if p.title and _norm(p.title).casefold() == want]
    found = exact or [p for p in plans if want and (want in _norm(p.title or "").casefold()
                                                   or (p.key.startswith("doc:") and want in p.key.casefold()))]
    if len(found) == 1:
        return found[0]
    if not found:
        raise PlanNotFound(f"没有找到方案「{ref}」", hint="可用 luoshi plans 查看全部方案")
    lines = "\n".join(f"  {p.id}  {p.title or '（无标题）'}" for p in found[:20])
    more = f"\n  ……共 {len(found)} 个" if len(found) > 20 else ""
    raise PlanNotFound(f"「{ref}」对应多个方案，请用编号或文号指定：\n{lines}{more}")


def plan_version(session: Session, plan: Plan, number: int | None = None) -> PlanVersion:
    """The plan's newest version, or its version `number`."""
    q = select(PlanVersion).where(PlanVersion.plan_id == plan.id)
    q = q.where(PlanVersion.number == number) if number is not None else q.order_by(PlanVersion.number.desc())
    v = session.scalars(q).first()
    if v is None:
        have = "、".join(str(n) for n in session.scalars(
            select(PlanVersion.number).where(PlanVersion.plan_id == plan.id).order_by(PlanVersion.number)))
        raise PlanNotFound(f"方案 {plan.id} 没有第 {number} 版", hint=f"已有版本：{have or '无'}")
    return v


def version_model(plan: Plan, v: PlanVersion) -> model.Plan:
    """A stored version as the extraction it was saved from (luoshi.model.Plan)."""
    extra = json.loads(v.extra or "{}")
    md = model.Metadata(title=v.title, issuer=v.issuer, doc_number=v.doc_number, issued=v.issued,
                        region=plan.region_name, level=plan.level,
                        period=(v.period_start, v.period_end) if v.period_start and v.period_end else None,
                        spans={k: tuple(x) for k, x in extra.get("spans", {}).items()})
    sections = [model.Section(s.path, s.title, (s.start, s.end), level=s.path.count("/") + 1) for s in v.sections]
    targets = [model.Target(t.indicator, _num(t.value), t.unit, t.comparator, t.year, t.kind, (t.start, t.end),
                            value_max=_num(t.value_max), section=t.section, source=t.source, quote=t.quote,
                            baseline=model.Baseline(t.baseline_year, _num(t.baseline_value))
                            if t.baseline_value is not None else None) for t in v.targets]
    assignments = [model.Assignment([u.name for u in a.units], (a.start, a.end), lead_count=a.lead_count,
                                    section=a.section) for a in v.assignments]
    return model.Plan(md, sections, targets, assignments, text=v.text, format=v.format,
                      warnings=list(extra.get("warnings", [])))


def target_rows(session: Session, *, indicator: str | None = None, region: str | None = None,
                year: int | None = None, keys_for: Callable[[str], set[str]] | None = None,
                version_id: int | None = None) -> list[dict]:
    """The targets of every plan's newest version (or of one version), by region, then year.
    `indicator` matches a catalog key, a name the catalog (`keys_for`) or a linked target knows
    for a key, or, for targets not linked yet, the target's own name, normalised."""
    which = TargetRow.version_id == version_id if version_id else TargetRow.version_id.in_(latest_version_ids())
    q = (select(TargetRow, PlanVersion.title, Plan).join(PlanVersion, PlanVersion.id == TargetRow.version_id)
         .join(Plan, Plan.id == PlanVersion.plan_id).where(which))
    if year is not None:
        q = q.where(TargetRow.year == year)
    found = session.execute(q).all()
    if region:
        inside = _region_test(session, region)
        found = [r for r in found if inside(r[2])]
    if indicator:
        want = normalise_indicator(indicator)
        keys = {k.casefold() for k in (keys_for(indicator) if keys_for else set())}
        keys |= {_key(t) for t, _, _ in found if _key(t) and want in (_key(t), normalise_indicator(t.indicator))}
        found = [r for r in found if (_key(r[0]) in keys if _key(r[0]) else normalise_indicator(r[0].indicator) == want)]
    found.sort(key=lambda r: (r[2].region_code or "~", r[2].region_name or "~", r[0].year or 9999,
                              r[2].id, r[0].position))
    return [_target_dict(t, title or p.title, p) for t, title, p in found]


def _key(t: TargetRow) -> str | None:
    """The catalog key a target is linked to; a link still to confirm (proposed) is none yet."""
    return t.indicator_key.casefold() if t.indicator_key and t.link_status != "proposed" else None


def _target_dict(t: TargetRow, title: str | None, p: Plan) -> dict:
    return {"id": t.id, "plan_id": p.id, "plan_title": title, "version_id": t.version_id, "region": p.region_name,
            "indicator": t.indicator, "indicator_key": t.indicator_key, "link_status": t.link_status,
            "comparator": t.comparator, "value": _num(t.value), "value_max": _num(t.value_max), "unit": t.unit,
            "year": t.year, "kind": t.kind, "baseline_year": t.baseline_year, "baseline_value": _num(t.baseline_value),
            "source": t.source, "section": t.section, "span": [t.start, t.end], "quote": t.quote}


def _region_test(session: Session, region: str) -> Callable[[Plan], bool]:
    """Whether a plan is of `region` or of a division under it (山东省 takes in 聊城市 and 阳谷县)."""
    region = region.strip()
    if region.isdigit():  # a division code: 371500
        return lambda p: bool(p.region_code and p.region_code.startswith(region.rstrip("0") or region))
    r = match_region(session, region)
    prefix = None
    if r is not None:
        prefix = {"province": r.code[:2], "city": r.code[:4]}.get(r.level, r.code)
    base = short_name(region)
    return lambda p: bool((prefix and p.region_code and p.region_code.startswith(prefix))
                          or (p.region_name and short_name(p.region_name) == base))
