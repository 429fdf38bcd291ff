"""Shell completion (issue #21): a completion request is answered, in each shell's format, and
never opens the TUI; the generated table and root ``--help`` match the Typer command tree."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

TUICRM = str(Path(sys.executable).with_name("tuicrm"))
ESC = "\x1b"


@pytest.fixture(scope="module")
def customers_db(tmp_path_factory):
    """A small database with known customers (built once for the module)."""
    from cli_runner import run_main

    db = tmp_path_factory.mktemp("completion") / "crm.db"
    env = {"TUICRM_NOW": "2026-11-22T09:00", "TZ": "UTC"}
    for name in ("Beta Logistics", "Betamax Foods", "成都鼎盛科技", "Acme"):
        r = run_main(["--db", str(db), "add", "customer", name], env=env)
        assert r.returncode == 0, r.stderr
    return db


def request(shell: str, line: str, db: Path, *, cword: int | None = None, action: str = "get-args"):
    """A real ``tuicrm`` process asked for completions as the installed script asks."""
    env = dict(os.environ, _TUICRM_COMPLETE=f"complete_{shell}", TUICRM_DB=str(db), TERM="xterm-256color")
    if shell == "bash":
        words = line.split(" ")
        env.update(COMP_WORDS=line, COMP_CWORD=str(len(words) - 1 if cword is None else cword))
    else:
        env["_TYPER_COMPLETE_ARGS"] = line
        env["_TYPER_COMPLETE_FISH_ACTION"] = action
    # stdin from /dev/null and a timeout: a TUI started by mistake fails the test, never hangs it.
    return subprocess.run(
        [TUICRM], env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=30
    )


def test_bash_completes_commands_without_the_tui(customers_db):
    r = request("bash", "tuicrm sn", customers_db)
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines() == ["snooze"]
    assert ESC not in r.stdout + r.stderr


def test_zsh_completes_options_with_their_help(customers_db):
    r = request("zsh", "tuicrm due --c", customers_db)
    assert r.returncode == 0 and ESC not in r.stdout + r.stderr
    assert r.stdout.startswith("_arguments '*: :((") and '"--count":"Only the number' in r.stdout


def test_fish_completes_customer_names_with_their_codes(customers_db):
    r = request("fish", "tuicrm log Bet", customers_db)
    assert r.returncode == 0 and ESC not in r.stdout + r.stderr
    lines = r.stdout.splitlines()
    assert [line.split("\t")[0] for line in lines] == ["Beta Logistics", "Betamax Foods"]
    assert all("\tC" in line for line in lines)
    # fish first asks whether there are argument completions at all (else it offers files)
    assert request("fish", "tuicrm log Bet", customers_db, action="is-args").returncode == 0
    assert request("fish", "tuicrm export ", customers_db, action="is-args").returncode == 1


def test_a_bare_completion_request_never_starts_the_tui(customers_db):
    """The request of issue #21: the words are only ``tuicrm``; stdin is no terminal."""
    r = request("bash", "tuicrm ", customers_db)
    assert r.returncode == 0 and ESC not in r.stdout + r.stderr
    assert {"due", "log", "snooze", "report"} <= set(r.stdout.split())


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")  # present in CI's image
def test_the_installed_bash_script_completes(customers_db, tmp_path):
    """``--install-completion bash`` writes Typer's script; sourcing it and pressing Tab on
    ``tuicrm show C0000`` fills COMPREPLY with codes."""
    env = dict(os.environ, HOME=str(tmp_path), _TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION="1")
    r = subprocess.run(
        [TUICRM, "--install-completion", "bash"], env=env, capture_output=True, text=True, timeout=60
    )
    assert r.returncode == 0, r.stderr
    script = tmp_path / ".bash_completions" / "tuicrm.sh"
    assert "_TUICRM_COMPLETE=complete_bash" in script.read_text()
    program = (
        f'source "{script}"; PATH="{Path(TUICRM).parent}:$PATH"; '
        "COMP_WORDS=(tuicrm show C0000); COMP_CWORD=2; _tuicrm_completion tuicrm; "
        'printf "%s\\n" "${COMPREPLY[@]}"'
    )
    r = subprocess.run(
        ["bash", "--norc", "-c", program],
        env=dict(env, TUICRM_DB=str(customers_db)),
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert r.stdout.split() == ["C000001", "C000002", "C000003", "C000004"], r.stderr


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("tuicrm opp move 12 ", ["lead", "need", "proposal", "negotiation", "won", "lost"]),
        ("tuicrm due --kind l", ["lead"]),
        ("tuicrm add c", ["customer", "contact"]),
        ("tuicrm snooze --", ["--reason", "--force", "--help"]),
        ("tuicrm show 成都", ["成都鼎盛科技"]),
        ("tuicrm show c00000", ["C000001", "C000002", "C000003", "C000004"]),
        ("tuicrm --db", ["--db"]),
        ("tuicrm report weekly --json --j", []),  # given already
        ("tuicrm show C000001 ", []),  # one customer only
        ("tuicrm export ", []),  # a file: the shell's own completion
        ("tuicrm edit C000001 Bet", ["Beta\\ Logistics", "Betamax\\ Foods"]),  # several: quoted
    ],
)
def test_what_is_offered(cli_main, customers_db, line, expected):
    env = {"_TUICRM_COMPLETE": "complete_bash", "COMP_WORDS": line, "TUICRM_DB": str(customers_db)}
    env["COMP_CWORD"] = str(len(line.split(" ")) - 1)
    r = cli_main([], env=env)
    assert r.returncode == 0
    assert r.stdout.splitlines() == expected


