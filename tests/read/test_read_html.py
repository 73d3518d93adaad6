"""HTML: the article body only, every body character mapped back to the raw page."""
from __future__ import annotations

import html
import random

import pytest

from luoshi.errors import EmptyDocument, LuoshiError
from luoshi.read import read_bytes, read_path
from tests.conftest import DEV_DOCS

# A page in the shape real government sites use, with no helpful class names at all.
PAGE = """<!DOCTYPE html>
<html><head><meta charset="{charset}">
<meta name="ArticleTitle" content="某某市数字经济发展行动方案">
<title>某某市数字经济发展行动方案_政策文件_某某市人民政府</title>
<style>.x{{color:red}} p{{margin:0}}</style><script>var visits = "访问量12345";</script>
</head><body>
<div class="a1"><a href="/">首页</a> <a href="/zw">政务公开</a> <a href="/fw">政务服务</a> <a href="/hd">互动交流</a></div>
<div class="a2">当前位置：<a href="/">首页</a> &gt; 政策文件</div>
<div class="a3"><table>
<tr><td>索 引 号：</td><td>001-2024-0012</td><td>主题分类：</td><td>数字经济</td></tr>
<tr><td>文　　号：</td><td>某政发〔2024〕3号</td><td>发布日期：</td><td>2024-03-01</td></tr>
</table></div>
<div class="a4"><h1>某某市数字经济发展行动方案</h1>
<div class="a5">发布时间：2024-03-01 浏览次数：4821</div>
<div class="a6">
<p>&nbsp;&nbsp;&nbsp;&nbsp;一、总体目标</p>
<p>到2025年，全市数字经济核心产业增加值达到&ldquo;500亿元&rdquo;以上，建成5G基站&#49;万个&amp;以上。</p>
<p>二、重点任务</p>
<p>（一）建设数据中心。新建数据中心PUE值不高于1.3。<br>（责任单位：市发展改革委、市工业和信息化局）</p>
<table><tr><td><p>序号</p></td><td><p>任务</p></td><td>牵头单位</td></tr>
<tr><td>1</td><td>建设<b>千兆光网</b>
  覆盖城区</td><td>市通信管理办</td></tr></table>
<p>三、保障措施</p><p>加强组织领导，建立工作专班，按季度调度工作进展，确保各项任务落到实处。</p>
</div></div>
<div class="a7"><p>主办：某某市人民政府办公室 地址：某某路1号 电话：0123-4567890</p>
<p>备案号：某ICP备12345678号 您是第987654位访客</p></div>
</body></html>"""


def _page(charset: str = "utf-8") -> str:
    return PAGE.format(charset=charset)


def assert_offsets_exact(doc) -> None:
    """Each body character stands at its mapped range of the raw HTML, or decodes from it; inserted
    line breaks, tabs and collapsed spaces map to a tag or to whitespace."""
    raw, body = doc.text, doc.body
    for i, ch in enumerate(body.text):
        s, e = body.starts[i], body.ends[i]
        piece = raw[s:e]
        if piece == ch:
            continue
        if piece.startswith("&"):
            assert html.unescape(piece).replace("\xa0", " ") == ch or ch == " ", (i, ch, piece)
        elif ch in "\n\t ":
            assert piece.startswith("<") or not piece.strip() or piece.startswith("&"), (i, repr(ch), piece)
        else:
            raise AssertionError((i, ch, piece))


def test_article_body_only_without_class_hints():
    doc = read_bytes(_page().encode("utf-8"))
    assert doc.format == "html"
    body = doc.body.text
    assert body.startswith("某某市数字经济发展行动方案\n一、总体目标\n")
    assert "“500亿元”以上，建成5G基站1万个&以上" in body
    assert "（一）建设数据中心。新建数据中心PUE值不高于1.3。\n（责任单位：市发展改革委、市工业和信息化局）" in body
    for junk in ("首页", "当前位置", "索引号", "某政发", "浏览次数", "4821", "ICP", "0123-4567890", "987654", "访问量", "color"):
        assert junk not in body, junk
    assert_offsets_exact(doc)


