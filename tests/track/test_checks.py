"""`luoshi check` and `luoshi link` on the five shared plans: the issue's bar, the commands, and
linking again after the office edits the catalog."""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import replace

from sqlalchemy import func, select
from typer.testing import CliRunner

from luoshi.cli import app
from luoshi.store import Store
from luoshi.store.models import TargetRow
from luoshi.track.catalog import Catalog, relink
from tests.track.helpers import assert_reviewable, checked, store_seeds

runner = CliRunner()


def test_the_five_shared_plans(db_url, catalog):
    store_seeds(db_url, catalog)
    findings, rows = checked(db_url, catalog)
    by_kind = {}
    for f in findings:
        by_kind.setdefault(f.kind, []).append(f)

    looser = [f for f in by_kind.get("standard_looser", []) if "新建数据中心PUE值不高于1.3" in f.message]
    assert len(looser) == 1, [f.message for f in findings]
    city, province = looser[0].citations
    assert city.region == "聊城市" and "新建数据中心PUE值原则上不高于1.3" in city.quote
    assert province.region == "山东省" and "PUE 值低于 1.25" in province.quote and "1.25" in looser[0].message
    assert looser[0].severity == "warning"

    odd = [f for f in by_kind.get("implausible_value", []) if f.citations[0].region == "菏泽市"]
    assert len(odd) == 1 and "PUE值低于125" in odd[0].citations[0].quote and "1.25" in odd[0].message
    # An implausible standard is no evidence that 菏泽's standard is looser than Shandong's.
    assert not any(c.region == "菏泽市" for f in by_kind.get("standard_looser", []) for c in f.citations)

    series = [f for f in by_kind.get("series", []) if "5G基站" in f.message]
    assert len(series) == 1 and series[0].severity == "info"
    assert "2022年6000个" in series[0].message and "2023年1万个" in series[0].message
    assert {c.region for c in series[0].citations} == {"聊城市"} and len({c.plan_id for c in series[0].citations}) == 2
    # Equal thresholds (上架率高于65%) and one plan's repeated targets are no findings.
    assert not by_kind.get("plans_disagree") and not by_kind.get("sum_of_children")
    assert not any("上架率" in f.message for f in findings)
    assert_reviewable(findings, rows, catalog)


def test_check_and_link_commands(tmp_path, catalog):
    url = f"sqlite:///{tmp_path}/seeds.db"
    store_seeds(url, catalog)
    table = runner.invoke(app, ["check", "--db", url])
    assert table.exit_code == 0, table.output
    assert "宽于山东省" in table.stdout and "疑为1.25之误" in table.stdout and "警告" in table.stdout
    data = json.loads(runner.invoke(app, ["check", "--db", url, "-f", "json"]).stdout)
    assert {"kind", "severity", "message", "citations"} <= set(data[0])
    assert {"plan_id", "version_id", "title", "region", "span", "quote"} <= set(data[0]["citations"][0])
    csv_out = runner.invoke(app, ["check", "--db", url, "-f", "csv"]).stdout
    assert csv_out.splitlines()[0] == "级别,类型,说明,出处"

    linked = runner.invoke(app, ["link", "--db", url])
    assert linked.exit_code == 0, linked.output
    assert "精确对应" in linked.stdout and "待确认" in linked.stdout
    counts = json.loads(runner.invoke(app, ["link", "--db", url, "-f", "json"]).stdout)
    assert counts["counts"]["exact"] > 50 and all(p["key"] for p in counts["proposed"])

    bad = tmp_path / "catalog.toml"
    bad.write_text("[[indicator]]\nkey = \"x\"\n", encoding="utf-8")
    r = runner.invoke(app, ["check", "--db", url], env={"LUOSHI_CATALOG": str(bad)})
    assert r.exit_code == 2 and "错误：指标目录" in r.stderr and "name" in r.stderr


def test_relink_after_the_office_adds_an_alias(tmp_path, catalog):
    url = f"sqlite:///{tmp_path}/seeds.db"
    store_seeds(url, catalog)
    store = Store(url)
    try:
        with store.session() as s:
            stored = Counter(dict(s.execute(select(TargetRow.link_status, func.count())
                                            .group_by(TargetRow.link_status)).all()))
            before = relink(s, catalog)
            assert before == stored  # save_plan's linker stored the same links
            assert before == relink(s, catalog) and before["proposed"] >= 1
            clusters = catalog.get("dc_clusters")
            office = Catalog([replace(i, aliases=i.aliases + ("省级数据中心集聚区",)) if i is clusters else i
                              for i in catalog.indicators])
            after = relink(s, office)
            s.commit()
            assert after["exact"] == before["exact"] + 1 and after["proposed"] == before["proposed"] - 1
            row = s.scalars(select(TargetRow).where(TargetRow.indicator == "省级数据中心集聚区")).one()
            assert (row.indicator_key, row.link_status, row.link_score) == ("dc_clusters", "exact", 1.0)
            assert sum(after.values()) == s.scalar(select(func.count()).select_from(TargetRow))
    finally:
        store.close()
