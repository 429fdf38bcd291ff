"""Backups, restores and exports in shared directories (issue #14).

Two users on one server: planted symlinks receive nothing and overwrite nothing; a read-only
database still reads; the live -wal is never a backup destination; a damaged source is refused;
an existing destination is kept; leftovers of killed runs go; restores keep the current file.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
import sys
from pathlib import Path

import pytest

from tuicrm.backups import rotate
from tuicrm.db import integrity_problems

sys.path.insert(0, str(Path(__file__).parent))
from second_user import (  # noqa: E402
    ROOT,
    as_other_user,
    cli_as_other_user,
    give,
    in_process,
    other_ids,
    shared_dir,
    warm_up,
)


def one_sentence(r, code: int = 1) -> str:
    assert r.returncode == code, (r.returncode, r.stdout, r.stderr)
    assert "Traceback" not in r.stderr and "unexpected error" not in r.stderr, r.stderr
    assert len(r.stderr.strip().splitlines()) == 1, r.stderr
    return r.stderr


def count(db: Path) -> int:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT COUNT(*) FROM customer").fetchone()[0]
    finally:
        conn.close()


@pytest.fixture
def crm(tmp_path) -> Path:
    db = tmp_path / "crm.db"
    for name in ("Acme", "Beta", "Gamma"):
        assert in_process(["--db", str(db), "add", "customer", name]).returncode == 0
    return db


# -- the destination ----------------------------------------------------------------------


@pytest.mark.parametrize("suffix", ["", "-wal", "-shm", "-journal"])
def test_backup_onto_the_live_database_or_its_wal_is_refused(crm, suffix):
    holder = sqlite3.connect(crm)  # another process has it open: -wal and -shm exist
    holder.execute("BEGIN")
    holder.execute("SELECT COUNT(*) FROM customer").fetchone()
    try:
        before = {p.name: p.read_bytes() for p in crm.parent.iterdir()}
        r = in_process(["--db", str(crm), "backup", f"{crm}{suffix}", "--force"])
        assert "live database" in one_sentence(r)
        r = in_process(["--db", str(crm), "export", f"{crm}{suffix}.csv"])  # another name: fine
        assert r.returncode == 0, r.stderr
        after = {p.name: p.read_bytes() for p in crm.parent.iterdir() if p.name in before}
        assert after == before
    finally:
        holder.rollback()
        holder.close()
    assert count(crm) == 3


def test_export_onto_the_live_database_is_refused(crm):
    for name in (f"{crm}-wal", str(crm)):
        r = in_process(["--db", str(crm), "export", name, "--force"])
        assert r.returncode in (1, 2) and "Traceback" not in r.stderr
    assert count(crm) == 3 and integrity_problems(crm) == []


def test_existing_destination_kept_unless_force(crm, tmp_path):
    dest = tmp_path / "b.db"
    dest.write_bytes(b"an older backup")
    r = in_process(["--db", str(crm), "backup", str(dest)])
    assert "already exists" in one_sentence(r)
    assert dest.read_bytes() == b"an older backup"
    assert in_process(["--db", str(crm), "backup", str(dest), "--force"]).returncode == 0
    assert count(dest) == 3


def test_damaged_source_is_refused_with_advice(crm, tmp_path):
    sqlite3.connect(crm).execute("PRAGMA wal_checkpoint(TRUNCATE)").close()
    good = tmp_path / "good-backup.db"
    assert in_process(["--db", str(crm), "backup", str(good)]).returncode == 0
    before = good.read_bytes()
    data = bytearray(crm.read_bytes())
    page = 4096
    data[2 * page : 3 * page] = b"\xff" * page  # a b-tree page turned to garbage
    crm.write_bytes(bytes(data))
    for p in (Path(f"{crm}-wal"), Path(f"{crm}-shm")):
        p.unlink(missing_ok=True)
    r = in_process(["--db", str(crm), "backup", str(good), "--force"])
    err = one_sentence(r)
    assert "damaged" in err and ".recover" in err
    assert good.read_bytes() == before


def test_two_backups_a_second_apart_or_the_same_second_never_collide(crm, tmp_path):
    shelf = tmp_path / "shelf"
    shelf.mkdir()
    for _ in range(3):  # the clock is pinned: the same second every time
        assert in_process(["--db", str(crm), "backup", str(shelf)]).returncode == 0
    names = sorted(p.name for p in shelf.iterdir())
    assert len(names) == 3 and all(n.startswith("crm-backup-2026-11-22-") for n in names)


def test_keep_rotates_only_our_timestamped_backups(crm, tmp_path, monkeypatch):
    shelf = tmp_path / "shelf"
    shelf.mkdir()
    (shelf / "crm-backup-notes.db").write_text("not a timestamped backup")
    for minute in range(5):
        monkeypatch.setenv("TUICRM_NOW", f"2026-11-22T09:0{minute}")
        r = in_process(["--db", str(crm), "backup", str(shelf), "--keep", "2"])
        assert r.returncode == 0, r.stderr
    names = sorted(p.name for p in shelf.iterdir())
    assert names == [
        "crm-backup-2026-11-22-090300.db",
        "crm-backup-2026-11-22-090400.db",
        "crm-backup-notes.db",
    ]
    assert rotate(shelf, crm, 1) == [shelf / "crm-backup-2026-11-22-090300.db"]


def test_leftovers_of_killed_runs_are_removed_on_the_next_run(crm, tmp_path):
    shelf = tmp_path / "shelf"
    shelf.mkdir()
    dead = 2**22 + 12345  # no such process
    leftover = shelf / f".tuicrm-{dead}-abcd1234.tmp"
    leftover.write_bytes(b"x" * 1000)
    os.utime(leftover, (1, 1))
    someone_elses = shelf / ".tuicrm-notapid-zz.tmp"
    someone_elses.write_bytes(b"keep")
    assert in_process(["--db", str(crm), "backup", str(shelf / "b.db")]).returncode == 0
    assert not leftover.exists() and someone_elses.exists()
    leftover.write_bytes(b"x")
    os.utime(leftover, (1, 1))
    assert in_process(["--db", str(crm), "export", str(shelf / "e.json")]).returncode == 0
    assert not leftover.exists()


# -- restore ------------------------------------------------------------------------------


def test_restore_checks_keeps_the_current_file_aside_and_restores(crm, tmp_path):
    backup = tmp_path / "b.db"
    assert in_process(["--db", str(crm), "backup", str(backup)]).returncode == 0
    # Later work, some of it still only in the -wal while another connection holds it open.
    holder = sqlite3.connect(crm)
    assert in_process(["--db", str(crm), "add", "customer", "Delta"]).returncode == 0
    assert count(crm) == 4
    r = in_process(["--db", str(crm), "restore", str(backup)])
    assert r.returncode == 0, r.stderr
    assert "kept as" in r.stdout
    holder.close()
    assert count(crm) == 3 and integrity_problems(crm) == []
    (aside,) = tmp_path.glob("crm-before-restore-*.db")
    assert count(aside) == 4  # the committed Delta is kept, not lost
    assert stat.S_IMODE(aside.stat().st_mode) == 0o600
    # The restored database works as usual afterwards.
    assert in_process(["--db", str(crm), "add", "customer", "Epsilon"]).returncode == 0
    assert count(crm) == 4


def test_restore_refuses_a_damaged_or_foreign_backup(crm, tmp_path):
    before = count(crm)
    junk = tmp_path / "junk.db"
    junk.write_text("not a database")
    foreign = tmp_path / "foreign.db"
    with sqlite3.connect(foreign) as conn:
        conn.execute("CREATE TABLE foo (x)")
    conn.close()
    for bad in (junk, foreign, tmp_path / "missing.db"):
        r = in_process(["--db", str(crm), "restore", str(bad)])
        one_sentence(r)
    assert count(crm) == before
    assert not list(tmp_path.glob("crm-before-restore-*"))


# -- a second user ------------------------------------------------------------------------


def _plausible_names(name: str, pid: int) -> list[str]:
    """Every temporary name an attacker might guess for ``name`` written by process ``pid``."""
    names = [
        f".{name}.partial-{pid}",
        f".{name}.{pid}.tmp",
        f".{name}.tmp",
        f"{name}.tmp",
        f"{name}.partial",
        f"{name}~",
        f".{name}.swp",
        f"{name}-journal",
        f"{name}-wal",
        f"{name}-shm",
        f".tuicrm-{pid}-.tmp",
        f".tuicrm-{pid}-aaaaaaaa.tmp",
        f".{name}.partial-{pid}-journal",
    ]
    for other in range(pid - 3, pid + 4):
        names += [f".{name}.partial-{other}", f".{name}.{other}.tmp"]
    return list(dict.fromkeys(names))


def test_planted_symlinks_receive_nothing_and_overwrite_nothing(crm, tmp_path):
    """The victim (this process) writes a backup, exports and a restore into a shared 0777
    directory where the attacker (a second user: nobody, when we are root) planted symlinks
    under every plausible temporary name, pointing at the attacker's own file (to receive the
    data) and at the victim's own file (to destroy it)."""
    uid, gid = other_ids()
    shared = shared_dir(0o777)
    attacker_home = shared_dir(0o777)
    loot = attacker_home / "loot"
    precious = tmp_path / "precious.txt"
    precious.write_text("the victim's own notes")
    try:
        loot.write_bytes(b"")
        give(loot, uid, gid)
        os.chmod(loot, 0o666)
        pid = os.getpid()
        targets = ["crm-copy.db", "out.csv", "out.xlsx", "out.json", "restored.db"]
        today = "crm-copy-before-restore-2026-11-22-090000.db"

        def plant() -> int:
            names = [n for target in [*targets, today] for n in _plausible_names(target, pid)]
            for i, name in enumerate(dict.fromkeys(names)):
                os.symlink(loot if i % 2 else precious, shared / name)
            return 0

        r = as_other_user(plant, home=attacker_home)
        assert r.returncode == 0, r.stderr
        if ROOT:
            assert (shared / ".crm-copy.db.tmp").lstat().st_uid == uid  # really the other user
        planted = {p.name for p in shared.iterdir()}

        assert in_process(["--db", str(crm), "backup", str(shared / "crm-copy.db")]).returncode == 0
        for name in ("out.csv", "out.xlsx", "out.json"):
            r = in_process(["--db", str(crm), "export", str(shared / name), "--unmasked"])
            assert r.returncode == 0, r.stderr
        # The destination itself a symlink: refused, even with --force.
        os.symlink(precious, shared / "link.csv")
        r = in_process(["--db", str(crm), "export", str(shared / "link.csv"), "--force"])
        assert "symbolic link" in one_sentence(r)
        # A restore onto a database kept in the shared directory: done, or refused in one
        # sentence (SQLite will not open a database whose -journal is someone else's link).
        private_backup = tmp_path / "b.db"
        assert in_process(["--db", str(crm), "backup", str(private_backup)]).returncode == 0
        shutil.copy(private_backup, shared / "restored.db")
        os.chmod(shared / "restored.db", 0o600)
        r = in_process(["--db", str(shared / "restored.db"), "restore", str(private_backup)])
        assert r.returncode == 0 or "cannot be read" in one_sentence(r), r.stderr

        assert loot.read_bytes() == b"" and precious.read_text() == "the victim's own notes"
        for name in planted:
            assert (shared / name).is_symlink(), name  # every planted link still just a link
        for name in ("crm-copy.db", "out.csv", "out.xlsx", "out.json", "restored.db"):
            st = (shared / name).lstat()
            assert stat.S_ISREG(st.st_mode) and stat.S_IMODE(st.st_mode) == 0o600, name
            assert st.st_uid == os.geteuid()
        for name in ("crm-copy.db", "restored.db"):
            copy = tmp_path / f"check-{name}"  # read a private copy: the links beside stay out of it
            shutil.copy(shared / name, copy)
            assert count(copy) == 3, name
        leftovers = {p.name for p in shared.iterdir()} - planted
        assert not [n for n in leftovers if n.startswith(".tuicrm-")]
    finally:
        shutil.rmtree(shared, ignore_errors=True)
        shutil.rmtree(attacker_home, ignore_errors=True)