def test_table_rows_are_lines_and_cells_tabs():
    body = read_bytes(_page().encode("utf-8")).body.text
    assert "\n序号\t任务\t牵头单位\n1\t建设千兆光网 覆盖城区\t市通信管理办\n" in body


def test_fields_from_meta_title_and_info_table():
    doc = read_bytes(_page().encode("utf-8"))
    f = doc.fields
    assert f["标题"][0] == "某某市数字经济发展行动方案"
    assert f["网页标题"][0].startswith("某某市数字经济发展行动方案_")
    assert f["索引号"][0] == "001-2024-0012"
    assert f["文号"][0] == "某政发〔2024〕3号"
    assert f["发布日期"][0] == "2024-03-01"
    assert f["主题分类"][0] == "数字经济"
    for key in ("索引号", "文号", "发布日期", "标题"):
        value, (s, e) = f[key]
        assert doc.text[s:e] == value, key


def test_declared_charset_decodes_gbk_page():
    page = _page("gb2312")
    doc = read_bytes(page.encode("gbk"))
    assert (doc.text, doc.encoding) == (page, "gb18030")
    assert "一、总体目标" in doc.body.text
    assert_offsets_exact(doc)


def test_no_text_page_is_empty():
    with pytest.raises(EmptyDocument, match="网页中没有找到正文"):
        read_bytes(b"<html><head><title>x</title></head><body><img src='a.png'><script>var a='\xe6\xad\xa3';</script></body></html>")


def test_dev_government_page(shared):
    path = DEV_DOCS / "d06.html"
    if not path.exists():
        pytest.skip("d06.html is absent")
    doc = read_path(path)
    body = doc.body.text
    assert "一、总体目标" in body and "（责任单位：市财政局、市交通运输局）" in body
    for junk in ("0774-5891234", "ICP", "首页", "当前位置", "索引号"):
        assert junk not in body, junk
    assert doc.fields["文号"][0] == "汐政办发〔2023〕12号"
    assert doc.fields["成文日期"][0] == "2023-04-18"
    assert doc.fields["发布机构"][0] == "汐源市人民政府办公室"
    value, (s, e) = doc.fields["文号"]
    assert doc.text[s:e] == value
    assert_offsets_exact(doc)
    # A span found in the body points at the same words in the raw page.
    i = body.index("到2025年，全市交通基础设施数字化率达到90%")
    s, e = doc.body.span(i, i + 24)
    assert doc.text[s:e] == "到2025年，全市交通基础设施数字化率达到90%"


MALFORMED = [
    "<html><body><div><p>一、总体目标<p>到2025年建成<b>基站<i>1万个</b></i></div></div></div></body>",
    "<p>数字 < 经济 > 发展 <<>> a<b</p><p>第二段",
    "<!DOCTYPE html><html><!-- 未闭合的注释 <p>正文</p>",
    "<html><body><p class=\"a>正文一</p><p>正文二</p></body></html>",
    "<html><body><table><tr><td>甲<td>乙<tr><td>丙</table><li>项目<li>项目二</body>",
    "<html><body><script>document.write('<p>假的</p>')</script><p>真的正文</p><style>p{}</style></body></html>",
    "<html><body><p>&bogus; &#99999999; &#xZZ; &amp &nbsp &lt;正文&gt;</p></body></html>",
    "<html><body>" + "<div>" * 3000 + "深层正文" + "</div>" * 10 + "</body></html>",
]


@pytest.mark.parametrize("page", MALFORMED)
def test_malformed_html_does_not_crash(page):
    try:
        doc = read_bytes(page.encode("utf-8"))
    except LuoshiError:
        return
    assert_offsets_exact(doc)
    assert "假的" not in doc.body.text


