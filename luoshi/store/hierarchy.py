"""Plan hierarchy: province → city → county. A plan's parent is the plan it says it implements
(根据《山东省…行动方案》) when that plan is stored, else the plan of the parent region closest to
it in subject."""
from __future__ import annotations

import json
import re
import unicodedata

from sqlalchemy import select
from sqlalchemy.orm import Session

from luoshi.store.models import Plan, PlanVersion, Region
from luoshi.store.plans import latest_versions


def _norm(s: str | None) -> str:
    s = unicodedata.normalize("NFKC", s or "")
    return "".join(c for c in s if not c.isspace() and c not in "()（）《》")


def _references(version: PlanVersion) -> list[str]:
    try:
        return json.loads(version.extra or "{}").get("references", [])
    except ValueError:
        return []


_GENERIC = re.compile(r"(?:\d{4}[-—–~至]*\d{0,4}年?|[三五]年|行动方案|行动计划|实施方案|工作方案|责任分工方案|"
                      r"方案|计划|规划|意见|^[\u4e00-\u9fff]{2,6}?(?:省|自治区|市|县|区))")


def _topic(title: str) -> str:
    return _GENERIC.sub("", _norm(title))


def _overlap(a: str, b: str) -> float:
    """Share of characters two titles' topics have in common, the region, years and genre words
    left out (a bag of characters: enough to tell a 新基建 plan from a 数字政府 plan)."""
    a, b = _topic(a), _topic(b)
    if not a or not b:
        return 0.0
    pool = list(b)
    common = 0
    for ch in a:
        if ch in pool:
            pool.remove(ch)
            common += 1
    return 2 * common / (len(a) + len(b))


def parent_plan(session: Session, plan: Plan) -> Plan | None:
    versions = {v.plan_id: v for v in latest_versions(session)}
    mine = versions.get(plan.id)
    if mine is None:
        return None
    # 1. A plan it names as its basis, if stored.
    for ref in _references(mine):
        for pid, v in versions.items():
            if pid != plan.id and v.title and (_norm(v.title) in _norm(ref) or _norm(ref) in _norm(v.title)):
                return session.get(Plan, pid)
    # 2. The plan of the parent region with the closest title.
    if not plan.region_code:
        return None
    region = session.get(Region, plan.region_code)
    if region is None or not region.parent_code:
        return None
    candidates = list(session.scalars(select(Plan).where(Plan.region_code == region.parent_code)))
    if not candidates:
        return None
    best = max(candidates, key=lambda p: _overlap(p.title or "", plan.title or ""))
    return best if _overlap(best.title or "", plan.title or "") >= 0.3 else None


def child_plans(session: Session, plan: Plan) -> list[Plan]:
    """Plans whose parent is `plan`."""
    if not plan.region_code:
        return []
    regions = [r.code for r in session.scalars(select(Region).where(Region.parent_code == plan.region_code))]
    if not regions:
        return []
    out = []
    for p in session.scalars(select(Plan).where(Plan.region_code.in_(regions)).order_by(Plan.region_code, Plan.id)):
        if (parent := parent_plan(session, p)) is not None and parent.id == plan.id:
            out.append(p)
    return out
