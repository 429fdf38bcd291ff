"""Files that are not ours, missing files, and the file-level error classes (issue #14).

Each case: one sentence on stderr, exit 1 (or 2), no traceback, no "unexpected error", and the
file left exactly as it was (bytes, mode, no -wal/-shm beside it, nothing created).
"""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
import stat
import sys
from pathlib import Path

import pytest

from tuicrm.db import HEAD_REVISION, make_engine

sys.path.insert(0, str(Path(__file__).parent))
from second_user import ROOT, in_process  # noqa: E402


def one_sentence(r, code: int = 1) -> str:
    assert r.returncode == code, (r.returncode, r.stdout, r.stderr)
    assert "Traceback" not in r.stderr and "unexpected error" not in r.stderr, r.stderr
    assert len(r.stderr.strip().splitlines()) == 1, r.stderr
    return r.stderr


def snapshot(directory: Path) -> dict[str, tuple[bytes, int]]:
    return {
        p.name: (p.read_bytes() if p.is_file() else b"", stat.S_IMODE(p.lstat().st_mode))
        for p in sorted(directory.iterdir())
    }


@pytest.fixture
def good(tmp_path) -> Path:
    db = tmp_path / "crm.db"
    assert in_process(["--db", str(db), "add", "customer", "Acme"]).returncode == 0
    return db


@pytest.mark.parametrize(
    "command",
    [
        ["due"],
        ["find", "acme"],
        ["show", "acme"],
        ["report", "weekly"],
        ["log", "acme", "x"],
        ["check"],
        ["export", "out.json"],
        ["undo", "--yes"],
    ],
)
def test_a_missing_database_is_an_error_and_nothing_is_created(tmp_path, monkeypatch, command):
    monkeypatch.chdir(tmp_path)
    r = in_process(["--db", "typo.db", *command])
    assert "typo.db does not exist" in one_sentence(r)
    assert list(tmp_path.iterdir()) == []


