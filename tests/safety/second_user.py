"""A second user for the file-safety tests: a forked child that drops privileges.

CI runs as root, and root ignores file modes, so a test of "read-only for you" or of another
user's planted symlinks needs a real second user: the child calls ``os.setgid``/``os.setuid``
to ``nobody`` (never skipped as root). As an ordinary user the child stays that user, and the
tests arrange the same situations with modes alone.

A forked child inherits the parent's imported modules; whatever it imports afterwards must be
readable by ``nobody`` (the interpreter may live under /root). ``warm_up`` runs the commands
once in this process first, so every lazy import has already happened before the fork.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import sys
import tempfile
import traceback
from collections.abc import Callable
from pathlib import Path

from cli_runner import Result, run_main

ROOT = os.geteuid() == 0


def other_ids() -> tuple[int, int]:
    """(uid, gid) the child runs as: nobody when we are root, else ourselves."""
    if not ROOT:
        return os.geteuid(), os.getegid()
    entry = pwd.getpwnam("nobody")
    return entry.pw_uid, entry.pw_gid


def shared_dir(mode: int = 0o777) -> Path:
    """A fresh directory both users can reach (under /tmp, not under root's private tmp_path)."""
    path = Path(tempfile.mkdtemp(prefix="tuicrm-shared-", dir="/tmp"))
    os.chmod(path, mode)
    return path


def in_process(args: list[str]) -> Result:
    """``tuicrm.cli.main(args)`` in this process, output captured (``cli_runner.run_main``)."""
    return run_main(args)


def as_other_user(fn: Callable[[], int], *, home: Path) -> Result:
    """Run ``fn`` in a forked child as the second user; its return value is the exit code."""
    uid, gid = other_ids()
    out_path, err_path = home / "child.out", home / "child.err"
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        code = 99
        try:
            sys.stdout = open(out_path, "w", encoding="utf-8")  # noqa: SIM115
            sys.stderr = open(err_path, "w", encoding="utf-8")  # noqa: SIM115
            if ROOT:
                os.setgroups([])
                os.setgid(gid)
                os.setuid(uid)
            os.environ["HOME"] = str(home)
            os.environ["XDG_CONFIG_HOME"] = str(home / "config")
            os.environ["XDG_DATA_HOME"] = str(home / "data")
            code = fn()
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        except BaseException:
            traceback.print_exc()
        finally:
            with contextlib.suppress(Exception):
                sys.stdout.flush()
                sys.stderr.flush()
            os._exit(code)
    _pid, status = os.waitpid(pid, 0)
    return Result(
        os.waitstatus_to_exitcode(status),
        out_path.read_text(encoding="utf-8"),
        err_path.read_text(encoding="utf-8"),
    )


def cli_as_other_user(args: list[str], *, home: Path) -> Result:
    """``tuicrm ARGS`` as the second user (``main`` in a forked, privilege-dropped child)."""

    def run() -> int:
        from tuicrm.cli import main

        try:
            main(args)
        except SystemExit as exc:
            return exc.code if isinstance(exc.code, int) else 0
        return 0

    return as_other_user(run, home=home)


def warm_up(template_db: Path, commands: list[list[str]]) -> None:
    """Run ``commands`` (without ``--db``) once as ourselves on a scratch copy, so the child
    needs no import the second user could not read."""
    scratch = Path(tempfile.mkdtemp(prefix="tuicrm-warm-"))
    try:
        db = scratch / "warm.db"
        shutil.copy(template_db, db)
        for command in commands:
            in_process(["--db", str(db), *command])
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def give(path: Path, uid: int, gid: int) -> None:
    """chown when we may (root); otherwise the file is already ours."""
    if ROOT:
        os.chown(path, uid, gid)
