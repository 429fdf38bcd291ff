"""The command line in this process: ``tuicrm.cli.main(argv)`` with captured stdio, as a shell runs it.

One runner for every test that calls the CLI in-process (tests/cli, tests/safety, the root
fixtures): much faster than a subprocess per call (no interpreter start, no re-import). The
environment, stdio and umask are restored after each call.
"""

from __future__ import annotations

import io
import os
import sys
from dataclasses import dataclass


@dataclass
class Result:
    returncode: int
    stdout: str
    stderr: str


def run_main(argv: list[str], env: dict[str, str] | None = None, input: str | None = None) -> Result:
    """``tuicrm.cli.main(argv)`` in this process; the exit code from its ``SystemExit``."""
    from tuicrm.cli import main

    saved_env = dict(os.environ)
    saved_io = sys.stdin, sys.stdout, sys.stderr
    umask = os.umask(0o022)  # main() sets 077 for the process: ours comes back afterwards
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
