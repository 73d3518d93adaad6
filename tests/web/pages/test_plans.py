"""The plan pages: the list, and one plan's text with its targets and clauses marked where they
stand (exactly the stored spans, escaped), the panel, progress only where the reader may see it,
and the review findings that cite the plan."""
from __future__ import annotations

import hashlib
import re
from html.parser import HTMLParser

import pytest
from sqlalchemy import func, select

from luoshi.extract import extract
from luoshi.read import read_bytes
from luoshi.sample import sample_text
from luoshi.store import Store
from luoshi.store.dispatch_models import Task
from luoshi.store.models import AssignmentRow, PlanVersion, SectionRow, TargetRow
from luoshi.store.plans import save_plan
from luoshi.track.catalog import linker, load_catalog
from luoshi.track.checks import run_checks
from luoshi.track.tasks import build_tasks
from tests.web.pages.conftest import ROLES

# A second plan of 澜州市 that disagrees with the sample (1.5万 5G base stations by 2026, not 1.2万)
# and carries markup in its text.
SECOND = """澜州市5G网络提速三年行动计划（2024—2026年）

一、主要目标

到2026年，全市5G基站总数达到1.5万个，<script>alert(1)</script>行政村5G通达率达到95%。

二、重点任务

（一）推进基站建设。加快5G基站建设&部署。（责任单位：市工业和信息化局、市通信发展管理办公室）
"""


