"""Submitting a monthly report: a valid one is stored; every rule rejects with its Problem and
stores nothing. Both backends (`db_url`)."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from luoshi.track.report_lines import parse_number
from luoshi.track.reports import ReportInvalid, current_lines, submit
from tests.track.report_data import OTHER_UNIT, build, counts

AS_OF = date(2024, 4, 5)  # March's report is due on 10 April


@pytest.fixture
def world(db_url):
    return build(db_url)


def send(world, lines, *, unit="市工业和信息化局", period="2024-03", as_of=AS_OF, **kw):
    store = world.store()
    try:
        with store.session() as s:
            return submit(s, unit=unit, period=period, lines=lines, source="api", as_of=as_of, **kw)
    finally:
        store.close()


def problems(world, lines, **kw) -> list[tuple]:
    """The problems of a rejected report, as (line, field, message); and nothing was stored."""
    before = counts(world.url)
    with pytest.raises(ReportInvalid) as e:
        send(world, lines, **kw)
    assert counts(world.url) == before
    assert e.value.http_status == 422 and e.value.exit_code == 2
    return [(p.line, p.field, p.message) for p in e.value.problems]


def march(world, **extra):
    return [{"target_id": world.stock, "month_value": 500, "cumulative": 6500, "narrative": "新建基站500个", **extra},
            {"target_id": world.new, "month_value": 300, "cumulative": 800}]


def test_valid_first_report_is_version_1(world):
    lines = [{"target_id": str(world.stock), "当月": "500", "累计": "6,500", "进展情况": "新建基站500个"},
             {"target_id": world.new, "month_value": 300.0, "cumulative": "８００"}]
    sub = send(world, lines, unit="市工信局", submitted_by="张三")  # by alias, numbers as strings
    assert (sub.version, sub.period, sub.source, sub.submitted_by, sub.approved) == (1, "2024-03", "api", "张三", False)
    assert sub.timeliness == "on_time"
    store = world.store()
    with store.session() as s:
        got = {ln.target_id: (float(ln.month_value), float(ln.cumulative), ln.narrative)
               for ln in current_lines(s, world.lead, "2024-03")}
    store.close()
    assert got == {world.stock: (500, 6500, "新建基站500个"), world.new: (300, 800, None)}
    assert counts(world.url) == (1, 2)


@pytest.mark.parametrize("cell, value", [(" 1,234.5 ", "1234.5"), ("８５%", "85"), ("1.2万", "12000"), ("3亿", "300000000"),
                                         ("-0.5", "-0.5"), ("1e3", "1000"), (7, "7"), (0.1, "0.1"), ("", None), (None, None)])
def test_numbers_as_forms_send_them(cell, value):
    assert parse_number(cell) == (None if value is None else Decimal(value))


@pytest.mark.parametrize("cell", ["abc", "1.2.3", "--1", "nan", "inf", "十二", "1e30", False])
def test_what_is_no_number(cell):
    with pytest.raises(ValueError):
        parse_number(cell)


def test_first_report_has_nothing_to_agree_with(world):
    assert send(world, [{"target_id": world.stock, "month_value": 999, "cumulative": 6500}]).version == 1


@pytest.mark.parametrize("line, field, words", [
    ({"month_value": "五百"}, "month_value", "不是数字"),
    ({"cumulative": "abc"}, "cumulative", "不是数字"),
    ({"cumulative": "-5"}, "cumulative", "不能为负"),
    ({"cumulative": None}, "cumulative", "必填"),
    ({"cumulative": True}, "cumulative", "应为数字"),
    ({"cumulative": float("nan")}, "cumulative", "有限"),
    ({"target_id": "x1"}, "target_id", "应为整数"),
    ({"target_id": None}, "target_id", "必填"),
    ({"target_id": 99999}, "target_id", "不存在"),
    ({"备注": "无"}, "lines", "未知字段"),
])
def test_each_bad_value_is_named(world, line, field, words):
    got = problems(world, [{"target_id": world.stock, "month_value": 500, "cumulative": 6500, **line}])
    assert any(f == field and words in m and i == 0 for i, f, m in got), got


def test_every_problem_comes_back_at_once(world):
    lines = [{"target_id": world.stock, "cumulative": "abc"}, {"target_id": world.other, "cumulative": 1},
             {"target_id": world.new, "month_value": "x", "cumulative": 800}, {"target_id": world.new, "cumulative": 800}]
    got = problems(world, lines)
    assert [(i, f) for i, f, _ in got] == [(0, "cumulative"), (2, "month_value"), (1, "target_id"), (3, "target_id")]
    assert "重复" in got[-1][2]


def test_a_unit_reports_only_its_own_tasks(world):
    (line, field, message), = problems(world, [{"target_id": world.other, "cumulative": 2}])
    assert (line, field) == (0, "target_id") and "不属于" in message and "市工业和信息化局" in message
    assert send(world, [{"target_id": world.other, "cumulative": 2}], unit=OTHER_UNIT).version == 1
    assert send(world, march(world)[:1], unit="市通信发展管理办公室").version == 1  # a supporting unit may report


@pytest.mark.parametrize("period, words", [("2024-13", "无效"), ("March", "无效"), ("2024-05", "尚未到来")])
def test_the_period_is_a_past_or_current_month(world, period, words):
    got = problems(world, march(world), period=period)
    assert [(f, words in m) for _, f, m in got] == [("period", True)]


def test_an_unknown_unit_is_a_problem(world):
    assert [(i, f) for i, f, _ in problems(world, march(world), unit="市不存在局")] == [(None, "unit")]


def test_empty_report_is_rejected(world):
    assert [f for _, f, _ in problems(world, [])] == ["lines"]


def test_month_and_running_total_agree_with_the_previous_month(world):
    send(world, march(world))
    april = date(2024, 5, 5)
    bad = [{"target_id": world.stock, "month_value": 100, "cumulative": 6700}]
    (_, field, message), = problems(world, bad, period="2024-04", as_of=april)
    assert field == "cumulative" and "2024年3月" in message and "6600" in message
    ok = [{"target_id": world.stock, "month_value": "100", "cumulative": "6600.004"},  # within tolerance
          {"target_id": world.new, "month_value": 250, "cumulative": 1050}]
    assert send(world, ok, period="2024-04", as_of=april).version == 1


def test_after_a_gap_only_the_direction_is_checked(world):
    send(world, march(world), period="2024-02", as_of=date(2024, 3, 5))
    lines = [{"target_id": world.stock, "month_value": 10, "cumulative": 7000}]
    assert send(world, lines, period="2024-04", as_of=date(2024, 5, 5)).version == 1
    down = [{"target_id": world.stock, "cumulative": 6000, "delay_reason": "统计口径调整", "next_steps": "复核"}]
    got = problems(world, down, period="2024-05", as_of=date(2024, 6, 5))
    assert [f for _, f, _ in got] == ["cumulative"] and "更正说明" in got[0][2]


def test_an_annual_total_starts_again_in_january(world):
    dec = [{"target_id": world.new, "month_value": 200, "cumulative": 3100}]
    send(world, dec, period="2024-12", as_of=date(2025, 1, 5))
    jan = date(2025, 2, 5)
    (_, field, message), = problems(world, [{"target_id": world.new, "month_value": 100, "cumulative": 3200}],
                                    period="2025-01", as_of=jan)
    assert field == "cumulative" and "1月" in message
    assert send(world, [{"target_id": world.new, "month_value": 100, "cumulative": 100}],
                period="2025-01", as_of=jan).version == 1


def test_a_running_total_going_down_needs_a_correction_reason(world):
    send(world, march(world))
    down = [{"target_id": world.stock, "month_value": -100, "cumulative": 6400}]
    got = problems(world, down, period="2024-04", as_of=date(2024, 5, 5))
    assert {f for _, f, _ in got} == {"month_value", "cumulative"}
    assert all("更正说明" in m for _, _, m in got)
    sub = send(world, down, period="2024-04", as_of=date(2024, 5, 5), correction_reason="核减重复统计的基站100个")
    assert (sub.version, sub.correction_reason) == (1, "核减重复统计的基站100个")


def test_behind_schedule_needs_a_reason_and_next_steps(world):
    june = [{"target_id": world.stock, "month_value": 50, "cumulative": 6300}]  # 5 % done, 16.7 % due
    got = problems(world, june, period="2024-06", as_of=date(2024, 7, 5))
    assert [f for _, f, _ in got] == ["delay_reason", "next_steps"]
    assert "滞后序时进度11.6个百分点（黄灯）" in got[0][2]
    half = [{**june[0], "delay_reason": "选址受阻"}]
    assert [f for _, f, _ in problems(world, half, period="2024-06", as_of=date(2024, 7, 5))] == ["next_steps"]
    full = [{**half[0], "next_steps": "协调铁塔公司共享站址"}]
    sub = send(world, full, period="2024-06", as_of=date(2024, 7, 5))
    assert (sub.lines[0].delay_reason, sub.lines[0].next_steps) == ("选址受阻", "协调铁塔公司共享站址")


def test_on_schedule_needs_no_reason(world):
    assert send(world, march(world)).lines[0].delay_reason is None


@pytest.mark.parametrize("line, field, words", [
    ({"target_id": 10 ** 20, "cumulative": 1}, "target_id", "应为整数"),
    ({"target_id": "99999999999999999999", "cumulative": 1}, "target_id", "应为整数"),
    ({"target_id": 1, "cumulative": 1, "narrative": "进" * 2001}, "narrative", "过长"),
])
def test_ids_beyond_any_key_and_overlong_text_are_problems(world, line, field, words):
    got = problems(world, [line | ({"target_id": world.stock} if line["target_id"] == 1 else {})])
    assert any(f == field and words in m for _, f, m in got), got


def test_a_unit_id_beyond_any_key_is_no_unit(world):
    got = problems(world, march(world), unit=10 ** 20)
    assert any(f == "unit" for _, f, _ in got)
