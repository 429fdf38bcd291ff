"""Engine factory: file modes, SQLite pragmas, ``BEGIN IMMEDIATE`` writes, migrations.

No module-level engine: every caller (CLI command, TUI factory, test) makes its own.

Transactions follow SQLAlchemy's documented pysqlite recipe: the driver's own
implicit BEGIN is switched off and we emit ``BEGIN`` ourselves, ``BEGIN
IMMEDIATE`` for writes, so two processes doing read-modify-write queue on the
busy timeout instead of failing with "database is locked" half-way through.

``synchronous=FULL`` in WAL mode: every commit is fsynced to the -wal before
``commit()`` returns, so a write the rep saw acknowledged survives a killed
process *and* a power cut or kernel crash. NORMAL is equally safe against a
killed process and never corrupts the file, but may roll back the last commits
on power loss. The cost of FULL is one fsync per commit (about 0.2 ms per commit
on the 2-core dev VM; a few ms on a slow disk): invisible at a rep's pace, and
bulk work (import, demo) is one transaction. See docs/safety.md.
"""

from __future__ import annotations

import logging
import os
import re
import shlex
import sqlite3
import urllib.parse
from pathlib import Path
from typing import cast

import sqlalchemy as sa
from sqlalchemy import event

from tuicrm.paths import to_url

# The newest migration (in tuicrm.query.revision, so the lean connection reads it without
# SQLAlchemy); a test holds it equal to the Alembic script head so a database that is already
# current opens without importing Alembic.
from tuicrm.query.revision import HEAD_REVISION

BUSY_TIMEOUT_MS = 15_000
SYNCHRONOUS = "FULL"  # see the module docstring and docs/safety.md


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


class _NoRowValues(logging.Filter):
    """Drop SQLAlchemy's DEBUG "Row (...)" lines: rows hold phones, emails and notes.

    ``hide_parameters=True`` keeps values out of error messages and statement logs; fetched rows are
    logged separately (only if someone turns the ``sqlalchemy.engine`` logger up to DEBUG), so a
    filter on that logger removes them too. Statements and timings are still logged.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        return not (isinstance(record.msg, str) and record.msg.startswith("Row "))


def _keep_values_out_of_logs() -> None:
    logger = logging.getLogger("sqlalchemy.engine.Engine")
    if not any(isinstance(f, _NoRowValues) for f in logger.filters):
        logger.addFilter(_NoRowValues())


def _install_sqlite_recipe(engine: sa.Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: object) -> None:
        # Let us emit BEGIN ourselves (pysqlite would otherwise defer it).
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA journal_mode = WAL")
        cur.execute(f"PRAGMA synchronous = {SYNCHRONOUS}")
        cur.execute("PRAGMA foreign_keys = ON")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: sa.Connection) -> None:
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
    _keep_values_out_of_logs()
    engine = sa.create_engine(url, connect_args=connect_args, hide_parameters=True)
    if url.startswith("sqlite"):
        _install_sqlite_recipe(engine)
    if migrate:
        try:
            upgrade(engine)
        except sa.exc.DatabaseError as exc:
            raise DatabaseError(
                f"{target} is not a tuicrm database, or it is damaged ({_short(exc)})."
            ) from None
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


# The schema the migrations build, as one script: a brand-new database gets it in one
# transaction instead of importing Alembic and replaying every migration (0.4 s of each
# first start, demo and import into a new file). A test holds it equal to what the
# migrations build; regenerate it with ``python -m tuicrm.db`` after adding a migration.
HEAD_SCHEMA = Path(__file__).parent / "migrations" / "head_schema.sql"


def schema_script(conn: sqlite3.Connection) -> str:
    """The statements that rebuild ``conn``'s schema (at its Alembic revision) in a new file,
    in the order they were made. Tables a virtual table keeps for itself are left to it."""
    entries = conn.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY rowid"
    ).fetchall()
    virtual = [name for _type, name, sql in entries if sql.upper().startswith("CREATE VIRTUAL TABLE")]
    lines = []
    for kind, name, sql in entries:
        if (
            kind == "table"
            and not sql.upper().startswith("CREATE VIRTUAL TABLE")
            and any(name.startswith(v + "_") for v in virtual)
        ):
            continue  # an FTS5 shadow table: CREATE VIRTUAL TABLE makes it
        lines.append(sql.strip() + ";")
    (revision,) = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    lines.append(f"INSERT INTO alembic_version (version_num) VALUES ('{revision}');")
    return "\n".join(lines) + "\n"


def _create_from_snapshot(engine: sa.Engine) -> bool:
    """Build the head schema in an empty database file in one transaction. False (nothing
    done) when the file is not empty: another process got there first, or it is not new."""
    if not HEAD_SCHEMA.exists():
        return False
    raw = engine.raw_connection()
    try:
        db = cast(sqlite3.Connection, raw.driver_connection)  # the SQLite dialect: pysqlite
        if db.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()[0]:
            return False
        try:
            db.executescript("BEGIN IMMEDIATE;\n" + HEAD_SCHEMA.read_text(encoding="utf-8") + "COMMIT;\n")
        except sqlite3.OperationalError:
            if db.in_transaction:
                db.rollback()
            return False  # a racing first start made it; the migrations path checks again
        return True
    finally:
        raw.close()


def upgrade(engine: sa.Engine) -> None:
    """Run pending migrations. Skips importing Alembic when already current (fast CLI)."""
    revision = current_revision(engine)
    if revision == HEAD_REVISION:
        return
    if revision is None and engine.url.get_backend_name() == "sqlite" and _create_from_snapshot(engine):
        return
    upgrade_with_migrations(engine)


def upgrade_with_migrations(engine: sa.Engine) -> None:
    """Run Alembic's migrations up to head (whatever the file holds)."""
    from alembic import command
    from alembic.config import Config as AlembicConfig

    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    with engine.connect() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
        conn.commit()


