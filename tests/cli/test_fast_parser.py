"""The fast parser (``tuicrm.cli.fast``) is proven equal to Typer's on every form it accepts.

``main()`` parses plain ``due``/``find``/``show`` (and bare ``tuicrm``) itself, so that those
start without importing Typer. Here each command line of a generated corpus is parsed both
ways: whenever the fast parser accepts one, Click (the Typer app's own command) must accept it
with the same values; whenever Click refuses one, the fast parser must decline it too (it
returns None, and main() hands the command line to Typer, which says what is wrong).
"""

from __future__ import annotations

import contextlib
import io
import itertools

import pytest
import typer
import typer.main
from typer._click.exceptions import ClickException  # Typer 0.2x vendors Click

from tuicrm.cli import fast
from tuicrm.cli.app import build_app

GROUP = typer.main.get_command(build_app())

ROOT_DEFAULTS = {"demo": False, "version": False}


def click_parse(argv: list[str]):
    """``(db, command, values)`` as Click parses ``argv``; None when it refuses or exits (help)."""
    sink = io.StringIO()
    try:
        with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
            ctx = GROUP.make_context("tuicrm", list(argv))
            rest = list(getattr(ctx, "_protected_args", [])) + list(ctx.args)
            root = dict(ctx.params)
            if {k: root[k] for k in ROOT_DEFAULTS} != ROOT_DEFAULTS:
                return ("root", root)  # --demo / --version: never the fast path's business
            if not rest:
                return root["db"], fast.TUI, {}
            name, args = rest[0], rest[1:]
            command = GROUP.get_command(ctx, name)
            if command is None:
                return None
            sub = command.make_context(name, args, parent=ctx)
            if hasattr(command, "commands"):
                inner = list(getattr(sub, "_protected_args", [])) + list(sub.args)
                leaf = command.get_command(sub, inner[0]) if inner else None
                if leaf is None:
                    return ("group", name)
                leaf_ctx = leaf.make_context(inner[0], inner[1:], parent=sub)
                return root["db"], f"{name} {inner[0]}", dict(leaf_ctx.params)
            return root["db"], name, dict(sub.params)
    except (typer.Exit, typer.Abort, ClickException):
        return None


PREFIXES = [
    [],
    ["--db", "x.db"],
    ["--db=x.db"],
    ["--db="],
    ["--db", "a.db", "--db", "b.db"],
    ["--db", "-x"],
    ["--db"],
    ["--dbx"],
    ["--demo"],
    ["--version"],
    ["-h"],
    ["--help"],
    ["--"],
]
COMMON = [
    [],
    ["--json"],
    ["--json", "--json"],
    ["--json=1"],
    ["--help"],
    ["-h"],
    ["--unknown"],
    ["-x"],
    ["--"],
    ["extra"],
    ["-5"],
    ["--db", "y.db"],
]
INTEGERS = [
    "0",
    "1",
    "3",
    "-1",
    "-0",
    "--5",
    "+5",
    " 5",
    "1_0",
    "x",
    "",
    "٣",
    "99999999999999999999",
    "3660",
    "3661",
    "1000000",
    "1000001",
    "99999999",
]


def int_forms(option: str) -> list[list[str]]:
    forms = [[option]]
    for value in INTEGERS:
        forms += [[option, value], [f"{option}={value}"]]
    return forms


FORMS = {
    "due": COMMON + [["--all"]] + int_forms("--days") + int_forms("--limit"),
    "find": COMMON
    + [["--all"], ["--all", "--json"]]
    + int_forms("--limit")
    + [["acme"], ["精密 机械"], [""], ["  "], ["--", "acme"], ["--", "-5"]],
    "show": COMMON + [["--reveal"], ["C000001"], ["acme"], [""], ["--", "acme"], ["--", "--json"]],
    "agenda": COMMON + [["--week"], ["--all"], ["--week", "--all"], ["today"], ["--", "--week"]],
}
TEXTS = ["2026-01-01", "last", "W47", "", "-3d", "--json", "月初"]


def text_forms(option: str) -> list[list[str]]:
    forms = [[option]]
    for value in TEXTS:
        forms += [[option, value], [f"{option}={value}"]]
    return forms


REPORT_COMMON = [[], ["--json"], ["--help"], ["--unknown"], ["extra"], ["--"], ["--db", "y.db"]]
FORMATTED = REPORT_COMMON + [
    ["--markdown"],
    ["--json", "--markdown"],
    ["--format", "html"],
    ["--format=markdown"],
    ["--format", "pdf"],
    ["--format"],
    ["--copy"],
    ["--markdown", "--format", "text"],
]
FORMS.update(
    {
        "report weekly": FORMATTED + text_forms("--week"),
        "report funnel": FORMATTED + text_forms("--from") + text_forms("--to"),
        "report forecast": FORMATTED + text_forms("--by"),
        "report value": FORMATTED + int_forms("--limit"),
        "report lost": FORMATTED + text_forms("--from"),
        "report leads": FORMATTED + text_forms("--to"),
        "report complaints": FORMATTED + text_forms("--from") + text_forms("--to"),
        "report receivables": FORMATTED + [["--from", "x"]],
    }
)
ARGS = {"due": [[]], "find": [["acme"], []], "show": [["C000001"], []], "agenda": [[]]}
ARGS.update({command: [[]] for command in FORMS if command.startswith("report ")})


