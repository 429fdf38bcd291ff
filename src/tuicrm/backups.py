"""Backups and restores of the database file (``tuicrm backup``, ``tuicrm restore``).

A backup is SQLite's online backup API (one consistent snapshot, even while another process
writes) into an exclusive 0600 temporary file with an unpredictable name beside the destination
(``safefiles.private_temp``), renamed over the destination only when complete. Refused, with
nothing written: a missing or damaged source (``PRAGMA quick_check``), a destination that is the
live database or its -wal/-shm/-journal, an existing destination without ``force``.

A restore checks the backup (quick_check + tuicrm's schema), keeps the current database aside
(a timestamped consistent copy, WAL included) and copies the backup *into* the live database
with the backup API: one write transaction, so a TUI that has it open sees either the old data
or the restored data, and nothing committed before the restore is lost (it is in the copy kept
aside).
"""

from __future__ import annotations

import os
import re
import sqlite3
from datetime import datetime
from pathlib import Path

from tuicrm import safefiles
from tuicrm.db import (
    BUSY_TIMEOUT_MS,
    HEAD_REVISION,
    DatabaseError,
    _file_uri,
    _known_revisions,
    explain_failure,
)
from tuicrm.i18n import _

STAMP = "%Y-%m-%d-%H%M%S"


class Damaged(DatabaseError):
    """The file is a SQLite file that fails ``quick_check`` (or cannot be read to the end)."""


def _connect(path: Path, mode: str) -> sqlite3.Connection:
    uri = _file_uri(path, mode)
    folder = path.parent if str(path.parent) else Path(".")
    if mode == "ro" and not os.access(folder, os.W_OK) and not Path(f"{path}-wal").exists():
        uri += "&immutable=1"  # a read-only folder: no -shm can be made, and no -wal exists
    return sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000)


def check_source(path: Path, *, what: str) -> None:
    """A readable, undamaged tuicrm database, else ``DatabaseError`` with advice."""
    try:
        st = safefiles.refuse_unless_regular(path, what)
    except safefiles.FileRefused as exc:
        raise DatabaseError(str(exc)) from None
    if st is None:
        raise DatabaseError(
            _("{what} {path} does not exist; nothing was written.").format(what=what, path=path)
        )
    try:
        with open(path, "rb") as fh:
            header = fh.read(16)
    except OSError as exc:
        raise DatabaseError(
            _("{what} {path} cannot be read ({error}).").format(what=what, path=path, error=exc.strerror)
        ) from None
    if header != b"SQLite format 3\x00":
        raise DatabaseError(
            _("{what} {path} is not a tuicrm database (not a SQLite file); nothing was written.").format(
                what=what, path=path
            )
        )
    advice = _(
        "{what} {path} is damaged ({problem}); nothing was written. Run tuicrm check on it, "
        "or rescue what is readable with: sqlite3 {path} .recover | sqlite3 rescued.db"
    )
    try:
        conn = _connect(path, "ro")
    except sqlite3.Error as exc:
        raise DatabaseError(
            _("{what} {path} cannot be opened ({error}).").format(what=what, path=path, error=exc)
        ) from None
    try:
        rows = [r[0] for r in conn.execute("PRAGMA quick_check")]
        if rows != ["ok"]:
            lines = [ln.strip() for r in rows for ln in str(r).splitlines() if ln.strip()]
            lines = [ln for ln in lines if not ln.startswith("***")] or ["?"]
            raise Damaged(advice.format(what=what, path=path, problem=lines[0][:120]))
        has = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'"
        ).fetchone()
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone() if has else None
    except sqlite3.OperationalError as exc:  # locked, or a -journal beside it we cannot open
        raise DatabaseError(
            _("{what} {path} cannot be read ({error}); nothing was written.").format(
                what=what, path=path, error=exc
            )
        ) from None
    except sqlite3.DatabaseError as exc:
        raise Damaged(advice.format(what=what, path=path, problem=exc)) from None
    finally:
        conn.close()
    if row is None:
        raise DatabaseError(
            _("{what} {path} is not a tuicrm database; nothing was written.").format(what=what, path=path)
        )
    if row[0] not in _known_revisions():
        raise DatabaseError(
            _("{what} {path} was made by a newer tuicrm; upgrade tuicrm first.").format(what=what, path=path)
        )


def _copy_into_temp(source: Path, dest: Path) -> None:
    """Backup API ``source`` → a private temporary file beside ``dest``, then rename over it."""
    fd, temp = safefiles.private_temp(dest)
    try:
        src = _connect(source, "ro")
        try:
            # The temporary file exists (we created it exclusively): mode=rw never creates a name.
            dst = _connect(temp, "rw")
            try:
                src.backup(dst)
                # A backup at rest is one self-contained file: rollback-journal mode, so opening it
                # leaves no -wal/-shm beside it. Opened as the live database it switches to WAL.
                dst.execute("PRAGMA journal_mode = DELETE")
                dst.commit()
            finally:
                dst.close()
        finally:
            src.close()
        safefiles.commit_temp(fd, temp, dest)
    except BaseException:
        safefiles.discard(temp)
        raise
    finally:
        os.close(fd)


def _raw_copy(source: Path, dest: Path) -> None:
    """Copy ``source``'s bytes to a new private file ``dest`` (exclusive temp + rename)."""
    fd, temp = safefiles.private_temp(dest)
    try:
        with open(source, "rb") as fh:
            while chunk := fh.read(1 << 20):
                view = memoryview(chunk)
                while view:
                    view = view[os.write(fd, view) :]
        safefiles.commit_temp(fd, temp, dest)
    except BaseException:
        safefiles.discard(temp)
        raise
    finally:
        os.close(fd)


