"""Copy text to the rep's local clipboard through the terminal (OSC 52): works over SSH.

The terminal (not this machine) owns the clipboard: ``ESC ] 52 ; c ; <base64> BEL`` asks it to
put the text there. Inside tmux, ``set -g set-clipboard on`` lets tmux pass it on (docs/cli.md).
The TUI uses Textual's ``App.copy_to_clipboard``, which writes the same sequence.
"""

from __future__ import annotations

import base64
import os
import sys
from typing import BinaryIO

# Where the sequence goes: the controlling terminal, so it works with stdout in a pipe or a file.
TTY = "/dev/tty"


class NoTerminal(Exception):
    """Neither a controlling terminal nor a terminal on stdout: nothing can take the sequence."""


def osc52(text: str) -> bytes:
    """The OSC 52 sequence that puts ``text`` (as UTF-8) on the clipboard."""
    payload = base64.b64encode(text.encode("utf-8")).decode("ascii")
    return f"\x1b]52;c;{payload}\x07".encode("ascii")


def copy_to_clipboard(text: str, tty: str | None = None) -> str:
    """Write ``osc52(text)`` to the controlling terminal (``tty``, default ``TTY``), else to stdout
    when it is a terminal; returns where it went. Raises ``NoTerminal`` when neither can take it."""
    data = osc52(text)
    try:
        fd = os.open(tty or TTY, os.O_WRONLY | os.O_NOCTTY | os.O_APPEND)
    except OSError:
        fd = -1
    if fd >= 0:
        try:
            view = memoryview(data)
            while view:  # a terminal may take a long report in parts
                view = view[os.write(fd, view) :]
        finally:
            os.close(fd)
        return tty or TTY
    if sys.stdout.isatty():
        sys.stdout.flush()
        out: BinaryIO = sys.stdout.buffer
        out.write(data)
        out.flush()
        return "stdout"
    raise NoTerminal


__all__ = ["TTY", "NoTerminal", "copy_to_clipboard", "osc52"]
