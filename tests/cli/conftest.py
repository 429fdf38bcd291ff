"""Running the command line in-process: ``main(argv)`` with captured stdio, as a rep's shell would.

Much faster than a subprocess per call (no interpreter start, no re-import). A few tests still
run real processes, one per concern: the lean start-up (what ``due`` imports), exit codes
of the real ``tuicrm`` process; file modes and the umask are in tests/safety/test_files.py.
"""

from __future__ import annotations

import pytest

from cli_runner import Result, run_main  # noqa: F401  (tests/ is on sys.path: tests/conftest.py)


@pytest.fixture
def cli():
    """``cli(db, *args, now=..., input=..., env_extra=...)``: one in-process run against ``db``."""

    def run(db, *args, now="2026-11-22T09:00", input=None, env_extra=None):
        env = {"TUICRM_NOW": now, "COLUMNS": "100", **(env_extra or {})}
        return run_main(["--db", str(db), *args], env=env, input=input)

    return run


@pytest.fixture
def cli_main():
    """``cli_main(argv, env=..., input=...)``: ``run_main`` without the ``--db`` convenience."""
    return run_main