def test_backup_from_a_missing_database_keeps_the_good_backup(good, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert in_process(["--db", str(good), "backup", "good.db"]).returncode == 0
    before = (tmp_path / "good.db").read_bytes()
    for extra in ([], ["--force"]):
        r = in_process(["--db", "missing.db", "backup", "good.db", *extra])
        assert "missing.db does not exist" in one_sentence(r)
    assert (tmp_path / "good.db").read_bytes() == before
    assert not (tmp_path / "missing.db").exists()


def test_the_commands_that_start_a_database_still_do(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert in_process(["--db", "new.db", "add", "customer", "Acme"]).returncode == 0
    assert in_process(["--db", "demo.db", "demo", "--customers", "3"]).returncode == 0
    assert stat.S_IMODE(os.stat("new.db").st_mode) == 0o600


def _foreign(path: Path) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE foo (x)")
        conn.execute("INSERT INTO foo VALUES (1)")
    conn.close()
    os.chmod(path, 0o644)


@pytest.mark.parametrize(
    "command",
    [
        ["due"],
        ["add", "customer", "X"],
        ["check"],
        ["backup", "b.db"],
        ["demo", "--customers", "2"],
        ["restore", "other.db"],
    ],
)
def test_a_sqlite_file_of_another_program_is_refused_untouched(tmp_path, monkeypatch, good, command):
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    shutil.copy(good, work / "other.db")
    _foreign(work / "foo.db")
    before = snapshot(work)
    r = in_process(["--db", "foo.db", *command])
    assert "another program" in one_sentence(r) or "not a tuicrm database" in r.stderr
    assert snapshot(work) == before  # bytes, modes, and no -wal/-shm/backup beside it


@pytest.mark.parametrize("command", [["due"], ["add", "customer", "X"], ["check"]])
def test_a_text_file_is_refused_before_any_chmod(tmp_path, monkeypatch, command):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "notes.txt").write_text("my private notes\n")
    os.chmod(tmp_path / "notes.txt", 0o644)
    before = snapshot(tmp_path)
    r = in_process(["--db", "notes.txt", *command])
    assert "not a SQLite file" in one_sentence(r)
    assert snapshot(tmp_path) == before


def test_dev_null_is_never_chmodded(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    before = os.stat("/dev/null")
    for command in (["due"], ["add", "customer", "X"], ["check"], ["backup", "b.db"], ["demo"]):
        monkeypatch.setenv("TUICRM_DB", "/dev/null")
        r = in_process(command)
        assert "not a regular file" in one_sentence(r), command
        after = os.stat("/dev/null")
        assert (after.st_mode, after.st_uid) == (before.st_mode, before.st_uid)
    assert list(tmp_path.iterdir()) == []
    # As root (CI) this is the dangerous case: root's chmod of /dev/null would succeed.
    assert ROOT == (os.geteuid() == 0)


def test_symlinks_and_folders_are_refused(good, tmp_path):
    link = tmp_path / "link.db"
    link.symlink_to(good)
    os.chmod(good, 0o644)
    r = in_process(["--db", str(link), "due"])
    assert "symbolic link" in one_sentence(r)
    assert stat.S_IMODE(good.stat().st_mode) == 0o644  # not tightened through the link
    r = in_process(["--db", str(tmp_path), "due"])
    assert "folder" in one_sentence(r)


def test_a_database_from_a_newer_tuicrm_says_upgrade(good):
    with sqlite3.connect(good) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    conn.close()
    before = good.read_bytes()
    for command in (["due"], ["find", "acme"], ["add", "customer", "X"], ["check"]):
        r = in_process(["--db", str(good), *command])
        assert "made by a newer tuicrm" in one_sentence(r) and "upgrade" in r.stderr
    assert good.read_bytes() == before
    assert HEAD_REVISION != "9999"


def test_sqlalchemy_urls_are_honoured_and_mode_ro_never_writes(good, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert "Acme" in in_process(["--db", f"sqlite:///{good.name}", "find", "acme"]).stdout
    assert "Acme" in in_process(["--db", f"sqlite:///{good}", "find", "acme"]).stdout
    url = f"sqlite:///{good}?mode=ro"
    r = in_process(["--db", url, "find", "acme"])
    assert r.returncode == 0 and "Acme" in r.stdout
    before = good.read_bytes()
    r = in_process(["--db", url, "add", "customer", "Beta"])
    assert "read-only" in one_sentence(r)
    assert good.read_bytes() == before
    r = in_process(["--db", f"sqlite:///{tmp_path}/x.db?mode=ro", "due"])
    assert "does not exist" in one_sentence(r)
    assert not any("?" in p.name for p in tmp_path.iterdir())
    assert not (tmp_path / "x.db").exists()
    r = in_process(["--db", f"sqlite:///{good}?bogus=1", "due"])
    assert "options tuicrm does not know" in one_sentence(r)


def test_disk_full_says_nothing_was_saved(good, monkeypatch):
    """Fault injection: SQLite's 'database or disk is full' on the commit, on both write paths
    (the lean one of the quick writes, the Store's of the others)."""
    from sqlalchemy.orm import Session

    import tuicrm.store.lean.connect as lean

    real_connection = lean.write_connection

    class FullDisk:
        """The lean write connection, whose COMMIT finds the disk full."""

        def __init__(self, conn):
            self._conn = conn

        def execute(self, sql, *args):
            if sql.strip().upper() == "COMMIT":
                raise sqlite3.OperationalError("database or disk is full")
            return self._conn.execute(sql, *args)

        def __getattr__(self, name):
            return getattr(self._conn, name)

    def full_connection(target):
        conn = real_connection(target)
        assert conn is not None, "the quick write should take the lean path here"
        return FullDisk(conn)

    monkeypatch.setattr(lean, "write_connection", full_connection)
    r = in_process(["--db", str(good), "add", "customer", "Beta"])
    assert "disk is full; nothing was saved" in one_sentence(r)
    monkeypatch.setattr(lean, "write_connection", real_connection)
    assert "Beta" not in in_process(["--db", str(good), "find", "beta"]).stdout

    def full(self):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(Session, "commit", full)
    r = in_process(["--db", str(good), "add", "contact", "Acme", "Gamma"])
    assert "disk is full; nothing was saved" in one_sentence(r)
    monkeypatch.undo()
    assert "Gamma" not in in_process(["--db", str(good), "show", "acme", "--json"]).stdout


def test_disk_full_during_backup_and_export_leaves_nothing(good, tmp_path, monkeypatch):
    import tuicrm.safefiles as safefiles

    def full(fd, temp, dest):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(safefiles, "commit_temp", full)
    out = tmp_path / "out"
    out.mkdir()
    r = in_process(["--db", str(good), "backup", str(out / "b.db")])
    assert "disk is full" in one_sentence(r)
    r = in_process(["--db", str(good), "export", str(out / "e.csv")])
    assert "disk is full" in one_sentence(r)
    assert list(out.iterdir()) == []  # no temporary left behind


def test_make_engine_refuses_without_create(tmp_path):
    from tuicrm.db import DatabaseError

    with pytest.raises(DatabaseError, match="does not exist"):
        make_engine(str(tmp_path / "nope.db"), create=False)
    assert list(tmp_path.iterdir()) == []
