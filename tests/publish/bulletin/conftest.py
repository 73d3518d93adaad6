"""A small hand-made bulletin Document for the renderer tests (the composer's own tests build one
from stored data)."""
from __future__ import annotations

from datetime import date

import pytest

from luoshi.publish.bulletin.model import Chart, Document, Figure, Heading, Paragraph, Source, Table


def _doc() -> Document:
    red = Figure("F1", "2", "红灯指标数", 2, Source(targets=(11, 12)))
    green = Figure("F2", "5", "绿灯指标数", 5, Source(targets=(1, 2, 3, 4, 5)))
    done = Figure("F3", "58.3%", "平均完成率", 58.3, Source(targets=(1, 2, 3, 4, 5, 11, 12)))
    due = Figure("F4", "75.0%", "平均序时进度", 75.0, Source(targets=(1, 2, 3, 4, 5, 11, 12)))
    row = [Figure("F5", "10000", "目标值", 10000, Source(targets=(11,))), "2023年",
           Figure("F6", "75.0%", "序时进度", 75.0, Source(targets=(11,))),
           Figure("F7", "4200", "实际值", 4200, Source(targets=(11,), reports=((7, "2022-09"),), submissions=(301,))),
           Figure("F8", "-33.0", "差距（百分点）", -33.0, Source(targets=(11,)))]
    late = Figure("F9", "1", "逾期报送次数", 1, Source(reports=((7, "2022-08"),)))
    blocks = [
        Paragraph(["现将2022年第三季度全市新型基础设施建设三年行动推进情况通报如下。"]),
        Heading(1, "一、总体情况"),
        Paragraph(["截至2022年9月，纳入调度的7项量化指标中，绿灯", green, "项、红灯", red, "项；平均完成率", done,
                   "，平均序时进度", due, "。"]),
        Chart("C1", "图1 各领域完成率与序时进度", "progress", ["5G网络", "数据中心"], {"完成率": [58.3, 42.0], "序时进度": [75.0, 75.0]}),
        Heading(2, "（一）5G网络。", ["5G基站建设落后序时进度。"]),
        Heading(3, "1.基站建设。", ["见表1。"]),
        Table("表1 量化指标完成情况", ["指标", "目标值", "完成时限", "序时进度", "实际值", "差距"],
              [["5G基站数量（个）", *row]], ["left", "right", "center", "right", "right", "right"], [4, 2, 2, 2, 2, 2],
              light=["red"]),
        Heading(4, "（1）报送情况。", ["市通信管理局逾期报送", late, "次。"]),
        Chart("C2", "图2 各单位指标红黄绿灯", "lights", ["市通信管理局", "市大数据局"],
              {"green": [1, 4], "yellow": [0, 0], "red": [2, 0], "none": [0, 0]}),
    ]
    return Document(issuer="聊城市新型基础设施建设工作专班办公室", issue="2022年第3期",
                    title="关于2022年第三季度新型基础设施建设推进情况的通报",
                    recipients="各县（市、区）人民政府，市直有关部门：", signed=date(2022, 10, 12), blocks=blocks,
                    region="聊城市", period="2022Q3", as_of="2022-09", copy_to="市委办公室，市政府办公室。",
                    annex="附件：2022年第三季度指标完成情况明细表")


@pytest.fixture
def document() -> Document:
    return _doc()
