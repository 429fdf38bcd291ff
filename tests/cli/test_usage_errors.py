"""Usage errors are one sentence, exit 2 (issue #14): no ``Usage:`` lines, no ``Try …``, no box.

Click's own answer to an unknown option, a missing argument or a number out of range or not a
number is three lines; the house rule is ``tuicrm: <one sentence> (see `tuicrm CMD --help`).``
on stderr and exit 2. The fast paths (``cli.fast``, ``cli.fastwrites``) decline every malformed
command line, so the same sentence comes out whichever path the command normally takes; the
commands and their parameters are read from the Typer app, so a new command is covered too.
"""

from __future__ import annotations

import pytest
import typer.main

from tuicrm.cli import fast, fastwrites
from tuicrm.cli.app import build_app
from tuicrm.cli.usage import words_from_argv

GROUP = typer.main.get_command(build_app())


def leaves(group=GROUP, path=()):
    for name, command in sorted(group.commands.items()):
        if hasattr(command, "commands"):
            yield from leaves(command, (*path, name))
        else:
            yield (*path, name), command


COMMANDS = list(leaves())
NAMES = [" ".join(p) for p, _ in COMMANDS]


def one_usage_sentence(r, command: str) -> str:
    """The run printed exactly one sentence on stderr naming ``command``'s help, nothing else."""
    assert r.returncode == 2, (r.returncode, r.stdout, r.stderr)
    assert r.stdout == "", r.stdout
    line = r.stderr
    assert line.endswith(".\n") and line.count("\n") == 1, repr(line)
    assert line.startswith("tuicrm: "), line
    for noise in ("Usage:", "Try '", "Error:", "╭", "│", "Traceback", "unexpected error"):
        assert noise not in line, line
    assert f"(see `{command} --help`)." in line or f"; see `{command} --help`)." in line, line
    return line


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    # Parsing fails before any command runs: an empty path that is never created is enough,
    # and proves nothing is created either.
    return tmp_path_factory.mktemp("usage") / "never-created.db"


def required_arguments(command) -> list[str]:
    return ["1" for p in command.params if p.param_type_name == "argument" and p.required]


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=NAMES)
def test_an_unknown_option_is_one_sentence(cli, demo, path, command):
    r = cli(demo, *path, *required_arguments(command), "--no-such-option")
    line = one_usage_sentence(r, "tuicrm " + " ".join(path))
    assert "--no-such-option" in line
    assert not demo.exists()


@pytest.mark.parametrize(
    ("path", "command"),
    [(p, c) for p, c in COMMANDS if any(x.required for x in c.params)],
    ids=[n for n, (_, c) in zip(NAMES, COMMANDS, strict=True) if any(x.required for x in c.params)],
)
def test_a_missing_argument_is_one_sentence(cli, demo, path, command):
    r = cli(demo, *path)
    line = one_usage_sentence(r, "tuicrm " + " ".join(path))
    first = next(p for p in command.params if p.required)
    named = first.name.rstrip("_").upper() if first.param_type_name == "argument" else first.opts[0]
    assert f"needs the {first.param_type_name} {named} " in line, line
    assert not demo.exists()


RANGED = [
    (path, command, param, bound)
    for path, command in COMMANDS
    for param in command.params
    if param.param_type_name == "option"
    for bound in ("min", "max")
    if getattr(param, bound, None) is not None
]


def test_the_ranged_options_are_found():
    names = {(" ".join(p), x.opts[0]) for p, _c, x, _b in RANGED}
    assert {("due", "--days"), ("due", "--limit"), ("find", "--limit")} <= names


@pytest.mark.parametrize(
    ("path", "command", "param", "bound"),
    RANGED,
    ids=[f"{' '.join(p)} {x.opts[0]} {b}" for p, _c, x, b in RANGED],
)
def test_a_number_out_of_range_is_one_sentence_with_the_bound(cli, demo, path, command, param, bound):
    limit = getattr(param, bound)
    value = limit + 1 if bound == "max" else limit - 1
    argv = [*path, *required_arguments(command), param.opts[0], str(value)]
    line = one_usage_sentence(cli(demo, *argv), "tuicrm " + " ".join(path))
    assert f"invalid value for {param.opts[0]}" in line and str(limit) in line, line
    assert not demo.exists()


