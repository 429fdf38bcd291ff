"""The fast path for the quick writes — ``log``, ``snooze``, ``assess``, ``add customer``, ``opp
move`` — without building Typer.

Typer and Click cost more than the whole write does (``tuicrm.cli.writes`` runs it on plain
``sqlite3``), so ``tuicrm.cli.main`` offers these command lines here first. Only the plain forms
are accepted: ``[--db PATH]`` then the command's words; the right number of positional arguments
(none blank, none starting with a dash); the table's text options as ``--opt value`` or
``--opt=value`` with a value that is not blank and does not start with a dash; integer options
as ASCII digits; the flags. Anything else (help, ``--``, ``-`` for stdin, unknown or missing
options) returns None, and Typer parses it. ``tests/cli/test_lean_writes.py`` proves that
whatever this accepts, Click parses the same way, and that the table is the commands' signature.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

# ``log``'s options for when, with whom, about which deal, and how it went (#16).
LOG_OPTIONS = ("at", "contact", "opp", "goal", "place", "attendees", "objection", "outcome")

# command words: (flags, text options, required integer options, positional parameters); the
# parameter names and defaults are the Typer command functions' (tuicrm.cli.commands.write, opp).
COMMANDS: dict[tuple[str, ...], tuple[dict[str, str], dict[str, str], dict[str, str], tuple[str, ...]]] = {
    ("log",): (
        {"--json": "as_json", "--force": "force"},
        {
            "--channel": "channel",
            "--feedback": "feedback",
            "--attitude": "attitude",
            "--next": "next_",
            "--action": "action",
            **{f"--{name}": name for name in LOG_OPTIONS},
        },
        {},
        ("customer", "summary"),
    ),
    ("snooze",): ({"--force": "force"}, {"--reason": "reason"}, {}, ("customer", "date_")),
    ("assess",): (
        {},
        {"--basis": "basis", "--strategy": "strategy"},
        {"--potential": "potential", "--willingness": "willingness"},
        ("customer",),
    ),
    ("add", "customer"): (
        {"--json": "as_json", "--force": "force"},
        {
            f"--{name}": name
            for name in (
                "alias",
                "industry",
                "tier",
                "status",
                "phone",
                "email",
                "source",
                "kind",
                "tags",
                "notes",
                "address",
                "region",
                "size",
                "needs",
            )
        }
        | {"--next": "next_"}
        | {
            f"--{name.replace('_', '-')}": name
            for name in (
                "registered_address",
                "company_revenue",
                "product_preference",
                "payment_method",
                "renewal_risk",
                "renewal_on",
                "budget_min",
                "budget_max",
                "purchase_by",
                "first_contact",
            )
        },
        {},
        ("name",),
    ),
    ("opp", "move"): (
        {"--default-probability": "default_probability"},
        {"--reason": "reason", "--note": "note", "--detail": "detail"},
        {},
        ("opportunity", "stage"),
    ),
}
DEFAULTS: dict[tuple[str, ...], dict[str, Any]] = {
    ("log",): {
        "channel": "phone",
        "feedback": None,
        "attitude": None,
        "next_": "auto",
        "action": None,
        **{name: None for name in LOG_OPTIONS},
        "as_json": False,
        "force": False,
    },
    ("snooze",): {"reason": None, "force": False},
    ("assess",): {"basis": None, "strategy": None},
    ("add", "customer"): {
        **{name: None for name in COMMANDS[("add", "customer")][1].values()},
        "as_json": False,
        "force": False,
    },
    ("opp", "move"): {"reason": None, "note": None, "default_probability": False, "detail": None},
}


def parse(argv: list[str]) -> tuple[str | None, tuple[str, ...], dict[str, Any]] | None:
    """``(db, command words, values)`` for a plain quick write, else None."""
    db = None
    i = 0
    while i < len(argv) and argv[i].startswith("--db"):
        if (
            argv[i] == "--db"
            and i + 1 < len(argv)
            and argv[i + 1].strip()
            and not argv[i + 1].startswith("-")
        ):
            db, i = argv[i + 1], i + 2
        else:
            return None
    command = next((words for words in COMMANDS if tuple(argv[i : i + len(words)]) == words), None)
    if command is None:
        return None
    flags, options, integers, positional = COMMANDS[command]
    values = dict(DEFAULTS[command])
    args: list[str] = []
    rest = argv[i + len(command) :]
    j = 0
    while j < len(rest):
        token = rest[j]
        name, eq, inline = token.partition("=")
        if token in flags:
            values[flags[token]] = True
        elif name in options or name in integers:
            if eq:
                raw = inline
            elif j + 1 < len(rest):
                j += 1
                raw = rest[j]
            else:
                return None
            if not raw.strip() or raw.startswith("-"):
                return None  # Click may read these differently (or refuse): Typer decides
            if name in integers:
                if not (raw.isascii() and raw.isdigit()):
                    return None  # Click reads "+5", " 5", "1_0" too: Typer decides
                values[integers[name]] = int(raw)
            else:
                values[options[name]] = raw
        elif token.startswith("-") or len(args) >= len(positional):
            return None  # help, an unknown option, stdin ("-"), a dash-argument, one too many
        else:
            args.append(token)
        j += 1
    if len(args) != len(positional) or any(not a.strip() for a in args):
        return None
    if any(key not in values for key in integers.values()):
        return None  # a required option is missing: Typer says so
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
    state.creates = command[0] == "add"  # as the Typer root decides: `add` may start a database
    commands: dict[tuple[str, ...], Callable[..., None]] = {
        ("log",): writes.log_command,
        ("snooze",): writes.snooze_command,
        ("assess",): writes.assess_command,
        ("add", "customer"): writes.add_customer_command,
        ("opp", "move"): writes.move_command,
    }
    commands[command](**values)
    return 0
