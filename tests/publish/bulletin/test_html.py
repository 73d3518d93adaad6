"""The HTML bulletin: every figure links to its annex row, the annex names its sources, the page
obeys the CSP (one hashed <style>, no style attributes, no script), and the SVG charts draw bars
proportional to the data."""
from __future__ import annotations

import base64
import hashlib
import itertools
from datetime import date

import pytest
from lxml import html as lhtml

from luoshi.publish.bulletin.html import Links, number_text, render_html, style_hash
from luoshi.publish.bulletin.model import Chart, Document, Figure, Heading, Paragraph, Source, date_cn

LINKS = Links(target_url=lambda t: f"/plans/3#t-{t}", report_url=lambda u, p: f"/api/reports/{u}/{p}",
              submission_url=lambda s: f"/api/submissions/{s}",
              target_name={11: "5G基站数量", 12: "千兆用户数"}, unit_name={7: "市通信管理局"})


def parse(text: str):
    return lhtml.document_fromstring(text)


def annex_row(page, key: str):
    rows = page.xpath(f'//section[@id="sources"]//tr[@id="{key}"]')
    assert len(rows) == 1, key
    return rows[0]


def test_every_figure_is_a_link_to_its_annex_row(document):
    page = parse(render_html(document))
    figs = document.figures()
    links = page.xpath('//a[@class="fig"]')
    assert [a.get("href") for a in links] == [f"#{f.key}" for f in figs]  # each printed once, in order
    for f in figs:
        (a,) = page.xpath(f'//a[@class="fig"][@href="#{f.key}"]')
        assert a.text_content() == f.text and a.get("title") == f.label and a.get("id") == f"ref-{f.key}"
        cells = [td.text_content() for td in annex_row(page, f.key).xpath("./td")]
        assert cells[:4] == [f.key, f.label, f.text, number_text(f.value)]
        # the key links back to the figure in the text
        assert annex_row(page, f.key).xpath("./td[1]/a/@href") == [f"#ref-{f.key}"]
    assert len(page.xpath('//section[@id="sources"]//tbody/tr')) == len(figs)


def test_annex_links_targets_reports_and_submissions(document):
    page = parse(render_html(document, links=LINKS))
    row = annex_row(page, "F7")  # 实际值: target 11, report (7, 2022-09), submission 301
    targets, reports = row.xpath("./td[5]//a"), row.xpath("./td[6]//a")
    assert [(a.get("href"), a.text_content()) for a in targets] == [("/plans/3#t-11", "5G基站数量")]
    assert [(a.get("href"), a.text_content()) for a in reports] == [
        ("/api/reports/7/2022-09", "市通信管理局 2022-09"), ("/api/submissions/301", "报送版本 #301")]
    row = annex_row(page, "F1")  # red: targets 11 and 12
    assert row.xpath("./td[5]//a/@href") == ["/plans/3#t-11", "/plans/3#t-12"]
    assert row.xpath("./td[6]")[0].text_content() == "—"


def test_without_links_ids_show_as_text(document):
    page = parse(render_html(document))
    row = annex_row(page, "F7")
    assert row.xpath("./td[5]//li")[0].text_content() == "指标 #11"
    assert [li.text_content() for li in row.xpath("./td[6]//li")] == ["单位 #7 2022-09", "报送版本 #301"]
    assert row.xpath("./td[5]//a | ./td[6]//a") == []


def test_csp_one_hashed_style_no_inline_style_or_script(document):
    evil = Figure("F1", "<b>2</b>", '红灯" onclick="x()', 2, Source(targets=(1,)))
    document.blocks.append(Paragraph(["<script>alert(1)</script>", evil]))
    text = render_html(document, links=LINKS)
    page = parse(text)
    styles = page.xpath("//style")
    assert len(styles) == 1 and styles[0].getparent().tag == "head"
    assert page.xpath("//script") == [] and page.xpath("//link") == [] and page.xpath("//img | //iframe") == []
    for el in page.iter():
        if isinstance(el.tag, str):
            assert "style" not in el.attrib, el.tag
            assert not [a for a in el.attrib if a.lower().startswith("on")], el.tag
            assert "src" not in el.attrib
    assert "http://" not in text.replace('xmlns="http://www.w3.org/2000/svg"', "") and "https://" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    content = text.split("<style>", 1)[1].split("</style>", 1)[0]
    digest = base64.b64encode(hashlib.sha256(content.encode("utf-8")).digest()).decode()
    assert style_hash(text) == f"'sha256-{digest}'"
    assert "@page { size: A4; margin: 37mm 26mm 35mm 28mm; }" in content
    assert '"仿宋_GB2312", "仿宋", "FangSong"' in content and '"Noto Serif CJK SC"' in content
    # column widths come from Table.widths, as rules in the same style block
    assert ".issuer { font-size: 23pt; }" in content  # 18 characters fit one line of 156 mm
    assert "#T1 col:nth-child(1){width:28.6%}" in content and "#T1 col:nth-child(2){width:14.3%}" in content
    with pytest.raises(ValueError):
        style_hash(text.replace("</style>", "</style><style></style>"))


