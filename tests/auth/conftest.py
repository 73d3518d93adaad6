from tests.store.conftest import db_url, pg_admin_engine  # noqa: F401 - both backends
