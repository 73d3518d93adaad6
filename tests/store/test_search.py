"""Full-text search over the stored plans, on SQLite (FTS5 trigram / LIKE) and PostgreSQL (ILIKE)."""
from __future__ import annotations

import json
import re

import pytest
from typer.testing import CliRunner

from luoshi.cli import app
from luoshi.errors import LuoshiError
from luoshi.store import Store
from luoshi.store.search import search
from tests.store.stored_plans import Stored, save_text, store_all

runner = CliRunner()


@pytest.fixture
def stored(db_url) -> Stored:
    return store_all(db_url)


def find(stored: Stored, query: str, **kw):
    store = Store(stored.url)
    try:
        with store.session() as s:
            return search(s, query, **kw)
    finally:
        store.close()


def count_in(text: str, query: str) -> int:
    return len(re.findall(re.escape(query), text, re.IGNORECASE))


def mentioning(stored: Stored, query: str) -> dict[str, int]:
    counts = {n: count_in(stored.text(n), query) for n in stored.plans}
    return {n: c for n, c in counts.items() if c}


def test_search_finds_the_plans_that_mention_it_with_grounded_snippets(stored):
    hits = find(stored, "加氢站")
    assert {stored.name_of(h.plan_id): h.count for h in hits} == mentioning(stored, "加氢站")
    assert {stored.name_of(h.plan_id) for h in hits} == {"000", "001", "003"}
    assert [h.count for h in hits] == sorted((h.count for h in hits), reverse=True)
    for h in hits:
        name = stored.name_of(h.plan_id)
        text = stored.text(name)
        assert h.version_id == stored.saved[name].version_id and h.title == stored.plans[name].metadata.title
        assert 0 < len(h.snippets) <= min(h.count, 5)
        for sn in h.snippets:
            assert text[sn.span[0]:sn.span[1]] == "加氢站"
            assert "【加氢站】" in sn.text
            assert sn.context[0] <= sn.span[0] < sn.span[1] <= sn.context[1]
        # The 加氢站 targets of the plan are linked, with spans into the same text.
        linked = [t for t in h.targets if t.indicator == "加氢站"]
        wanted = [t for t in stored.plans[name].targets if t.indicator == "加氢站"]
        assert wanted and sorted(t.span for t in linked) == sorted(tuple(t.span) for t in wanted)
        for t in h.targets:
            assert text[t.span[0]:t.span[1]].strip()
        assert {i for sn in h.snippets for i in sn.target_ids} <= {t.id for t in h.targets}
    by_name = {stored.name_of(h.plan_id): h for h in hits}
    assert {t.value for t in by_name["001"].targets if t.indicator == "加氢站"} == {30}
    # Seed 000 states the 加氢站 target in a sentence and in its table of indicators: both linked.
    assert sorted(t.span for t in by_name["000"].targets if t.indicator == "加氢站") == [(3656, 3658), (8448, 8449)]


@pytest.mark.parametrize("query", ["基站", "氢", "5g基站"])
def test_short_queries_and_ascii_case(stored, query):
    hits = find(stored, query, limit=100)
    assert {stored.name_of(h.plan_id): h.count for h in hits} == mentioning(stored, query)
    assert hits
    for h in hits:
        text = stored.text(stored.name_of(h.plan_id))
        for sn in h.snippets:
            assert text[sn.span[0]:sn.span[1]].casefold() == query.casefold()


@pytest.mark.parametrize("query", ["%", "_", '"', "%站", "_站", "加%站", "加_站", '"加氢站"', '加"氢', "15%", "氢 OR 站"])
def test_wildcards_and_quotes_are_literal(stored, query):
    hits = find(stored, query, limit=100)
    assert {stored.name_of(h.plan_id): h.count for h in hits} == mentioning(stored, query)


def test_limit_and_empty_query(stored):
    assert len(find(stored, "方案", limit=2)) == 2
    with pytest.raises(LuoshiError):
        find(stored, "  ")


def test_only_the_latest_version_is_searched(stored, tmp_path):
    old = stored.text("sample")
    assert "算力总规模" in old
    v2 = save_text(stored.url, old.replace("算力总规模", "算力规模总量") + "\n附：开展量子雷达试点。\n", tmp_path)
    assert v2.status == "version" and v2.plan_id == stored.saved["sample"].plan_id
    assert [h.version_id for h in find(stored, "量子雷达")] == [v2.version_id]
    assert stored.saved["sample"].plan_id not in {h.plan_id for h in find(stored, "算力总规模")}


def test_search_command_json_csv_and_table(stored):
    r = runner.invoke(app, ["search", "加氢站", "--db", stored.url, "--format", "json"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert len(data) == 3
    for h in data:
        text = stored.text(stored.name_of(h["plan_id"]))
        assert all(text[s["span"][0]:s["span"][1]] == "加氢站" for s in h["snippets"])
        assert any(t["indicator"] == "加氢站" and isinstance(t["value"], int) for t in h["targets"])
    r = runner.invoke(app, ["search", "加氢站", "--db", stored.url, "-f", "csv"])
    assert r.exit_code == 0, r.output
    lines = r.stdout.splitlines()
    assert lines[0].split(",")[:4] == ["方案编号", "方案", "地区", "出现次数"]
    assert len(lines) - 1 == sum(len(h["snippets"]) for h in data)
    r = runner.invoke(app, ["search", "加氢站", "--db", stored.url], env={"COLUMNS": "300"})
    assert r.exit_code == 0, r.output
    assert "【加氢站】" in r.stdout and "30座" in r.stdout and "菏泽市" in r.stdout
    r = runner.invoke(app, ["search", "没有这个词组", "--db", stored.url])
    assert r.exit_code == 0 and "没有方案提到" in r.stderr


def test_plan_text_in_a_table_is_never_taken_for_markup(stored, tmp_path):
    save_text(stored.url, "一、总体目标\n\n到2025年，建成[b]氢能[/b]加氢站3座，[/x]示范线1条。\n", tmp_path, "markup.txt")
    r = runner.invoke(app, ["search", "[b]氢能", "--db", stored.url], env={"COLUMNS": "300"})
    assert r.exit_code == 0, r.output
    assert "【[b]氢能】[/b]加氢站3座，[/x]示范线" in r.stdout and "「[b]氢能」" in r.stdout
