"""Shared fixtures: a pinned clock, a private home, a temp database. No real home directory touched."""

from __future__ import annotations

import copy
import gc
import sys
from pathlib import Path

import pytest
from hypothesis import settings

# Two workers on two cores, beside crash loops and real processes: an example's wall time says more
# about the neighbours than about the code, so Hypothesis checks every example but times none.
settings.register_profile("tuicrm", deadline=None)
settings.load_profile("tuicrm")

# tests/ has no packages: its shared helpers (cli_runner) are imported from here.
sys.path.insert(0, str(Path(__file__).resolve().parent))
from cli_runner import Result, run_main  # noqa: E402
from pilot_waits import pause_after_writes  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parents[1]
REAL_DATA = REPO_ROOT.parent / "shared" / "data" / "real"
PINNED_NOW = "2026-11-22T09:00"


@pytest.fixture(autouse=True)
def _pilot_waits_for_writes(monkeypatch):
    from textual.pilot import Pilot

    monkeypatch.setattr(Pilot, "pause", pause_after_writes)


@pytest.fixture(autouse=True)
def isolated_env(tmp_path_factory, monkeypatch):
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / "state"))  # drafts of open forms
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


def run_tuicrm(db, *args: str, input: str | None = None, env: dict[str, str] | None = None) -> Result:
    """``tuicrm --db DB ARGS`` in this process (``cli_runner.run_main``)."""
    return run_main(["--db", str(db), *args], env=env, input=input)


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
# ``@pytest.mark.slow(seconds=N)`` marks a long pole (a crash loop, several processes; N: its wall
# time on an idle 2-core machine, default 10). Worksteal hands each worker a contiguous part of the
# collected tests and lets an idle worker steal from the *end* of another's queue; a long test at
# the end of a queue would run last, alone. So the slow tests go to the *front* of each part, dealt
# longest first to the worker with the least slow work so far: they start at once, in parallel with
# each other and with everything else.


def slow_seconds(item) -> float | None:
    marker = item.get_closest_marker("slow")
    if marker is None:
        return None
    return float(marker.kwargs.get("seconds", marker.args[0] if marker.args else 10))


def deal_slow_first(items: list, workers: int) -> list:
    """``items`` reordered for ``workers`` worksteal workers (see above); the same set of tests."""
    slow = sorted((i for i in items if slow_seconds(i) is not None), key=lambda i: -(slow_seconds(i) or 0))
    if workers < 2 or not slow:
        return list(items)
    rest = [i for i in items if slow_seconds(i) is None]
    groups: list[list] = [[] for _ in range(workers)]
    load = [0.0] * workers
    for item in slow:
        w = load.index(min(load))
        groups[w].append(item)
        load[w] += slow_seconds(item) or 0
    size = len(items) // workers  # worksteal's first split: equal contiguous parts
    ordered: list = []
    for w, group in enumerate(groups):
        take = max(0, size - len(group)) if w < workers - 1 else len(rest)
        ordered += group + rest[:take]
        rest = rest[take:]
    return ordered


# -- the garbage collector ------------------------------------------------------------------------
#
# Every Pilot test builds an app: tens of thousands of objects that live as long as the test and
# then die in reference cycles. With CPython's default thresholds (700, 10, 10) they reach the
# oldest generation and force a full collection every few hundred milliseconds of a UI test: a
# quarter of tests/ui's CPU time went to walking every live object again (tests/ui/test_app_shell.py:
# 63 full collections, 12.8 of its 53 CPU seconds). So, once the tests are collected, the imported
# modules are frozen out of the collector's sight (as the app itself does, ``tuicrm.ui.app``) and
# the young generations are collected less often: the same garbage is freed, a few times per test
# instead of a few hundred (tests/ui/test_app_shell.py: 5 of 41 CPU seconds; peak RSS +60 MB).
GC_THRESHOLDS = (10_000, 50, 10)


def pytest_collection_finish(session):
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


# -- the test modules' rewritten asserts, once for every worker ------------------------------------
#
# Each pytest-xdist worker collects the whole suite, and pytest rewrites the asserts of every test
# module it imports (5 of a worker's 8 CPU seconds of collection) unless it finds the rewritten
# module in __pycache__. The workers start together, so on a fresh clone each of them rewrote
# every module. The controller (which collects nothing itself) writes that cache first, split over
# two processes, with pytest's own rewriting; the workers then read it. Nothing is done when
# bytecode may not be written (PYTHONDONTWRITEBYTECODE): the workers rewrite, as before.


def _rewrite_for_the_workers(config) -> None:
    import os

    from _pytest.assertion import rewrite

    state = config.stash[rewrite.assertstate_key]
    files = sorted(
        p
        for p in Path(__file__).resolve().parent.rglob("*.py")
        if p.name.startswith("test_") or p.name == "conftest.py"
    )
    child = os.fork()
    for fn in files[child == 0 :: 2]:  # the child takes one half, this process the other
        try:
            cache_dir = rewrite.get_cache_dir(fn)
            if not rewrite.try_makedirs(cache_dir):
                continue
            pyc = cache_dir / (fn.name[:-3] + rewrite.PYC_TAIL)
            if rewrite._read_pyc(fn, pyc, state.trace) is None:
                source_stat, code = rewrite._rewrite_test(fn, config)
                rewrite._write_pyc(state, code, source_stat, pyc)
        except Exception:  # a module pytest cannot rewrite: its worker says why, as before
            continue
    if child == 0:
        os._exit(0)
    os.waitpid(child, 0)


def pytest_configure(config):
    controller = not hasattr(config, "workerinput") and getattr(config.option, "numprocesses", None)
    if controller and not sys.dont_write_bytecode and config.getoption("assertmode") == "rewrite":
        _rewrite_for_the_workers(config)


# -- Typer's reading of the command functions, once per function -----------------------------------
#
# A command line that takes the Typer path builds the Click command tree from the ~70 command
# functions: ``inspect.signature(eval_str=True)`` and ``get_type_hints`` of each, evaluating every
# string annotation again (``from __future__ import annotations``): 0.2 s per tree, two trees for
# a usage error. A process does it once; the in-process runner (cli_runner) did it for every call
# of every test, half the CPU time of tests/cli. The signature and hints of a function never
# change, so they are read once per function object; everything Typer builds from them (the
# parameter infos it copies, the Click commands) is still built for every call, as in a process.


def _read_function_once():
    import typer.main
    import typer.utils

    read = typer.utils.get_params_from_function
    if getattr(read, "tuicrm_memo", False):
        return
    seen: dict[object, dict] = {}

    def get_params_from_function(func):
        if func not in seen:
            seen[func] = read(func)
        return {
            name: typer.utils.ParamMeta(
                name=meta.name,
                default=copy.copy(meta.default)
                if isinstance(meta.default, typer.models.ParameterInfo)
                else meta.default,
                annotation=meta.annotation,
            )
            for name, meta in seen[func].items()
        }

    get_params_from_function.tuicrm_memo = True  # type: ignore[attr-defined]
    typer.main.get_params_from_function = get_params_from_function


_read_function_once()


def pytest_collection_modifyitems(config, items):
    workers = getattr(config, "workerinput", {}).get("workercount", 1)
    items[:] = deal_slow_first(items, workers)