@pytest.mark.parametrize(
    ("argv", "command", "words"),
    [
        # the fast read path's commands (plain forms go there; these it hands to Typer)
        (["due", "--days", "99999999"], "tuicrm due", "give a whole number from 0 to 3660"),
        (["due", "--days", "abc"], "tuicrm due", "give a whole number from 0 to 3660"),
        (["due", "--days"], "tuicrm due", "requires an argument"),
        (["due", "--limit=0"], "tuicrm due", "from 1 to 1000000"),
        (["find"], "tuicrm find", "QUERY"),
        (["find", "a", "--limit", "x"], "tuicrm find", "--limit"),
        (["show", "1", "2"], "tuicrm show", "extra argument"),
        # the fast write path's commands
        (["log", "1"], "tuicrm log", "SUMMARY"),
        (["log", "1", "x", "--channel"], "tuicrm log", "requires an argument"),
        (["snooze", "1"], "tuicrm snooze", "DATE"),
        (["assess", "1", "--potential", "5"], "tuicrm assess", "--willingness"),
        (["assess", "1", "--potential", "x", "--willingness", "5"], "tuicrm assess", "--potential"),
        (["add", "customer"], "tuicrm add customer", "NAME"),
        (["opp", "move", "1"], "tuicrm opp move", "STAGE"),
        # Typer only
        (["report", "weekly", "--weeks", "2"], "tuicrm report weekly", "perhaps --week"),
        (["export"], "tuicrm export", "FILE"),
        (["nosuch"], "tuicrm", "no such command 'nosuch'"),
        (["add"], "tuicrm add", "needs a command: customer, contact"),
        (["opp"], "tuicrm opp", "needs a command: add, list, show, edit, archive, move"),
        (["--bogus"], "tuicrm", "has no option --bogus"),
    ],
)
def test_usage_errors_on_both_paths(cli, demo, argv, command, words):
    assert fast.parse(["--db", str(demo), *argv]) is None  # the fast parsers decline: Typer says it
    assert fastwrites.parse(["--db", str(demo), *argv]) is None
    line = one_usage_sentence(cli(demo, *argv), command)
    assert words in line, line
    assert not demo.exists()


def test_a_missing_db_value_names_the_root(cli_main):
    r = cli_main(["--db"], env={"TUICRM_NOW": "2026-11-22T09:00"})
    assert "option '--db' requires an argument" in one_usage_sentence(r, "tuicrm")


def test_echoed_values_are_cleaned_and_phone_numbers_masked(cli, demo):
    line = one_usage_sentence(cli(demo, "due", "--x\x1b]0;owned\x07"), "tuicrm due")
    assert "\x1b" not in line and "\x07" not in line and "--x" in line
    line = one_usage_sentence(cli(demo, "show", "1", "13812345678"), "tuicrm show")
    assert "13812345678" not in line and "5678" in line
    line = one_usage_sentence(cli(demo, "due", "--limit", "13812345678"), "tuicrm due")
    assert "13812345678" not in line and "from 1 to 1000000" in line  # our bound is not masked


def test_the_command_words_are_read_from_argv():
    assert words_from_argv(GROUP, ["--db", "x.db", "due", "--days"]) == "tuicrm due"
    assert words_from_argv(GROUP, ["--db=x.db", "report", "weekly", "--week"]) == "tuicrm report weekly"
    assert words_from_argv(GROUP, ["opp", "move", "1", "--reason"]) == "tuicrm opp move"
    assert words_from_argv(GROUP, ["--db"]) == "tuicrm"
    assert words_from_argv(GROUP, ["nosuch", "due"]) == "tuicrm"
