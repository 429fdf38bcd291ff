"""Opening the database again in a process that already holds a connection (the TUI opens its
Store after its first paint) must not drop that process's POSIX locks: another process closing
would then take itself for the last connection and delete the -wal and -shm under it."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys

from tuicrm import db
from tuicrm.db import make_engine


def _other_process_writes_and_closes(path) -> None:
    code = (
        "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
        "c.execute('UPDATE customer SET notes = notes'); c.commit(); c.close()"
    )
    subprocess.run([sys.executable, "-c", code, str(path)], check=True)


def _held_connection(path) -> sqlite3.Connection:
    conn = sqlite3.connect(path)
    conn.execute("SELECT count(*) FROM customer").fetchone()  # WAL mode: holds its shared lock
    return conn


def test_a_second_open_keeps_the_processs_locks(tmp_path):
    path = tmp_path / "crm.db"
    make_engine(str(path)).dispose()
    held = _held_connection(path)
    make_engine(str(path)).dispose()  # the TUI's Store, opened after its first paint
    _other_process_writes_and_closes(path)
    assert os.path.exists(f"{path}-wal"), "another process took itself for the last connection"
    held.execute("SELECT count(*) FROM customer").fetchone()
    held.close()


def test_the_test_above_can_fail(tmp_path, monkeypatch):
    """With a raw open/close of the file (what the header check used to do), the lock is gone."""

    def raw_header_check(path):
        fd = os.open(path, os.O_RDONLY)
        os.close(fd)
        return True

    monkeypatch.setattr(db, "_is_sqlite", raw_header_check)
    path = tmp_path / "crm.db"
    make_engine(str(path)).dispose()
    held = _held_connection(path)
    make_engine(str(path)).dispose()
    _other_process_writes_and_closes(path)
    assert not os.path.exists(f"{path}-wal")  # checkpointed and deleted under the held connection
    held.close()


def test_tightening_loose_modes_keeps_the_processs_locks(tmp_path):
    path = tmp_path / "crm.db"
    make_engine(str(path)).dispose()
    held = _held_connection(path)
    for p in (path, f"{path}-wal", f"{path}-shm"):
        os.chmod(p, 0o644)
    make_engine(str(path)).dispose()  # tightens all three back to 0600
    assert all(os.stat(p).st_mode & 0o077 == 0 for p in (path, f"{path}-wal", f"{path}-shm"))
    _other_process_writes_and_closes(path)
    assert os.path.exists(f"{path}-wal"), "another process took itself for the last connection"
    held.close()
