"""/api/docs works without the Internet: every script and style it loads comes from this server,
and its policy allows no other origin and no inline script."""
from __future__ import annotations

import re


def test_the_docs_page_loads_only_from_this_server(api):
    r = api.client.get("/api/docs")
    assert r.status_code == 200 and "swagger-ui" in r.text
    csp = r.headers["content-security-policy"]
    assert "http" not in csp and "script-src 'self';" in csp
    assert "<script>" not in r.text  # no inline script: the start-up is a file
    for src in re.findall(r'(?:src|href)="([^"]+)"', r.text):
        assert src.startswith("/api/docs/"), src
        got = api.client.get(src)
        assert got.status_code == 200 and len(got.content) > 100, src
    assert api.client.get("/api/openapi.json").json()["info"]["title"] == "落实 luoshi"
