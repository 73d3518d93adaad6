"""Checks across the stored plans: what a reviewer reading them side by side would flag.

`run_checks(session, catalog)` reads each plan's latest version, links its targets with the given
catalog (confident links only: exact or fuzzy) and returns Findings:

- standard_looser (warning): a city's (county's) standard looser than its province's (city's);
- plans_disagree (warning): two plans of one region with different values for one indicator and year;
- series (info) / series_backwards (warning): one indicator's targets across a region's plans by
  year; backwards for a cumulative indicator where more is better;
- below_baseline (warning): a goal worse than its own baseline;
- implausible_value (warning): a value outside the indicator's plausible range;
- sum_of_children (info): a province's target beside the sum of all its cities' targets.

Goals are compared only with goals and standards only with standards, values only under one
catalog unit, years only within a series, and only cumulative or annual indicators are summed.
The rules themselves are in `luoshi.track.rules`.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from luoshi.present import fmt_number
from luoshi.track.catalog import Catalog, Indicator

SEVERITY_ORDER = {"warning": 0, "info": 1}
KIND_ORDER = ("standard_looser", "plans_disagree", "series_backwards", "below_baseline", "implausible_value",
              "series", "sum_of_children")
KIND_LABELS = {"standard_looser": "标准宽于上级", "plans_disagree": "方案间目标不一致", "series": "目标序列",
               "series_backwards": "目标序列倒退", "below_baseline": "目标差于基期", "implausible_value": "数值不合理",
               "sum_of_children": "下级目标合计"}
_CMP_WORDS = {"<": "低于", "<=": "不高于", ">": "高于", ">=": "不低于", "=": "", "~": "约"}


@dataclass(frozen=True)
class Citation:
    plan_id: int
    version_id: int
    title: str | None
    region: str | None
    span: tuple[int, int]
    quote: str

    def to_dict(self) -> dict:
        return {"plan_id": self.plan_id, "version_id": self.version_id, "title": self.title,
                "region": self.region, "span": list(self.span), "quote": self.quote}


@dataclass
class Finding:
    kind: str
    severity: str  # warning | info
    message: str
    citations: list[Citation] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"kind": self.kind, "severity": self.severity, "message": self.message,
                "citations": [c.to_dict() for c in self.citations]}


@dataclass(frozen=True)
class Fact:
    """One stored target of a plan's latest version, confidently linked to a catalog entry."""

    ind: Indicator
    name: str
    value: float
    value_max: float | None
    unit: str
    comparator: str
    year: int | None
    kind: str  # goal | standard
    baseline: float | None
    baseline_year: int | None
    source: str
    cite: Citation
    region_code: str | None

    @property
    def plan_id(self) -> int:
        return self.cite.plan_id

    @property
    def region(self) -> str:
        return self.cite.region or ""

    @property
    def region_key(self) -> str | None:
        return self.region_code or (f"name:{self.cite.region}" if self.cite.region else None)

    @property
    def title(self) -> str:
        return f"《{self.cite.title}》" if self.cite.title else f"方案 {self.plan_id}"

    @property
    def amount(self) -> tuple[float, float | None]:
        return (self.value, self.value_max)

    @property
    def plausible(self) -> bool:
        return self.ind.plausible(self.value) and (self.value_max is None or self.ind.plausible(self.value_max))

    def shown(self, with_comparator: bool = True) -> str:
        """The value as a reader writes it: 不高于1.3, 1万个, 30–35%."""
        num = fmt_number(self.value)
        if self.value_max is not None:
            num += "–" + fmt_number(self.value_max)
        word = _CMP_WORDS.get(self.comparator, "") if with_comparator else ""
        return f"{word}{num}{self.unit}"


def gather(session, catalog: Catalog) -> list[Fact]:
    """The confidently linked targets of every plan's latest version."""
    from sqlalchemy import func, select

    from luoshi.store.models import Plan, PlanVersion, TargetRow

    # One query for the targets of every plan's latest version (as store.plans.latest_versions
    # picks them), without loading the plans' texts.
    newest = (select(PlanVersion.plan_id, func.max(PlanVersion.number).label("n"))
              .group_by(PlanVersion.plan_id).subquery())
    t = TargetRow
    q = (select(t.indicator, t.unit, t.kind, t.value, t.value_max, t.comparator, t.year, t.baseline_value,
                t.baseline_year, t.source, t.start, t.end, t.quote, t.version_id, PlanVersion.title,
                Plan.id, Plan.title, Plan.region_name, Plan.region_code)
         .join(PlanVersion, PlanVersion.id == t.version_id)
         .join(newest, (PlanVersion.plan_id == newest.c.plan_id) & (PlanVersion.number == newest.c.n))
         .join(Plan, Plan.id == PlanVersion.plan_id)
         .order_by(Plan.id, t.position))
    facts = []
    for (name, unit, kind, value, vmax, cmp, year, base, base_year, source, start, end, quote, version_id,
         title, plan_id, plan_title, region, region_code) in session.execute(q):
        link = catalog.match(name, unit, kind)
        if link.confident:
            facts.append(Fact(
                ind=catalog.by_key[link.key], name=name, value=float(value),
                value_max=float(vmax) if vmax is not None else None, unit=unit, comparator=cmp, year=year,
                kind=kind, baseline=float(base) if base is not None else None, baseline_year=base_year,
                source=source, region_code=region_code,
                cite=Citation(plan_id, version_id, title or plan_title, region, (start, end), quote)))
    return facts


def run_checks(session, catalog: Catalog) -> list[Finding]:
    """Every finding over the stored plans, warnings first."""
    from luoshi.track import rules

    facts = gather(session, catalog)
    regions = rules.Regions(session)
    found: list[Finding] = []
    for rule in (rules.looser_standards, rules.series_and_disagreements, rules.baselines_and_ranges,
                 rules.sums_of_children):
        found.extend(rule(facts, regions))
    seen, out = set(), []
    for f in found:
        if (f.kind, f.message) not in seen:
            seen.add((f.kind, f.message))
            out.append(f)
    out.sort(key=lambda f: (SEVERITY_ORDER[f.severity], KIND_ORDER.index(f.kind),
                            f.citations[0].region or "" if f.citations else ""))
    return out
