import os
import sqlite3
import stat
from decimal import Decimal
from pathlib import Path

import pytest

from tuicrm.db import HEAD_REVISION, DatabaseError, current_revision, make_engine

V1_SQL = Path(__file__).resolve().parents[1] / "data" / "schema_v1.sql"


def mode(p: Path) -> int:
    return stat.S_IMODE(p.stat().st_mode)


def test_new_database_is_private_under_umask_022(tmp_path):
    old = os.umask(0o022)
    try:
        path = tmp_path / "new" / "nested" / "crm.db"
        from tuicrm.store import Store
        from tuicrm.store import customers as C

        store = Store.open(str(path))
        with store.write("add") as s:
            C.create_customer(s, "Acme")
        assert mode(path) == 0o600
        assert mode(path.parent) == 0o700
        assert mode(path.parent.parent) == 0o700
        for suffix in ("-wal", "-shm"):
            side = Path(str(path) + suffix)
            assert side.exists() and mode(side) == 0o600, suffix
        store.dispose()
    finally:
        os.umask(old)


def test_existing_directory_is_left_alone(tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o755)
    os.chmod(shared, 0o755)
    make_engine(str(shared / "crm.db"))
    assert mode(shared) == 0o755
    assert mode(shared / "crm.db") == 0o600


def test_pragmas(tmp_path):
    engine = make_engine(str(tmp_path / "crm.db"))
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL: see docs/safety.md


def test_head_revision_matches_alembic_scripts():
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    cfg = Config()
    cfg.set_main_option(
        "script_location", str(Path(__file__).resolve().parents[2] / "src" / "tuicrm" / "migrations")
    )
    assert ScriptDirectory.from_config(cfg).get_current_head() == HEAD_REVISION


def test_first_schema_version_upgrades_with_data_intact(tmp_path):
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    conn.executescript(V1_SQL.read_text())
    conn.close()
    before = _dump_rows(path)
    engine = make_engine(str(path))
    assert current_revision(engine) == HEAD_REVISION
    after = _dump_rows(path)
    for table, rows in before.items():
        # Later migrations only add columns (at the end): every old value is where it was.
        assert [row[: len(old)] for row, old in zip(after[table], rows, strict=True)] == rows, table
    with sqlite3.connect(path) as conn:  # 0007: the Chinese name's pinyin is searchable
        assert (
            "jingmi"
            in conn.execute("SELECT search_text FROM customer WHERE name LIKE '%精密%'").fetchone()[0]
        )
    from tuicrm.clock import today
    from tuicrm.query.followups import due
    from tuicrm.store import Store, dbapi
    from tuicrm.store import customers as C
    from tuicrm.store import followups as F

    store = Store(engine)
    with store.read() as s:
        jm = C.resolve_customer(s, "精密")
        assert jm.budget_max == Decimal("500000.00")
        assert [i.name for i in due(dbapi(s), store.config, today())] == ["Acme Robotics Ltd"]
    with store.write("snooze") as s:  # the table 0002 added works on the upgraded file
        F.snooze(s, C.resolve_customer(s, "acme"), jm.next_follow_up_on)


def _dump_rows(path):
    """Every row of the old tables; the customer's search_text (derived: migration 0007 rebuilds
    it with pinyin spellings) is left out, and checked on its own."""
    conn = sqlite3.connect(path)
    tables = ["customer", "contact", "followup", "tierassessment", "opportunity", "stagechange"]
    out = {}
    for t in tables:
        cursor = conn.execute(f"SELECT * FROM {t} ORDER BY id")
        names = [d[0] for d in cursor.description]
        keep = [i for i, n in enumerate(names) if n != "search_text"]
        out[t] = [tuple(row[i] for i in keep) for row in cursor.fetchall()]
    conn.close()
    return out


def test_not_a_database_is_one_sentence(tmp_path):
    bogus = tmp_path / "bogus.db"
    bogus.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(DatabaseError) as err:
        make_engine(str(bogus))
    assert "not a tuicrm database" in str(err.value)


def test_models_and_migrations_agree(tmp_path):
    """A schema change in models.py without a migration fails here (alembic check)."""
    import warnings

    from alembic import command
    from alembic.config import Config

    path = tmp_path / "check.db"
    make_engine(str(path))
    cfg = Config()
    cfg.set_main_option(
        "script_location", str(Path(__file__).resolve().parents[2] / "src" / "tuicrm" / "migrations")
    )
    cfg.set_main_option("sqlalchemy.url", f"sqlite:///{path}")
    with warnings.catch_warnings():
        warnings.simplefilter(
            "ignore"
        )  # expression indexes cannot be reflected; they are the migrations' own
        command.check(cfg)


def _master(path) -> list[tuple]:
    with sqlite3.connect(path) as conn:
        rows = conn.execute(
            "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name"
        ).fetchall()
        rows.append(conn.execute("SELECT version_num FROM alembic_version").fetchone())
    return rows


def test_a_new_database_gets_exactly_the_schema_the_migrations_build(tmp_path):
    import sqlalchemy as sa

    from tuicrm.db import HEAD_SCHEMA, schema_script, upgrade_with_migrations

    migrated = tmp_path / "migrated.db"
    engine = sa.create_engine(f"sqlite:///{migrated}")
    upgrade_with_migrations(engine)
    engine.dispose()
    with sqlite3.connect(migrated) as conn:
        assert schema_script(conn) == HEAD_SCHEMA.read_text(encoding="utf-8"), (
            "the migrations changed: regenerate the snapshot with `python -m tuicrm.db`"
        )
    snapshot = tmp_path / "new.db"
    make_engine(str(snapshot)).dispose()
    assert _master(snapshot) == _master(migrated)
    assert _master(snapshot)[-1] == (HEAD_REVISION,)


def test_a_new_database_is_made_without_importing_alembic(tmp_path):
    import subprocess
    import sys

    code = (
        "import sys; from tuicrm.db import make_engine; make_engine(sys.argv[1]); "
        "print('alembic' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "fresh.db")], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "False"


def test_a_file_with_other_tables_is_refused_untouched(tmp_path):
    """Issue #14: a SQLite file of another program is never migrated into."""
    path = tmp_path / "old.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE notes (x)")
    before = path.read_bytes()
    with pytest.raises(DatabaseError, match="another program"):
        make_engine(str(path))
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old.db"]
