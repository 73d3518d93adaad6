"""The bulletin's data (luoshi.track.bulletin_data) on the county world of
tests/web/pages/county_world.py (聊城市, reports July–December 2024), on SQLite and PostgreSQL:
the quarter 2024Q4, its reporting, both rankings and the submissions behind the values, each
worked out by hand from the plans and the reports written there. 序时进度 at the end of 2024 is
12/36 = 33.33 % for every target."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from luoshi.store import Store
from luoshi.store.dispatch_models import Submission
from luoshi.track.bulletin_data import PeriodInvalid, Quarter, bulletin_data, parse_quarter, quarters_with_reports
from luoshi.track.catalog import load_catalog
from tests.web.pages.county_world import JUDGED_ON, SETTINGS, build

S = 100 / 3
CATALOG = load_catalog(None)


@pytest.fixture(scope="module")
def county(tmp_path_factory):
    return build(f"sqlite:///{tmp_path_factory.mktemp('bulletin')}/county.db")


def data(url, quarter="2024Q4", **kw):
    store = Store(url)
    try:
        with store.session() as s:
            return bulletin_data(s, "聊城市", quarter, catalog=CATALOG, settings=SETTINGS, on=JUDGED_ON, **kw)
    finally:
        store.close()


@pytest.mark.parametrize("text", ["2024Q4", "2024q4", "2024-Q4", "2024 Q4", "2024年第四季度", "2024年第4季度", "2024年四季度"])
def test_quarters_are_read_in_the_ways_offices_write_them(text):
    assert parse_quarter(text) == Quarter(2024, 4)


@pytest.mark.parametrize("text", ["2024Q5", "2024-10", "Q3", "", "1999Q1", "2024年第五季度"])
def test_a_period_that_is_no_quarter_is_refused(text):
    with pytest.raises(PeriodInvalid):
        parse_quarter(text)


def test_quarter_months_labels_and_the_one_before():
    q = Quarter(2024, 1)
    assert q.months == ["2024-01", "2024-02", "2024-03"] and q.end == "2024-03" and q.label == "2024年第一季度"
    assert q.previous() == Quarter(2023, 4) and Quarter(2023, 4).months[-1] == "2023-12"
    assert Quarter(2024, 3).key == "2024Q3"


def test_the_quarter_is_judged_at_its_last_month_with_its_own_reporting(county):
    d = data(county.url)
    assert d.dashboard.as_of == "2024-12" and d.dashboard.months == ["2024-10", "2024-11", "2024-12"]
    assert d.judged_on == JUDGED_ON
    c = d.dashboard.totals.counts
    assert (c.green, c.yellow, c.red, c.none) == (5, 2, 2, 1)


def test_reporting_in_the_quarter_by_unit_by_hand(county):
    units = {u.name: u for u in data(county.url).units}
    got = {n: (u.due, u.on_time, u.late, u.missing) for n, u in units.items()}
    assert got == {"阳谷县工业和信息化局": (3, 2, 1, 0), "阳谷县发展和改革局": (3, 3, 0, 0),
                   "东昌府区工业和信息化局": (3, 2, 0, 1), "东昌府区发展和改革局": (3, 0, 0, 3),
                   "茌平区工业和信息化局": (3, 3, 0, 0),  # late in September, outside the quarter
                   "茌平区发展和改革局": (3, 3, 0, 0), "聊城市工业和信息化局": (3, 2, 1, 0)}
    assert units["阳谷县工业和信息化局"].rate == pytest.approx(200 / 3)
    # 100 % three times (rank 1); 66.7 % with one late twice (4), with one missing (6); 0 % (7).
    ranks = {n: u.reporting_rank for n, u in units.items()}
    assert ranks == {"阳谷县发展和改革局": 1, "茌平区工业和信息化局": 1, "茌平区发展和改革局": 1,
                     "阳谷县工业和信息化局": 4, "聊城市工业和信息化局": 4, "东昌府区工业和信息化局": 6,
                     "东昌府区发展和改革局": 7}


def test_units_ranked_by_progress_by_hand(county):
    rows = data(county.url).units
    # Completion (%): 阳谷 工信 5G 0.83, 宽带 13.33; 阳谷 发改 项目 36.67; 东昌府 工信 36.67, 16.67; 东昌府 发改
    # nothing reported; 茌平 工信 50, 43.33; 茌平 发改 33.33; 聊城 工信 1.67. Less 33.33 each.
    gaps = {"茌平区工业和信息化局": 140 / 3 - S, "阳谷县发展和改革局": 110 / 3 - S, "茌平区发展和改革局": 0.0,
            "东昌府区工业和信息化局": 80 / 3 - S, "阳谷县工业和信息化局": 85 / 12 - S, "聊城市工业和信息化局": 5 / 3 - S}
    assert [r.name for r in rows] == [*gaps, "东昌府区发展和改革局"]
    assert [r.progress_rank for r in rows] == [1, 2, 3, 4, 5, 6, None]
    for r in rows[:-1]:
        assert r.gap == pytest.approx(gaps[r.name], abs=1e-3)
        assert r.scheduled == pytest.approx(S)
    assert rows[-1].completion is None and rows[-1].judged == [] and len(rows[-1].targets) == 1


def test_each_value_is_traced_to_the_submission_it_came_from(county):
    d = data(county.url)
    store = Store(county.url)
    try:
        with store.session() as s:
            for t in d.dashboard.targets:
                p = t.progress
                sid = d.submission_of.get(p.target_id)
                if p.last_period is None:
                    assert sid is None
                    continue
                sub = s.get(Submission, sid)
                assert sub.period == p.last_period and sub.unit_id == county.units[p.reported_by]
                newest = s.scalar(select(Submission.version).where(Submission.unit_id == sub.unit_id,
                                                                   Submission.period == sub.period)
                                  .order_by(Submission.version.desc()).limit(1))
                assert sub.version == newest
                assert p.last_value in [ln.cumulative for ln in sub.lines if ln.target_id == p.target_id]
    finally:
        store.close()
    # 东昌府区's 5G target: December never came, so November's report stands.
    five_g = next(t.progress for t in d.dashboard.targets if t.progress.target_id == county.targets[("东昌府区", "5G基站总数")])
    assert five_g.last_period == "2024-11"


def test_the_previous_quarter_is_judged_at_its_own_end(county):
    d = data(county.url)
    assert d.previous is not None
    alone = data(county.url, "2024Q3", compare=False)
    assert d.previous.counts == alone.dashboard.totals.counts
    assert d.previous.scheduled == pytest.approx(alone.dashboard.totals.scheduled) == pytest.approx(100 * 9 / 36)
    assert data(county.url, "2024Q3").previous is None  # nothing reported before July


def test_quarters_with_reports_newest_first(county):
    store = Store(county.url)
    try:
        with store.session() as s:
            assert quarters_with_reports(s) == [Quarter(2024, 4), Quarter(2024, 3)]
    finally:
        store.close()


def test_the_last_whole_quarter_is_the_newest_whose_last_month_is_reported(county):
    from luoshi.store.dispatch_models import Submission as Sub
    from luoshi.track.bulletin_data import last_whole_quarter

    store = Store(county.url)
    try:
        with store.session() as s:
            assert last_whole_quarter(s) == Quarter(2024, 4)  # December reported
            s.add(Sub(unit_id=next(iter(county.units.values())), period="2025-01", version=1, source="api"))
            s.flush()
            assert quarters_with_reports(s)[0] == Quarter(2025, 1)
            assert last_whole_quarter(s) == Quarter(2024, 4)  # January alone does not end a quarter
            s.rollback()
    finally:
        store.close()


def test_the_previous_quarter_judged_in_a_worker_process_is_the_same(county):
    """The web app and `luoshi bulletin` judge the quarter compared with in their worker process,
    through a store of its own, while judging the quarter itself."""
    from luoshi.track.worker import WorkerProcess

    worker = WorkerProcess()
    try:
        apart = data(county.url, worker=worker)
    finally:
        worker.close()
    here = data(county.url)
    assert apart.previous == here.previous and apart.previous.counts.judged > 0
    assert apart.dashboard.totals == here.dashboard.totals
