"""What a quarterly bulletin (季通报) says, computed from the store: the dashboard of the region at
the quarter's last month (lights, 序时进度, areas, units, counties, the lagging list with the
units' reasons), reporting over the quarter's three months, each unit's standing, and the
submissions behind every value, so each figure can be traced. `luoshi.publish.bulletin.compose`
turns it into words.

Decisions:
- A quarter is judged at its last month, as the dashboard judges a month: reports received up to
  the close of the quarter's reporting (the end of the month after it, or today if sooner).
- Units are ranked twice. By progress: the average gap (completion − 序时进度, completion capped at
  100 %) over the judged targets of the tasks a unit leads; units with none judged come last,
  unranked. By reporting: the on-time rate over the quarter, then fewer missing, fewer late.
- Ranks are shared on ties (1, 2, 2, 4), compared at the precision printed.
- The previous quarter's totals are computed the same way, for the change in lights.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from luoshi.errors import LuoshiError
from luoshi.store.dispatch_models import ReportLine, Submission, Unit
from luoshi.track import dashboard_regions as regions
from luoshi.track.dashboard import Dashboard, dashboard, totals
from luoshi.track.dashboard_rows import Counts, Totals
from luoshi.track.progress import progress, progress_at

_NUMERAL = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_QUARTER = re.compile(r"^(\d{4})\s*(?:[-_ ]?[Qq]\s*|年\s*第?\s*)([1-4一二三四])\s*(?:季度)?$")


class PeriodInvalid(LuoshiError):
    code = "period_invalid"
    http_status = 422


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    number: int  # 1–4

    @property
    def key(self) -> str:
        return f"{self.year}Q{self.number}"

    @property
    def label(self) -> str:
        return f"{self.year}年第{'一二三四'[self.number - 1]}季度"

    @property
    def months(self) -> list[str]:
        first = 3 * self.number - 2
        return [f"{self.year:04d}-{m:02d}" for m in range(first, first + 3)]

    @property
    def end(self) -> str:
        return self.months[-1]

    def previous(self) -> Quarter:
        return Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year, self.number - 1)


def parse_quarter(text: str) -> Quarter:
    """"2022Q3", "2022-Q3", "2022年第三季度" → Quarter; PeriodInvalid otherwise."""
    m = _QUARTER.match((text or "").strip())
    if not m or not 2000 <= int(m.group(1)) <= 2100:
        raise PeriodInvalid(f"无法识别的季度“{text}”", hint="应写作 2022Q3 或 2022年第三季度")
    return Quarter(int(m.group(1)), _NUMERAL[m.group(2)])


@dataclass
class UnitStanding:
    """One unit in the rankings: the targets of the tasks it leads and its reporting in the quarter."""

    unit_id: int
    name: str
    counts: Counts = field(default_factory=Counts)
    targets: list[int] = field(default_factory=list)
    judged: list[int] = field(default_factory=list)  # targets with a light and both shares
    completion: float | None = None  # average, completion capped at 100
    scheduled: float | None = None
    progress_rank: int | None = None
    due: int = 0
    on_time: int = 0
    late: int = 0
    missing: int = 0
    rate: float | None = None  # on-time rate in the quarter, percent
    reporting_rank: int | None = None

    @property
    def gap(self) -> float | None:
        return None if self.completion is None else self.completion - self.scheduled


@dataclass
class BulletinData:
    region: regions.RegionRef
    quarter: Quarter
    dashboard: Dashboard
    units: list[UnitStanding]  # by progress rank
    submission_of: dict[int, int]  # target id → the submission whose line gave its last value
    previous: Totals | None  # the previous quarter's totals; None when it had no judged target
    rules: object  # the light Rules in force

    @property
    def judged_on(self) -> date:
        return self.dashboard.judged_on


def bulletin_data(session: Session, region: str, quarter: Quarter | str, *, catalog, settings=None,
                  on: date | None = None, compare: bool = True, worker=None) -> BulletinData:
    """The data of the bulletin of `region` for `quarter`; `on`: today (tests). `worker` (anything
    with `submit(func, *args)` giving `.result()`): the previous quarter is judged there, on the
    other core, while this process judges this one."""
    if settings is None:
        from luoshi.track.office_settings import dispatch_settings

        settings = dispatch_settings(session)
    q = quarter if isinstance(quarter, Quarter) else parse_quarter(quarter)
    where = regions.find_region(session, region)
    selector = regions.progress_region(session, where)
    started = None
    if compare and worker is not None:
        url = session.get_bind().url.render_as_string(hide_password=False)
        started = worker.submit(previous_totals, url, selector, q.previous().end, catalog, settings.rules)
    ends = [q.end, q.previous().end] if compare and started is None else [q.end]
    judged = progress_at(session, region=selector, as_ofs=ends, catalog=catalog, rules=settings.rules)
    d = dashboard(session, where, q.end, catalog=catalog, settings=settings, on=on, months=q.months, judged=judged[0])
    previous = started.result() if started is not None else totals(judged[1]) if compare else None
    if previous is not None and not previous.counts.judged:
        previous = None
    return BulletinData(where, q, d, standings(d), submissions_behind(session, d), previous, settings.rules)


_STORES: dict[str, object] = {}


def previous_totals(url: str, selector: str, as_of: str, catalog, rules) -> Totals:
    """In a worker process: the region's totals at `as_of`, read through a store of its own."""
    from luoshi.store import Store

    if url not in _STORES:
        _STORES[url] = Store(url, migrate=False)
    with _STORES[url].session() as session:
        return totals(progress(session, region=selector, as_of=as_of, catalog=catalog, rules=rules))