def test_layout_of_an_official_document(document):
    text = render_html(document)
    page = parse(text)
    assert page.get("lang") == "zh-CN" and page.xpath("//meta/@charset") == ["utf-8"]
    head = page.xpath("//header[@class='head']")[0]
    assert head.xpath("./h1[@class='issuer']")[0].text == document.issuer
    assert head.xpath("./p[@class='issue']")[0].text == "2022年第3期" and head.xpath("./hr[@class='red-rule']")
    assert page.xpath("//h1[@class='title']")[0].text == document.title
    assert page.xpath("//p[@class='recipients']")[0].text == document.recipients
    assert page.xpath("//h2[@class='l1']")[0].text_content() == "一、总体情况"
    (l2,) = page.xpath("//p[@class='l2']")
    assert l2.xpath("./span[@class='hd']")[0].text == "（一）5G网络。" and l2.text_content().endswith("落后序时进度。")
    assert page.xpath("//p[@class='l4']")[0].xpath(".//a[@class='fig']/@href") == ["#F9"]
    (table,) = page.xpath("//figure[@class='table']")
    assert table.xpath("./figcaption")[0].text == "表1 量化指标完成情况"
    assert [th.text for th in table.xpath(".//th")] == ["指标", "目标值", "完成时限", "序时进度", "实际值", "差距"]
    (tr,) = table.xpath(".//tbody/tr")
    assert tr.get("class") == "light-red"
    assert [td.get("class") for td in tr] == ["a-left", "a-right", "a-center", "a-right", "a-right", "a-right"]
    assert page.xpath("//p[@class='sign']")[0].text == document.issuer
    assert page.xpath("//p[@class='date']")[0].text == date_cn(document.signed) == "2022年10月12日"
    assert page.xpath("//p[@class='annex-line']")[0].text == document.annex
    banji = page.xpath("//footer[@class='banji']")[0].text_content()
    assert "抄送：市委办公室，市政府办公室。" in banji and "2022年10月12日印发" in banji
    # the body text in reading order: annex after the signature block
    order = [e.get("class") or e.tag for e in page.xpath("//article/*")]
    assert order.index("sign") < order.index("banji") < order.index("sources")


def test_a_figure_printed_twice_has_two_anchors_and_one_row(document):
    f = document.figures()[0]
    document.blocks.append(Paragraph(["再次提到", f, "。"]))
    page = parse(render_html(document))
    anchors = page.xpath(f'//a[@class="fig"][@href="#{f.key}"]')
    assert [a.get("id") for a in anchors] == [f"ref-{f.key}", f"ref-{f.key}-2"]
    ids = page.xpath("//@id")
    assert len(ids) == len(set(ids))


def bars(page, key):
    """(category, series, value, x, y, width) of each bar of the chart `key`."""
    rects = page.xpath(f'//figure[@id="{key}"]//*[local-name()="rect"][@class="bar"]')
    return [(r.get("data-category"), r.get("data-series"), float(r.get("data-value")), float(r.get("x")),
             float(r.get("y")), float(r.get("width"))) for r in rects]


def test_progress_chart_bars_are_proportional(document):
    page = parse(render_html(document))
    got = bars(page, "C1")
    chart = document.blocks[3]
    assert [(c, s, v) for c, s, v, *_ in got] == [(c, s, chart.series[s][i]) for i, c in enumerate(chart.categories)
                                                 for s in ("完成率", "序时进度")]
    ratios = {round(w / v, 3) for *_, v, x, y, w in got}
    assert len(ratios) == 1  # one scale for every bar
    assert len({x for *_, x, y, w in got}) == 1  # all start on the axis
    assert page.xpath('//figure[@id="C1"]/figcaption')[0].text == chart.caption


