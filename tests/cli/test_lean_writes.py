"""The command line's hot writes run lean (plain sqlite3, no SQLModel or SQLAlchemy), and
``tuicrm undo --yes`` puts the whole database back after each."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "store"))  # dbdump (tests/ has no packages)
from dbdump import dump  # noqa: E402

WRITES = {
    "log": ["log", "C000001", "called", "--next", "+3d", "--action", "send quote"],
    "log auto": ["log", "C000002", "emailed", "--channel", "email"],
    "snooze": ["snooze", "C000001", "+1w", "--reason", "away"],
    "assess": ["assess", "C000001", "--potential", "9", "--willingness", "8"],
    "add customer": ["add", "customer", "Acme Ltd", "--phone", "138 0000 1111", "--next", "+2d"],
    "opp move": ["opp", "move", "{open}", "won"],
    "opp lost": ["opp", "move", "{open}", "lost", "--reason", "price"],
}


def _args(path: Path, args: list[str]) -> list[str]:
    conn = sqlite3.connect(path)
    (open_id,) = conn.execute("SELECT min(id) FROM opportunity WHERE stage NOT IN ('won', 'lost')").fetchone()
    conn.close()
    return [a.format(open=open_id) for a in args]


@pytest.mark.parametrize("name", list(WRITES))
def test_undo_reverses_each_cli_write(cli, demo_db, name):
    path = demo_db(40, 3)
    before = dump(path, undo_log=False)
    r = cli(path, *_args(path, WRITES[name]))
    assert r.returncode == 0, r.stderr
    assert dump(path, undo_log=False) != before
    r = cli(path, "undo", "--yes")
    assert r.returncode == 0 and "Undone" in r.stdout, r.stderr
    assert dump(path, undo_log=False) == before


def test_the_cli_writes_import_no_sqlmodel_or_sqlalchemy(demo_db):
    """A real process: log, snooze, assess, add customer and opp move stay off the ORM."""
    path = demo_db(40, 3)
    runs = [_args(path, args) for args in WRITES.values()]
    code = (
        "import sys\n"
        "from tuicrm.cli import main\n"
        f"for args in {runs!r}:\n"
        "    try:\n"
        f"        main(['--db', {str(path)!r}] + args)\n"
        "    except SystemExit as e:\n"
        "        assert not e.code, (args, e.code)\n"
        "heavy = ('sqlmodel', 'sqlalchemy', 'alembic', 'textual')\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & set(heavy)))\n"
    )
    r = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
        env=dict(os.environ, TUICRM_NOW="2026-11-22T09:00"),
    )
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip().splitlines()[-1] == "[]", r.stdout


def test_the_store_path_still_writes_where_lean_cannot(cli, tmp_path):
    """A missing file: ``add customer`` creates it through the migrating Store."""
    path = tmp_path / "new" / "crm.db"
    r = cli(path, "add", "customer", "Acme")
    assert r.returncode == 0 and "C000001" in r.stdout, r.stderr
    r = cli(path, "log", "Acme", "called")
    assert r.returncode == 0, r.stderr


def test_references_and_rules_say_one_sentence(cli, demo_db):
    path = demo_db(40, 3)
    r = cli(path, "log", "nobody-like-this", "called")
    assert r.returncode == 1 and r.stderr.count("\n") == 1
    r = cli(path, "opp", "move", "1", "lost")
    assert r.returncode == 2 and "reason" in r.stderr.lower()
    r = cli(path, "log", "C000001", "   ")
    assert r.returncode == 2
