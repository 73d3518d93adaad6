"""The dashboard's core (luoshi.track.dashboard) on the county world of
tests/web/pages/county_world.py, on SQLite and PostgreSQL: every figure worked out by hand from
the plans and reports written there. 序时进度 at the end of 2024 is 12/36 = 33.33 % for every
target (baselines 2023, deadlines 2026)."""
from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import nullcontext
from datetime import date

import pytest

from luoshi.store import Store
from luoshi.track import reports
from luoshi.track.catalog import load_catalog
from luoshi.track.dashboard import dashboard
from luoshi.track.dashboard_cache import SnapshotCache, dashboard_in_worker
from luoshi.track.worker import WorkerProcess
from luoshi.track.dashboard_data import freshness
from luoshi.track.dashboard_regions import (RegionNotFound, default_month, find_region, judged_on, office_region,
                                            plan_regions, recent_months)
from luoshi.track.dashboard_rows import Counts
from luoshi.track.reporting_status import window
from tests.web.pages.county_world import JUDGED_ON, SETTINGS, build

approx = pytest.approx
S = 100 / 3  # 序时进度, percent
CATALOG = load_catalog(None)


@pytest.fixture
def county(db_url):
    return build(db_url)


def run(county, region="聊城市", as_of="2024-12", **kw):
    store = Store(county.url)
    try:
        with store.session() as s:
            return dashboard(s, region, as_of, catalog=CATALOG, settings=SETTINGS, **kw)
    finally:
        store.close()


def counts(c: Counts) -> tuple:
    return c.green, c.yellow, c.red, c.none


def test_the_city_dashboard_by_hand(county):
    d = run(county)
    assert (d.region.code, d.region.name, d.region.level) == ("371500", "聊城市", "city")
    assert d.months == [f"2024-{m:02d}" for m in range(7, 13)] and d.judged_on == JUDGED_ON
    # 阳谷 41 (36.67 %) green, 605 (0.83 %) red, 2.4万 (13.33 %) yellow; 东昌府 no report, 820 (36.67 %)
    # green, 2.5万 (16.67 %) yellow; 茌平 40 (33.33 %), 900 (50 %), 3.3万 (43.33 %) green; 聊城 8100 (1.67 %) red.
    assert counts(d.totals.counts) == (5, 2, 2, 1) and d.totals.counts.total == 10
    done = [36.6667, 0.8333, 13.3333, 36.6667, 16.6667, 33.3333, 50, 43.3333, 1.6667]
    assert d.totals.averaged == 9
    assert d.totals.completion == approx(sum(done) / 9, abs=1e-3) == approx(25.8333, abs=1e-3)
    assert d.totals.scheduled == approx(S)


def test_children_are_coloured_by_the_worst_dominant_share(county):
    kids = {k.name: k for k in run(county).children}
    assert list(kids) == ["东昌府区", "茌平区", "阳谷县", "莘县", "东阿县", "冠县", "高唐县", "临清市"]
    assert counts(kids["阳谷县"].counts) == (1, 1, 1, 0) and kids["阳谷县"].counts.colour == "red"  # red 1/3
    assert counts(kids["东昌府区"].counts) == (1, 1, 0, 1) and kids["东昌府区"].counts.colour == "yellow"  # 1 of 2
    assert counts(kids["茌平区"].counts) == (3, 0, 0, 0) and kids["茌平区"].counts.colour == "green"
    assert kids["莘县"].counts.total == 0 and kids["莘县"].counts.colour == "nodata" and kids["莘县"].plans == 0
    assert kids["阳谷县"].plans == 1
    # The city plan's own target (red) lies in no county.
    assert sum(k.counts.red for k in kids.values()) == 1


def test_colour_rule_bounds():
    assert Counts(green=2, red=1).colour == "red"  # exactly a third of the judged
    assert Counts(green=2, red=1, none=9).colour == "red"  # targets not judged do not dilute it
    assert Counts(green=3, red=1).colour == "green"  # a quarter, either way
    assert Counts(green=4, yellow=1, red=1).colour == "yellow"  # red 1/6; red and yellow 2/6
    assert Counts(green=2, yellow=1).colour == "yellow"
    assert Counts(none=4).colour == "grey" and Counts().colour == "nodata"


