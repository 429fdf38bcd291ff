"""File modes on a shared server (issue #6, SPEC §10): under umask 022 the data directory is 0700
and the database, its -wal/-shm and backups are 0600, whoever creates them.

Two ways in: the installed ``tuicrm`` entry point (whose ``main`` also tightens the umask) and
Typer's ``app`` invoked in this process under umask 022, where ``tuicrm.db`` alone must get the
modes right. Also: a backup taken while another process writes is a consistent copy.
"""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tuicrm.backups import backup_to
from tuicrm.db import integrity_problems

TUICRM = str(Path(sys.executable).with_name("tuicrm"))


def mode(p: Path) -> int:
    return stat.S_IMODE(p.stat().st_mode)


def _umask_022():
    os.umask(0o022)


def run_entry(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """The installed ``tuicrm`` script, started under umask 022 (its ``main`` sets 077 too)."""
    return subprocess.run(
        [TUICRM, *args],
        capture_output=True,
        text=True,
        timeout=60,
        env=env or dict(os.environ),
        preexec_fn=_umask_022,
    )


class _Result:
    def __init__(self, returncode: int, stdout: str, stderr: str):
        self.returncode, self.stdout, self.stderr = returncode, stdout, stderr


def run_app(*args: str) -> _Result:
    """Typer's app in this process under umask 022 (no ``main()`` to tighten it): only
    ``tuicrm.db`` stands between the umask and the files."""
    from typer.testing import CliRunner

    from tuicrm.cli.app import app

    old = os.umask(0o022)
    try:
        result = CliRunner().invoke(app, list(args))
    finally:
        os.umask(old)
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return _Result(result.exit_code, result.stdout, result.stderr)


def _assert_private_db(db: Path) -> None:
    assert mode(db) == 0o600
    assert mode(db.parent) == 0o700
    # Keep a reader open so the WAL files stay (the last connection to close deletes them), write
    # from another process, and look at them.
    holder = sqlite3.connect(db)
    try:
        holder.execute("SELECT COUNT(*) FROM customer").fetchall()
        r = run_app("--db", str(db), "add", "customer", "Second customer", "--phone", "13900001111")
        assert r.returncode == 0, r.stderr
        for suffix in ("-wal", "-shm"):
            side = Path(str(db) + suffix)
            assert side.exists() and mode(side) == 0o600, (suffix, oct(mode(side)))
    finally:
        holder.close()


@pytest.mark.parametrize("runner", [run_entry, run_app], ids=["tuicrm-script", "typer-app"])
def test_default_xdg_database_is_private_under_umask_022(isolated_env, runner):
    r = runner("add", "customer", "Acme", "--phone", "13812345678")
    assert r.returncode == 0, r.stderr
    db = isolated_env / "data" / "tuicrm" / "crm.db"
    assert db.exists()
    assert mode(isolated_env / "data") == 0o700  # $XDG_DATA_HOME did not exist either: we made it
    _assert_private_db(db)


def test_database_in_a_new_nested_directory_via_db_option(tmp_path):
    db = tmp_path / "a" / "b" / "crm.db"
    r = run_app("--db", str(db), "add", "customer", "Acme")
    assert r.returncode == 0, r.stderr
    assert mode(tmp_path / "a") == 0o700
    _assert_private_db(db)


def test_backup_through_the_tuicrm_script_is_private(tmp_path):
    db = tmp_path / "crm" / "crm.db"
    assert run_entry("--db", str(db), "add", "customer", "Acme", "--phone", "13812345678").returncode == 0
    dest = tmp_path / "backups" / "copy.db"
    r = run_entry("--db", str(db), "backup", str(dest))
    assert r.returncode == 0, r.stderr
    assert mode(dest) == 0o600 and mode(dest.parent) == 0o700
    assert integrity_problems(dest) == []


def test_backups_are_private_under_umask_022(tmp_path):
    runner = run_app
    db = tmp_path / "crm" / "crm.db"
    assert runner("--db", str(db), "add", "customer", "Acme", "--phone", "13812345678").returncode == 0
    # Explicit file in a directory that does not exist yet.
    dest = tmp_path / "backups" / "nested" / "copy.db"
    r = runner("--db", str(db), "backup", str(dest))
    assert r.returncode == 0, r.stderr
    assert mode(dest) == 0o600
    assert mode(dest.parent) == 0o700 and mode(dest.parent.parent) == 0o700
    # Default name, next to the database.
    r = runner("--db", str(db), "backup")
    assert r.returncode == 0, r.stderr
    (dated,) = db.parent.glob("crm-backup-2026-11-22-*.db")  # the time in the name (issue #14)
    assert mode(dated) == 0o600
    # Into an existing directory.
    shelf = tmp_path / "shelf"
    shelf.mkdir()
    assert runner("--db", str(db), "backup", str(shelf)).returncode == 0
    (shelved,) = shelf.glob("crm-backup-2026-11-22-*.db")
    assert mode(shelved) == 0o600
    # An existing destination is kept unless --force; with it, the new copy is private.
    dest.chmod(0o644)
    r = runner("--db", str(db), "backup", str(dest))
    assert r.returncode == 1 and "already exists" in r.stderr and mode(dest) == 0o644
    assert runner("--db", str(db), "backup", str(dest), "--force").returncode == 0
    assert mode(dest) == 0o600
    # A backup opens as a database and its own WAL files come out private too.
    for copy in (dest, dated):
        assert integrity_problems(copy) == []
        r = run_app("--db", str(copy), "show", "acme", "--json")
        assert r.returncode == 0 and json.loads(r.stdout)["customer"]["name"] == "Acme"


@pytest.mark.slow(seconds=3)
def test_backup_while_another_process_writes_is_consistent(tmp_path, store):
    """The online backup API copies one consistent snapshot even while a writer commits."""
    from tuicrm.store.customers import create_customer

    with store.write("add") as s:
        create_customer(s, "Acme", status="intent")
    store.dispose()
    db = Path(store.path)
    go = tmp_path / "go"
    go.touch()
    workers = Path(__file__).with_name("workers.py")
    writer = subprocess.Popen(
        [sys.executable, str(workers), "writer", str(db), "400", "W", str(go)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    copies = []
    try:
        while writer.poll() is None and len(copies) < 40:
            dest = tmp_path / f"copy-{len(copies)}.db"
            backup_to(db, dest)
            copies.append(dest)
    finally:
        out, err = writer.communicate(timeout=120)
    assert writer.returncode == 0, err
    assert json.loads(out)["failures"] == 0  # backups never made the writer fail
    counts = set()
    for copy in copies:
        assert mode(copy) == 0o600
        assert integrity_problems(copy) == []
        conn = sqlite3.connect(copy)
        n = conn.execute("SELECT COUNT(*) FROM followup").fetchone()[0]
        counter = conn.execute("SELECT revenue_total FROM customer WHERE id = 1").fetchone()[0]
        conn.close()
        assert (counter or 0) == n * 100  # a snapshot between transactions, never inside one
        counts.add(n)
    assert len(copies) >= 2


EXPORTS = ["all.json", "customers.csv", "all.xlsx", "contacts.vcf", "followups.ics"]


@pytest.mark.parametrize("name", EXPORTS)
def test_exports_are_private_under_umask_022(tmp_path, name):
    db = tmp_path / "crm" / "crm.db"
    assert (
        run_app(
            "--db", str(db), "add", "customer", "Acme", "--phone", "13812345678", "--next", "+3d"
        ).returncode
        == 0
    )
    assert (
        run_app("--db", str(db), "add", "contact", "acme", "Wile", "--phone", "13900001111").returncode == 0
    )
    out = tmp_path / "out"
    out.mkdir()
    target = out / name
    r = run_app("--db", str(db), "export", str(target))
    assert r.returncode == 0, r.stderr
    assert mode(target) == 0o600
    # Overwriting an export someone made world-readable leaves a private file, and no temporary.
    target.chmod(0o644)
    r = run_app("--db", str(db), "export", str(target))
    assert r.returncode == 1 and "already exists" in r.stderr and mode(target) == 0o644  # kept
    assert run_app("--db", str(db), "export", str(target), "--force").returncode == 0
    assert mode(target) == 0o600
    assert sorted(p.name for p in out.iterdir()) == [name]


def test_export_through_the_tuicrm_script_is_private(tmp_path):
    db = tmp_path / "crm" / "crm.db"
    assert run_entry("--db", str(db), "add", "customer", "Acme", "--phone", "13812345678").returncode == 0
    target = tmp_path / "acme.json"
    r = run_entry("--db", str(db), "export", str(target))
    assert r.returncode == 0, r.stderr
    assert mode(target) == 0o600
