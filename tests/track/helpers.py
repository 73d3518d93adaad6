"""Helpers of the tracking tests: storing plans with the catalog's linker, reading the findings
back, and what a reviewer would reject."""
from __future__ import annotations

from sqlalchemy import select

from luoshi.store import Store
from luoshi.store.models import TargetRow
from luoshi.store.plans import save_plan
from luoshi.track.catalog import linker
from luoshi.track.checks import run_checks
from tests.store.stored_plans import extracted


def store_seeds(url: str, catalog) -> None:
    store = Store(url)
    try:
        with store.session() as s:
            for name, (plan, sha, source) in extracted().items():
                if name != "sample":
                    save_plan(s, plan, sha, source, linker=linker(catalog))
            s.commit()
    finally:
        store.close()


def checked(url: str, catalog):
    """The findings, and every stored target by (version id, start, end)."""
    store = Store(url)
    try:
        with store.session() as s:
            findings = run_checks(s, catalog)
            rows = {(r.version_id, r.start, r.end): r for r in s.scalars(select(TargetRow))}
            s.expunge_all()
    finally:
        store.close()
    return findings, rows


def assert_reviewable(findings, rows, catalog):
    """What a reviewer would reject never appears: each finding's targets are one indicator under
    one unit, all goals or all standards; a disagreement is within one year, a series runs through
    distinct years, a sum never adds up ratios."""
    for f in findings:
        cited = [rows[(c.version_id, c.span[0], c.span[1])] for c in f.citations]
        assert cited, f
        links = {catalog.match(t.indicator, t.unit).key for t in cited}
        assert len(links) == 1 and None not in links, f.message
        ind = catalog.get(links.pop())
        assert all(ind.accepts_unit(t.unit) for t in cited), f.message
        assert len({t.kind for t in cited}) == 1, f.message
        if f.kind == "standard_looser":
            assert {t.kind for t in cited} == {"standard"} and len(cited) == 2
        if f.kind in ("plans_disagree", "series", "series_backwards", "sum_of_children", "below_baseline"):
            assert {t.kind for t in cited} == {"goal"}
        if f.kind in ("plans_disagree", "sum_of_children"):
            assert len({t.year for t in cited}) == 1, f.message
        if f.kind in ("series", "series_backwards"):
            assert len({t.year for t in cited}) >= 2, f.message
        if f.kind == "sum_of_children":
            assert ind.nature in ("cumulative", "annual")
        assert f.severity in ("warning", "info") and "\n" not in f.message