def test_customers_of_another_database_with_db(cli_main, customers_db, tmp_path):
    env = {
        "_TUICRM_COMPLETE": "complete_bash",
        "COMP_WORDS": f"tuicrm --db {customers_db} show Acm",
        "COMP_CWORD": "4",
        "TUICRM_DB": str(tmp_path / "none.db"),
    }
    assert cli_main([], env=env).stdout.split() == ["Acme"]


def test_the_generated_table_matches_the_command_tree():
    """Regenerate from the Typer app and compare: run ``python -m tuicrm.cli.gentables`` after
    changing a command, an option or a help text."""
    from tuicrm.cli import completion_table, gentables

    assert gentables.tree() == completion_table.TREE
    assert gentables.root_help() == completion_table.ROOT_HELP


def test_root_help_is_typers_own(customers_db):
    """``tuicrm --help`` from the table is byte for byte what Typer prints (a real process)."""
    from tuicrm.cli.completion_table import ROOT_HELP

    env = dict(os.environ, COLUMNS="120", TUICRM_LANG="en")
    r = subprocess.run([TUICRM, "--help"], env=env, capture_output=True, text=True, timeout=30)
    assert r.returncode == 0 and r.stdout == ROOT_HELP
    narrow = subprocess.run(
        [TUICRM, "-h"], env=dict(env, COLUMNS="60"), capture_output=True, text=True, timeout=30
    )
    assert narrow.returncode == 0 and narrow.stdout != ROOT_HELP  # Typer wraps it at 60


def test_completion_and_help_load_neither_typer_nor_the_store(customers_db):
    """A real process: a completion with customer names, then ``--help``: no Typer, Click, Rich,
    SQLModel, SQLAlchemy or Textual (what makes them fast)."""
    code = (
        "import os, sys\n"
        "from tuicrm.cli import main\n"
        "for argv in ([], ['--help']):\n"
        "    try:\n"
        "        main(argv)\n"
        "    except SystemExit as e:\n"
        "        assert not e.code, e.code\n"
        "    os.environ.pop('_TUICRM_COMPLETE', None)\n"
        "heavy = ('typer', 'click', 'rich', 'sqlmodel', 'sqlalchemy', 'textual', 'pendulum')\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & set(heavy)))\n"
    )
    env = dict(
        os.environ,
        _TUICRM_COMPLETE="complete_bash",
        COMP_WORDS="tuicrm log Bet",
        COMP_CWORD="2",
        TUICRM_DB=str(customers_db),
        COLUMNS="100",
        TUICRM_LANG="en",
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, env=env)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[:2] == ["Beta\\ Logistics", "Betamax\\ Foods"]
    assert lines[2].startswith("Usage: tuicrm [OPTIONS] COMMAND")
    assert lines[-1] == "[]"