def test_areas_units_and_their_rates(county):
    d = run(county)
    areas = {(a.region, a.title): counts(a.counts) for a in d.areas}
    # 二、重点任务 only gathers the tasks: its sub-sections are the areas; 一、总体要求 is one itself.
    assert areas[("阳谷县", "总体要求")] == (1, 0, 0, 0)
    assert areas[("阳谷县", "建设网络设施")] == (0, 0, 1, 0)
    assert areas[("阳谷县", "推动企业上云")] == (0, 1, 0, 0)
    assert areas[("东昌府区", "总体要求")] == (0, 0, 0, 1)
    assert areas[("聊城市", "建设网络设施")] == (0, 0, 1, 0)
    assert len(d.areas) == 10
    units = [(u.name, counts(u.counts), u.on_time, u.late, u.missing, u.rate) for u in d.units]
    assert units == [
        ("阳谷县工业和信息化局", (0, 1, 1, 0), 5, 1, 0, approx(500 / 6)),  # red first, then yellow
        ("聊城市工业和信息化局", (0, 0, 1, 0), 5, 1, 0, approx(500 / 6)),
        ("东昌府区工业和信息化局", (1, 1, 0, 0), 5, 0, 1, approx(500 / 6)),
        ("东昌府区发展和改革局", (0, 0, 0, 1), 0, 0, 6, 0.0),  # then by on-time rate
        ("茌平区工业和信息化局", (2, 0, 0, 0), 5, 1, 0, approx(500 / 6)),
        ("茌平区发展和改革局", (1, 0, 0, 0), 6, 0, 0, 100.0),
        ("阳谷县发展和改革局", (1, 0, 0, 0), 6, 0, 0, 100.0)]


def test_lagging_list_with_the_latest_reasons(county):
    d = run(county)
    rows = [(t.progress.region, t.progress.indicator, t.light, round(t.progress.gap, 2), t.progress.last_period,
             t.reason.period, t.reason.delay_reason, t.reason.next_steps) for t in d.lagging]
    assert rows == [
        ("阳谷县", "5G基站总数", "red", -32.5, "2024-12", "2024-12", "2024-12阳谷县5G基站总数：项目审批滞后",
         "2024-12：加快审批，下月补齐"),
        ("聊城市", "5G基站总数", "red", -31.67, "2024-12", "2024-12", "2024-12聊城市5G基站总数：项目审批滞后",
         "2024-12：加快审批，下月补齐"),
        ("阳谷县", "千兆宽带用户", "yellow", -20.0, "2024-12", "2024-12", "2024-12阳谷县千兆宽带用户：项目审批滞后",
         "2024-12：加快审批，下月补齐"),
        # 东昌府区工业和信息化局 sent nothing for December: November's word is the latest.
        ("东昌府区", "千兆宽带用户", "yellow", -16.67, "2024-11", "2024-11", "2024-11东昌府区千兆宽带用户：项目审批滞后",
         "2024-11：加快审批，下月补齐")]
    assert [u.name for u in d.lagging[0].units] == ["阳谷县工业和信息化局"]
    # A month earlier the same targets are judged on November's reports, with November's reasons.
    earlier = run(county, as_of="2024-11")
    assert {t.reason.period for t in earlier.lagging} == {"2024-11"}


def test_late_and_missing_reports_with_days(county):
    d = run(county)
    assert [(r.unit, r.period, r.days) for r in d.late] == [
        ("阳谷县工业和信息化局", "2024-11", 5), ("聊城市工业和信息化局", "2024-12", 3), ("茌平区工业和信息化局", "2024-09", 2)]
    # Due on the 10th of the next month, judged on 31 January 2025.
    assert [(r.unit, r.period, r.days) for r in d.missing] == [
        ("东昌府区发展和改革局", "2024-07", 174), ("东昌府区发展和改革局", "2024-08", 143),
        ("东昌府区发展和改革局", "2024-09", 113), ("东昌府区发展和改革局", "2024-10", 82),
        ("东昌府区发展和改革局", "2024-11", 52), ("东昌府区发展和改革局", "2024-12", 21),
        ("东昌府区工业和信息化局", "2024-12", 21)]
    assert {r.unit for r in d.reminders} == {"东昌府区发展和改革局", "东昌府区工业和信息化局"}