def stamped_name(source: Path, when: datetime, label: str = "backup") -> str:
    """``crm-backup-2026-12-07-054816.db``: the time in the name, so two never collide."""
    return f"{source.stem}-{label}-{when.strftime(STAMP)}{source.suffix}"


def _unique(directory: Path, source: Path, when: datetime, label: str) -> Path:
    target = directory / stamped_name(source, when, label)
    n = 1
    while os.path.lexists(target):
        n += 1
        target = directory / f"{source.stem}-{label}-{when.strftime(STAMP)}-{n}{source.suffix}"
    return target


def backup_to(source: Path, dest: Path, *, force: bool = False) -> None:
    """Copy the database to ``dest`` (see the module docstring). ``DatabaseError`` or
    ``safefiles.FileRefused`` with one sentence when refused; nothing is written then."""
    source, dest = Path(source), Path(dest)
    safefiles.refuse_live_destination(dest, source)
    check_source(source, what=_("the database"))
    safefiles.make_private_dirs(dest.parent if str(dest.parent) else Path("."))
    safefiles.check_destination(dest, force=force)
    safefiles.remove_leftovers(dest.parent if str(dest.parent) else Path("."))
    try:
        _copy_into_temp(source, dest)
    except OSError as exc:
        raise DatabaseError(safefiles.describe_os_error(exc, dest)) from None
    except sqlite3.Error as exc:
        raise DatabaseError(
            explain_failure(exc) or _("backup to {path} failed ({error}).").format(path=dest, error=exc)
        ) from None


_STAMPED = re.compile(r"-backup-\d{4}-\d{2}-\d{2}-\d{6}(?:-\d+)?$")


def rotate(directory: Path, source: Path, keep: int) -> list[Path]:
    """Remove the oldest timestamped backups of ``source`` in ``directory`` beyond ``keep``
    (only our own regular files named like ours). Returns the removed paths."""
    ours = []
    for p in directory.glob(f"{source.stem}-backup-*{source.suffix}"):
        stem = p.name[: len(p.name) - len(source.suffix)] if source.suffix else p.name
        if not _STAMPED.search(stem[len(source.stem) :]):
            continue
        st = os.lstat(p)
        if safefiles.ours(st):
            ours.append(p)
    ours.sort(key=lambda p: p.name)
    removed = ours[: max(0, len(ours) - keep)]
    for p in removed:
        p.unlink()
    return removed


def backup(source: Path, dest: Path | None, *, when: datetime, force: bool = False) -> Path:
    """``tuicrm backup``: to ``dest`` (a file, or a folder for a timestamped name), else a
    timestamped file next to the database. Returns the path written."""
    if dest is None:
        target = _unique(source.parent if str(source.parent) else Path("."), source, when, "backup")
    elif dest.is_dir() and not dest.is_symlink():
        target = _unique(dest, source, when, "backup")
    else:
        target = dest
    backup_to(source, target, force=force)
    return target


def restore(backup_file: Path, database: Path, *, when: datetime) -> Path:
    """``tuicrm restore``: check ``backup_file``, keep the current database aside (returned), then
    copy the backup into the live database in one transaction."""
    backup_file, database = Path(backup_file), Path(database)
    if safefiles.same_file(backup_file, database):
        raise DatabaseError(_("{path} is the live database itself.").format(path=backup_file))
    try:
        st = safefiles.refuse_unless_regular(database, _("the database"))
    except safefiles.FileRefused as exc:
        raise DatabaseError(str(exc)) from None
    healthy = True
    if st is not None:  # first make sure the live file is ours to replace: a tuicrm database
        try:
            check_source(database, what=_("the database"))
        except Damaged:
            healthy = False
    check_source(backup_file, what=_("the backup"))
    directory = database.parent if str(database.parent) else Path(".")
    if st is None:  # nothing to keep aside: the backup becomes the database
        if not directory.is_dir():
            raise DatabaseError(_("the folder {folder} does not exist.").format(folder=directory))
        try:
            _copy_into_temp(backup_file, database)
        except (OSError, sqlite3.Error) as exc:
            raise DatabaseError(explain_failure(exc) or str(exc)) from None
        return database
    aside = _unique(directory, database, when, "before-restore")
    try:
        live = _connect(database, "rw")
        try:
            version = live.execute("PRAGMA data_version").fetchone()[0]
            for _attempt in range(5):
                if healthy:
                    _copy_into_temp(database, aside)
                else:  # a damaged database: keep its bytes (and its -wal) as they are
                    _raw_copy(database, aside)
                    if Path(f"{database}-wal").exists():
                        _raw_copy(Path(f"{database}-wal"), Path(f"{aside}-wal"))
                # Another process committed while the copy was made: copy again, so what is kept
                # aside holds every commit up to the restore.
                now = live.execute("PRAGMA data_version").fetchone()[0]
                if now == version:
                    break
                version = now
            src = _connect(backup_file, "ro")
            try:
                src.backup(live)  # one write transaction on the live database
            finally:
                src.close()
            live.execute("PRAGMA journal_mode = WAL")
            live.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            live.close()
    except (OSError, sqlite3.Error) as exc:
        raise DatabaseError(
            explain_failure(exc)
            or _("restore from {path} failed ({error}); the database was not changed.").format(
                path=backup_file, error=exc
            )
        ) from None
    safefiles.tighten(database)
    return aside


__all__ = [
    "Damaged",
    "HEAD_REVISION",
    "backup",
    "backup_to",
    "check_source",
    "restore",
    "rotate",
    "stamped_name",
]
