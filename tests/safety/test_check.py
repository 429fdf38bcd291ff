"""``tuicrm check`` explains problems in plain words; ``db.quick_check`` for the TUI; backups are atomic."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tuicrm.backups import backup_to
from tuicrm.db import DatabaseError, explain_problems, integrity_problems, make_engine, quick_check
from tuicrm.safefiles import FileRefused


def cli(db, *args):
    return subprocess.run(
        [sys.executable, "-m", "tuicrm", "--db", str(db), *args],
        capture_output=True,
        text=True,
        timeout=60,
        env=dict(os.environ),
    )


@pytest.fixture(scope="module")
def healthy(demo_db):
    """A closed, checkpointed database with a few hundred customers (demo data)."""
    path = demo_db(300, seed=3)
    assert not Path(f"{path}-wal").exists()  # everything is in the main file
    return path


def _copy(healthy: Path, tmp_path: Path, name: str) -> Path:
    dest = tmp_path / name
    shutil.copy(healthy, dest)
    return dest


def test_healthy_database(healthy):
    assert integrity_problems(healthy) == []
    engine = make_engine(str(healthy))
    assert quick_check(engine) == []
    engine.dispose()
    r = cli(healthy, "check")
    assert r.returncode == 0 and "integrity ok" in r.stdout


def test_stale_index_is_explained_with_the_repair(healthy, tmp_path):
    db = _copy(healthy, tmp_path, "stale.db")
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA writable_schema = ON")  # the index now claims to cover another column
    conn.execute(
        "UPDATE sqlite_master SET sql = 'CREATE INDEX ix_customer_name ON customer (code)' "
        "WHERE name = 'ix_customer_name'"
    )
    conn.commit()
    conn.close()
    problems = integrity_problems(db)
    assert len(problems) == 1  # hundreds of SQLite lines, one sentence
    assert "ix_customer_name" in problems[0] and "REINDEX" in problems[0] and "intact" in problems[0]
    r = cli(db, "check")
    assert r.returncode == 1 and "REINDEX" in r.stdout and "Traceback" not in r.stdout + r.stderr
    # quick_check does not cross-check indexes (that is what makes it quick); check does.
    engine = make_engine(str(db), migrate=False)
    assert quick_check(engine) == []
    engine.dispose()


def test_damaged_page_is_explained(healthy, tmp_path):
    db = _copy(healthy, tmp_path, "damaged.db")
    conn = sqlite3.connect(db)
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'followup'").fetchone()[0]
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    with open(db, "r+b") as f:  # scribble over the follow-up table's root page
        f.seek((root - 1) * page_size + 12)
        f.write(b"\xff" * 200)
    problems = integrity_problems(db)
    assert len(problems) == 1 and problems[0].startswith("The database file is damaged")
    assert ".recover" in problems[0] and "backup" in problems[0]
    engine = make_engine(str(db), migrate=False)
    quick = quick_check(engine)
    engine.dispose()
    assert quick and quick[0].startswith("The database file is damaged")
    r = cli(db, "check")
    assert r.returncode == 1 and "damaged" in r.stdout
    assert "Traceback" not in r.stdout + r.stderr


def test_dangling_reference_is_explained(healthy, tmp_path):
    db = _copy(healthy, tmp_path, "dangling.db")
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute("DELETE FROM customer WHERE id = 5")
    conn.commit()
    conn.close()
    problems = integrity_problems(db)
    assert problems and all("points to a customer row that does not exist" in p for p in problems)


def test_not_a_database(tmp_path):
    bogus = tmp_path / "bogus.db"
    bogus.write_bytes(b"SQLite format 3\x00" + b"\x00" * 84 + os.urandom(8000))
    r = cli(bogus, "check")
    assert r.returncode != 0
    assert "Traceback" not in r.stderr and len((r.stdout + r.stderr).strip().splitlines()) == 1


def test_explain_groups_and_keeps_unknown_messages():
    out = explain_problems(
        [
            "row 1 missing from index ix_a\nrow 2 missing from index ix_a\nwrong # of entries in index ix_b",
            "NULL value in customer.name",
            "something new",
        ],
        "/tmp/my db.db",
    )
    assert len(out) == 4
    assert "'/tmp/my db.db'" in out[0]  # the path in the repair command is quoted for the shell
    assert "customer.name" in out[2]
    assert "something new" in out[3]


def test_backup_is_atomic_and_refuses_to_overwrite_the_database(healthy, tmp_path):
    dest = tmp_path / "b.db"
    backup_to(healthy, dest)
    assert integrity_problems(dest) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.db"]  # no partial file left behind
    with pytest.raises(FileRefused):
        backup_to(healthy, healthy)
    assert integrity_problems(healthy) == []
    # A failed backup (here: the source is missing) leaves the old copy in place.
    before = dest.read_bytes()
    with pytest.raises(DatabaseError, match="does not exist"):
        backup_to(tmp_path / "missing.db", dest, force=True)
    assert dest.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.db"]
