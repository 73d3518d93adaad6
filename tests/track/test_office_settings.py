"""The office's stored rules (office_settings.py) are the ones every way in applies: a report's
timeliness and lock, progress lights, the timeliness listing. Both backends for the core."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from luoshi.cli import app
from luoshi.store.settings_models import OfficeSetting
from luoshi.track.office_settings import SettingInvalid, current, dispatch_settings, set_setting
from luoshi.track.office_timeliness import office_timeliness
from luoshi.track.progress import progress
from luoshi.track.reports import ReportLocked, submit
from tests.track.report_data import build

@pytest.fixture
def world(db_url):
    return build(db_url)


def _march(world):
    return [{"target_id": world.stock, "month_value": 500, "cumulative": 6500},
            {"target_id": world.new, "month_value": 300, "cumulative": 800}]


def test_defaults_changes_and_history(world):
    store = world.store()
    with store.session() as s:
        assert current(s)["due_day"] == 10 and dispatch_settings(s).rules.yellow_behind == 10
        set_setting(s, "due_day", "5", changed_by="调度办")
        set_setting(s, "due_day", 6)
        s.commit()
        assert dispatch_settings(s).due_day == 6
        assert s.scalar(select(func.count()).select_from(OfficeSetting)) == 2  # the first change is kept
        for key, value, words in (("due", 5, "没有设置项"), ("due_day", "x", "应为整数"), ("due_day", 40, "1 到 31"),
                                  ("yellow_behind", 35, "不大于红灯阈值")):
            with pytest.raises(SettingInvalid, match=words):
                set_setting(s, key, value)
        assert s.scalar(select(func.count()).select_from(OfficeSetting)) == 2
    store.close()


def test_every_way_in_applies_the_stored_rules(world, catalog):
    store = world.store()
    with store.session() as s:
        set_setting(s, "due_day", 5)
        set_setting(s, "lock_after_days", 2)
        s.commit()
        # March's report is now due on 5 April and locked after 7 April.
        sub = submit(s, unit="市发展和改革委员会", period="2024-03", source="api", as_of=date(2024, 4, 6),
                     lines=[{"target_id": world.other, "cumulative": 1}])
        assert sub.timeliness == "late"
        with pytest.raises(ReportLocked):
            submit(s, unit="市工信局", period="2024-03", lines=_march(world), source="api", as_of=date(2024, 4, 8))
        t = office_timeliness(s, start="2024-03", end="2024-03", as_of=date(2024, 4, 9))
        assert [(r.unit, r.days) for r in t.late] == [("市发展和改革委员会", 1)]
        assert [(r.unit, r.days) for r in t.missing] == [("市工业和信息化局", 4)]
        # 5G基站总数 ≥ 12000 by 2026 from 6000 at the end of 2023: 6100 in June is 100 / 6000 = 1.67 %
        # done against 6/36 = 16.67 % elapsed, 15 behind: yellow by default, green once the office
        # sets yellow at 20 points.
        submit(s, unit="市工信局", period="2024-06", source="api", as_of=date(2024, 7, 1), lines=[
            {"target_id": world.stock, "cumulative": 6100, "delay_reason": "选址受阻", "next_steps": "协调共享站址"}])
        before = {p.target_id: p for p in progress(s, as_of="2024-06", catalog=catalog)}[world.stock]
        set_setting(s, "yellow_behind", 20)
        s.commit()
        after = {p.target_id: p for p in progress(s, as_of="2024-06", catalog=catalog)}[world.stock]
    store.close()
    assert (before.light.value, after.light.value) == ("yellow", "green")


def test_cli_lists_and_sets(tmp_path):
    world = build(f"sqlite:///{tmp_path}/l.db")
    runner = CliRunner()
    r = runner.invoke(app, ["settings", "set", "due_day", "5", "--by", "调度办", "--db", world.url])
    assert r.exit_code == 0 and "月报截止日（次月几日）：5" in r.output
    r = runner.invoke(app, ["settings", "--db", world.url, "--format", "json"])
    assert r.exit_code == 0 and '"value": 5' in r.output and '"changed_by": "调度办"' in r.output
    r = runner.invoke(app, ["settings", "set", "red_behind", "5", "--db", world.url])
    assert r.exit_code == 2 and "红灯阈值" in r.output
    r = runner.invoke(app, ["timeliness", "--from", "2024-03", "--to", "2024-03", "--as-of", "2024-04-07",
                            "--db", world.url], env={"COLUMNS": "200"})
    assert r.exit_code == 0 and "次月 5 日前报送" in r.stdout