def test_a_county_and_the_province(county):
    d = run(county, region="阳谷县")
    assert d.region.level == "county" and d.children == []
    assert counts(d.totals.counts) == (1, 1, 1, 0)
    assert [u.name for u in d.units] == ["阳谷县工业和信息化局", "阳谷县发展和改革局"]
    assert d.late[0].unit == "阳谷县工业和信息化局" and d.missing == []  # other counties' units left out
    p = run(county, region="370000")
    assert p.region.name == "山东省" and counts(p.totals.counts) == (5, 2, 2, 1)
    liaocheng = next(k for k in p.children if k.code == "371500")
    assert counts(liaocheng.counts) == (5, 2, 2, 1) and liaocheng.plans == 4 and liaocheng.counts.colour == "yellow"
    assert all(k.counts.total == 0 for k in p.children if k.code != "371500")


def test_regions_the_default_region_and_month(county):
    store = Store(county.url)
    try:
        with store.session() as s:
            found = {r.key: (r.name, r.own, r.near, r.total) for r in plan_regions(s)}
            assert found == {"370000": ("山东省", 0, 1, 4), "371500": ("聊城市", 1, 4, 4),
                             "371502": ("东昌府区", 1, 1, 1), "371503": ("茌平区", 1, 1, 1),
                             "371521": ("阳谷县", 1, 1, 1)}
            assert office_region(s) == "371500"
            assert default_month(s) == "2024-12"
            assert find_region(s, "聊城").code == "371500" and find_region(s, "371503").name == "茌平区"
            with pytest.raises(RegionNotFound):
                find_region(s, "不存在市")
    finally:
        store.close()


def test_months_and_the_day_they_are_judged():
    assert recent_months("2024-03", 4) == ["2023-12", "2024-01", "2024-02", "2024-03"]
    assert judged_on("2024-12", date(2030, 1, 1)) == date(2025, 1, 31)
    assert judged_on("2024-01", date(2030, 1, 1)) == date(2024, 2, 29)
    assert judged_on("2024-11", date(2024, 12, 5)) == date(2024, 12, 5)  # the cycle still open: today
    assert window(date(2025, 1, 8)) == (recent_months("2024-12", 6), date(2025, 1, 8))
    assert window("2024-12", date(2030, 1, 1)) == (recent_months("2024-12", 6), date(2025, 1, 31))


# The snapshot cache (luoshi.track.dashboard_cache).

class Source:
    """A stamp the test moves, and a compute function that counts its calls and can be slow."""

    def __init__(self, delay: float = 0.0):
        self.stamp, self.calls, self.delay = 1, 0, delay
        self.lock = threading.Lock()

    def compute(self, session, key):
        with self.lock:
            self.calls += 1
            n = self.calls
        time.sleep(self.delay)
        return (key, n)

    def cache(self, **kw) -> SnapshotCache:
        return SnapshotCache(self.compute, lambda session, key: self.stamp, nullcontext, **kw)


