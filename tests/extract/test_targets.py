import pytest

from tests.extract.helpers import plan_of, targets_of


def one(text):
    ts = targets_of(text)
    assert len(ts) == 1, [(t.indicator, t.value) for t in ts]
    return ts[0]


@pytest.mark.parametrize("text,indicator,value,unit,cmp,year", [
    ("到2023年，建成5G基站10000个。", "5G基站", 10000, "个", "=", 2023),
    ("到2022年，全省建成 5G 基站 11.2 万个。", "5G基站", 112000, "个", "=", 2022),
    ("到2025年，公共停车场充电桩占车位比不低于15%。", "公共停车场充电桩占车位比", 15, "%", ">=", 2025),
    ("到2025年，人工智能相关产业规模超过500亿元。", "人工智能相关产业规模", 5e10, "元", ">", 2025),
    ("2020年底前，两化融合示范企业达到45家左右。", "两化融合示范企业", 45, "家", "~", 2020),
    ("到“十四五”末，全市数字经济规模突破一千亿元。", "数字经济规模", 1e11, "元", ">", 2025),
    ("到2025年，县城公共充电服务半径控制在2公里以内。", "县城公共充电服务半径", 2, "公里", "<=", 2025),
    ("到2024年，力争培育 2 个左右智能制造标杆企业。", "智能制造标杆企业", 2, "个", "~", 2024),
    ("到2025年，建成两个省级数字经济示范园区。", "省级数字经济示范园区", 2, "个", "=", 2025),
    ("到2025年，数字化改造覆盖率达到百分之八十。", "数字化改造覆盖率", 80, "%", "=", 2025),
])
def test_target_forms(text, indicator, value, unit, cmp, year):
    t = one(text)
    assert (t.indicator, t.value, t.unit, t.comparator, t.year) == (indicator, pytest.approx(value), unit, cmp, year)
    assert t.kind == "goal"


def test_span_is_the_number_and_unit_as_written():
    text = "到 2022 年建成 5G 基站 11.2 万个。"
    t = one(text)
    assert text[t.span[0]:t.span[1]] == "11.2 万个"


def test_range_gives_value_max():
    t = one("力争打造 1—2 个全国新型智慧城市标杆。")
    assert (t.value, t.value_max, t.comparator, t.indicator) == (1, 2, "between", "全国新型智慧城市标杆")


def test_fenbie_pairs_years_with_numbers_in_order():
    ts = targets_of("2024年、2025年，全市软件业务收入分别突破60亿元、80亿元。")
    assert [(t.year, t.value, t.comparator) for t in ts] == [(2024, 6e9, ">"), (2025, 8e9, ">")]
    assert {t.indicator for t in ts} == {"软件业务收入"}


def test_year_governs_to_the_full_stop_and_semicolons_do_not_end_it():
    ts = targets_of("到2023年，建成工业互联网平台10个以上；上云企业达到13000家左右。培育新型研发机构20家。")
    assert [t.year for t in ts] == [2023, 2023, None]


def test_standard_is_told_from_goal():
    ts = targets_of("规范数据中心建设，支持PUE值低于1.25、上架率高于65%的数据中心建设项目。")
    assert [(t.value, t.unit, t.comparator, t.kind) for t in ts] == [(1.25, "", "<", "standard"), (65, "%", ">", "standard")]
    assert ts[0].indicator == "数据中心PUE值" and ts[1].indicator == "数据中心上架率"


@pytest.mark.parametrize("text", [
    "着力夯实5G、数据中心、工业互联网等信息基础设施。",
    "融入“1+30+N”省创新体系建设，落实十九届五中全会精神。",
    "培育十强产业，构建“一中心四平台”。",
    "推动二级以上医疗机构和4A级景区智慧化改造，建设±800千伏特高压工程。",
    "截至2022年底，全市已建成智能信号控制路口126个，公交电子站牌覆盖率为35%。",
    "联系电话：0913-3126675，鲁政字〔2020〕228号。",
    "依据《山东省新基建三年行动方案（2020—2022年）》，推进汽车零部件产业发展。",
])
def test_numbers_that_are_no_targets(text):
    assert targets_of(text) == []