def standings(d: Dashboard) -> list[UnitStanding]:
    """Each unit leading a counted target, with its lights, averages, reporting and both ranks."""
    rows: dict[int, UnitStanding] = {}
    for t in d.targets:
        p = t.progress
        for u in t.units:
            s = rows.setdefault(u.unit_id, UnitStanding(u.unit_id, u.name))
            s.counts.add(t.light)
            s.targets.append(p.target_id)
            if p.light is not None and p.completion is not None and p.scheduled is not None:
                s.judged.append(p.target_id)
    by_id = {t.progress.target_id: t.progress for t in d.targets}
    for s in rows.values():
        if s.judged:
            s.completion = sum(min(by_id[i].completion, 100.0) for i in s.judged) / len(s.judged)
            s.scheduled = sum(by_id[i].scheduled for i in s.judged) / len(s.judged)
    for u in d.units:
        if u.unit_id in rows:
            s = rows[u.unit_id]
            s.on_time, s.late, s.missing, s.rate = u.on_time, u.late, u.missing, u.rate
            s.due = u.on_time + u.late + u.missing
    out = list(rows.values())
    _rank(out, lambda s: None if s.gap is None else round(s.gap, 1), "progress_rank")
    _rank(out, lambda s: None if s.rate is None else (round(s.rate, 1), -s.missing, -s.late), "reporting_rank")
    last = len(out) + 1  # (a list being sorted reads as empty: len() inside the key would be 0)
    out.sort(key=lambda s: (s.progress_rank or last, s.name))
    return out


def _rank(rows: list[UnitStanding], score, attr: str) -> None:
    """Competition ranks (1, 2, 2, 4), best score first; None when there is no score."""
    scored = sorted((r for r in rows if score(r) is not None), key=score, reverse=True)
    for i, r in enumerate(scored):
        same = i and score(scored[i - 1]) == score(r)
        setattr(r, attr, getattr(scored[i - 1], attr) if same else i + 1)
    for r in rows:
        if score(r) is None:
            setattr(r, attr, None)


def submissions_behind(session: Session, d: Dashboard) -> dict[int, int]:
    """Target id → the id of the current submission whose line gave the target's last value."""
    wanted = {t.progress.target_id: (t.progress.reported_by, t.progress.last_period) for t in d.targets
              if t.progress.last_period}
    if not wanted:
        return {}
    periods = {p for _, p in wanted.values()}
    out: dict[int, tuple[int, int]] = {}
    # Chunks keep the IN lists within every backend's limits for a province.
    ids = list(wanted)
    for i in range(0, len(ids), 900):
        rows = session.execute(
            select(ReportLine.target_id, Submission.id, Submission.version, Submission.period, Unit.name)
            .join(Submission, Submission.id == ReportLine.submission_id).join(Unit, Unit.id == Submission.unit_id)
            .where(ReportLine.target_id.in_(ids[i:i + 900]), Submission.period.in_(periods))).all()
        for tid, sid, version, period, unit in rows:
            by, last = wanted[tid]
            if period == last and unit == by and (tid not in out or version > out[tid][0]):
                out[tid] = (version, sid)
    return {tid: sid for tid, (_, sid) in out.items()}


def quarters_with_reports(session: Session) -> list[Quarter]:
    """The quarters any unit reported in, newest first (for choosing a bulletin's period)."""
    periods = session.scalars(select(func.distinct(Submission.period))).all()
    return sorted({Quarter(int(p[:4]), (int(p[5:7]) - 1) // 3 + 1) for p in periods if p}, reverse=True)


def last_whole_quarter(session: Session, quarters: list[Quarter] | None = None) -> Quarter | None:
    """The newest quarter whose last month has reports (a bulletin's usual period: the quarter
    still running has part of its months only)."""
    latest = session.scalar(select(func.max(Submission.period)))
    quarters = quarters_with_reports(session) if quarters is None else quarters
    return next((q for q in quarters if latest and q.end <= latest), None)
