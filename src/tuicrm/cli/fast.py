"""The fast path: plain ``due``, ``find``, ``show``, ``agenda``, ``report <kind>`` and bare ``tuicrm``
without building Typer.

Importing Typer (and Click) costs more than the whole ``tuicrm due`` otherwise does, so
``main()`` first tries this parser. It accepts only the plain forms (the options below, as
``--opt value`` or ``--opt=value``, ASCII integers in their range, the right number
of non-blank positional arguments, text options whose value does not start with a dash, ``--db``
before the command) and returns None for anything else (help, ``--``, unknown or misplaced
options, a dash argument), which Typer then parses.
``tests/cli/test_fast_parser.py`` proves that whatever it accepts, Typer parses the same way.
"""

from __future__ import annotations

# ``tuicrm.cli.readviews``' bounds, repeated so that parsing imports nothing (a test holds them equal).
DUE_SHOWN = 30
MAX_DAYS = 3660
MAX_LIMIT = 1_000_000

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

# command: (flags, integer options with (parameter, minimum, maximum), positional parameters);
# the parameter names are the Typer command functions' (tuicrm.cli.commands.read).
COMMANDS: dict[str, tuple[dict[str, str], dict[str, tuple[str, int, int]], tuple[str, ...]]] = {
    "due": (
        {"--json": "as_json", "--all": "show_all", "--count": "count"},
        {"--days": ("days", 0, MAX_DAYS), "--limit": ("shown", 1, MAX_LIMIT)},
        (),
    ),
    "find": (
        {"--json": "as_json", "--all": "everywhere", "--filter": "saved"},
        {"--limit": ("limit", 1, MAX_LIMIT)},
        ("query",),
    ),
    "show": ({"--json": "as_json", "--reveal": "reveal"}, {}, ("customer",)),
    "agenda": ({"--json": "as_json", "--week": "week", "--all": "later"}, {}, ()),
}
DEFAULTS: dict[str, dict[str, Any]] = {
    "due": {"days": 0, "as_json": False, "show_all": False, "shown": DUE_SHOWN, "count": False, "kind": None},
    "find": {"as_json": False, "limit": 50, "everywhere": False, "saved": False},
    "show": {"as_json": False, "reveal": False},
    "agenda": {"as_json": False, "week": False, "later": False},
}
# ``report <kind>`` (tuicrm.cli.commands.report_views): the same tables, keyed "report <kind>".
_FORMATS = {"--json": "as_json", "--markdown": "markdown", "--copy": "copy"}
_SPAN = {"--from": "from_", "--to": "to"}
_NO_FORMAT = {"as_json": False, "markdown": False, "fmt": None, "copy": False}
COMMANDS.update(
    {
        "report weekly": (_FORMATS, {}, ()),
        "report funnel": (_FORMATS, {}, ()),
        "report forecast": (_FORMATS, {}, ()),
        "report value": (_FORMATS, {"--limit": ("limit", 0, MAX_LIMIT)}, ()),
        "report lost": (_FORMATS, {}, ()),
        "report leads": (_FORMATS, {}, ()),
        "report complaints": (_FORMATS, {}, ()),
        "report receivables": (_FORMATS, {}, ()),
    }
)
DEFAULTS.update(
    {
        "report weekly": {**_NO_FORMAT, "week": None},
        "report funnel": {**_NO_FORMAT, "from_": None, "to": None},
        "report forecast": {**_NO_FORMAT, "by": "month"},
        "report value": {**_NO_FORMAT, "limit": 15},
        "report lost": {**_NO_FORMAT, "from_": None, "to": None},
        "report leads": {**_NO_FORMAT, "from_": None, "to": None},
        "report complaints": {**_NO_FORMAT, "from_": None, "to": None},
        "report receivables": {**_NO_FORMAT},
    }
)
# Options that take any text (a date, a week): a value starting with a dash goes to Typer.
TEXT_OPTIONS: dict[str, dict[str, str]] = {
    "report weekly": {"--week": "week"},
    "report funnel": _SPAN,
    "report forecast": {"--by": "by"},
    "report lost": _SPAN,
    "report leads": _SPAN,
    "report complaints": _SPAN,
}
# Options that take one of a few words: (parameter, the words); anything else goes to Typer.
CHOICE_OPTIONS: dict[str, dict[str, tuple[str, tuple[str, ...]]]] = {
    "due": {
        "--kind": (
            "kind",
            ("follow-up", "lead", "activity", "receivable", "complaint", "birthday", "renewal"),
        )
    },
}
# ``report <kind> --format`` (tuicrm.cli.commands.report_views.FORMATS).
CHOICE_OPTIONS.update(
    {
        command: {"--format": ("fmt", ("text", "markdown", "html"))}
        for command in COMMANDS
        if command.startswith("report ")
    }
)
TUI = "tui"


