"""The same plan in every form it arrives in gives the same extraction: each seed plan saved as
GB18030, UTF-16, BIG5 (where the text fits), DOCX and PDF, generated here and compared."""
import re

import pytest

from luoshi.extract import extract
from luoshi.read import read_bytes
from tests import formats
from tests.conftest import FIXTURES, SEEDS


def _plans():
    out = sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else []
    return out + [FIXTURES / "plans" / "p3_province_traditional.txt", FIXTURES / "plans" / "p1_county_lead_support.txt"]


PLANS = _plans()


def _comparable(plan, exact_spans: bool):
    """What must not change with the file format. Spans are compared as offsets where the original
    text is the same, else by the text they cover (whitespace aside: PDF lines wrap)."""
    def cover(span):
        return tuple(span) if exact_spans else re.sub(r"\s", "", plan.text[span[0]:span[1]])

    return {
        "metadata": {k: v for k, v in plan.metadata.to_json().items() if k != "spans"},
        "sections": [(s.path, re.sub(r"\s", "", s.title), cover(s.span)) for s in plan.sections],
        "targets": [(t.indicator, t.value, t.value_max, t.unit, t.comparator, t.year, t.kind,
                     t.baseline.to_json() if t.baseline else None, cover(t.span)) for t in plan.targets],
        "assignments": [(a.units, a.lead_count, cover(a.span)) for a in plan.assignments],
    }


@pytest.fixture(scope="module", params=PLANS, ids=lambda p: p.stem[:12])
def original(request):
    text = request.param.read_text(encoding="utf-8")
    return text, extract(read_bytes(text.encode("utf-8")))


@pytest.mark.parametrize("enc,bom", [("gb18030", False), ("utf-16-le", True), ("utf-16-be", True),
                                     ("utf-16-le", False), ("utf-8", True), ("big5", False)])
def test_encodings_give_identical_extraction(original, enc, bom):
    text, plan = original
    data = formats.to_encoding(text, enc, bom=bom)
    if data is None:
        pytest.skip(f"the text does not fit {enc}")
    doc = read_bytes(data)
    assert doc.text == text
    assert _comparable(extract(doc), True) == _comparable(plan, True)


def test_docx_gives_identical_extraction(original):
    text, plan = original
    doc = read_bytes(formats.to_docx(text))
    assert doc.format == "docx"
    got = extract(doc)
    if doc.text == text:
        assert _comparable(got, True) == _comparable(plan, True)
    else:
        assert _comparable(got, False) == _comparable(plan, False)


def test_pdf_gives_the_same_extraction(original):
    text, plan = original
    doc = read_bytes(formats.to_pdf(text))
    assert doc.format == "pdf" and len(doc.parts) >= 2
    assert _comparable(extract(doc), False) == _comparable(plan, False)