_INDEX_MSG = re.compile(
    r"(?:row \d+ missing from|wrong # of entries in|entry \d+ is out of order in|"
    r"non-unique entry in) index (\S+)"
)
_NULL_MSG = re.compile(r"NULL value in (\S+)")
_CHECK_MSG = re.compile(r"CHECK constraint failed in (\S+)")
_RESCUE = "sqlite3 {path} .recover | sqlite3 rescued.db"


def explain_problems(messages: list[str], path: Path | str = "crm.db") -> list[str]:
    """SQLite integrity messages as a few plain sentences, each saying what to do.

    One damaged page or one stale index produces hundreds of lines; they are grouped.
    """
    path = shlex.quote(str(path))
    lines = [ln.strip() for m in messages for ln in str(m).splitlines() if ln.strip() and ln.strip() != "ok"]
    lines = [ln for ln in lines if ln != "*** in database main ***"]
    indexes: dict[str, int] = {}
    columns: dict[str, int] = {}
    checks: dict[str, int] = {}
    structure: list[str] = []
    for ln in lines:
        if m := _INDEX_MSG.search(ln):
            indexes[m.group(1)] = indexes.get(m.group(1), 0) + 1
        elif m := _NULL_MSG.search(ln):
            columns[m.group(1)] = columns.get(m.group(1), 0) + 1
        elif m := _CHECK_MSG.search(ln):
            checks[m.group(1)] = checks.get(m.group(1), 0) + 1
        else:
            structure.append(ln)
    out = []
    for name in indexes:
        out.append(
            f"The index {name} is out of step with its table; the rows themselves are intact. "
            f"Repair it with: sqlite3 {path} 'REINDEX {name};'"
        )
    for name, n in columns.items():
        out.append(
            f"{n} row(s) have no value in the required field {name}. "
            "Restore the latest backup, or fill the field in by hand."
        )
    for name, n in checks.items():
        out.append(
            f"{n} row(s) in {name} break one of the table's rules. "
            "Restore the latest backup, or correct them by hand."
        )
    if structure:
        more = f" and {len(structure) - 1} more" if len(structure) > 1 else ""
        out.append(
            f"The database file is damaged ({structure[0]}{more}). Restore the latest backup "
            f"(tuicrm backup makes them), or rescue what is readable with: " + _RESCUE.format(path=path)
        )
    return out


