"""The regions of the dashboard: which one it is about (a division, or a name only plans use),
its child divisions, the regions that have plans (the selector and the office's default), and the
months: the default month, the recent months and the day a month's reporting is judged on."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from luoshi.errors import LuoshiError
from luoshi.store.dispatch_models import Submission
from luoshi.store.models import Plan, Region
from luoshi.store.regions import match_region, short_name
from luoshi.track.timeliness import period_parts, previous_period, today


class RegionNotFound(LuoshiError):
    code = "region_not_found"
    http_status = 404


@dataclass(frozen=True)
class RegionRef:
    """The region a dashboard is about: a division of the regions table, or a name only plans use
    (an invented city has no code)."""

    code: str | None
    name: str
    level: str | None  # province | city | county

    @property
    def key(self) -> str:
        """What identifies it in a URL: its code, else its name."""
        return self.code or self.name

    @property
    def prefix(self) -> str | None:
        """What the codes of the divisions in it start with (a province: 2 digits, a city: 4)."""
        if not self.code:
            return None
        return {"province": self.code[:2], "city": self.code[:4]}.get(self.level or "", self.code)

    def holds(self, code: str | None) -> bool:
        """Whether a division code lies in this region (itself or under it)."""
        return bool(code and self.prefix and code.startswith(self.prefix))


def find_region(session: Session, ref: str) -> RegionRef:
    """A region by its code or name, or one named by stored plans only; RegionNotFound otherwise."""
    ref = (ref or "").strip()
    r = session.get(Region, ref) if ref.isdigit() else match_region(session, ref)
    if r is not None:
        return RegionRef(r.code, r.name, r.level)
    base = short_name(ref)
    for name, level in session.execute(select(Plan.region_name, Plan.level).where(Plan.region_name.is_not(None))
                                       .distinct()):
        if name == ref or short_name(name) == base:
            return RegionRef(None, name, level)
    raise RegionNotFound(f"未找到地区“{ref}”", hint="可按地区全称、简称或区划代码查找")


def progress_region(session: Session, region: RegionRef) -> str:
    """The `region` argument of progress() that selects this region's plans: its name where the name
    is unambiguous (it also takes in plans named without a code), else its code."""
    if region.code is None:
        return region.name
    found = match_region(session, region.name)
    return region.name if found is not None and found.code == region.code else region.code


def children(session: Session, region: RegionRef) -> list[RegionRef]:
    """The divisions right under the region (a city's counties, a province's cities)."""
    if not region.code:
        return []
    rows = session.execute(select(Region.code, Region.name, Region.level).where(Region.parent_code == region.code)
                           .order_by(Region.code)).all()
    return [RegionRef(c, n, lv) for c, n, lv in rows]


@dataclass(frozen=True)
class PlanRegion:
    key: str  # code, else name
    name: str
    level: str | None
    own: int  # plans of this region itself
    near: int  # plans of it and of the divisions right under it
    total: int  # plans of it and of every division under it


def _parents(code: str) -> list[str]:
    """The city and province a division code lies in (not itself)."""
    return [c for c in dict.fromkeys((code[:4] + "00", code[:2] + "0000")) if c != code]


def plan_regions(session: Session) -> list[PlanRegion]:
    """Regions with plans, and the cities and provinces that hold them (a city whose counties have
    plans is a dashboard too), in code order; named-only regions (no code) last."""
    own: Counter = Counter()
    names: dict[str, tuple[str, str | None]] = {}
    for code, name, level in session.execute(select(Plan.region_code, Plan.region_name, Plan.level)):
        key = code or name
        if key:
            own[key] += 1
            names[key] = (name or key, level)
    coded = {k for k in own if k.isdigit()}
    holders = coded | {p for c in coded for p in _parents(c)}
    if holders:
        for code, name, level in session.execute(select(Region.code, Region.name, Region.level)
                                                 .where(Region.code.in_(holders))):
            names[code] = (name, level)
    near: Counter = Counter()
    total: Counter = Counter()
    for key, n in own.items():
        up = [p for p in _parents(key) if p in names] if key.isdigit() else []
        near[key] += n
        total[key] += n
        if up:
            near[up[0]] += n
        for p in up:
            total[p] += n
    out = [PlanRegion(k, names[k][0], names[k][1], own.get(k, 0), near[k], total[k]) for k in total]
    return sorted(out, key=lambda p: (not p.key.isdigit(), p.key))


DEPTH = {"province": 0, "city": 1, "county": 2}


def office_region(session: Session) -> str | None:
    """The office's own region: the one whose own and direct children's plans are the most (a
    city with its counties' plans over its province holding one plan), the more local on a tie
    (the only plan's own region), then the lowest code."""
    found = plan_regions(session)
    if not found:
        return None
    return min(found, key=lambda p: (-p.near, -DEPTH.get(p.level or "", 1), p.key)).key


def default_month(session: Session, on: date | None = None) -> str:
    """The month being dispatched: the latest month any unit reported, else the month before `on`."""
    # Judging the month still running would read last month's figures against this month's schedule.
    on = on or today()
    return session.scalar(select(func.max(Submission.period))) or previous_period(f"{on.year:04d}-{on.month:02d}")


def judged_on(period: str, on: date | None = None) -> date:
    """The day a month's reporting is judged: today, but no later than the end of the month after
    it (its reports were due then; a past month is judged as it stood at the close of its cycle)."""
    y, m = period_parts(period)
    after_next = y * 12 + m + 1  # months counted from 0: the first day of the month two on
    close = date(after_next // 12, after_next % 12 + 1, 1) - timedelta(days=1)
    return min(on or today(), close)


def recent_months(period: str, n: int) -> list[str]:
    """The `n` months up to `period`, oldest first."""
    y, m = period_parts(period)
    at = y * 12 + m - 1
    return [f"{i // 12:04d}-{i % 12 + 1:02d}" for i in range(at - n + 1, at + 1)]