def _warm(crm: Path) -> None:
    warm_up(crm, [["find", "acme"], ["due"], ["show", "acme"], ["add", "customer", "W"], ["check"]])


def test_a_read_only_database_reads_and_refuses_writes_as_another_user(crm):
    """The file belongs to someone else and is 0644 (or 0444 for an ordinary user)."""
    _warm(crm)
    uid, _gid = other_ids()
    shared = shared_dir(0o755)
    home = shared_dir(0o777)
    try:
        db = shared / "crm.db"
        sqlite3.connect(crm).execute("PRAGMA wal_checkpoint(TRUNCATE)").close()
        shutil.copy(crm, db)
        os.chmod(db, 0o644 if ROOT else 0o444)
        if not ROOT:
            os.chmod(shared, 0o555)
        before = db.read_bytes()
        r = cli_as_other_user(["--db", str(db), "find", "acme"], home=home)
        assert r.returncode == 0 and "Acme" in r.stdout, r.stderr
        r = cli_as_other_user(["--db", str(db), "show", "acme"], home=home)
        assert r.returncode == 0 and "damaged" not in r.stderr, r.stderr
        r = cli_as_other_user(["--db", str(db), "add", "customer", "Mallory"], home=home)
        assert "read-only" in one_sentence(r)
        assert db.read_bytes() == before
        # Not the reader's file: no chmod (as an ordinary user it is ours, so 0444 → 0400).
        assert stat.S_IMODE(db.stat().st_mode) == (0o644 if ROOT else 0o400)
        assert uid is not None
    finally:
        os.chmod(shared, 0o755)
        shutil.rmtree(shared, ignore_errors=True)
        shutil.rmtree(home, ignore_errors=True)