class Marks(HTMLParser):
    """The text inside #plan-text, and the text of each mark's pieces by (kind, id)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth, self.text, self.open, self.pieces, self.ids = 0, [], [], {}, {}

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if self.depth:
            self.depth += 1
            key = next(((k[5:], int(a[k])) for k in ("data-target", "data-clause", "data-section") if k in a), None)
            self.open.append(key)
            if key:
                self.pieces.setdefault(key, []).append("")
                if "id" in a:
                    self.ids[key] = a["id"]
        elif a.get("id") == "plan-text":
            self.depth = 1

    def handle_endtag(self, tag):
        if self.depth:
            self.depth -= 1
            if self.open and self.depth:
                self.open.pop()

    def handle_data(self, data):
        if self.depth:
            self.text.append(data)
            for key in {k for k in self.open if k}:
                self.pieces[key][-1] += data


def parse(html: str) -> Marks:
    m = Marks()
    m.feed(html)
    return m


def save_second(site) -> int:
    raw = SECOND.encode("utf-8")
    store = Store(site.url)
    try:
        with store.session() as s:
            saved = save_plan(s, extract(read_bytes(raw, "second.txt")), hashlib.sha256(raw).hexdigest(), "second.txt",
                              linker=linker(load_catalog(None)))
            build_tasks(s)
            s.commit()
            return saved.plan_id
    finally:
        store.close()


def target_id(site, indicator: str, year: int | None, plan_id: int | None = None) -> int:
    store = Store(site.url)
    try:
        with store.session() as s:
            q = (select(TargetRow.id).join(PlanVersion, PlanVersion.id == TargetRow.version_id)
                 .where(PlanVersion.plan_id == (plan_id or site.plan_id), TargetRow.indicator == indicator,
                        TargetRow.year == year).order_by(TargetRow.position))
            return s.scalars(q).first()
    finally:
        store.close()


def entry(html: str, target: int) -> str:
    """The panel entry of one target."""
    start = html.index(f'class="entry target-entry" data-target="{target}"')
    ends = [i for i in (html.find('class="entry target-entry"', start + 10), html.find("</section>", start)) if i > 0]
    return html[start:min(ends)]


@pytest.mark.parametrize("path", ["/plans", "/plans/{id}"])
def test_role_matrix(site, path):
    url = path.format(id=site.plan_id)
    expected = {"admin": 403, "auditor": 403, "coordinator": 200, "leader": 200, "reporter": 200,
                "other_reporter": 200}
    for who in ROLES:
        r = site.browser(who).get(url)
        assert r.status_code == expected[who], (who, r.status_code)
        if r.status_code == 403:
            assert "无权访问" in r.text and "澜州市数字基础设施" not in r.text
    r = site.browser(None).get(url, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/login?next=")


def test_list_shows_each_plan_with_its_counts(site):
    second = save_second(site)
    store = Store(site.url)
    with store.session() as s:
        tasks = s.scalar(select(func.count()).select_from(Task).where(Task.plan_id == site.plan_id))
        clauses = s.scalar(select(func.count()).select_from(AssignmentRow).join(
            PlanVersion, PlanVersion.id == AssignmentRow.version_id).where(PlanVersion.plan_id == site.plan_id))
    store.close()
    html = site.browser("reporter").get("/plans").text
    row = html[html.index(f'href="/plans/{site.plan_id}"'):]
    row = row[:row.index("</tr>")]
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.DOTALL)
    assert "澜州市数字基础设施建设三年行动方案（2024—2026年）" in row
    assert [c.strip() for c in cells[:6]] == ["澜州市人民政府", "澜政字〔2024〕12号", "澜州市", "市级", "2024—2026年", "75"]
    assert [c.strip() for c in cells[6:]] == [str(clauses), str(tasks)] and (clauses, tasks) == (24, 24)
    assert f'href="/plans/{second}"' in html and "&lt;script&gt;" not in html  # the title is clean
    assert "共 2 个方案" in html
    other = site.browser("leader").get("/plans", params={"region": "聊城市"}).text
    assert f'href="/plans/{site.plan_id}"' not in other and "暂无方案" in other
    mine = site.browser("leader").get("/plans", params={"region": "澜州市"}).text
    assert f'href="/plans/{site.plan_id}"' in mine and f'href="/plans/{second}"' in mine


def test_the_marks_cover_exactly_the_stored_spans(site):
    html = site.browser("leader").get(f"/plans/{site.plan_id}").text
    store = Store(site.url)
    with store.session() as s:
        v = s.scalars(select(PlanVersion).where(PlanVersion.plan_id == site.plan_id)).one()
        text = v.text
        targets = [(t.id, t.start, t.end) for t in v.targets]
        clauses = [(a.id, a.start, a.end) for a in v.assignments]
        sections = [(x.id, x.start, x.end) for x in s.scalars(select(SectionRow).where(SectionRow.version_id == v.id))]
    store.close()
    m = parse(html)
    assert "".join(m.text) == text  # the whole text, in order, nothing added or lost
    assert len(targets) == 75 and len(clauses) == 24 and len(sections) == 40
    for kind, prefix, rows in (("target", "t", targets), ("clause", "a", clauses), ("section", "s", sections)):
        for i, start, end in rows:
            assert "".join(m.pieces[(kind, i)]) == text[start:end], (kind, i)
            assert m.ids[(kind, i)] == f"{prefix}-{i}"
    # The panel: each target and clause an entry that names the span it scrolls to.
    for i, _, _ in targets:
        assert f'class="entry target-entry" data-target="{i}"' in html
    for i, _, _ in clauses:
        assert f'data-clause="{i}" tabindex="0"' in html
    for i, _, _ in sections:
        assert f'href="#s-{i}" data-section="{i}"' in html


def test_panel_details_and_indicator_links(site):
    html = site.browser("coordinator").get(f"/plans/{site.plan_id}").text
    t7 = entry(html, target_id(site, "每万人拥有5G基站数", 2026))
    assert 'href="/indicators/5g_base_stations_per_10k"' in t7 and "<b>28</b>个" in t7 and "2026年" in t7
    t8 = entry(html, target_id(site, "重点场所5G网络通达率", 2026))
    assert "/indicators/" not in t8 and "<b>≥98</b>%" in t8  # not in the catalog: no link
    first = html[html.index('class="entry clause-entry'):]
    first = first[:first.index('class="entry clause-entry', 10)]
    assert "加快5G网络深度覆盖" in first and '<span class="unit lead">市工业和信息化局</span>' in first
    assert '<span class="unit">中国铁塔澜州分公司</span>' in first
    for label in ("提纲", "目标", "责任单位", "审核"):
        assert f'">{label}' in html
    assert '<script src="/static/plan.js" defer></script>' in html


def test_the_plan_text_is_escaped(site):
    second = save_second(site)
    html = site.browser("coordinator").get(f"/plans/{second}").text
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "建设&amp;部署" in html
    m = parse(html)
    store = Store(site.url)
    with store.session() as s:
        assert "".join(m.text) == s.scalars(select(PlanVersion.text).where(PlanVersion.plan_id == second)).one()
    store.close()


def test_a_reporter_sees_progress_of_its_own_units_targets_only(site):
    mine = target_id(site, "每万人拥有5G基站数", 2026)  # 市工业和信息化局 leads it
    theirs = target_id(site, "充电桩", 2026)  # 市发展和改革委员会 leads it, with the power company only
    shared = target_id(site, "数据中心平均上架率", 2026)  # 市发展和改革委员会 leads, 市工业和信息化局 supports
    site.month("2024-06", {mine: 18.5})
    site.month("2024-06", {theirs: 9000, shared: 50}, unit=site.other)
    url = f"/plans/{site.plan_id}?as_of=2024-06"
    office = site.browser("coordinator").get(url).text
    assert '<span class="light green"' in entry(office, mine) and "2024-06 报 9000个" in entry(office, theirs)
    assert '<span class="light green"' in entry(office, theirs) and "2024-06 报 50%" in entry(office, shared)
    reporter = site.browser("reporter").get(url).text
    assert '<span class="light green"' in entry(reporter, mine) and "2024-06 报 18.5个" in entry(reporter, mine)
    assert "light" not in entry(reporter, theirs) and "报 9000" not in reporter
    assert "完成" not in entry(reporter, theirs) and "序时" not in entry(reporter, theirs)
    assert "2024-06 报 50%" in entry(reporter, shared)  # a task it supports is its unit's too
    # The dots beside the marks in the text follow the same rule.
    assert f'<mark id="t-{theirs}" class="m-target l-green"' in office
    assert f'<mark id="t-{mine}" class="m-target l-green"' in reporter
    assert f'<mark id="t-{theirs}" class="m-target" data-target' in reporter
    assert "仅显示本单位任务中目标的进度" in reporter
    other = site.browser("other_reporter").get(url).text
    assert "light" not in entry(other, mine) and "报 18.5" not in other and "2024-06 报 9000个" in entry(other, theirs)


def test_a_check_finding_cites_the_plan_with_links_to_the_spans(site):
    second = save_second(site)
    store = Store(site.url)
    with store.session() as s:
        found = [f for f in run_checks(s, site.app.state.catalog) if f.kind == "plans_disagree"]
        spans = {c.plan_id: (c.version_id, *c.span) for f in found for c in f.citations}
        ids = {p: s.scalars(select(TargetRow.id).where(TargetRow.version_id == v, TargetRow.start == a,
                                                       TargetRow.end == b)).one() for p, (v, a, b) in spans.items()}
    store.close()
    assert len(found) == 1 and set(ids) == {site.plan_id, second}
    html = site.browser("leader").get(f"/plans/{site.plan_id}").text
    pane = html[html.index('data-pane="checks"'):]
    assert "方案间目标不一致" in pane and "1.5万个" in pane and "1.2万个" in pane
    assert f'href="#t-{ids[site.plan_id]}" data-target="{ids[site.plan_id]}"' in pane  # this plan's span
    assert f'href="/plans/{second}#t-{ids[second]}"' in pane  # the other plan's
    assert f'id="t-{ids[site.plan_id]}"' in html
    other = site.browser("leader").get(f"/plans/{second}").text
    assert f'href="#t-{ids[second]}"' in other and f'href="/plans/{site.plan_id}#t-{ids[site.plan_id]}"' in other
    assert '<span class="count warn">1</span>' in other


def test_an_earlier_version_shows_its_own_text_without_progress(site):
    raw = sample_text().replace("全市5G基站总数达到9800个", "全市5G基站总数达到9900个").encode("utf-8")
    store = Store(site.url)
    with store.session() as s:
        save_plan(s, extract(read_bytes(raw, "v2.txt")), hashlib.sha256(raw).hexdigest(), "v2.txt",
                  linker=linker(load_catalog(None)))
        s.commit()
    store.close()
    mine = target_id(site, "每万人拥有5G基站数", 2026)
    site.month("2024-06", {mine: 18.5})
    old = site.browser("coordinator").get(f"/plans/{site.plan_id}?version=1&as_of=2024-06").text
    assert "这是第1版原文" in old and f'href="/plans/{site.plan_id}?version=2">第2版</a>' in old
    assert "9800个" in old and "9900个" not in old and 'class="light' not in old
    new = site.browser("coordinator").get(f"/plans/{site.plan_id}?as_of=2024-06").text
    assert "9900个" in new and f'href="/plans/{site.plan_id}?version=1">第1版</a>' in new and "第2版" in new
    assert 'class="light' in new


def test_unknown_plans_and_versions_are_404(site):
    r = site.browser("coordinator").get("/plans/99999")
    assert r.status_code == 404 and "没有找到方案 99999" in r.text
    r = site.browser("coordinator").get(f"/plans/{site.plan_id}?version=7")
    assert r.status_code == 404 and "没有第 7 版" in r.text
    r = site.browser("reporter").get(f"/plans/{site.plan_id}?as_of=someday")
    assert r.status_code == 422 and "无法识别" in r.text
