"""The dispatch dashboard (调度总览) for the office and leaders: a region at a month, from the core's
`luoshi.track.dashboard`, served from a snapshot cache (luoshi.track.dashboard_cache) so that it
answers at once under load while units report: a small database is always fresh, a province's
dashboard may be a few seconds old while it is recomputed in the background (the page says so).
`/dashboard/targets` lists the targets behind each figure."""
from __future__ import annotations

import threading
from collections import OrderedDict

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from markupsafe import Markup
from sqlalchemy.orm import Session

from luoshi.auth.access import require
from luoshi.store.account_models import Account
from luoshi.track.dashboard import Dashboard, dashboard
from luoshi.track.dashboard_cache import Snapshot, SnapshotCache, dashboard_in_worker
from luoshi.track.worker import WorkerProcess
from luoshi.track.dashboard_data import freshness
from luoshi.track.dashboard_regions import default_month, find_region, office_region, plan_regions
from luoshi.track.office_settings import dispatch_settings
from luoshi.track.timeliness import CHINA, parse_period, today
from luoshi.web import maps
from luoshi.web.deps import db
from luoshi.web.pages.render import page
from luoshi.web.pages.signin import reader

router = APIRouter()
READERS = ("coordinator", "leader")
TOP = 20  # lagging targets on the dashboard itself
RECOMPUTE_EVERY = 5.0  # seconds at least between two background recomputations of a slow dashboard
FILTERS = {"lagging": ("red", "yellow"), "red": ("red",), "yellow": ("yellow",), "green": ("green",),
           "none": ("none",), "all": ("green", "yellow", "red", "none")}
FILTER_LABELS = {"lagging": "滞后（红灯、黄灯）", "red": "红灯", "yellow": "黄灯", "green": "绿灯", "none": "未判断",
                 "all": "全部"}
FRAGMENTS = 32  # rendered pages kept
_CACHE_LOCK, _FRAGMENTS_LOCK = threading.Lock(), threading.Lock()
_FRAGMENTS: OrderedDict[tuple, Markup] = OrderedDict()


def snapshot_cache(request: Request) -> SnapshotCache:
    """The app's dashboard cache, made on first use (one per app). A slow dashboard (a province)
    is recomputed in a worker process, so that its second of Python does not hold up requests."""
    state = request.app.state
    with _CACHE_LOCK:
        if getattr(state, "dashboard_cache", None) is None:
            def compute(session: Session, key) -> Dashboard:
                region, month = key
                rules = state.settings.dispatch or dispatch_settings(session)
                return dashboard(session, region, month, catalog=state.catalog, settings=rules)

            def background(key):
                fresh, value = state.dashboard_worker.run(dashboard_in_worker, state.store.url, key,
                                                          state.settings.dispatch, state.settings.base.catalog_path)
                return (fresh, today()), value

            state.dashboard_worker = WorkerProcess()
            state.dashboard_cache = SnapshotCache(compute, lambda session, key: (freshness(session), today()),
                                                  state.store.session, background=background,
                                                  min_interval=RECOMPUTE_EVERY)
        return state.dashboard_cache


def _snapshot(request: Request, s: Session, region: str | None, as_of: str | None):
    """The regions with plans, and the snapshot asked for (None when no plan is stored)."""
    regions = plan_regions(s)
    ref = (region or "").strip() or office_region(s)
    if ref is None:
        return regions, None
    where = find_region(s, ref)
    month = parse_period(as_of) if (as_of or "").strip() else default_month(s)
    return regions, snapshot_cache(request).get(s, (where.key, month))


@router.get("/dashboard")
def dashboard_page(request: Request, region: str | None = Query(None, max_length=64),
                   as_of: str | None = Query(None, max_length=10), a: Account = Depends(reader),
                   s: Session = Depends(db)) -> Response:
    require(a, *READERS)
    regions, snap = _snapshot(request, s, region, as_of)
    if snap is None:
        return page(request, "dashboard/empty.html", {}, account=a)
    return page(request, "dashboard/index.html", {"d": snap.value, "body": body(request, snap, regions)}, account=a)


@router.get("/dashboard/targets")
def targets_page(request: Request, region: str | None = Query(None, max_length=64),
                 as_of: str | None = Query(None, max_length=10), light: str = Query("lagging", max_length=10),
                 a: Account = Depends(reader), s: Session = Depends(db)) -> Response:
    require(a, *READERS)
    _, snap = _snapshot(request, s, region, as_of)
    if snap is None:
        return page(request, "dashboard/empty.html", {}, account=a)
    d: Dashboard = snap.value
    wanted = FILTERS.get(light, FILTERS["lagging"])
    rows = d.lagging if light == "lagging" else [t for t in d.targets if t.light in wanted]
    return page(request, "dashboard/targets.html", {
        "d": d, "rows": rows, "light": light if light in FILTERS else "lagging", "labels": FILTER_LABELS,
        "updated": _updated(snap), "snap": snap}, account=a)


def body(request: Request, snap: Snapshot, regions) -> Markup:
    """The page's content for a snapshot, rendered once and shared by every reader until the next
    snapshot: a province's page is some 120 KB of tables, too much to render for each of many
    readers (the reader's own name and menu are in the frame around it)."""
    d: Dashboard = snap.value
    key = (id(request.app), d.region.key, d.as_of, snap.computed_at, snap.stale,
           tuple((r.key, r.total) for r in regions))
    with _FRAGMENTS_LOCK:
        if key in _FRAGMENTS:
            _FRAGMENTS.move_to_end(key)
            return _FRAGMENTS[key]
    html = Markup(request.app.state.templates.get_template("dashboard/_body.html").render({
        "d": d, "regions": regions, "snap": snap, "updated": _updated(snap), "top": d.lagging[:TOP],
        "lagging_count": len(d.lagging), "charts": charts(d), "has_map": _map_of(d) is not None,
        "several": len({x.plan_id for x in d.areas}) > 1}))
    with _FRAGMENTS_LOCK:
        _FRAGMENTS[key] = html
        while len(_FRAGMENTS) > FRAGMENTS:
            _FRAGMENTS.popitem(last=False)
    return html


def _updated(snap: Snapshot) -> str:
    return snap.computed_at.astimezone(CHINA).strftime("%H:%M")


def _map_of(d: Dashboard) -> dict | None:
    return maps.city_map(d.region.code) if d.region.level == "city" else None


def charts(d: Dashboard) -> dict:
    """What dashboard.js draws: the area bars and, for a city with map data, its county map."""
    several = len({a.plan_id for a in d.areas}) > 1
    out: dict = {"areas": [
        {"label": (f"{a.region or ''}·{a.title}" if several else a.title), "url": f"/plans/{a.plan_id}",
         "plan": a.plan_title, **_counts(a.counts)} for a in d.areas], "map": None}
    entry = _map_of(d)
    if entry is not None:
        names = maps.match_features([(c.code, c.name) for c in d.children], entry["counties"])
        out["map"] = {"script": f"/maps/{d.region.code}.js", "name": entry["map"], "regions": [
            {"name": names[c.code], "region": c.name, "colour": c.counts.colour, "plans": c.plans,
             "url": f"/dashboard?region={c.code}&as_of={d.as_of}", **_counts(c.counts)}
            for c in d.children if c.code in names]}
    return out


def _counts(c) -> dict:
    return {"green": c.green, "yellow": c.yellow, "red": c.red, "none": c.none}