def corpus():
    for prefix in PREFIXES:
        yield prefix
        yield prefix + ["report"]
        for command, forms in FORMS.items():
            if command.startswith("report ") and prefix not in PREFIXES[:3]:
                continue  # the root options are the same for every command: proven on the others
            for form in forms:
                for args in ARGS[command]:
                    yield prefix + command.split() + args + form
                    yield prefix + command.split() + form + args
    for command, forms in FORMS.items():
        short = [f for f in forms if len(f) <= 2][: 12 if command.startswith("report ") else 30]
        for a, b in itertools.permutations(short, 2):
            for args in ARGS[command]:
                yield ["--db", "x.db", *command.split()] + a + args + b


def test_whatever_the_fast_parser_accepts_click_parses_the_same():
    accepted = refused_by_both = reports = 0
    for argv in corpus():
        mine = fast.parse(argv)
        theirs = click_parse(argv)
        if mine is not None:
            assert theirs == mine, argv
            accepted += 1
            reports += mine[1].startswith("report ")
        elif theirs is None:
            refused_by_both += 1
    # Not vacuous: most plain forms do take the fast path, and bad ones are refused by both.
    assert accepted > 500 and refused_by_both > 1000 and reports > 300, (accepted, refused_by_both, reports)


@pytest.mark.parametrize("command", sorted(fast.COMMANDS))
def test_the_fast_table_is_the_typer_commands_signature(command):
    """Every option and argument of the Typer command, with its default and minimum, and no other."""
    flags, options, positional = fast.COMMANDS[command]
    cmd = GROUP
    for word in command.split():
        cmd = cmd.commands[word]
    params = {p.name: p for p in cmd.params}
    choices = fast.CHOICE_OPTIONS.get(command, {})
    texts = fast.TEXT_OPTIONS.get(command, {})
    assert set(params) == (
        set(flags.values())
        | {k for k, _, _ in options.values()}
        | set(positional)
        | {k for k, _ in choices.values()}
        | set(texts.values())
    )
    for option, name in texts.items():
        p = params[name]
        assert p.param_type_name == "option" and not p.is_flag and p.opts == [option]
        assert fast.DEFAULTS[command][name] == p.default
    for option, (name, _words) in choices.items():
        p = params[name]
        assert p.param_type_name == "option" and not p.is_flag and p.opts == [option] and p.default is None
        assert fast.DEFAULTS[command][name] is None
    for flag, name in flags.items():
        p = params[name]
        assert p.param_type_name == "option" and p.is_flag and p.opts == [flag] and p.default is False
        assert fast.DEFAULTS[command][name] is False
    for option, (name, minimum, maximum) in options.items():
        p = params[name]
        assert p.param_type_name == "option" and not p.is_flag and p.opts == [option]
        assert type(p.default) is int and p.min == minimum and p.max == maximum
        assert fast.DEFAULTS[command][name] == p.default
    for name in positional:
        p = params[name]
        assert p.param_type_name == "argument" and p.required and p.nargs == 1
    # The root: the fast path reads --db only, and declines every other root option.
    assert {p.name for p in GROUP.params} == {
        "db",
        "demo",
        "version",
        "install_completion",
        "show_completion",
    }


def test_help_of_every_fast_command_goes_to_typer():
    for command in fast.COMMANDS:
        words = command.split()
        for argv in ([*words, "--help"], [*words, "-h"], ["--db", "x.db", *words, "--help"]):
            assert fast.parse(argv) is None


def test_a_malformed_integer_is_left_to_typer():
    """``--days --5`` once reached int() on the fast path (an unexpected-error exit); Typer says why."""
    assert fast.parse(["due", "--days", "--5"]) is None
    assert click_parse(["due", "--days", "--5"]) is None


def test_the_fast_bounds_are_the_read_views():
    from tuicrm.cli import readviews

    assert (fast.DUE_SHOWN, fast.MAX_DAYS, fast.MAX_LIMIT) == (
        readviews.DUE_SHOWN,
        readviews.MAX_DAYS,
        readviews.MAX_LIMIT,
    )


@pytest.mark.parametrize(
    "options",
    [(), ("--json",), ("--kind", "lead"), ("--kind", "follow-up", "--json"), ("--days", "7"), ("--all",)],
)
def test_due_count_says_what_the_read_views_say(demo_db, options, monkeypatch, capsys):
    """``due --count`` is answered without the read views: the same text and JSON as theirs."""
    from cli_runner import run_main
    from tuicrm.cli import readviews
    from tuicrm.cli.context import state

    db = demo_db(300, 1)
    env = {"TUICRM_NOW": "2026-11-24T09:00", "COLUMNS": "100"}
    fast_answer = run_main(["--db", str(db), "due", "--count", *options], env=env)
    assert fast_answer.returncode == 0, fast_answer.stderr
    parsed = fast.parse(["--db", str(db), "due", "--count", *options])
    assert parsed is not None
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setattr(state, "db", str(db))
    assert readviews.due_output(**parsed[2]) == 0
    assert fast_answer.stdout == capsys.readouterr().out
    if "--kind" not in options:  # the demo has follow-ups due that day (no leads)
        assert fast_answer.stdout.strip() not in ("", "0")
