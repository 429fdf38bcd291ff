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
    "log back-dated": [
        *("log", "C000003", "visited", "--at", "yesterday 15:00", "--place", "their plant"),
        *("--attendees", "me", "--objection", "price", "--outcome", "部分完成", "--goal", "a demo"),
    ],
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
    before = dump(path, undo_log=False, history=False)
    r = cli(path, *_args(path, WRITES[name]))
    assert r.returncode == 0, r.stderr
    assert dump(path, undo_log=False, history=False) != before
    r = cli(path, "undo", "--yes")
    assert r.returncode == 0 and "Undone" in r.stdout, r.stderr
    assert dump(path, undo_log=False, history=False) == before


def test_the_cli_writes_import_no_sqlmodel_or_sqlalchemy(demo_db):
    """A real process: log, snooze, assess, add customer and opp move stay off the ORM also when
    Typer parses them (a trailing ``--`` sends them past the fast parser)."""
    path = demo_db(40, 3)
    runs = [_args(path, args) + ["--"] for args in WRITES.values()]
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


def _group() -> Any:
    import typer.main

    from tuicrm.cli.app import build_app

    if not _GROUP:
        _GROUP.append(typer.main.get_command(build_app()))
    return _GROUP[0]


def _click_parse(argv: list[str]):
    """``(db, command words, values)`` as the Typer app's Click commands parse ``argv``; None when
    they refuse or exit (help)."""
    import contextlib
    import io

    import typer
    from typer._click.exceptions import ClickException

    group = _group()
    sink = io.StringIO()
    try:
        with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
            ctx = group.make_context("tuicrm", list(argv))
            rest = list(getattr(ctx, "_protected_args", [])) + list(ctx.args)
            if not rest or ctx.params.get("demo") or ctx.params.get("version"):
                return ("root", dict(ctx.params))
            words: list[str] = []
            parent, command = ctx, group
            while hasattr(command, "commands"):
                if not rest:
                    return ("group", tuple(words))
                name, args = rest[0], rest[1:]
                sub = command.get_command(parent, name)
                if sub is None:
                    return None
                words.append(name)
                parent = sub.make_context(name, args, parent=parent)
                command = sub
                rest = list(getattr(parent, "_protected_args", [])) + list(parent.args)
            return ctx.params["db"], tuple(words), dict(parent.params)
    except (typer.Exit, typer.Abort, ClickException):
        return None


def _write_corpus():
    import itertools

    prefixes = [[], ["--db", "x.db"], ["--db=x.db"], ["--db", "-x"], ["--db"], ["--help"]]
    texts = ["email", "", " ", "-", "-x", "--json", "a=b", "精密", "yesterday 15:00"]
    numbers = ["0", "7", "10", "-1", "+5", " 5", "1_0", "x", "", "٣"]
    common = [[], ["--json"], ["--json=1"], ["--help"], ["-h"], ["--unknown"], ["--"], ["extra"], ["-"]]
    args = {
        ("log",): [["C000001", "called"], ["C000001"], ["", "x"], ["acme", "-"]],
        ("snooze",): [["C1", "+3d"], []],
        ("assess",): [["C1", "--potential", "7", "--willingness", "8"], ["C1", "--potential", "7"], ["C1"]],
        ("add", "customer"): [["Acme"], [], ["A", "B"]],
        ("opp", "move"): [["7", "won"], ["7"], ["fleet", "lost"]],
    }
    for command, (_flags, options, integers, _pos) in fastwrites.COMMANDS.items():
        forms = list(common)
        for option in options:
            forms.append([option])
            for v in texts:
                forms += [[option, v], [f"{option}={v}"]]
        for option in integers:
            for v in numbers:
                forms += [[option, v], [f"{option}={v}"]]
        # every form after no prefix; after the --db prefixes the common forms (what the prefix
        # changes is where the command starts, the same for every option: CI's time budget)
        for prefix in prefixes:
            for form in forms if not prefix else common:
                for a in args[command]:
                    yield prefix + list(command) + a + form
                    yield prefix + list(command) + form + a
        short = [f for f in forms if len(f) <= 2][:16]
        for x, y in itertools.permutations(short, 2):
            yield ["--db", "x.db", *command] + x + args[command][0] + y
    yield ["add", "--help", "customer", "Acme"]
    yield ["opp", "customer", "move"]


from tuicrm.cli import fastwrites  # noqa: E402


@pytest.mark.slow(seconds=20)
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
    assert accepted > 500 and refused_by_both > 1000, (accepted, refused_by_both)


@pytest.mark.parametrize("command", sorted(fastwrites.COMMANDS))
def test_the_fast_write_table_is_the_typer_commands_signature(command):
    flags, options, integers, positional = fastwrites.COMMANDS[command]
    cmd = _group()
    for word in command:
        cmd = cmd.commands[word]
    params = {p.name: p for p in cmd.params}
    assert set(params) == set(flags.values()) | set(options.values()) | set(integers.values()) | set(
        positional
    )
    for flag, name in flags.items():
        assert params[name].is_flag and params[name].opts == [flag] and params[name].default is False
    for option, name in options.items():
        p = params[name]
        assert not p.is_flag and p.opts == [option] and p.default == fastwrites.DEFAULTS[command][name]
    for option, name in integers.items():
        p = params[name]
        assert p.opts == [option] and p.required and not p.is_flag
    for name in positional:
        assert params[name].param_type_name == "argument" and params[name].required


def test_the_quick_writes_start_without_typer(demo_db):
    """A real process: the plain forms of the five writes import no Typer, Click, SQLModel or
    SQLAlchemy."""
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


def test_a_quick_write_loads_only_what_it_uses(demo_db, tmp_path):
    """A real process, as a rep runs it (no ``TUICRM_NOW`` pin, no config file): ``log`` loads no
    pendulum, no TOML parser, no deal rules, no read views."""
    path = demo_db(40, 3)
    code = (
        "import sys\n"
        "from tuicrm.cli import main\n"
        "try:\n"
        f"    main(['--db', {str(path)!r}, 'log', 'C000001', 'called', '--next', '+3d'])\n"
        "except SystemExit as e:\n"
        "    assert not e.code, e.code\n"
        "unwanted = ('pendulum', 'tomllib', 'tuicrm.clock', 'tuicrm.query.pipeline',\n"
        "            'tuicrm.domain.pipeline', 'tuicrm.cli.readviews', 'tuicrm.cli.fast')\n"
        "print(sorted(m for m in sys.modules if m in unwanted))\n"
    )
    env = dict(os.environ, XDG_CONFIG_HOME=str(tmp_path / "none"))
    env.pop("TUICRM_CONFIG", None)
    env.pop("TUICRM_NOW", None)
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, env=env)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip().splitlines()[-1] == "[]", r.stdout


def test_no_config_file_gives_the_defaults_and_a_file_is_still_read(tmp_path, monkeypatch):
    from tuicrm.cli.context import config_file, load_config
    from tuicrm.config import DEFAULT

    monkeypatch.delenv("TUICRM_CONFIG", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    assert config_file() == str(tmp_path / "tuicrm" / "config.toml")
    assert load_config() is DEFAULT
    (tmp_path / "tuicrm").mkdir()
    (tmp_path / "tuicrm" / "config.toml").write_text("[cadence_days]\npotential = 5\n")
    assert load_config().cadence_days["potential"] == 5
    named = tmp_path / "other.toml"
    named.write_text("[cadence_days]\nintent = 2\n")
    monkeypatch.setenv("TUICRM_CONFIG", str(named))
    assert config_file() == str(named) and load_config().cadence_days["intent"] == 2
