"""No endpoint answers 500 for any input: schemathesis generates requests from the OpenAPI
description (valid and invalid paths, queries, bodies) and sends them as the office and as a
unit's reporter. Signing out is left out, since it would end the token the run uses."""
from __future__ import annotations

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings

from luoshi.web.app import create_app
from tests.track.report_data import build
from tests.web.conftest import add_accounts, web_settings

EXAMPLES = 25  # per operation and role; `bench/` is the place for long runs


@pytest.mark.slow
def test_no_request_makes_a_server_error(tmp_path):
    url = f"sqlite:///{tmp_path}/l.db"
    world = build(url)
    tokens = add_accounts(url, world)
    app = create_app(web_settings(url))
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", app)
    errors, calls = [], 0
    for who in ("coordinator", "reporter"):
        for result in schema.get_all_operations():
            op = result.ok()
            if op.path == "/api/session" and op.method.upper() == "DELETE":
                continue

            @given(case=op.as_strategy())
            @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
            def run(case):
                nonlocal calls
                r = case.call(headers={"Authorization": f"Bearer {tokens[who]}"})
                calls += 1
                if r.status_code >= 500:
                    errors.append((who, case.as_curl_command(), r.status_code, r.text[:200]))

            run()
    assert calls > 500 and not errors, errors[:5]
    # The token still works at the end: the run exercised the endpoints, not the sign-in wall.
    with TestClient(app) as client:
        assert client.get("/api/me", headers={"Authorization": f"Bearer {tokens['reporter']}"}).status_code == 200
