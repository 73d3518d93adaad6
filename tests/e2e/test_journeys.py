"""The journeys of issue 5 in a real browser over the demo: signing in, a unit's monthly report
through the form, the light it changes on the dashboard, a reporter refused another unit's task,
and a target clicked on a plan page with its source highlighted. Screenshots of the dashboard and
of the highlighted plan land in test-artifacts/e2e/.

The module's tests share one server and run in order: the report of the second changes what the
third sees."""
from __future__ import annotations

import re
import time

from sqlalchemy import select

from luoshi.store import Store
from luoshi.store.account_models import Account
from luoshi.store.dispatch_models import Task, TaskTarget, TaskUnit
from luoshi.track.catalog import load_catalog
from luoshi.track.progress import progress
from tests.e2e.conftest import shot

MONTH = "2026-11"  # the month after the demo's history: reported in the test


def sign_in(page, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


def red_target(url: str, plan_id: int) -> tuple[int, str, float, int]:
    """A red target of the sample plan, led by a unit with a reporter: (target id, reporter, a
    cumulative value that meets the goal, its unit id) — found by the core, as of MONTH."""
    store = Store(url)
    try:
        with store.session() as s:
            rows = progress(s, plan=str(plan_id), as_of=MONTH, catalog=load_catalog(None))
            reporters = dict(s.execute(select(Account.unit_id, Account.username).where(Account.role == "reporter")).all())
            leads = dict(s.execute(select(TaskTarget.target_id, TaskUnit.unit_id)
                                   .join(Task, Task.id == TaskTarget.task_id)
                                   .join(TaskUnit, TaskUnit.task_id == Task.id).where(TaskUnit.role == "lead")).all())
            for t in rows:
                unit = leads.get(t.target_id)
                if t.light is not None and t.light.value == "red" and unit in reporters and t.same_as is None \
                        and t.kind == "goal" and t.comparator in (">=", "=", ">") and t.value_max is None \
                        and t.deadline == 2026:
                    return t.target_id, reporters[unit], t.value * (1.01 if t.comparator == ">" else 1), unit
    finally:
        store.close()
    raise AssertionError("the demo has no red target led by a unit with a reporter")


def light_of(url: str, plan_id: int, target_id: int) -> str:
    store = Store(url)
    try:
        with store.session() as s:
            return next(t.light.value for t in progress(s, plan=str(plan_id), as_of=MONTH, catalog=load_catalog(None))
                        if t.target_id == target_id)
    finally:
        store.close()


def test_sign_in_lands_on_the_dashboard_with_the_county_map(server, page):
    base, world = server
    sign_in(page, base, "office", world.password)
    assert page.url.startswith(f"{base}/dashboard")
    page.goto(f"{base}/dashboard?region=聊城市&as_of=2026-10")
    page.wait_for_selector("#county-map canvas")
    page.wait_for_timeout(800)  # the map's entry animation
    assert page.locator(".stat").count() >= 4
    shot(page, "dashboard-liaocheng")
    assert not page.script_errors


def test_a_report_through_the_form_turns_the_light_green_on_the_dashboard(server, page):
    base, world = server
    url, plan_id = world.url, world.plans["sample_plan.txt"]
    target, reporter, goal, unit = red_target(url, plan_id)
    office = page.context.browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN").new_page()
    sign_in(office, base, "office", world.password)
    office.goto(f"{base}/dashboard?region=澜州市&as_of={MONTH}")
    red_before, green_before = counts(office)

    sign_in(page, base, reporter, world.password)
    assert page.url.endswith("/inbox")
    page.goto(f"{base}/inbox/report?period={MONTH}")
    page.fill(f"input[name='cumulative-{target}']", f"{goal:g}")
    page.fill(f"textarea[name='narrative-{target}']", "已提前完成年度建设任务")
    page.click("form#report-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "已报送" in page.content() or "报送成功" in page.content()
    assert light_of(url, plan_id, target) == "green"

    # A large dashboard is recomputed in the background (luoshi.track.dashboard_cache): the page
    # may show the previous snapshot for a few seconds, as a person reloading would see.
    deadline = time.monotonic() + 30
    while counts(office) == (red_before, green_before) and time.monotonic() < deadline:
        time.sleep(1)
        office.reload()
    assert counts(office) == (red_before - 1, green_before + 1)
    shot(office, "dashboard-after-report")
    office.context.close()


def counts(page) -> tuple[int, int]:
    return int(page.locator("#n-red").inner_text()), int(page.locator("#n-green").inner_text())


def test_a_reporter_is_refused_another_units_task(server, page):
    base, world = server
    url = world.url
    reporter = next(a for a in world.accounts if a.role == "reporter")
    store = Store(url)
    with store.session() as s:
        own = s.scalar(select(Account.unit_id).where(Account.username == reporter.username))
        other = s.scalar(select(TaskUnit.unit_id).where(TaskUnit.unit_id != own, TaskUnit.role == "lead"))
    store.close()
    sign_in(page, base, reporter.username, world.password)
    for path in (f"/inbox?unit={other}", f"/inbox/report?unit={other}&period={MONTH}"):
        response = page.goto(base + path)
        assert response.status == 403, path
        assert "无权访问" in page.content()
    # the form's hidden unit changed to another's: refused on the server, nothing stored
    page.goto(f"{base}/inbox/report?period={MONTH}")
    page.eval_on_selector("form#report-form input[name=unit]", f"el => el.value = '{other}'")
    page.click("form#report-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "无权" in page.content() or "只能" in page.content()


def test_clicking_a_target_highlights_its_source(server, page):
    base, world = server
    plan_id = world.plans["sample_plan.txt"]
    sign_in(page, base, "leader", world.password)
    page.goto(f"{base}/plans/{plan_id}")
    page.click(".tab[data-tab=targets], [data-tab=targets]")
    entry = page.locator("[data-target]").nth(6)
    target = entry.get_attribute("data-target")
    entry.click()
    mark = page.locator(f"#t-{target}")
    page.wait_for_function(f"document.getElementById('t-{target}').classList.contains('is-focus')")
    box = mark.bounding_box()
    assert box and 0 <= box["y"] <= page.viewport_size["height"]  # scrolled into view
    assert re.search(r"\d", mark.inner_text())  # the number as it stands in the text
    shot(page, "plan-highlighted", full_page=False)  # the highlighted target in view
    assert not page.script_errors
