"""Every extracted item is grounded: its span, cut from the original text, is what it claims to be.
Checked on every plan we have, HTML (spans into raw markup) and DOCX included."""
import html
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from luoshi.extract import extract
from luoshi.read import read_path
from luoshi.read.clean import fold as fold_text
from luoshi.read.clean import is_traditional
from luoshi.read.document import Document
from tests.conftest import DEV_DOCS, FIXTURES, ROOT, SEEDS

DOCS = sorted(SEEDS.glob("*.txt")) + sorted(DEV_DOCS.glob("*")) if SEEDS.is_dir() else []
DOCS += sorted((FIXTURES / "plans").glob("p*.txt")) + sorted((FIXTURES / "heldout").glob("h*.txt"))
DOCS += sorted((FIXTURES / "heldout2").glob("k*.*"))
DOCS = [d for d in DOCS if d.suffix != ".json"]
DOCS += [FIXTURES / "plans" / "p2_task_table.docx", ROOT / "luoshi" / "data" / "sample_plan.txt"]
_NUMBER = re.compile(r"[\d一二两三四五六七八九十百千万亿零〇]")


@pytest.mark.parametrize("path", DOCS, ids=lambda p: p.name)
def test_spans_cover_what_they_claim(path):
    plan = extract(read_path(path))
    text = plan.text
    trad = is_traditional(text)

    def fold(x):
        if plan.format == "html":  # a raw-HTML span may hold markup: 市<span>商务</span>局
            x = html.unescape(re.sub(r"<[^>]*>", "", x))
        return fold_text(x, trad)

    for t in plan.targets:
        s, e = t.span
        assert 0 <= s < e <= len(text)
        quoted = fold(text[s:e])
        assert _NUMBER.search(quoted), (t.indicator, quoted)
        assert "<" not in quoted or quoted.startswith("<"), quoted  # no markup inside a number
    for a in plan.assignments:
        s, e = a.span
        quoted = re.sub(r"\s", "", fold(text[s:e]))
        # the lead unit stands in its clause, written as it is there
        assert re.sub(r"\s", "", fold(a.units[0])) in quoted, (a.units, quoted)
    for sec in plan.sections:
        s, e = sec.span
        assert re.sub(r"\s", "", fold(sec.title)) in re.sub(r"\s", "", fold(text[s:e]))


_ALPHABET = st.sampled_from(list("到年建成个以上不低于%万亿元。，、；：（）〔〕责任单位牵头配合市局委一二三十百千点—-~ \n\t")
                            + [str(d) for d in range(10)] + ["2025年", "PUE", "分别", "《", "》", "“", "”"])


@settings(max_examples=300, deadline=None)
@given(st.lists(_ALPHABET, max_size=120).map("".join))
def test_any_text_extracts_without_error_and_spans_stay_inside(text):
    plan = extract(Document.plain(text))
    for item in plan.targets + plan.assignments + plan.sections:
        s, e = item.span
        assert 0 <= s <= e <= len(text)
