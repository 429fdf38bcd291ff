"""The schema revision this code expects (Alembic's head): read by ``tuicrm.db`` and by the lean
connection (``tuicrm.query.connect``) without importing SQLAlchemy."""

HEAD_REVISION = "0013"
