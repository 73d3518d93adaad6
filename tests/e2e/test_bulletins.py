"""The bulletin journey in a real browser over the demo: the office generates a new version of
聊城市's bulletin through the form and publishes it; the public, not signed in, then finds it and
reads it. The reading copy runs under its own Content-Security-Policy (its style block allowed by
hash): any violation shows as a console error and fails the test. Screenshots land in
test-artifacts/e2e/."""
from __future__ import annotations

import re

from tests.e2e.conftest import shot
from tests.e2e.test_journeys import sign_in

ISSUER = "聊城市数字经济发展工作专班办公室"


def test_the_office_generates_and_publishes_and_the_public_reads_it(server, page, browser):
    base, world = server
    sign_in(page, base, "office", world.password)
    page.goto(f"{base}/bulletins")
    form = page.locator("#generate form")
    assert form.locator("select[name=period] option[selected]").get_attribute("value") == "2026Q3"
    form.locator("input[name=issuer]").fill(ISSUER)
    form.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r"/bulletins/\d+\?done=generated"), timeout=90000)
    bulletin_id = int(re.search(r"/bulletins/(\d+)", page.url).group(1))
    frame = page.frame_locator("iframe")
    frame.locator("text=" + ISSUER).first.wait_for()
    assert frame.locator("h1.title").inner_text().replace("\n", "").startswith("关于2026年第三季度聊城市")
    shot(page, "bulletin-draft")

    page.on("dialog", lambda d: d.accept())  # 发布 asks for confirmation
    page.locator(f"form[action='/bulletins/{bulletin_id}/publish'] button").click()
    page.wait_for_url(re.compile(rf"/bulletins/{bulletin_id}\?done=published"))
    assert not page.script_errors

    public = browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN").new_page()
    errors: list[str] = []
    public.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    public.goto(f"{base}/bulletins")
    link = public.locator(f"a[href='/bulletins/{bulletin_id}']").first
    assert link.is_visible()
    link.click()
    public.wait_for_url(re.compile(rf"/bulletins/{bulletin_id}$"))
    public.frame_locator("iframe").locator("text=" + ISSUER).first.wait_for()
    # A figure in the text leads to its row in the annex of sources.
    fig = public.frame_locator("iframe").locator("a.fig").first
    key = fig.get_attribute("href")
    fig.click()
    assert public.frame_locator("iframe").locator(f"tr{key}").is_visible()
    shot(public, "bulletin-public")
    assert not errors, errors
    public.context.close()