def test_a_read_only_folder_and_a_read_only_shm(crm):
    """The database is the second user's, but the folder (or the -shm left by someone else)
    is not writable for them: reads work, a write says so in one sentence."""
    _warm(crm)
    uid, gid = other_ids()
    home = shared_dir(0o777)
    folder = shared_dir(0o777)
    shm_case = shared_dir(0o777)
    try:
        sqlite3.connect(crm).execute("PRAGMA wal_checkpoint(TRUNCATE)").close()
        for d in (folder, shm_case):
            shutil.copy(crm, d / "crm.db")
            give(d / "crm.db", uid, gid)
            os.chmod(d / "crm.db", 0o600)
        os.chmod(folder, 0o555)
        # A -shm left behind, not writable by the second user.
        holder = sqlite3.connect(shm_case / "crm.db")
        holder.execute("SELECT COUNT(*) FROM customer").fetchone()
        shm = shm_case / "crm.db-shm"
        assert shm.exists()
        give(Path(f"{shm_case}/crm.db-wal"), uid, gid)
        os.chmod(shm, 0o444)
        for d in (folder, shm_case):
            db = d / "crm.db"
            r = cli_as_other_user(["--db", str(db), "find", "acme"], home=home)
            assert r.returncode == 0 and "Acme" in r.stdout, (d, r.stderr)
            r = cli_as_other_user(["--db", str(db), "add", "customer", "Mallory"], home=home)
            assert "read-only" in one_sentence(r), (d, sorted(os.listdir(d)))
        holder.close()
        assert count(folder / "crm.db") == 3
    finally:
        for d in (home, folder, shm_case):
            os.chmod(d, 0o755)
            shutil.rmtree(d, ignore_errors=True)


