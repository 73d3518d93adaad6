"""Full-text search over plan texts, and the official administrative divisions.

Revision ID: 0002
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op

from luoshi.store import sql
from luoshi.store.regions import division_rows

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        op.execute(sql.SQLITE_FTS_CREATE)
    elif bind.dialect.name == "postgresql":
        # Without pg_trgm (some openGauss builds, or no right to create extensions) search still
        # works, by a scan; the rest of the migration must not be lost with it.
        savepoint = bind.begin_nested()
        try:
            op.execute(sql.PG_TRGM_EXTENSION)
            op.execute(sql.PG_TRGM_INDEX)
            savepoint.commit()
        except sa.exc.DBAPIError:
            savepoint.rollback()
    regions = sa.table("regions", sa.column("code"), sa.column("name"), sa.column("level"), sa.column("parent_code"))
    op.bulk_insert(regions, division_rows())


def downgrade() -> None:
    bind = op.get_bind()
    op.execute(sql.REGIONS_DELETE)
    if bind.dialect.name == "sqlite":
        op.execute(sql.SQLITE_FTS_DROP)
    elif bind.dialect.name == "postgresql":
        op.execute(sql.PG_TRGM_INDEX_DROP)
