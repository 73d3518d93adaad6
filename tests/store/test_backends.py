"""The `db_url` fixture gives a working, empty database on every backend."""
from __future__ import annotations

from decimal import Decimal

import pytest
import sqlalchemy as sa


# SQLite has no decimal type: SQLAlchemy stores Numeric as REAL there and warns about it.
@pytest.mark.filterwarnings("ignore:Dialect sqlite\\+pysqlite does \\*not\\* support Decimal")
def test_numeric_round_trip(db_url):
    engine = sa.create_engine(db_url)
    try:
        meta = sa.MetaData()
        t = sa.Table(
            "amounts",
            meta,
            sa.Column("id", sa.Integer, primary_key=True),
            sa.Column("value", sa.Numeric(20, 6), nullable=False),
        )
        meta.create_all(engine)
        with engine.begin() as conn:
            conn.execute(t.insert(), [{"id": 1, "value": Decimal("1.25")}])
        with engine.connect() as conn:
            value = conn.execute(sa.select(t.c.value).where(t.c.id == 1)).scalar_one()
            assert isinstance(value, Decimal)
            assert value == Decimal("1.25")
            if engine.dialect.name == "postgresql":
                version = conn.execute(sa.text("SHOW server_version")).scalar_one()
                assert version and version[0].isdigit()
                # The table went into this test's own schema, not public.
                schema = conn.execute(sa.text("SELECT current_schema()")).scalar_one()
                assert schema.startswith("t_")
                where = conn.execute(
                    sa.text("SELECT table_schema FROM information_schema.tables WHERE table_name = 'amounts'")
                ).scalars().all()
                assert where == [schema]
    finally:
        engine.dispose()


def test_each_test_starts_empty(db_url):
    """Nothing is left over from the other tests (same table name as above)."""
    engine = sa.create_engine(db_url)
    try:
        assert "amounts" not in sa.inspect(engine).get_table_names()
    finally:
        engine.dispose()