def _check(conn: sqlite3.Connection, pragma: str, path: Path | str) -> list[str]:
    def damaged(exc: sqlite3.Error) -> str:
        return (
            f"The database file is damaged: SQLite cannot read it to the end ({exc}). Restore the latest "
            "backup, or rescue what is readable with: " + _RESCUE.format(path=shlex.quote(str(path)))
        )

    try:
        problems = explain_problems([r[0] for r in conn.execute(f"PRAGMA {pragma}")], path)
    except sqlite3.DatabaseError as exc:  # "database disk image is malformed" and friends
        return [damaged(exc)]
    try:
        for table, rowid, parent, _fk in conn.execute("PRAGMA foreign_key_check"):
            problems.append(f"{table} row {rowid} points to a {parent} row that does not exist.")
    except sqlite3.DatabaseError as exc:
        if not problems:
            problems.append(damaged(exc))
    return problems


def _file_uri(path: Path | str, mode: str) -> str:
    """A ``file:`` URI for sqlite3 (``?`` or ``#`` in a path would otherwise cut it short)."""
    return f"file:{urllib.parse.quote(str(Path(path).absolute()))}?mode={mode}"


def integrity_problems(path: Path) -> list[str]:
    """``PRAGMA integrity_check`` and ``foreign_key_check`` as plain sentences (empty: all good).

    The full check reads every page and cross-checks every index: seconds on a 100 000-customer
    database, so it runs on request (``tuicrm check``), never on open.
    """
    try:
        conn = sqlite3.connect(_file_uri(path, "ro"), uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    except sqlite3.Error as exc:
        return [f"Cannot open {path}: {exc}."]
    try:
        return _check(conn, "integrity_check", path)
    finally:
        conn.close()


def quick_check(engine: sa.Engine) -> list[str]:
    """``PRAGMA quick_check`` and ``foreign_key_check`` as plain sentences (empty: all good).

    Cheaper than ``integrity_problems`` (no index cross-check) but it still reads the whole file:
    about 0.7-1.4 s on a 100 000-customer database. The TUI calls it from a background worker after
    the first screen is up; the CLI never runs it implicitly (``tuicrm due`` must stay instant).
    Runs in a read transaction: writers in other processes are never blocked (WAL).
    """
    if engine.dialect.name != "sqlite":
        return []
    path = engine.url.database or ":memory:"
    with engine.connect() as conn:
        dbapi = cast(sqlite3.Connection, conn.connection.dbapi_connection)  # the SQLite dialect
        try:
            return _check(dbapi, "quick_check", path)
        finally:
            conn.rollback()


def backup_to(engine_path: Path, dest: Path) -> None:
    """Copy the database with SQLite's online backup API (safe while another process writes).

    The copy is written to a private temporary file next to ``dest`` and renamed over it only
    when complete, so an interrupted backup never replaces a good one with half a file.
    """
    engine_path, dest = Path(engine_path), Path(dest)
    if dest.exists() and engine_path.exists() and os.path.samefile(engine_path, dest):
        raise ValueError(f"{dest} is the database itself")
    partial = dest.with_name(f".{dest.name}.partial-{os.getpid()}")
    ensure_private_file(partial)
    try:
        # mode=rw: a missing source is an error, never a new empty database backed up over a good copy.
        src = sqlite3.connect(_file_uri(engine_path, "rw"), uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            dst = sqlite3.connect(str(partial))
            try:
                src.backup(dst)
                # A backup at rest is one self-contained file: rollback-journal mode, so opening it
                # (tuicrm check, a read-only look) leaves no -wal/-shm beside it. Opened as the
                # live database again, it switches back to WAL.
                dst.execute("PRAGMA journal_mode = DELETE")
                dst.commit()
            finally:
                dst.close()
        finally:
            src.close()
        os.chmod(partial, 0o600)
        os.replace(partial, dest)
    except BaseException:
        for leftover in (partial, Path(f"{partial}-journal"), Path(f"{partial}-wal"), Path(f"{partial}-shm")):
            try:
                leftover.unlink()
            except FileNotFoundError:
                pass
        raise


if __name__ == "__main__":  # python -m tuicrm.db: write HEAD_SCHEMA from the migrations
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        engine = sa.create_engine(f"sqlite:///{tmp}/schema.db")
        _install_sqlite_recipe(engine)
        upgrade_with_migrations(engine)
        engine.dispose()
        with sqlite3.connect(f"{tmp}/schema.db") as conn:
            HEAD_SCHEMA.write_text(schema_script(conn), encoding="utf-8")
    print(f"wrote {HEAD_SCHEMA}")
