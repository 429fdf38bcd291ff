"""The TUI exits when its terminal goes away (issue #21): SIGHUP, or its input hung up (EOF).

A real ``tuicrm`` in a pseudo-terminal on a small database: once the first screen is drawn,
the terminal goes away; the process must be gone within a second or so, leaving the database
closed (no -wal left behind by a process still holding it).
"""

from __future__ import annotations

import fcntl
import os
import pty
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

TUICRM = str(Path(sys.executable).with_name("tuicrm"))
# Gone this long after the hangup (the exit itself takes ~0.1 s; the rest is a busy machine).
GONE_WITHIN = 3.0


def start(db: Path) -> tuple[subprocess.Popen[bytes], int]:
    """``tuicrm --db DB`` on the slave of a new pty, the first screen drawn; (process, master fd)."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    env = dict(os.environ, TERM="xterm-256color", TUICRM_NOW="2026-11-22T09:00")
    process = subprocess.Popen(
        [TUICRM, "--db", str(db)],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        # Its own session, the pty not its controlling terminal: closing the master sends no
        # SIGHUP, as for a TUI started from a shell's completion (issue #21): only EOF tells.
        start_new_session=True,
        close_fds=True,
    )
    os.close(slave)
    seen = b""
    deadline = time.monotonic() + 60
    while b"C00001" not in seen and time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 0.5)
        if ready:
            try:
                seen += os.read(master, 65536)
            except OSError:
                break
    assert b"C00001" in seen, seen[-500:]  # the customer list is drawn
    return process, master


def gone_after(process: subprocess.Popen[bytes], master: int | None) -> float:
    """Seconds until the process exits (draining the terminal meanwhile); kills it on timeout."""
    started = time.monotonic()
    while process.poll() is None and time.monotonic() - started < GONE_WITHIN + 5:
        if master is not None:
            ready, _, _ = select.select([master], [], [], 0.05)
            if ready:
                try:
                    os.read(master, 65536)
                except OSError:
                    pass
        else:
            time.sleep(0.02)
    took = time.monotonic() - started
    if process.poll() is None:
        process.kill()
        process.wait()
    return took


@pytest.mark.slow(seconds=4)
def test_sighup_ends_the_tui(demo_db):
    db = demo_db(30, 1)
    process, master = start(db)
    try:
        process.send_signal(signal.SIGHUP)
        took = gone_after(process, master)
    finally:
        os.close(master)
    assert took < GONE_WITHIN, f"still running {took:.1f} s after SIGHUP"
    assert not Path(f"{db}-wal").exists() or Path(f"{db}-wal").stat().st_size == 0


@pytest.mark.slow(seconds=4)
def test_the_terminal_closing_ends_the_tui(demo_db):
    """The SSH link drops: the pty's master side closes; the TUI's input is at its end."""
    db = demo_db(30, 1)
    process, master = start(db)
    os.close(master)
    took = gone_after(process, None)
    assert took < GONE_WITHIN, f"still running {took:.1f} s after the terminal closed"
