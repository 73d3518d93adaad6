"""The store's core on SQLite and on PostgreSQL: migrations, the 民政部 divisions, saving plans all
or nothing with versions, and the plan hierarchy."""
import hashlib

import pytest
from sqlalchemy import func, select

from luoshi.extract import extract
from luoshi.read import read_bytes
from luoshi.store import Store
from luoshi.store.db import current_revision, head_revision, upgrade
from luoshi.store.hierarchy import child_plans, parent_plan
from luoshi.store.models import Plan, PlanVersion, Region, TargetRow
from luoshi.store.plans import find_plan, latest_versions, save_plan
from luoshi.store.regions import children, match_region
from tests.conftest import SEEDS, needs_corpus


def _save(session, text: str, name="plan.txt"):
    data = text.encode("utf-8")
    return save_plan(session, extract(read_bytes(data, name)), hashlib.sha256(data).hexdigest(), name)


PLAN = """聊城市人民政府关于印发聊城市测试行动方案（2024—2026年）的通知

聊政字〔2024〕99号

聊城市测试行动方案（2024—2026年）

一、目标

到2026年，全市建成5G基站8000个，数据中心PUE值低于1.3。（责任单位：市工业和信息化局、市大数据局）
"""


def test_migrated_to_head_and_divisions_known(db_url):
    store = Store(db_url)
    assert current_revision(store.engine) == head_revision()
    with store.session() as s:
        assert s.scalar(select(func.count()).select_from(Region)) > 3000
        liaocheng = match_region(s, "聊城市", "city")
        assert (liaocheng.code, liaocheng.parent_code) == ("371500", "370000")
        counties = [r.name for r in children(s, "371500")]
        assert len(counties) == 8 and "临清市" in counties and "东昌府区" in counties
        assert match_region(s, "山东省").level == "province"
        assert match_region(s, "市中区") is None  # several provinces have one: no guess
        # a county-level city read as a city (its 市) is still the one division of that name
        assert match_region(s, "临清市", "city").code == "371581"
        assert match_region(s, "市中区", "city") is None
    store.close()


def test_same_bytes_once_new_text_a_new_version(db_url):
    store = Store(db_url)
    with store.session() as s:
        first = _save(s, PLAN)
        s.commit()
        again = _save(s, PLAN)
        revised = _save(s, PLAN.replace("8000个", "9000个"))
        s.commit()
        assert (first.status, again.status, revised.status) == ("new", "duplicate", "version")
        assert first.plan_id == again.plan_id == revised.plan_id and revised.number == 2
        plan = s.get(Plan, first.plan_id)
        assert plan.region_code == "371500" and plan.key == "doc:聊政字(2024)99号"
        [latest] = latest_versions(s)
        assert latest.number == 2 and [float(t.value) for t in latest.targets] == [9000, 1.3]
        assert latest.targets[0].unit == "个" and latest.assignments[0].units[0].name == "市工业和信息化局"
        assert find_plan(s, "聊政字〔2024〕99号").id == plan.id
        assert find_plan(s, "测试行动").id == plan.id
    store.close()


def test_a_failing_plan_leaves_nothing_behind(db_url):
    store = Store(db_url)
    with store.session() as s:
        _save(s, PLAN)
        s.flush()
        s.rollback()  # as ingest does when anything in a plan's transaction fails
        assert s.scalar(select(func.count()).select_from(PlanVersion)) == 0
        assert s.scalar(select(func.count()).select_from(TargetRow)) == 0
    store.close()


def test_large_values_and_decimals_are_exact(db_url):
    store = Store(db_url)
    with store.session() as s:
        _save(s, "一、目标\n\n到2025年，人工智能相关产业规模突破1.2万亿元，PUE值低于1.25。\n")
        s.commit()
        values = sorted(float(v) for v in s.scalars(select(TargetRow.value)))
        assert values == [1.25, 1.2e12]
    store.close()


@needs_corpus
def test_city_plans_know_their_province_plan(db_url):
    store = Store(db_url)
    with store.session() as s:
        for path in sorted(SEEDS.glob("*.txt")):
            data = path.read_bytes()
            save_plan(s, extract(read_bytes(data, path.name)), hashlib.sha256(data).hexdigest(), path.name)
        s.commit()
        province = s.scalars(select(Plan).where(Plan.region_code == "370000")).one()
        liaocheng = s.scalars(select(Plan).where(Plan.title.like("聊城市新基建%"))).one()
        digital = s.scalars(select(Plan).where(Plan.title.like("数字聊城%"))).one()
        assert parent_plan(s, liaocheng).id == province.id  # 根据《山东省…新基建三年行动方案》
        assert parent_plan(s, digital) is None  # a different subject: no parent guessed
        assert liaocheng.id in [p.id for p in child_plans(s, province)]
    store.close()


def test_downgrade_and_upgrade_again(db_url):
    store = Store(db_url)
    upgrade_cfg_revision = current_revision(store.engine)
    from alembic import command

    from luoshi.store.db import _alembic_config

    cfg = _alembic_config(str(store.engine.url))
    with store.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "base")
    assert current_revision(store.engine) is None
    upgrade(store.engine)
    assert current_revision(store.engine) == upgrade_cfg_revision
    store.close()


def test_unreachable_database_is_a_clear_error(tmp_path):
    from luoshi.store import StoreError

    with pytest.raises(StoreError) as e:
        Store("postgresql+psycopg://nobody:secret@127.0.0.1:1/none")
    assert "无法打开数据库" in str(e.value) and "secret" not in str(e.value)


def test_migrations_match_the_models(db_url):
    """Alembic's autogenerate finds nothing to add: the tables the code expects are the tables the
    migrations make."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from luoshi.store.models import Base

    store = Store(db_url)
    with store.engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={
            "include_name": lambda name, type_, parents: not (type_ == "table" and name.startswith("plan_text_fts")),
            "compare_type": False})
        diffs = compare_metadata(ctx, Base.metadata)
    store.close()
    assert [d for d in diffs if "trgm" not in str(d)] == []
