"""Running the command line in-process: ``main(argv)`` with captured stdio, as a rep's shell would.

Much faster than a subprocess per call (no interpreter start, no re-import). A few tests still
run real processes, one per concern: the lean start-up (what ``due`` imports), exit codes
of the real ``tuicrm`` process; file modes and the umask are in tests/safety/test_files.py.
"""

from __future__ import annotations

import io
import os
import sys
from dataclasses import dataclass

import pytest


@dataclass
class Result:
    returncode: int
    stdout: str
    stderr: str


def run_main(argv: list[str], env: dict[str, str] | None = None, input: str | None = None) -> Result:
    """``tuicrm.cli.main(argv)`` in this process; the environment, stdio and umask are restored."""
    from tuicrm.cli import main

    saved_env = dict(os.environ)
    saved_io = sys.stdin, sys.stdout, sys.stderr
    umask = os.umask(0o022)
    os.umask(umask)
    out, err = io.StringIO(), io.StringIO()
    os.environ.update(env or {})
    sys.stdin, sys.stdout, sys.stderr = io.StringIO(input or ""), out, err
    try:
        main(list(argv))
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    finally:
        sys.stdin, sys.stdout, sys.stderr = saved_io
        os.umask(umask)
        os.environ.clear()
        os.environ.update(saved_env)
    return Result(code, out.getvalue(), err.getvalue())


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