def test_lights_chart_stacks_counts_with_a_legend(document):
    page = parse(render_html(document))
    got = bars(page, "C2")
    assert len(got) == 2 * 4
    unit = None
    for i, cat in enumerate(["市通信管理局", "市大数据局"]):
        segs = [b for b in got if b[0] == cat]
        assert [s for _, s, *_ in segs] == ["green", "yellow", "red", "none"]
        series = document.blocks[-1].series
        assert [v for _, _, v, *_ in segs] == [series[s][i] for s in ("green", "yellow", "red", "none")]
        for a, b in itertools.pairwise(segs):
            assert b[3] == pytest.approx(a[3] + a[5], abs=0.02)  # each segment starts where the last ended
        for *_, v, x, y, w in segs:
            if v:
                unit = unit or w / v
                assert w / v == pytest.approx(unit, rel=1e-3)
            else:
                assert w == 0
    svg = page.xpath('//figure[@id="C2"]/*[local-name()="svg"]')[0]
    legend = [t.text for t in svg.xpath('./*[local-name()="text"]')][:4]
    assert legend == ["绿灯", "黄灯", "红灯", "未判断"]


def test_forty_units_grow_the_chart_downwards():
    cats = [f"第{i}个县（市、区）人民政府办公室" for i in range(40)]
    chart = Chart("C1", "图1 各单位指标红黄绿灯", "lights", cats,
                  {"green": [i % 5 for i in range(40)], "yellow": [1] * 40, "red": [2] * 40, "none": [0] * 40})
    small = Chart("C2", "图2", "lights", cats[:2], {k: v[:2] for k, v in chart.series.items()})
    doc = Document("办公室", "2022年第3期", "通报", "各单位：", date(2022, 10, 1), [chart, small], "某市", "2022Q3", "2022-09")
    page = parse(render_html(doc))
    got = bars(page, "C1")
    assert len(got) == 160
    rows = sorted({y for *_, y, w in got})
    assert len(rows) == 40 and min(b - a for a, b in itertools.pairwise(rows)) >= 16  # one band per unit, no overlap
    svg1, svg2 = page.xpath('//*[local-name()="svg"]')
    assert float(svg1.get("height")) > max(rows) + 16 and float(svg1.get("height")) > 10 * float(svg2.get("height"))
    labels = svg1.xpath('./*[local-name()="text"][@class="cat"]')
    assert len(labels) == 40 and labels[0].text_content().endswith(cats[0][:11] + "…")  # full name in <title>
    assert labels[0].xpath('./*[local-name()="title"]')[0].text == cats[0]


def test_headings_with_and_without_runs():
    doc = Document("办公室", "2022年第3期", "通报", "各单位：", date(2022, 10, 1),
                   [Heading(1, "一、总体情况", ["全市", Figure("F1", "3", "红灯", 3), "项。"]), Heading(2, "（二）下一步")],
                   "某市", "2022Q3", "2022-09")
    page = parse(render_html(doc))
    (p,) = page.xpath("//p[@class='l1']")
    assert p.xpath("./span[@class='hd']")[0].text == "一、总体情况" and p.xpath(".//a/@href") == ["#F1"]
    assert page.xpath("//h3[@class='l2']")[0].text_content() == "（二）下一步"
    assert annex_row(page, "F1").xpath("./td[5]")[0].text_content() == "—"  # no source: a dash, not an empty list


def test_a_figure_of_many_targets_lists_the_first_and_points_to_the_annex(document):
    """A province's count names a thousand targets: the reading copy lists LISTED of them and says
    where the rest are (the xlsx annex names every one)."""
    from dataclasses import replace

    from luoshi.publish.bulletin.html import LISTED, render_html
    from luoshi.publish.bulletin.model import Figure, Paragraph, Source

    many = Figure("F99", "1000", "绿灯指标数", 1000, Source(targets=tuple(range(1, 1001))))
    doc = replace(document, blocks=[*document.blocks, Paragraph(["绿灯", many, "项。"])])
    html = render_html(doc)
    row = html[html.index('<tr id="F99">'):]
    row = row[:row.index("</tr>")]
    assert row.count("<li>") == LISTED and "指标 #1<" in row and f"指标 #{LISTED}<" in row
    assert f"指标 #{LISTED + 1}<" not in row and f"另有{1000 - LISTED}项指标" in row
