"""Our own hand-annotated plans stay consistent with their gold: every span holds what the gold
says it holds, and every field has the shape SPEC.md gives it. (The plans themselves are in
tests/fixtures/ and luoshi/data/; spans were computed from quotes, never counted by hand.)"""
import json

import pytest

from tests.conftest import FIXTURES, ROOT

GOLD = sorted((FIXTURES / "plans").glob("p*.json")) + sorted((FIXTURES / "heldout").glob("h*.json"))
GOLD += sorted((FIXTURES / "heldout2").glob("k*.json"))
GOLD += [ROOT / "luoshi" / "data" / "sample_plan.gold.json"]
CMP = {">=", ">", "<=", "<", "~", "between", "="}


@pytest.mark.parametrize("path", GOLD, ids=lambda p: p.stem)
def test_gold_spans_hold_their_quotes(path):
    gold = json.loads(path.read_text(encoding="utf-8"))
    text = (path.parent / gold["document"]).read_bytes().decode("utf-8")  # as read: no newline translation
    assert set(gold["metadata"]) >= {"title", "issuer", "doc_number", "issued", "region", "level", "period"}
    for t in gold["targets"]:
        s, e = t["span"]
        assert text[s:e] == t["value_text"], t
        assert t["comparator"] in CMP and t["kind"] in ("goal", "standard")
        assert (t["value_max"] is not None) == (t["comparator"] == "between"), t
    for key in ("sections", "assignments"):
        for item in gold[key]:
            s, e = item["span"]
            assert text[s:e] == item["quote"], item
    assert [t["span"] for t in gold["targets"]] == sorted(t["span"] for t in gold["targets"])


def test_traditional_plan_fits_big5():
    text = (FIXTURES / "plans" / "p3_province_traditional.txt").read_text(encoding="utf-8")
    assert text.encode("big5").decode("big5") == text
