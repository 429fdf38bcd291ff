"""Shared fixtures: a pinned clock, a private home, a temp database. No real home directory touched."""

from __future__ import annotations

import io
import os
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import settings

# Two workers on two cores, beside crash loops and real processes: an example's wall time says more
# about the neighbours than about the code, so Hypothesis checks every example but times none.
settings.register_profile("tuicrm", deadline=None)
settings.load_profile("tuicrm")

REPO_ROOT = Path(__file__).resolve().parents[1]
REAL_DATA = REPO_ROOT.parent / "shared" / "data" / "real"
PINNED_NOW = "2026-11-22T09:00"


@pytest.fixture(autouse=True)
def isolated_env(tmp_path_factory, monkeypatch):
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("TUICRM_NOW", PINNED_NOW)
    monkeypatch.setenv("USER", "rep")
    monkeypatch.setenv("TZ", "UTC")
    monkeypatch.delenv("TUICRM_DB", raising=False)
    monkeypatch.delenv("TUICRM_CONFIG", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    yield home


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / "crm" / "crm.db"


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory):
    """``demo_db(customers, seed)``: the path of a fresh copy of a demo database.

    Each (customers, seed) database is generated once per worker, closed and checkpointed (one
    file, no -wal), then copied for every test that asks: a copy costs milliseconds, a demo of a
    few hundred customers about a second. Built with the pinned clock in a private home.
    """
    import shutil

    built: dict[tuple[int, int], Path] = {}
    copies = tmp_path_factory.mktemp("demo-copies")

    def make(customers: int = 300, seed: int = 1) -> Path:
        key = (customers, seed)
        if key not in built:
            from tuicrm.demo import generate
            from tuicrm.store import Store

            folder = tmp_path_factory.mktemp(f"demo-{customers}-{seed}")
            with pytest.MonkeyPatch.context() as mp:
                mp.setenv("HOME", str(folder / "home"))
                mp.setenv("XDG_CONFIG_HOME", str(folder / "home" / "config"))
                mp.setenv("TUICRM_NOW", PINNED_NOW)
                mp.setenv("TZ", "UTC")
                mp.delenv("TUICRM_CONFIG", raising=False)
                store = Store.open(str(folder / "demo.db"))
                generate(store, customers=customers, seed=seed)
                store.dispose()
            built[key] = folder / "demo.db"
        dest = copies / f"{len(list(copies.iterdir()))}" / "crm.db"
        dest.parent.mkdir(mode=0o700)
        shutil.copy(built[key], dest)
        return dest

    return make


@dataclass
class CliResult:
    returncode: int
    stdout: str
    stderr: str


def run_tuicrm(db, *args: str, input: str | None = None, env: dict[str, str] | None = None) -> CliResult:
    """``tuicrm --db DB ARGS`` in this process: ``tuicrm.cli.main`` as the console script calls it
    (``sys.argv``), stdio captured, exit code from its ``SystemExit``; the environment, argv,
    stdio and umask restored after. No interpreter start and no re-import per call."""
    from tuicrm.cli import main

    saved = dict(os.environ), list(sys.argv), (sys.stdin, sys.stdout, sys.stderr)
    umask = os.umask(0o077)
    os.umask(umask)
    out, err = io.StringIO(), io.StringIO()
    os.environ.update(env or {})
    sys.argv = ["tuicrm", "--db", str(db), *args]
    sys.stdin, sys.stdout, sys.stderr = io.StringIO(input or ""), out, err
    try:
        main()
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    finally:
        sys.stdin, sys.stdout, sys.stderr = saved[2]
        sys.argv = saved[1]
        os.umask(umask)
        os.environ.clear()
        os.environ.update(saved[0])
    return CliResult(code, out.getvalue(), err.getvalue())


@pytest.fixture
def tuicrm_cli():
    """``tuicrm_cli(db, *args, input=..., env=...)``: see ``run_tuicrm``."""
    return run_tuicrm


@pytest.fixture
def store(db_path):
    from tuicrm.store import Store

    s = Store.open(str(db_path))
    yield s
    s.dispose()


# -- scheduling on both cores (pytest-xdist, ``--dist worksteal``) ---------------------------------
#
# ``@pytest.mark.slow`` marks a long pole (a crash loop, a multi-process run). Worksteal hands each
# worker a contiguous half of the collected tests and lets an idle worker steal from the *end* of
# the other's queue; a long test at the end of a queue would run last, alone. So the slow tests go
# to the *front* of each half, longest-first order kept, dealt alternately: they start at once, in
# parallel with each other and with everything else.


def pytest_collection_modifyitems(config, items):
    workers = getattr(config, "workerinput", {}).get("workercount", 1)
    if workers < 2:
        return
    slow = [item for item in items if item.get_closest_marker("slow")]
    if not slow:
        return
    rest = [item for item in items if not item.get_closest_marker("slow")]
    size = len(items) // workers  # worksteal's first split: equal contiguous parts
    groups = [slow[i::workers] for i in range(workers)]
    ordered: list = []
    for i, group in enumerate(groups):
        take = size - len(group) if i < workers - 1 else len(rest)
        ordered += group + rest[:take]
        rest = rest[take:]
    items[:] = ordered