def test_baseline_from_text():
    t = one("城市生活污水集中收集率力争从2022年的62%提高到2026年的75%以上。")
    assert (t.value, t.year, t.comparator, t.baseline.year, t.baseline.value) == (75, 2026, ">=", 2022, 62)
    assert t.indicator == "城市生活污水集中收集率"


def test_years_before_the_plan_describe_the_past():
    text = "某市数字经济行动方案（2023—2025年）\n\n一、总体目标\n\n2022年，全市数字经济规模达到780亿元。到2025年，全市数字经济规模突破1000亿元。"
    ts = plan_of(text).targets
    assert [(t.value, t.year) for t in ts] == [(1e11, 2025)]


def test_recurring_targets_have_no_year():
    t = one("到2025年，每年新增软件企业不少于200家。")
    assert (t.year, t.comparator) == (None, ">=")


def test_traditional_script_keeps_original_characters():
    text = "到2025年，全省累計建成5G基站12.5萬個。" * 3
    ts = targets_of(text)
    assert ts[0].value == 125000 and ts[0].unit == "個" and ts[0].indicator == "5G基站"


def test_thousands_separator_and_abbreviated_comparator():
    t = one("到2025年，累计建成充电桩10,000个，全市数字经济规模超500亿元。".split("，全市")[0] + "。")
    assert (t.value, t.unit) == (10000, "个")
    t = one("到2025年，全市数字经济规模超500亿元。")
    assert (t.value, t.comparator) == (5e10, ">")


@pytest.mark.parametrize("text", [
    "对新落户企业，按其设备投资额的10%给予补助，单个项目最高补助500万元。",
    "对验收达标的社区给予一次性奖励，每个最高不超过30万元。",
    "聚焦4个方面，梳理形成18项重点任务。",
    "到2026年，24小时便利店占比达到30%。".replace("占比达到30%", "覆盖主要街区"),
])
def test_rules_and_self_descriptions_are_no_targets(text):
    assert targets_of(text) == []


def test_a_fund_the_plan_sets_aside_is_a_target():
    t = one("市财政每年安排网络建设和应用奖补资金2000万元。")
    assert (t.value, t.year) == (2e7, None)


def test_multiple_of_a_reference_year():
    t = one("到2027年，新能源产业产值达到2023年的2倍。")
    assert (t.value, t.unit, t.year) == (2, "倍", 2027)


def test_a_number_that_sizes_a_class_is_no_target():
    ts = targets_of("2024年底前建成能耗监测平台，接入年综合能耗5000吨标准煤以上重点用能企业。")
    assert ts == []


def test_task_list_items_take_their_deadline_line():
    text = ("一、完善商业网络\n\n1.建设物流中心。建成县级物流中心1个。\n牵头单位：县商务局\n责任单位：县交通运输局、县邮政管理局\n"
            "完成时限：2024年底\n\n二、健全配送体系\n\n2.推进融合发展。开通客货邮融合线路12条。\n牵头单位：县交通运输局\n完成时限：2025年底\n")
    plan = plan_of(text)
    assert [(t.value, t.year) for t in plan.targets] == [(1, 2024), (12, 2025)]
    assert [a.units for a in plan.assignments] == [["县商务局", "县交通运输局", "县邮政管理局"], ["县交通运输局"]]
    assert plan.assignments[0].lead_count == 1
    assert [s.path for s in plan.sections] == ["一", "一/1", "二", "二/2"]  # items numbered across parents


def test_two_level_table_header_without_base_column():
    text = ("附件\n\n类别\t指标\t单位\t目标值\n\t\t\t2025年\t2026年\t2027年\n"
            "产业\t产业规模\t亿元\t120\t200\t300\n\t相关企业\t家\t30\t50\t≥80\n")
    ts = targets_of(text)
    assert [(t.indicator, t.year, t.value, t.comparator) for t in ts][-3:] == [
        ("相关企业", 2025, 30, "="), ("相关企业", 2026, 50, "="), ("相关企业", 2027, 80, ">=")]
    assert ts[0].value == 1.2e10 and ts[0].baseline is None