def test_check_reports_loose_modes_before_fixing_them(crm):
    os.chmod(crm, 0o644)
    r = in_process(["--db", str(crm), "check"])
    assert r.returncode == 0, r.stderr
    assert "readable by other users (0644); now 0600" in r.stdout and "integrity ok" in r.stdout
    assert stat.S_IMODE(crm.stat().st_mode) == 0o600
    os.chmod(crm, 0o640)
    r = in_process(["--db", str(crm), "check", "--json"])
    import json

    data = json.loads(r.stdout)
    assert data["ok"] is True and "(0640); now 0600" in data["fixed"][0]


def test_read_commands_tighten_the_database_and_its_wal(crm):
    for suffix in ("", "-wal", "-shm"):
        p = Path(f"{crm}{suffix}")
        if p.exists():
            os.chmod(p, 0o644)
    for command in (["due"], ["find", "acme"], ["show", "acme"]):
        assert in_process(["--db", str(crm), *command]).returncode == 0
        for suffix in ("", "-wal", "-shm"):
            p = Path(f"{crm}{suffix}")
            if p.exists():
                assert stat.S_IMODE(p.stat().st_mode) == 0o600, (command, suffix)
        os.chmod(crm, 0o644)


def test_another_users_database_in_a_read_only_folder_can_be_backed_up(crm):
    """Reading is all a backup needs: a database the second user may only read is copied."""
    warm_up(crm, [["backup", "/tmp/tuicrm-warm-backup.db"]])
    Path("/tmp/tuicrm-warm-backup.db").unlink(missing_ok=True)
    home = shared_dir(0o777)
    folder = shared_dir(0o755)
    try:
        sqlite3.connect(crm).execute("PRAGMA wal_checkpoint(TRUNCATE)").close()
        shutil.copy(crm, folder / "crm.db")
        os.chmod(folder / "crm.db", 0o644 if ROOT else 0o444)
        if not ROOT:
            os.chmod(folder, 0o555)
        r = cli_as_other_user(["--db", str(folder / "crm.db"), "backup", str(home / "copy.db")], home=home)
        assert r.returncode == 0, r.stderr
        assert sorted(os.listdir(folder)) == ["crm.db"]
        shutil.copy(home / "copy.db", home / "check.db")
        assert count(home / "check.db") == 3
    finally:
        os.chmod(folder, 0o755)
        shutil.rmtree(home, ignore_errors=True)
        shutil.rmtree(folder, ignore_errors=True)
