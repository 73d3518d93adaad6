"""Metadata a government page carries outside the article: <meta> tags, <title>, and the
信息公开 table (索引号 / 发布机构 / 文号 / 成文日期 …) shown above it. Each field is
name → (value, (start, end) in the raw HTML)."""
from __future__ import annotations

import html
import re

from luoshi.read.htmlparse import START, TEXT
from luoshi.read.textmap import TextMap

_META = {"articletitle": "标题", "pubdate": "发布日期", "contentsource": "来源", "sitename": "网站名称",
         "columnname": "栏目", "keywords": "关键词", "description": "摘要", "author": "作者"}
# Labels of the 信息公开 table. Distinctive ones may stand alone in a cell; common words
# (标题, 名称, 来源…) count only with a colon, so a task table's header row is not taken for one.
_STRONG = ("索引号", "信息索引号", "主题分类", "发布机构", "发文机关", "成文日期", "发布日期", "发文日期", "印发日期",
           "公开日期", "生效日期", "失效日期", "废止日期", "文号", "发文字号", "发文文号", "体裁分类", "组配分类", "公开方式")
_COMMON = ("主题词", "发文单位", "实施日期", "标题", "名称", "有效性", "服务对象", "公开范围", "信息来源", "来源",
           "信息分类", "公文种类", "发布时间")
_ALIASES = {"发文字号": "文号", "发文文号": "文号", "信息索引号": "索引号"}
_SP = "[ \u00a0\u2000-\u200b\u3000]*"  # &nbsp; &ensp; &emsp; … all pad labels


def _alternatives(labels) -> str:
    return "|".join(_SP.join(label) for label in sorted(labels, key=len, reverse=True))


# A label starts a line or a table cell; its value runs to the end of the cell, or to the next
# "word：" on the same line.
_FIELD = re.compile(rf"(?:^|(?<=[\t\n ]))(?:(?P<label>{_alternatives(_STRONG + _COMMON)}){_SP}[:：][ \u00a0\u2000-\u200b\u3000\t]*"
                    rf"|(?P<cell>{_alternatives(_STRONG)}){_SP}\t{_SP})"
                    rf"(?P<value>[^\t\n]*?)(?={_SP}(?:[\t\n]|$)|[ \u3000]+[^\s:：]{{2,8}}[:：])", re.M)


def meta_fields(raw: str, tokens) -> dict[str, tuple[str, tuple[int, int]]]:
    fields: dict[str, tuple[str, tuple[int, int]]] = {}
    for i, tok in enumerate(tokens):
        if tok.kind != START:
            continue
        if tok.name == "meta":
            attrs = tok.attrs()
            key = _META.get((attrs.get("name") or attrs.get("property") or ("", None))[0].strip().lower())
            if key and "content" in attrs:
                _put(fields, key, *_stripped(*attrs["content"]))
        elif tok.name == "title" and i + 1 < len(tokens) and tokens[i + 1].kind == TEXT:
            t = tokens[i + 1]
            _put(fields, "网页标题", *_stripped(raw[t.start:t.end], (t.start, t.end)))
    return fields


def find_fields(page: TextMap, fields: dict) -> list[int]:
    """Add the labelled fields found in the page's text; return where each label starts in it."""
    starts, found = [], {}
    for m in _FIELD.finditer(page.text):
        starts.append(m.start())
        value = m.group("value").strip()
        if not value:
            continue
        key = "".join((m.group("label") or m.group("cell")).split())
        key = _ALIASES.get(key, key)
        vs = m.start("value") + len(m.group("value")) - len(m.group("value").lstrip())
        _put(found, key, " ".join(value.split()), page.span(vs, vs + len(value)))
    fields.update(found)  # what the page shows beats what its <meta> says
    return starts


def _put(fields: dict, key: str, value: str, span: tuple[int, int]) -> None:
    if value and key not in fields:
        fields[key] = (value, span)


def _stripped(value: str, span: tuple[int, int]) -> tuple[str, tuple[int, int]]:
    lead = len(value) - len(value.lstrip())
    trail = len(value) - len(value.rstrip())
    return " ".join(html.unescape(value).split()), (span[0] + lead, span[1] - trail)
