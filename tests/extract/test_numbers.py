import pytest

from luoshi.extract.numbers import QUANTITY, cn_to_number, parse_quantity


@pytest.mark.parametrize("text,value", [
    ("三万", 30000), ("两", 2), ("十一点二万", 112000), ("一千亿", 1e11), ("一百五十", 150),
    ("十二万", 120000), ("两百", 200), ("二十", 20), ("二〇二五", 2025), ("十", 10), ("三点五", 3.5),
])
def test_chinese_numerals(text, value):
    assert cn_to_number(text) == pytest.approx(value)


@pytest.mark.parametrize("text", ["十四五", "点", "十十"])
def test_not_numerals(text):
    assert cn_to_number(text) is None


@pytest.mark.parametrize("text,value,value_max,unit", [
    ("11.2 万个", 112000, None, "个"),
    ("500 亿元", 5e10, None, "元"),
    ("15%", 15, None, "%"),
    ("1—2 个", 1, 2, "个"),
    ("1-2家", 1, 2, "家"),
    ("30%—35%", 30, 35, "%"),
    ("百分之十二", 12, None, "%"),
    ("5000万元", 5e7, None, "元"),
    ("8EFLOPS", 8, None, "EFLOPS"),
    ("两万架", 20000, None, "架"),
    ("5个工作日", 5, None, "个工作日"),
    ("1000万次", 1e7, None, "次"),
])
def test_quantities(text, value, value_max, unit):
    q = parse_quantity(QUANTITY.search(text))
    assert q.value == pytest.approx(value)
    assert q.value_max == (pytest.approx(value_max) if value_max is not None else None)
    assert q.unit == unit
    assert text[q.start:q.end].rstrip() == text.rstrip()


def test_zero_starts_no_number():
    # 零部件: 零 must not start a Chinese numeral
    m = QUANTITY.search("汽车零部件")
    assert m is None or parse_quantity(m) is None or m.group("num") != "零"
