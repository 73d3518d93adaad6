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

# The audit log is append-only in the database too (migration 0007): no UPDATE ever, no TRUNCATE;
# a DELETE only of a row that a purge written down in audit_purges covers and that is older than
# 180 days, which is exactly what `audit.purge` does. audit_purges itself is never changed.
AUDIT_APPEND_ONLY = "审计记录只能追加，不能修改或删除"
PG_AUDIT_FUNCTIONS = [
    "CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    f"RAISE EXCEPTION '{AUDIT_APPEND_ONLY}（%）', TG_OP USING ERRCODE = 'insufficient_privilege'; END $$",
    "CREATE FUNCTION audit_log_guard() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    "IF TG_OP = 'DELETE' AND OLD.id <= (SELECT coalesce(max(through_id), 0) FROM audit_purges) "
    "AND OLD.at < now() - interval '180 days' THEN RETURN OLD; END IF; "
    f"RAISE EXCEPTION '{AUDIT_APPEND_ONLY}（%）', TG_OP USING ERRCODE = 'insufficient_privilege'; END $$",
]
# EXECUTE PROCEDURE, not FUNCTION: the spelling openGauss and KingbaseES also accept.
PG_AUDIT_TRIGGERS = [
    "CREATE TRIGGER audit_log_guard BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE PROCEDURE audit_log_guard()",
    "CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log EXECUTE PROCEDURE audit_append_only()",
    "CREATE TRIGGER audit_purges_guard BEFORE UPDATE OR DELETE ON audit_purges FOR EACH ROW "
    "EXECUTE PROCEDURE audit_append_only()",
    "CREATE TRIGGER audit_purges_no_truncate BEFORE TRUNCATE ON audit_purges EXECUTE PROCEDURE audit_append_only()",
]
PG_AUDIT_DROP = ["DROP FUNCTION IF EXISTS audit_log_guard() CASCADE", "DROP FUNCTION IF EXISTS audit_append_only() CASCADE"]
# SQLite keeps times as 'YYYY-MM-DD HH:MM:SS.ffffff' in UTC, which compare as text with datetime('now').
SQLITE_AUDIT_TRIGGERS = [
    f"CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, '{AUDIT_APPEND_ONLY}'); END",
    "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log "
    "WHEN OLD.id > (SELECT coalesce(max(through_id), 0) FROM audit_purges) OR OLD.at >= datetime('now', '-180 days') "
    f"BEGIN SELECT RAISE(ABORT, '{AUDIT_APPEND_ONLY}'); END",
    f"CREATE TRIGGER audit_purges_no_update BEFORE UPDATE ON audit_purges BEGIN SELECT RAISE(ABORT, '{AUDIT_APPEND_ONLY}'); END",
    f"CREATE TRIGGER audit_purges_no_delete BEFORE DELETE ON audit_purges BEGIN SELECT RAISE(ABORT, '{AUDIT_APPEND_ONLY}'); END",
]
SQLITE_AUDIT_DROP = [f"DROP TRIGGER IF EXISTS {name}" for name in (
    "audit_log_no_update", "audit_log_no_delete", "audit_purges_no_update", "audit_purges_no_delete")]
# One audit writer at a time, so the chain's tip it reads stays the tip until it commits:
# PostgreSQL, a lock held to the end of the transaction; SQLite, its write lock taken at once.
PG_AUDIT_LOCK = "SELECT pg_advisory_xact_lock(:key)"
AUDIT_LOCK_KEY = 0x6C756F736869  # "luoshi"
SQLITE_BEGIN_WRITE = "BEGIN IMMEDIATE"