def test_a_small_database_is_always_fresh(county):
    store = Store(county.url)
    try:
        cache = SnapshotCache(lambda s, key: dashboard(s, key[0], key[1], catalog=CATALOG, settings=SETTINGS),
                              lambda s, key: freshness(s), store.session)
        with store.session() as s:
            first = cache.get(s, ("371500", "2024-12"))
        assert counts(first.value.totals.counts) == (5, 2, 2, 1) and not first.stale and first.took < cache.quick
        with store.session() as s:
            assert cache.get(s, ("371500", "2024-12")) is first  # nothing changed: the same snapshot
            # 东昌府区发展和改革局 finally reports December: 45 of 30 → 60 is 50 %, green.
            reports.submit(s, unit=county.units["东昌府区发展和改革局"], period="2024-12", source="api",
                           lines=[{"target_id": county.targets[("东昌府区", "数字经济重点项目")], "cumulative": 45}],
                           as_of=date(2025, 1, 20), settings=SETTINGS, catalog=CATALOG)
        with store.session() as s:
            again = cache.get(s, ("371500", "2024-12"))
        assert not again.stale and counts(again.value.totals.counts) == (6, 2, 2, 0)
        assert [r.period for r in again.value.missing if r.unit == "东昌府区发展和改革局"][-1] == "2024-11"
    finally:
        store.close()


def test_a_slow_one_serves_the_last_snapshot_while_one_thread_recomputes():
    src = Source(delay=0.3)
    cache = src.cache()
    first = cache.get(None, "k")  # never computed: computed at once
    assert first.value == ("k", 1) and not first.stale and first.took >= 0.3
    src.stamp = 2  # a report came in
    started = time.monotonic()
    stale = cache.get(None, "k")
    assert time.monotonic() - started < 0.1  # answered at once, not after the 0.3 s computation
    assert stale.stale and stale.value == ("k", 1) and stale.computed_at == first.computed_at
    assert cache.refreshing("k")
    assert cache.get(None, "k").stale  # a second reader while it runs: no second computation
    cache.wait(5)
    assert src.calls == 2 and not cache.refreshing("k")
    fresh = cache.get(None, "k")
    assert fresh.value == ("k", 2) and not fresh.stale and fresh.stamp == 2


def test_a_quick_one_recomputes_inline_and_the_size_is_bounded():
    src = Source()
    cache = src.cache(size=2)
    assert cache.get(None, "a").value == ("a", 1)
    src.stamp = 2
    assert cache.get(None, "a").value == ("a", 2) and not cache.refreshing("a")
    cache.get(None, "b"), cache.get(None, "c")  # "a" is the least recently read: dropped
    assert cache.get(None, "c").value == ("c", 4)  # kept
    assert cache.get(None, "a").value == ("a", 5)  # computed again


def test_readers_of_a_key_never_computed_share_one_computation():
    src = Source(delay=0.2)
    cache = src.cache()
    with ThreadPoolExecutor(8) as pool:
        got = list(pool.map(lambda _: cache.get(None, "k").value, range(8)))
    assert got == [("k", 1)] * 8 and src.calls == 1


def test_a_slow_one_is_not_recomputed_again_within_the_interval():
    src = Source(delay=0.2)
    cache = src.cache(min_interval=0.5)
    cache.get(None, "k")
    src.stamp = 2
    assert cache.get(None, "k").stale and not cache.refreshing("k")  # within 0.5 s of the last computation
    time.sleep(0.5)
    assert cache.get(None, "k").stale and cache.refreshing("k")  # now it is due
    cache.wait(5)
    src.stamp = 3
    assert cache.get(None, "k").value == ("k", 2) and not cache.refreshing("k")
    time.sleep(0.5)
    cache.get(None, "k")
    cache.wait(5)
    assert cache.get(None, "k").value == ("k", 3) and src.calls == 3


def test_the_worker_process_computes_what_the_server_would(county):
    worker = WorkerProcess()
    try:
        stamp, d = worker.run(dashboard_in_worker, county.url, ("371500", "2024-12"), SETTINGS, None)
    finally:
        worker.close()
    here = run(county)
    store = Store(county.url)
    try:
        with store.session() as s:
            assert stamp == freshness(s)
    finally:
        store.close()
    assert counts(d.totals.counts) == counts(here.totals.counts) == (5, 2, 2, 1)
    assert [t.progress.target_id for t in d.lagging] == [t.progress.target_id for t in here.lagging]
    assert all(t.progress.assessment is None for t in d.targets)  # not sent across
    assert [k.counts.colour for k in d.children] == [k.counts.colour for k in here.children]
