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

import errno
import logging
import os
import re
import shlex
import sqlite3
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import cast

import sqlalchemy as sa
from sqlalchemy import event

from tuicrm import safefiles
from tuicrm.i18n import _

# The newest migration (in tuicrm.query.revision, so the lean connection reads it without
# SQLAlchemy); a test holds it equal to the Alembic script head so a database that is already
# current opens without importing Alembic.
from tuicrm.query.revision import HEAD_REVISION

BUSY_TIMEOUT_MS = 15_000
SYNCHRONOUS = "FULL"  # see the module docstring and docs/safety.md


class DatabaseError(Exception):
    """A database problem explained in one plain sentence."""


def ensure_private_file(path: Path) -> None:
    """Create the missing directories (0700) and the file (0600) ourselves, before SQLite does.

    Only directories we create are chmod-ed: ``--db /tmp/x.db`` must not touch /tmp. The file is
    created exclusively (``O_EXCL | O_NOFOLLOW``): a name that appeared meanwhile (a symlink
    planted by someone else) is refused, never followed. Existing files are only tightened by
    ``safefiles.tighten`` (regular files we own).
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
        if not os.path.lexists(path):
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY | os.O_NOFOLLOW, 0o600)
            try:
                os.fchmod(fd, 0o600)
            finally:
                os.close(fd)
    except FileExistsError:
        pass  # another first start made it: opened (and checked) like any existing file
    except OSError as exc:
        raise DatabaseError(
            _("Cannot create the database at {path}: {error}.").format(path=path, error=exc.strerror)
        ) from None
    safefiles.tighten(path)


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


@dataclass(frozen=True)
class Target:
    """Where the database is: a SQLAlchemy URL, the file behind it (None: not a file), read-only?"""

    url: str
    path: Path | None
    read_only: bool = False


def parse_target(target: str) -> Target:
    """A path, or a SQLAlchemy URL (``sqlite:///rel.db``, ``sqlite:////abs.db``, ``?mode=ro``).

    The query of a ``sqlite:`` URL is never part of the file name: ``sqlite:///x.db?mode=ro``
    opens ``x.db`` read-only (it never creates a file named ``x.db?mode=ro``).
    """
    if "://" not in target:
        path = Path(target).expanduser()
        return Target(f"sqlite:///{path}", path)
    if not target.startswith("sqlite:///") or target.startswith("sqlite:///:memory:"):
        return Target(target, None)
    rest, _q, query = target[len("sqlite:///") :].partition("?")
    if rest.startswith("file:"):
        rest = rest[len("file:") :]
    if not rest:
        return Target(target, None)
    params = urllib.parse.parse_qs(query)
    unknown = sorted(set(params) - {"mode", "uri", "timeout", "check_same_thread", "cache"})
    if unknown:
        raise DatabaseError(
            _(
                "the database URL has options tuicrm does not know ({names}); use sqlite:///PATH or add ?mode=ro."
            ).format(names=", ".join(unknown))
        )
    mode = (params.get("mode") or ["rw"])[-1]
    if mode not in ("ro", "rw", "rwc"):
        raise DatabaseError(_("the database URL's mode must be ro, rw or rwc."))
    path = Path(urllib.parse.unquote(rest)).expanduser()
    return Target(f"sqlite:///{path}", path, read_only=mode == "ro")


def _known_revisions() -> set[str]:
    versions = Path(__file__).parent / "migrations" / "versions"
    try:
        names = os.listdir(versions)
    except OSError:
        names = []
    return {n.split("_", 1)[0] for n in names if n.endswith(".py") and n[:1].isdigit()} | {HEAD_REVISION}


def _writable(path: Path) -> bool:
    return os.access(path, os.W_OK)


def _is_sqlite(path: Path) -> bool:
    """Whether the file reads as SQLite (an empty file does: a new database), asked of SQLite itself.

    Never ``os.open``/``os.close`` the database file: closing any descriptor of a file drops
    every POSIX lock this process holds on it, so an open TUI (its watcher's connection, its
    first paint's) would silently lose its shared lock, and the next process to close would take
    itself for the last one, checkpoint and delete the -wal and -shm under the TUI's feet ("disk
    I/O error"). SQLite keeps its own descriptors open while a lock is held in the process.
    """
    if path.stat().st_size == 0:
        return True
    try:
        conn = sqlite3.connect(_file_uri(path, "ro"), uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    except sqlite3.Error as exc:
        raise DatabaseError(_("{path} cannot be read ({error}).").format(path=path, error=exc)) from None
    try:
        conn.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchall()
        return True
    except sqlite3.DatabaseError as exc:
        if "not a database" in str(exc) or "file is encrypted" in str(exc):
            return False
        return True  # locked, unreadable -shm…: the schema check that follows says what it is
    finally:
        conn.close()


def _check_file(path: Path, *, create: bool) -> tuple[bool, bool]:
    """Refuse what is not ours to open, before anything is changed. (exists, read_only)."""
    try:
        st = safefiles.refuse_unless_regular(path, _("the database"))
    except safefiles.FileRefused as exc:
        raise DatabaseError(str(exc)) from None
    if st is None:
        if not create:
            raise DatabaseError(
                _(
                    "{path} does not exist; nothing was created (check --db, or start one with tuicrm demo or tuicrm add)."
                ).format(path=path)
            )
        return False, False
    if not _is_sqlite(path):
        raise DatabaseError(
            _("{path} is not a tuicrm database (not a SQLite file); it was left untouched.").format(path=path)
        )
    directory = path.parent if str(path.parent) else Path(".")
    read_only = not _writable(path) or not _writable(directory)
    for side in (Path(f"{path}-wal"), Path(f"{path}-shm")):
        if side.exists() and not _writable(side):
            read_only = True
    return True, read_only


def _inspect(path: Path, read_only: bool) -> tuple[str | None, int]:
    """(Alembic revision, number of schema entries) read without changing the file."""
    uri = _file_uri(path, "ro")
    if read_only and not _writable(path.parent if str(path.parent) else Path(".")):
        if not Path(f"{path}-wal").exists():
            uri += "&immutable=1"  # nobody can have left a -wal: the file is the whole database
    try:
        conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    except sqlite3.Error as exc:
        raise DatabaseError(_("{path} cannot be opened ({error}).").format(path=path, error=exc)) from None
    try:
        entries = conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()[0]
        has = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'"
        ).fetchone()
        revision = None
        if has:
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            revision = row[0] if row else None
        return revision, entries
    except sqlite3.DatabaseError as exc:
        raise DatabaseError(
            _("{path} is not a tuicrm database, or it is damaged ({error}).").format(path=path, error=exc)
        ) from None
    finally:
        conn.close()


def _refuse_schema(path: Path, revision: str | None, entries: int, read_only: bool) -> None:
    if revision is None and entries:
        raise DatabaseError(
            _(
                "{path} is a SQLite database of another program (no tuicrm tables); it was left untouched."
            ).format(path=path)
        )
    if revision is not None and revision not in _known_revisions():
        raise DatabaseError(
            _("{path} was made by a newer tuicrm (schema {revision}); upgrade tuicrm to open it.").format(
                path=path, revision=revision
            )
        )
    if read_only and revision != HEAD_REVISION:
        raise DatabaseError(
            _(
                "{path} is read-only for you and needs an upgrade (or is empty); nothing can be done to it."
            ).format(path=path)
        )


def make_engine(target: str, *, migrate: bool = True, create: bool = True) -> sa.Engine:
    """An engine for a path or SQLAlchemy URL, with the schema brought up to date.

    Refused in one sentence (``DatabaseError``), with nothing changed: a missing file unless
    ``create``; a symlink, folder or device; a file that is not SQLite; a SQLite file of another
    program; a database from a newer tuicrm. A file we may not write (or whose folder or -shm we
    may not write, or ``?mode=ro``) opens read-only: reads work, writes fail with
    ``READ_ONLY``. The database and its -wal/-shm are made 0600 when they are ours.
    """
    t = parse_target(target)
    url, path = t.url, t.path
    read_only = t.read_only
    creator = None
    if path is not None:
        exists, ro = _check_file(path, create=create and not read_only)
        read_only = read_only or ro
        if exists and migrate:
            revision, entries = _inspect(path, read_only)
            _refuse_schema(path, revision, entries, read_only)
        if not exists:
            ensure_private_file(path)
        else:
            safefiles.tighten(path)  # only regular files we own; read-only ones too (a chmod, no write)
        creator = _creator(path, read_only)
    _keep_values_out_of_logs()
    kwargs: dict[str, object] = {"hide_parameters": True}
    if creator is not None:
        kwargs["creator"] = creator
    elif url.startswith("sqlite"):
        kwargs["connect_args"] = {"check_same_thread": False}
    engine = sa.create_engine(url, **kwargs)
    setattr(engine, "tuicrm_read_only", read_only)  # noqa: B010 (read by is_read_only)
    if url.startswith("sqlite"):
        _install_sqlite_recipe(engine)
    if migrate and not read_only:
        try:
            upgrade(engine)
        except sa.exc.DatabaseError as exc:
            raise DatabaseError(
                _("{target} is not a tuicrm database, or it is damaged ({error}).").format(
                    target=target, error=_short(exc)
                )
            ) from None
    if path is not None:
        safefiles.tighten(path)
    return engine


def _creator(path: Path, read_only: bool) -> Callable[[], sqlite3.Connection]:
    """How the pool connects: a ``file:`` URI (mode ``rw``: SQLite never creates the file; ``ro``)."""
    uri = _file_uri(path, "ro" if read_only else "rw")
    if read_only and not _writable(path.parent if str(path.parent) else Path(".")):
        if not Path(f"{path}-wal").exists():
            uri += "&immutable=1"

    def connect() -> sqlite3.Connection:
        return sqlite3.connect(uri, uri=True, check_same_thread=False, timeout=BUSY_TIMEOUT_MS / 1000)

    return connect


def read_only_message() -> str:
    return _(
        "the database is read-only for you (the file, its folder or its -shm cannot be written); "
        "nothing was saved."
    )


def disk_full_message() -> str:
    return _("the disk is full; nothing was saved.")


def is_read_only(engine: sa.Engine) -> bool:
    """Whether ``make_engine`` opened the database read-only."""
    return bool(getattr(engine, "tuicrm_read_only", False))


def explain_failure(exc: BaseException) -> str | None:
    """One sentence for a failure the rep can act on (read-only, disk full), else None."""
    if safefiles.disk_full(exc):
        return disk_full_message()
    text = str(getattr(exc, "orig", None) or exc).lower()
    if "readonly database" in text or "read-only file system" in text:
        return read_only_message()
    if isinstance(exc, OSError) and exc.errno == errno.EROFS:
        return read_only_message()
    return None


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
