from tests.extract.helpers import plan_of

HEAD = """某某市人民政府办公室关于印发某某市智慧城市建设行动计划（2023—2025年）的通知

某政办发〔2023〕15号

各区（县）人民政府，市政府各部门：

现将《某某市智慧城市建设行动计划（2023—2025年）》印发给你们，请认真贯彻执行。

某某市人民政府办公室

2023年5月8日

某某市智慧城市建设行动计划（2023—2025年）

一、总体要求

（一）指导思想

坚持问题导向。

二、重点任务

（一）建设城市大脑。到2025年，建成城市运行管理中心1个。

1．完善感知体系。推进建设。

（1）部署感知终端。推进。

（2）统一接入标准。推进。

2. 强化数据治理。推进。
"""


def test_outline_paths_titles_and_spans():
    plan = plan_of(HEAD)
    got = [(s.path, s.title) for s in plan.sections]
    assert got == [("一", "总体要求"), ("一/(一)", "指导思想"), ("二", "重点任务"), ("二/(一)", "建设城市大脑"),
                   ("二/(一)/1", "完善感知体系"), ("二/(一)/1/(1)", "部署感知终端"),
                   ("二/(一)/1/(2)", "统一接入标准"), ("二/(一)/2", "强化数据治理")]
    s = plan.sections[3]
    assert HEAD[s.span[0]:s.span[1]] == "（一）建设城市大脑"


def test_metadata_from_the_notice():
    md = plan_of(HEAD).metadata
    assert md.title == "某某市智慧城市建设行动计划（2023—2025年）"
    assert md.issuer == "某某市人民政府办公室"
    assert md.doc_number == "某政办发〔2023〕15号"
    assert md.issued == "2023-05-08"
    assert (md.region, md.level, md.period) == ("某某市", "city", (2023, 2025))


def test_targets_know_their_section():
    plan = plan_of(HEAD)
    assert [(t.section, t.value) for t in plan.targets] == [("二/(一)", 1)]


def test_province_and_county_levels():
    assert plan_of("某某省新型基础设施建设三年行动方案（2020-2022年）\n\n一、目标\n").metadata.level == "province"
    assert plan_of("某某县充电设施建设实施方案（2023—2025年）\n\n一、目标\n").metadata.level == "county"
