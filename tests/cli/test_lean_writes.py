"""The command line's hot writes run lean (plain sqlite3, no SQLModel or SQLAlchemy), and
``tuicrm undo --yes`` puts the whole database back after each."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "store"))  # dbdump (tests/ has no packages)
from dbdump import dump  # noqa: E402

WRITES = {
    "log": ["log", "C000001", "called", "--next", "+3d", "--action", "send quote"],
    "log auto": ["log", "C000002", "emailed", "--channel", "email"],
    "snooze": ["snooze", "C000001", "+1w", "--reason", "away"],
    "assess": ["assess", "C000001", "--potential", "9", "--willingness", "8"],
    "add customer": ["add", "customer", "Acme Ltd", "--phone", "138 0000 1111", "--next", "+2d"],
    "opp move": ["opp", "move", "{open}", "won"],
    "opp lost": ["opp", "move", "{open}", "lost", "--reason", "price"],
}


def _args(path: Path, args: list[str]) -> list[str]:
    conn = sqlite3.connect(path)
    (open_id,) = conn.execute("SELECT min(id) FROM opportunity WHERE stage NOT IN ('won', 'lost')").fetchone()
    conn.close()
    return [a.format(open=open_id) for a in args]


@pytest.mark.parametrize("name", list(WRITES))
def test_undo_reverses_each_cli_write(cli, demo_db, name):
    path = demo_db(40, 3)
    before = dump(path, undo_log=False)
    r = cli(path, *_args(path, WRITES[name]))
    assert r.returncode == 0, r.stderr
    assert dump(path, undo_log=False) != before
    r = cli(path, "undo", "--yes")
    assert r.returncode == 0 and "Undone" in r.stdout, r.stderr
    assert dump(path, undo_log=False) == before


def test_the_cli_writes_import_no_sqlmodel_or_sqlalchemy(demo_db):
    """A real process: log, snooze, assess, add customer and opp move stay off the ORM."""
    path = demo_db(40, 3)
    runs = [_args(path, args) for args in WRITES.values()]
    code = (
        "import sys\n"
        "from tuicrm.cli import main\n"
        f"for args in {runs!r}:\n"
        "    try:\n"
        f"        main(['--db', {str(path)!r}] + args)\n"
        "    except SystemExit as e:\n"
        "        assert not e.code, (args, e.code)\n"
        "heavy = ('sqlmodel', 'sqlalchemy', 'alembic', 'textual')\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & set(heavy)))\n"
    )
    r = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
        env=dict(os.environ, TUICRM_NOW="2026-11-22T09:00"),
    )
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip().splitlines()[-1] == "[]", r.stdout


def test_the_store_path_still_writes_where_lean_cannot(cli, tmp_path):
    """A missing file: ``add customer`` creates it through the migrating Store."""
    path = tmp_path / "new" / "crm.db"
    r = cli(path, "add", "customer", "Acme")
    assert r.returncode == 0 and "C000001" in r.stdout, r.stderr
    r = cli(path, "log", "Acme", "called")
    assert r.returncode == 0, r.stderr


def test_references_and_rules_say_one_sentence(cli, demo_db):
    path = demo_db(40, 3)
    r = cli(path, "log", "nobody-like-this", "called")
    assert r.returncode == 1 and r.stderr.count("\n") == 1
    r = cli(path, "opp", "move", "1", "lost")
    assert r.returncode == 2 and "reason" in r.stderr.lower()
    r = cli(path, "log", "C000001", "   ")
    assert r.returncode == 2


_GROUP: list[object] = []


def _click_parse(argv: list[str]):
    """``(db, command, values)`` as the Typer app's Click command parses ``argv``; None when it
    refuses or exits (help)."""
    import contextlib
    import io

    import typer
    import typer.main
    from typer._click.exceptions import ClickException

    from tuicrm.cli.app import build_app

    if not _GROUP:
        _GROUP.append(typer.main.get_command(build_app()))
    group: Any = _GROUP[0]
    sink = io.StringIO()
    try:
        with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
            ctx = group.make_context("tuicrm", list(argv))
            rest = list(getattr(ctx, "_protected_args", [])) + list(ctx.args)
            if not rest or ctx.params.get("demo") or ctx.params.get("version"):
                return ("root", dict(ctx.params))
            command = group.get_command(ctx, rest[0])
            if command is None:
                return None
            sub = command.make_context(rest[0], rest[1:], parent=ctx)
            return ctx.params["db"], rest[0], dict(sub.params)
    except (typer.Exit, typer.Abort, ClickException):
        return None


def _write_corpus():
    import itertools

    prefixes = [[], ["--db", "x.db"], ["--db=x.db"], ["--db", "-x"], ["--db"], ["--help"]]
    values = ["email", "", " ", "-", "-x", "--json", "a=b", "精密"]
    common = [[], ["--json"], ["--json=1"], ["--help"], ["-h"], ["--unknown"], ["--"], ["extra"], ["-"]]
    forms: dict[str, list[list[str]]] = {"log": list(common), "snooze": list(common)}
    for command, (_flags, options, _pos) in fastwrites.COMMANDS.items():
        for option in options:
            forms[command].append([option])
            for v in values:
                forms[command] += [[option, v], [f"{option}={v}"]]
    args = {
        "log": [["C000001", "called"], ["C000001"], ["", "x"], ["acme", "-"]],
        "snooze": [["C1", "+3d"], []],
    }
    for prefix in prefixes:
        for command, command_forms in forms.items():
            for form in command_forms:
                for a in args[command]:
                    yield prefix + [command] + a + form
                    yield prefix + [command] + form + a
    for command, command_forms in forms.items():
        short = [f for f in command_forms if len(f) <= 2][:25]
        for x, y in itertools.permutations(short, 2):
            yield ["--db", "x.db", command] + x + args[command][0] + y


from tuicrm.cli import fastwrites  # noqa: E402


def test_whatever_the_fast_write_parser_accepts_click_parses_the_same():
    accepted = refused_by_both = 0
    for argv in _write_corpus():
        mine = fastwrites.parse(argv)
        theirs = _click_parse(argv)
        if mine is not None:
            assert theirs == mine, argv
            accepted += 1
        elif theirs is None:
            refused_by_both += 1
    assert accepted > 200 and refused_by_both > 1000, (accepted, refused_by_both)


@pytest.mark.parametrize("command", sorted(fastwrites.COMMANDS))
def test_the_fast_write_table_is_the_typer_commands_signature(command):
    import typer.main

    from tuicrm.cli.app import build_app

    flags, options, positional = fastwrites.COMMANDS[command]
    cmd = typer.main.get_command(build_app()).commands[command]  # type: ignore[attr-defined]
    params = {p.name: p for p in cmd.params}
    assert set(params) == set(flags.values()) | set(options.values()) | set(positional)
    for flag, name in flags.items():
        assert params[name].is_flag and params[name].opts == [flag] and params[name].default is False
    for option, name in options.items():
        p = params[name]
        assert not p.is_flag and p.opts == [option] and p.default == fastwrites.DEFAULTS[command][name]
    for name in positional:
        assert params[name].param_type_name == "argument" and params[name].required


def test_log_and_snooze_start_without_typer(demo_db):
    """A real process: plain log and snooze import no Typer, Click, SQLModel or SQLAlchemy."""
    path = demo_db(40, 3)
    code = (
        "import sys\n"
        "from tuicrm.cli import main\n"
        "for args in (['log', 'C000001', 'called', '--next', '+3d'], ['snooze', 'C000001', '+1w']):\n"
        "    try:\n"
        f"        main(['--db', {str(path)!r}] + args)\n"
        "    except SystemExit as e:\n"
        "        assert not e.code, (args, e.code)\n"
        "heavy = ('typer', 'click', 'sqlmodel', 'sqlalchemy', 'rich', 'textual', 'alembic', 'pydantic')\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & set(heavy)))\n"
    )
    r = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
        env=dict(os.environ, TUICRM_NOW="2026-11-22T09:00"),
    )
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip().splitlines()[-1] == "[]", r.stdout
