"""The fast path for the quick writes: plain ``log`` and ``snooze`` without building Typer.

Typer and Click cost more than the whole write does (``tuicrm.cli.writes`` runs it on plain
``sqlite3``), so ``tuicrm.cli.fast.run`` offers these command lines here. Only the plain forms
are accepted — ``[--db PATH] log|snooze`` with the right number of positional arguments (none
empty, none starting with a dash), the table's options as ``--opt value`` or ``--opt=value`` with
a value that is not empty and does not start with a dash, the flags — and None is returned for
anything else (help, ``--``, ``-`` for stdin, unknown options), which Typer then parses.
``tests/cli/test_lean_writes.py`` proves that whatever this accepts, Click parses the same way.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

# command: (flags, options taking a text value, positional parameters); the parameter names and
# defaults are the Typer command functions' (tuicrm.cli.commands.write).
COMMANDS: dict[str, tuple[dict[str, str], dict[str, str], tuple[str, ...]]] = {
    "log": (
        {"--json": "as_json"},
        {
            "--channel": "channel",
            "--feedback": "feedback",
            "--attitude": "attitude",
            "--next": "next_",
            "--action": "action",
        },
        ("customer", "summary"),
    ),
    "snooze": ({}, {"--reason": "reason"}, ("customer", "date_")),
}
DEFAULTS: dict[str, dict[str, Any]] = {
    "log": {
        "channel": "phone",
        "feedback": None,
        "attitude": None,
        "next_": "auto",
        "action": None,
        "as_json": False,
    },
    "snooze": {"reason": None},
}


def parse(argv: list[str]) -> tuple[str | None, str, dict[str, Any]] | None:
    """``(db, command, values)`` for a plain quick write, else None."""
    db = None
    i = 0
    while i < len(argv) and argv[i].startswith("--db"):
        if argv[i] == "--db" and i + 1 < len(argv) and argv[i + 1] and not argv[i + 1].startswith("-"):
            db, i = argv[i + 1], i + 2
        else:
            return None
    if i == len(argv) or argv[i] not in COMMANDS:
        return None
    command = argv[i]
    flags, options, positional = COMMANDS[command]
    values = dict(DEFAULTS[command])
    args: list[str] = []
    rest = argv[i + 1 :]
    j = 0
    while j < len(rest):
        token = rest[j]
        name, eq, inline = token.partition("=")
        if token in flags:
            values[flags[token]] = True
        elif name in options:
            if eq:
                raw = inline
            elif j + 1 < len(rest):
                j += 1
                raw = rest[j]
            else:
                return None
            if not raw.strip() or raw.startswith("-"):
                return None  # Click may read these differently (or refuse): Typer decides
            values[options[name]] = raw
        elif token.startswith("-") or len(args) >= len(positional):
            return None  # help, an unknown option, stdin ("-"), a dash-argument, one too many
        else:
            args.append(token)
        j += 1
    if len(args) != len(positional) or any(not a.strip() for a in args):
        return None
    values.update(zip(positional, args, strict=True))
    return db, command, values


def run(argv: list[str]) -> int | None:
    """Run a plain quick write without Typer; None when Typer must parse ``argv``."""
    parsed = parse(argv)
    if parsed is None:
        return None
    db, command, values = parsed
    from tuicrm.cli import writes
    from tuicrm.cli.context import state

    state.db = db
    if command == "log":
        writes.log_command(**values)
    else:
        writes.snooze_command(**values)
    return 0
