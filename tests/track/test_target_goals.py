"""One Goal per stored target for progress and the report rules alike (target_goals.py): an
indicator table that restates a task's target lends it its baseline, and a unit is asked for
reasons exactly where progress shows it behind. Both backends."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from luoshi.store.models import TargetRow
from luoshi.track.progress import progress
from luoshi.track.reports import ReportInvalid, submit
from tests.track.report_data import OTHER_UNIT, build

def _twin(world, baseline: tuple[int, float] | None) -> int:
    """A row of the plan's indicator table restating 算力总规模 3 by 2026, which no task covers."""
    store = world.store()
    with store.session() as s:
        other = s.get(TargetRow, world.other)
        row = TargetRow(**{c: getattr(other, c) for c in ("version_id", "indicator", "indicator_key", "link_status",
                                                          "value", "unit", "comparator", "year", "kind", "source")},
                        position=9, start=90, end=95, section="四/(六)", quote="算力总规模3（2026年）",
                        baseline_year=baseline[0] if baseline else None,
                        baseline_value=baseline[1] if baseline else None)
        s.add(row)
        s.commit()
        tid = s.scalar(select(TargetRow.id).where(TargetRow.position == 9))
    store.close()
    return tid


def _send(world, lines, **kw):
    store = world.store()
    try:
        with store.session() as s:
            return submit(s, unit=OTHER_UNIT, period="2024-06", lines=lines, source="api", as_of=date(2024, 7, 5), **kw)
    finally:
        store.close()


@pytest.fixture
def world(db_url):
    return build(db_url)


def test_the_tables_baseline_makes_the_report_behind(world, catalog):
    # 算力总规模 3 by 2026 (plan 2024–2026), stated in the task's text without a baseline; the table
    # restates it with 2.0 at the end of 2023. The first report (June 2024) says 2.05: from 2.0 that
    # is 5 % done against 6/36 = 16.67 % elapsed, 11.67 behind: yellow, so reasons are required.
    twin = _twin(world, (2023, 2.0))
    with pytest.raises(ReportInvalid) as e:
        _send(world, [{"target_id": world.other, "cumulative": 2.05}])
    assert {p.field for p in e.value.problems} == {"delay_reason", "next_steps"}
    assert "滞后序时进度11.6个百分点（黄灯）" in e.value.problems[0].message
    _send(world, [{"target_id": world.other, "cumulative": 2.05, "delay_reason": "机房扩容延期", "next_steps": "三季度投运"}])
    store = world.store()
    with store.session() as s:
        got = {p.target_id: p for p in progress(s, as_of="2024-06", catalog=catalog)}
    store.close()
    mine, table = got[world.other], got[twin]
    assert (mine.completion, mine.scheduled, mine.light.value) == (pytest.approx(5), pytest.approx(100 / 6), "yellow")
    assert (table.same_as, table.completion, table.light) == (world.other, pytest.approx(5), mine.light)
    assert mine.same_as is None


def test_without_a_baseline_anywhere_the_first_report_starts_the_clock(world, catalog):
    twin = _twin(world, None)
    sub = _send(world, [{"target_id": world.other, "cumulative": 2.05}])  # on schedule by definition
    assert sub.version == 1
    store = world.store()
    with store.session() as s:
        got = {p.target_id: p for p in progress(s, as_of="2024-06", catalog=catalog)}
    store.close()
    assert (got[world.other].gap, got[twin].same_as) == (pytest.approx(0, abs=1e-9), world.other)


def test_a_different_deadline_or_value_is_no_twin(world, catalog):
    store = world.store()
    with store.session() as s:
        other = s.get(TargetRow, world.other)
        for pos, (value, year) in enumerate(((3, 2025), (4, 2026)), start=10):
            s.add(TargetRow(version_id=other.version_id, position=pos, indicator=other.indicator, unit=other.unit,
                            value=value, comparator=other.comparator, year=year, kind="goal", start=pos * 10,
                            end=pos * 10 + 5, section="四/(六)", source="table", quote="…", link_status="none"))
        s.commit()
        added = set(s.scalars(select(TargetRow.id).where(TargetRow.position >= 10)))
        got = {p.target_id: p for p in progress(s, as_of="2024-06", catalog=catalog)}
    store.close()
    assert len(added) == 2 and all(got[t].same_as is None for t in added)


def test_a_tables_bare_value_restates_an_at_least(world, catalog):
    # The text says 算力总规模达到3以上 (≥ 3), the table's cell just 3 (=): the same commitment. A
    # table row saying < 3 is another one.
    store = world.store()
    with store.session() as s:
        other = s.get(TargetRow, world.other)
        other.comparator = ">="
        for pos, comparator in ((10, "="), (11, "<")):
            s.add(TargetRow(version_id=other.version_id, position=pos, indicator=other.indicator, unit=other.unit,
                            value=other.value, comparator=comparator, year=other.year, kind="goal", start=pos * 10,
                            end=pos * 10 + 5, section="四/(六)", source="table", quote="…", link_status="none"))
        s.commit()
        bare, below = (s.scalar(select(TargetRow.id).where(TargetRow.position == p)) for p in (10, 11))
        got = {p.target_id: p for p in progress(s, as_of="2024-06", catalog=catalog)}
    store.close()
    assert (got[bare].same_as, got[below].same_as) == (world.other, None)