def test_random_tag_soup_never_raises_anything_else():
    rng = random.Random(11)
    pieces = ["<div>", "</div>", "<p>", "</p>", "<td>", "<tr>", "<table>", "</table>", "<br>", "<a href='x'>", "</a>",
              "&nbsp;", "&ldquo;", "&#20013;", "<", ">", "&", "正文内容", "到2025年", "\n", " ", "<script>", "</script>",
              "<!--", "-->", "<h1>", "</h1>", "索引号：", "ICP备", "<li>", "<ul>", "</ul>"]
    for _ in range(150):
        page = "<html><body>" + "".join(rng.choice(pieces) for _ in range(rng.randint(1, 60)))
        try:
            doc = read_bytes(page.encode("utf-8"))
        except LuoshiError:
            continue
        assert_offsets_exact(doc)


LAYOUT_PAGE = """<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>关于印发某县乡村振兴行动方案的通知</title></head>
<body><table width=100%><tr><td><a href=/>网站首页</a> | <a href=/a>政务公开</a> | <a href=/b>办事服务</a></td></tr>
<tr><td><table><tr><td class=biaoti>关于印发某县乡村振兴行动方案的通知</td></tr>
<tr><td>发布时间：2023年5月6日　　来源：县政府办　　阅读：<span>1234</span>次</td></tr>
<tr><td>各乡镇人民政府，县直各单位：<br>&nbsp;&nbsp;&nbsp;&nbsp;现将《某县乡村振兴行动方案》印发给你们，请认真组织实施。<br>
&nbsp;&nbsp;&nbsp;&nbsp;一、工作目标<br>&nbsp;&nbsp;&nbsp;&nbsp;到2025年，全县农村居民人均可支配收入达到2万元以上，建成美丽乡村示范村30个。<br>
&nbsp;&nbsp;&nbsp;&nbsp;二、重点任务<br>&nbsp;&nbsp;&nbsp;&nbsp;（一）发展特色产业。每个乡镇培育1个以上特色主导产业。（责任单位：县农业农村局）<br>
&nbsp;&nbsp;&nbsp;&nbsp;（二）改善人居环境。农村生活垃圾收运处置体系覆盖所有行政村。（责任单位：县住房城乡建设局）</td></tr>
</table></td></tr>
<tr><td>版权所有：某县人民政府 &nbsp; 技术支持：某某网络公司 &nbsp; 电话：0000-1234567</td></tr></table></body></html>"""


def test_page_laid_out_with_tables():
    doc = read_bytes(LAYOUT_PAGE.encode("gbk"))
    lines = doc.body.text.split("\n")
    assert lines[:4] == ["关于印发某县乡村振兴行动方案的通知", "各乡镇人民政府，县直各单位：",
                         "现将《某县乡村振兴行动方案》印发给你们，请认真组织实施。", "一、工作目标"]
    assert lines[-1] == "（二）改善人居环境。农村生活垃圾收运处置体系覆盖所有行政村。（责任单位：县住房城乡建设局）"
    for junk in ("网站首页", "阅读", "1234", "版权所有", "0000-1234567"):
        assert junk not in doc.body.text, junk
    assert doc.fields["发布时间"][0] == "2023年5月6日"
    assert_offsets_exact(doc)


def test_article_words_that_look_like_footer_or_labels_stay():
    page = _page().replace(
        "<p>三、保障措施</p>",
        "<table><tr><td>序号</td><td>名称</td><td>发布日期</td></tr><tr><td>1</td><td>数据标准</td><td>2024年</td></tr></table>"
        "<p>（三）保护知识产权。数据产品版权所有人依法享有收益。</p><p>三、保障措施</p>",
    )
    body = read_bytes(page.encode("utf-8")).body.text
    assert "序号\t名称\t发布日期\n1\t数据标准\t2024年" in body
    assert "数据产品版权所有人依法享有收益" in body
