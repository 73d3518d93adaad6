"""Every raw SQL statement luoshi runs, per dialect, in one place. The rest goes through
SQLAlchemy's expression language."""
from __future__ import annotations

# Full-text search over plan texts without word segmentation: trigrams.
SQLITE_FTS_CREATE = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS plan_text_fts USING fts5(text, tokenize = 'trigram')"
)
SQLITE_FTS_DROP = "DROP TABLE IF EXISTS plan_text_fts"
SQLITE_FTS_INSERT = "INSERT INTO plan_text_fts (rowid, text) VALUES (:id, :text)"
SQLITE_FTS_DELETE = "DELETE FROM plan_text_fts WHERE rowid = :id"
# Trigram MATCH needs three characters or more; shorter queries fall back to LIKE.
SQLITE_FTS_SEARCH = "SELECT rowid FROM plan_text_fts WHERE plan_text_fts MATCH :q"

PG_TRGM_EXTENSION = "CREATE EXTENSION IF NOT EXISTS pg_trgm"
PG_TRGM_INDEX = "CREATE INDEX IF NOT EXISTS ix_plan_versions_text_trgm ON plan_versions USING gin (text gin_trgm_ops)"
PG_TRGM_INDEX_DROP = "DROP INDEX IF EXISTS ix_plan_versions_text_trgm"


def fts_phrase(query: str) -> str:
    """A user's words as one FTS5 phrase (double quotes doubled), so no operator syntax leaks in."""
    return '"' + query.replace('"', '""') + '"'

REGIONS_DELETE = "DELETE FROM regions"
