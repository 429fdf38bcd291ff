"""Every CLI command driven with random arguments (issue #14).

The commands and their parameters are read from the Typer app itself (a new command is fuzzed
without touching this file). Values mix text with control characters and escape sequences,
undecodable bytes (as ``surrogateescape`` hands them over from argv), huge and negative numbers,
odd dates and paths. Whatever comes in, the command line answers with exit code 0, 1 or 2, no
traceback, no "unexpected error", and nothing on stdout/stderr a terminal would act on (control
characters other than newline and tab).

In-process (``run_main``) against a per-test copy of a small demo database, inside a private
working directory (exports and backups land there); a bounded number of examples keeps it quick.
"""

from __future__ import annotations

import re

import pytest
import typer.main
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tuicrm.cli.app import build_app

CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Options never generated: the root's (they open the TUI or print the version) and help.
SKIP_OPTIONS = {"--help", "-h", "--install-completion", "--show-completion"}


def commands(group=None, path=()):
    """``(path, click command)`` for every leaf command of the Typer app."""
    group = group or typer.main.get_command(build_app())
    for name, command in sorted(group.commands.items()):
        if hasattr(command, "commands"):
            yield from commands(command, (*path, name))
        else:
            yield (*path, name), command


COMMANDS = list(commands())

NASTY_TEXT = [
    "\x1b]0;owned\x07",
    "\x1b[31mred\x1b[0m",
    "\x9b31m",
    "\x07\x08\x7f",
    "\u202eevil",
    "[bold]x[/bold]",
    "[@click=app.quit]x[/]",
    "-",
    "--",
    "-5",
    "C000001",
    "C99999999999",
    "1",
    "0",
    "acme",
    "精密",
    " ",
    "",
    "%_\\",
    "' OR 1=1 --",
]
DATES = [
    "today",
    "+3d",
    "-1d",
    "+100000d",
    "+99999999999999999999d",
    "0001-01-01",
    "9999-12-31",
    "2199-12-31",
    "1900-01-01",
    "1899-12-31",
    "02-29",
    "2026-02-30",
    "13-45",
    "auto",
    "next week",
    "fri",
    "2026-W47",
    "W99",
    "9999-W52",
    "0001-W01",
]
NUMBERS = ["0", "1", "-1", "10", "100", "101", "99999999", "99999999999999999999", "-99999999999999999999"]
NUMBERS += ["1e400", "nan", "inf", "1_000", "١٢", "²", "0x10", "3.5"]
SUFFIXES = [".csv", ".xlsx", ".json", ".ics", ".vcf", ".txt", ".db", "", ".CSV"]


def undecodable(data: bytes) -> str:
    """Bytes as Python hands an argv over: invalid UTF-8 as lone surrogates."""
    return data.decode("utf-8", "surrogateescape")


texts = st.one_of(
    st.sampled_from(NASTY_TEXT),
    st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=20),
    st.binary(min_size=1, max_size=8).map(undecodable),
    st.lists(st.sampled_from(NASTY_TEXT + ["a", "b"]), min_size=2, max_size=4).map("".join),
)
numbers = st.one_of(st.sampled_from(NUMBERS), st.integers(-(2**70), 2**70).map(str))
dates = st.sampled_from(DATES)


def paths(tmp):
    names = st.sampled_from(["out", "in", "sub/out", "../escape", "nope/x", ".", "crm.db", "crm.db-wal"])
    return st.tuples(names, st.sampled_from(SUFFIXES)).map(lambda p: str(tmp / (p[0] + p[1])))


def value_for(param, tmp):
    """A strategy for one parameter's value, by its type and name."""
    name = (param.name or "").lower()
    descriptor = getattr(param, "type_descriptor", None)
    annotation = str(getattr(descriptor, "annotation", ""))
    if (
        "int" in annotation
        or "float" in annotation
        or name in ("amount", "potential", "willingness", "probability")
    ):
        return st.one_of(numbers, texts)
    if any(w in name for w in ("date", "next", "close", "from", "to", "week", "when")):
        return st.one_of(dates, texts)
    if any(w in name for w in ("file", "dest", "path", "backup")):
        return st.one_of(paths(tmp), texts)
    return st.one_of(texts, dates, numbers)


@st.composite
def command_lines(draw, tmp):
    path, command = draw(st.sampled_from(COMMANDS))
    argv = list(path)
    for param in command.params:
        opts = [o for o in getattr(param, "opts", []) if o.startswith("-") and o not in SKIP_OPTIONS]
        if param.param_type_name == "argument":
            count = 1 if param.nargs == 1 else draw(st.integers(1, 3))
            if not param.required and draw(st.booleans()):
                continue
            argv += [draw(value_for(param, tmp)) for _ in range(count)]
        elif opts and draw(st.integers(0, 2)) == 0:
            option = draw(st.sampled_from(opts))
            if path == ("demo",) and option == "--force":
                continue  # demo --force --customers 10**9 would run for hours: parsing is what is fuzzed
            if getattr(param, "is_flag", False):
                argv.append(option)
            else:
                argv += [option, draw(value_for(param, tmp))]
    # Now and then a stray token: an unknown option, an extra argument.
    if draw(st.integers(0, 9)) == 0:
        argv.append(draw(st.one_of(texts, st.sampled_from(["--nope", "-x", "--json", "--"]))))
    return argv


def test_every_command_is_walked():
    names = {" ".join(p) for p, _ in COMMANDS}
    assert {"due", "find", "show", "log", "snooze", "import", "export", "opp add", "report weekly"} <= names


@pytest.mark.slow(seconds=15)
def test_random_arguments_never_crash_the_command_line(demo_db, cli_main, tmp_path, monkeypatch):
    db = demo_db(20, 1)
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    env = {"TUICRM_NOW": "2026-11-22T09:00", "COLUMNS": "100"}
    seen: set[str] = set()

    @settings(
        max_examples=60,  # 220 took a minute of the CI budget
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        database=None,
        # The same 60 examples every run: "≥ 10 commands seen" once failed on an unlucky seed
        # (7-8). Explore others with ``pytest --hypothesis-seed=N``.
        derandomize=True,
    )
    @given(argv=command_lines(work))
    def run(argv):
        seen.add(argv[0])
        r = cli_main(["--db", str(db), *argv], env=env)
        shown = repr(argv)
        assert r.returncode in (0, 1, 2), (shown, r.returncode, r.stderr[-500:])
        assert "Traceback" not in r.stderr and "Traceback" not in r.stdout, (shown, r.stderr[-2000:])
        assert "unexpected error" not in r.stderr, (shown, r.stderr)
        bad = CONTROL.search(r.stdout + r.stderr)
        assert bad is None, (shown, bad.group(), r.stdout[-300:], r.stderr[-300:])

    run()
    assert len(seen) >= 10, seen