def parse(argv: list[str]) -> tuple[str | None, str, dict[str, Any]] | None:
    """``(db, command, values)`` for ``[--db PATH] [due|find|show ...]`` in the plain forms;
    command ``"tui"`` for a bare ``tuicrm [--db PATH]``; None for anything else."""
    db = None
    i = 0
    while i < len(argv) and argv[i].startswith("--db"):
        if argv[i] == "--db" and i + 1 < len(argv):
            db, i = argv[i + 1], i + 2
        elif argv[i].startswith("--db="):
            db, i = argv[i][len("--db=") :], i + 1
        else:
            return None
    if i == len(argv):
        return db, TUI, {}  # plain `tuicrm [--db PATH]`: the TUI, without building the Typer app
    command = argv[i]
    if command == "report" and i + 1 < len(argv):
        i += 1
        command = f"report {argv[i]}"
    if command not in COMMANDS:
        return None
    flags, options, positional = COMMANDS[command]
    choices = CHOICE_OPTIONS.get(command, {})
    texts = TEXT_OPTIONS.get(command, {})
    values = dict(DEFAULTS[command])
    args: list[str] = []
    rest = argv[i + 1 :]
    j = 0
    while j < len(rest):
        token = rest[j]
        name, eq, inline = token.partition("=")
        raw = ""
        if token not in flags and (name in choices or name in texts or name in options):
            # the option's value: after "=", else the next word (none: Typer says what is missing)
            if eq:
                raw = inline
            elif j + 1 < len(rest):
                j += 1
                raw = rest[j]
            else:
                return None
        if token in flags:
            values[flags[token]] = True
        elif name in choices:
            key, words = choices[name]
            if raw not in words:
                return None  # Typer decides (and says what is wrong)
            values[key] = raw
        elif name in texts:
            if raw.startswith("-"):
                return None  # Typer decides whether that is a value or an option
            values[texts[name]] = raw
        elif name in options:
            key, minimum, maximum = options[name]
            digits = raw[1:] if raw.startswith("-") else raw
            if (
                not raw.isascii()
                or not digits.isdigit()
                or len(digits) > 18
                or not minimum <= int(raw) <= maximum
            ):
                return None  # Click reads "+5", " 5", "1_000" too, or refuses: Typer decides
            values[key] = int(raw)
        elif token.startswith("-") or len(args) >= len(positional):
            return None  # help, an unknown option, a dash-argument or one argument too many
        else:
            args.append(token)
        j += 1
    if len(args) != len(positional) or any(not a.strip() for a in args):
        return None
    values.update(zip(positional, args, strict=True))
    return db, command, values


def run(argv: list[str]) -> int | None:
    """Run a plain read command (or the TUI) without Typer; None when Typer must parse ``argv``."""
    parsed = parse(argv)
    if parsed is None:
        return None
    db, command, values = parsed
    from tuicrm.cli.context import state

    state.db = db
    state.creates = command == TUI and db is None  # the TUI on the default path starts a database
    # The same functions the Typer commands call; when the fast connection cannot be had they
    # take the Store path themselves (and a failure there raises typer.Exit, see main()).
    if command == TUI:
        from tuicrm.cli.tui import open_tui

        open_tui(None)
        return 0
    if command.startswith("report "):
        return report(command[len("report ") :], values)
    if command == "due" and values["count"]:
        return due_count(values["days"], values["as_json"], values["kind"])
    if command == "agenda":
        from tuicrm.cli.agendaview import agenda_output

        return agenda_output(**values)
    from tuicrm.cli import readviews

    if command == "due":
        return readviews.due_output(**values)
    if command == "find":
        if values.pop("everywhere"):
            if values.pop("saved"):
                from tuicrm.cli.output import fail
                from tuicrm.i18n import _

                fail(_("--all searches text and --filter names a saved filter: use one of them."))
            from tuicrm.cli.findall import find_all_output

            return find_all_output(**values)
        return readviews.find_output(**values)
    return readviews.show_output(**values)


def due_count(days: int, as_json: bool, kind: str | None) -> int:
    """``due --count`` (a shell prompt's or tmux status line's call): the queue's true counts,
    without the read views or building the listed items; the output is ``due_output``'s."""
    from tuicrm.cli import reads
    from tuicrm.cli.context import load_config, open_store, state, today
    from tuicrm.cli.output import out, print_json

    today_ = today()
    overdue, due_today = reads.due_counts(state.db, open_store, load_config, today_, days, kind)
    if as_json:
        print_json(
            {
                "today": today_.isoformat(),
                "count": overdue + due_today,
                "overdue": overdue,
                "due_today": due_today,
            }
        )
    else:
        out(str(overdue + due_today))
    return 0


def report(kind: str, values: dict[str, Any]) -> int:
    """``report <kind>``: what the Typer command prints (``report_views``), without Typer."""
    from tuicrm.cli.commands import report_views as views

    fmt = views.report_format(values["as_json"], values["markdown"], values["fmt"])
    copy = values["copy"]
    if kind == "weekly":
        views.weekly_output(values["week"], fmt, copy)
    elif kind == "forecast":
        views.forecast_output(values["by"], fmt, copy)
    elif kind == "value":
        views.value_output(values["limit"], fmt, copy)
    elif kind == "receivables":
        views.receivables_output(fmt, copy)
    else:
        output = {
            "funnel": views.funnel_output,
            "lost": views.lost_output,
            "leads": views.leads_output,
            "complaints": views.complaints_output,
        }
        output[kind](values["from_"], values["to"], fmt, copy)
    return 0
