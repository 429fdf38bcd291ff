"""Engine factory: file modes, SQLite pragmas, ``BEGIN IMMEDIATE`` writes, migrations.

No module-level engine: every caller (CLI command, TUI factory, test) makes its own.

Transactions follow SQLAlchemy's documented pysqlite recipe: the driver's own
implicit BEGIN is switched off and we emit ``BEGIN`` ourselves, ``BEGIN
IMMEDIATE`` for writes, so two processes doing read-modify-write queue on the
busy timeout instead of failing with "database is locked" half-way through.

``synchronous=NORMAL`` in WAL mode: a killed process never loses a committed
transaction (the WAL is already in the OS); only a power cut may lose the last
few commits, never corrupt the file. FULL would fsync on every commit for little
gain on a rep's laptop.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import event

from tuicrm.paths import to_url

# The newest migration; a test holds it equal to the Alembic script head so a
# database that is already current opens without importing Alembic.
HEAD_REVISION = "0002"
BUSY_TIMEOUT_MS = 15_000


class DatabaseError(Exception):
    """A database problem explained in one plain sentence."""


def ensure_private_file(path: Path) -> None:
    """Create the directory (0700) and the file (0600) ourselves, before SQLite does.

    Only directories we create are chmod-ed: ``--db /tmp/x.db`` must not touch /tmp.
    """
    directory = path.parent
    missing = []
    probe = directory
    while not probe.exists():
        missing.append(probe)
        probe = probe.parent
    try:
        for d in reversed(missing):
            d.mkdir(mode=0o700)
            os.chmod(d, 0o700)
        if not path.exists():
            fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
            os.close(fd)
            os.chmod(path, 0o600)
    except OSError as exc:
        raise DatabaseError(f"Cannot create the database at {path}: {exc.strerror}.") from None
    # SQLite gives -wal/-shm the mode of the main file; make sure that is private.
    for suffix in ("", "-wal", "-shm"):
        p = Path(str(path) + suffix)
        if p.exists() and (p.stat().st_mode & 0o077):
            try:
                os.chmod(p, 0o600)
            except OSError:
                pass


def _install_sqlite_recipe(engine: sa.Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):
        # Let us emit BEGIN ourselves (pysqlite would otherwise defer it).
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA journal_mode = WAL")
        cur.execute("PRAGMA synchronous = NORMAL")
        cur.execute("PRAGMA foreign_keys = ON")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        if conn.get_execution_options().get("tuicrm_write"):
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.exec_driver_sql("BEGIN")


def make_engine(target: str, *, migrate: bool = True) -> sa.Engine:
    """An engine for a path or SQLAlchemy URL, with the schema brought up to date."""
    url, path = to_url(target)
    if path is not None:
        ensure_private_file(path)
    connect_args = {"check_same_thread": False} if url.startswith("sqlite") else {}
    engine = sa.create_engine(url, connect_args=connect_args, hide_parameters=True)
    if url.startswith("sqlite"):
        _install_sqlite_recipe(engine)
    if migrate:
        try:
            upgrade(engine)
        except sa.exc.DatabaseError as exc:
            raise DatabaseError(f"{target} is not a tuicrm database, or it is damaged ({_short(exc)}).") from None
    if path is not None:
        ensure_private_file(path)
    return engine


def _short(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None) or exc
    return str(orig).splitlines()[0]


def current_revision(engine: sa.Engine) -> str | None:
    with engine.connect() as conn:
        has = conn.exec_driver_sql(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'"
        ).first()
        if not has:
            return None
        row = conn.exec_driver_sql("SELECT version_num FROM alembic_version").first()
        return row[0] if row else None


def upgrade(engine: sa.Engine) -> None:
    """Run pending migrations. Skips importing Alembic when already current (fast CLI)."""
    if current_revision(engine) == HEAD_REVISION:
        return
    from alembic import command
    from alembic.config import Config as AlembicConfig

    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    with engine.connect() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
        conn.commit()


def integrity_problems(path: Path) -> list[str]:
    """``PRAGMA integrity_check`` and ``foreign_key_check`` as plain sentences (empty: all good)."""
    problems: list[str] = []
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        rows = [r[0] for r in conn.execute("PRAGMA integrity_check")]
        if rows != ["ok"]:
            problems.extend(f"SQLite integrity check: {r}" for r in rows)
        for table, rowid, parent, _fk in conn.execute("PRAGMA foreign_key_check"):
            problems.append(f"{table} row {rowid} points to a missing {parent} row.")
    finally:
        conn.close()
    return problems


def backup_to(engine_path: Path, dest: Path) -> None:
    """Copy the database with SQLite's online backup API (safe while another process writes)."""
    ensure_private_file(dest)
    src = sqlite3.connect(str(engine_path))
    dst = sqlite3.connect(str(dest))
    try:
        with dst:
            src.backup(dst)
    finally:
        src.close()
        dst.close()
    os.chmod(dest, 0o600)
