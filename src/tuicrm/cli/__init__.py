"""The ``tuicrm`` command line (SPEC §8): ``main()`` is the console script.

Fast to start (issue #5). Importing this package imports neither Typer nor the store.
``main()`` first answers a shell's completion request (``tuicrm.cli.complete``, from the
generated ``completion_table``, which also holds the root ``--help``), then offers the command
line to the fast paths (``tuicrm.cli.fastwrites``: the quick writes; ``tuicrm.cli.fast``: plain
``due``/``find``/``show`` and bare ``tuicrm``, read through ``tuicrm.cli.reads``); anything
else builds the Typer app (``tuicrm.cli.app``). The store, SQLModel and Rich load inside the
commands that need them, Textual only inside the command that opens the TUI.

Modules: ``app`` (the command tree), ``commands/*`` (the commands by topic), ``readviews``
(what due/find/show print), ``reads`` (every read: the query layer, lean or through the store),
``context`` (``--db``, the store, dates, references, writes), ``output`` (tables, JSON,
errors, exit codes), ``fast`` (the fast parser), ``tui`` (opening the TUI).

Errors print one plain sentence to stderr, never a traceback.
"""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import NoReturn


def main(argv: list[str] | None = None) -> NoReturn:
    """Run the command line on ``argv`` (default ``sys.argv[1:]``) and exit with its code."""
    from tuicrm.cli.output import EXIT_BAD_INPUT, EXIT_INTERRUPTED, EXIT_NOT_FOUND, err, error_line
    from tuicrm.i18n import _

    args = sys.argv[1:] if argv is None else list(argv)
    from tuicrm.cli import complete

    # A shell asking for completions: answered first, so it never reaches the TUI (issue #21).
    answered = complete.answer()
    if answered is not None:
        sys.exit(answered)
    # Files we create (database, backups, exports) are private to the rep.
    os.umask(0o077)
    unreadable = _unreadable_argument(args)
    if unreadable:
        err(
            error_line(
                _("could not read an argument as text (argument {n} is not valid UTF-8).").format(
                    n=unreadable
                )
            )
        )
        sys.exit(EXIT_BAD_INPUT)
    try:
        if args in (["--help"], ["-h"]):
            text = complete.root_help()  # generated at build time: no Typer to import
            if text is not None:
                sys.stdout.write(text)
                sys.stdout.flush()
                sys.exit(0)
        from tuicrm.cli import fastwrites

        code = fastwrites.run(args)  # the quick writes first: they need none of the read views
        if code is None:
            from tuicrm.cli import fast

            code = fast.run(args)
        if code is not None:
            sys.stdout.flush()
            sys.exit(code)
        from tuicrm.cli.app import run

        run(args)
    except KeyboardInterrupt:
        err(error_line(_("interrupted; nothing half-written was kept.")))
        sys.exit(EXIT_INTERRUPTED)
    except BrokenPipeError:
        # `tuicrm due | head`: the reader left; say nothing more.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(1)
    except Exception as exc:  # the last line of defence: one plain sentence, no traceback
        code = getattr(exc, "exit_code", None)
        if type(exc).__name__ == "Exit" and isinstance(code, int):
            sys.exit(code)  # fail() on the fast path, outside Typer: the message is out
        from tuicrm.clock import ClockError
        from tuicrm.db import DatabaseError, explain_failure

        if isinstance(exc, ClockError):  # a bad $TUICRM_NOW, met inside a command
            err(error_line(str(exc)))
            sys.exit(EXIT_BAD_INPUT)
        if isinstance(exc, DatabaseError):
            err(error_line(str(exc)))
            sys.exit(EXIT_NOT_FOUND)
        explained = explain_failure(exc)  # a read-only database, a full disk: one sentence
        if explained is not None:
            err(error_line(explained))
            sys.exit(EXIT_NOT_FOUND)
        err(
            error_line(
                _("unexpected error ({kind}); nothing was saved by the failed step.").format(
                    kind=type(exc).__name__
                )
            )
        )
        sys.exit(1)
    sys.exit(0)


def _unreadable_argument(args: list[str]) -> int:
    """The 1-based position of the first argument that is not text, else 0.

    Python hands undecodable argv bytes over as lone surrogates (``surrogateescape``); they cannot
    be stored, printed or encoded, so the command line refuses them before anything runs. A NUL
    (impossible in a real argv, possible in-process) is refused likewise.
    """
    for n, arg in enumerate(args, 1):
        if "\x00" in arg:
            return n
        if not arg.isascii():
            try:
                arg.encode("utf-8")
            except UnicodeEncodeError:
                return n
    return 0


__all__ = ["main"]
