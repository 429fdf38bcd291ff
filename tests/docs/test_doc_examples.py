"""Every ``tuicrm …`` example in README.md and docs/*.md runs, against a demo database (issue #21).

What counts, and how it is checked:

- **Examples** are the ``tuicrm`` lines of ```` ```console ```` blocks (``$ tuicrm …``) and the
  inline code spans ```tuicrm …``` of the prose. Each runs in this process (tests/cli_runner.py)
  against a fresh copy of one demo database (60 customers, seed 1, ``TUICRM_NOW`` pinned to
  2026-11-22 09:00 UTC) and the copy as ``--demo``'s database, in an empty working directory
  (for an import: ``workbook.xlsx`` and ``all.xlsx``, the demo's customers exported). Its exit
  code must be 0, or the one ``EXIT`` lists for an example the doc shows failing.
- **Output**: in a console block, the lines after ``$ tuicrm …`` up to the next ``$`` line are its
  output, compared line by line (trailing spaces ignored). Markers for what varies: a line that is
  only ``...`` stands for any number of lines (none too); ``...`` inside a line for any text.
- **Synopses** (``[--json]``, ``A|B``, ``..``, ``…``, ``<kind>``, a placeholder such as
  ``CUSTOMER``) are not run: tests/docs/test_cli_doc.py holds docs/cli.md's synopses to ``--help``.
- **References** (only command words: ``tuicrm log``, ``tuicrm opp``) must name a command.
- **Excluded** examples (the TUI itself, shell completion, the 100 000-customer benchmark …) are
  listed in ``EXCLUDED`` with the reason; the list's size is asserted, so it only changes on purpose.
"""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import pytest
import typer

from cli_runner import run_main
from tuicrm.cli.app import build_app

ROOT = Path(__file__).resolve().parents[2]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
NOW = "2026-11-22T09:00"

# Examples that cannot run in a test, and why (the key is the example as the doc writes it).
EXCLUDED = {
    "tuicrm": "the TUI itself",
    "tuicrm --demo": "the TUI itself (on the demo database)",
    "tuicrm --db big.db": "the TUI itself (on the benchmark database)",
    "tuicrm --install-completion": "changes the shell's start-up files",
    "tuicrm --install-completion bash": "changes the shell's start-up files",
    "tuicrm demo --customers 100000 --seed 1": "the benchmark database: minutes to build",
    "tuicrm demo --customers 100000": "the benchmark database: minutes to build",
    "tuicrm demo --customers 1000 --seed 7": "a demo of 1000 customers: seconds to build",
    "tuicrm demo --locale zh": "a full demo database (300 customers): seconds to build",
    "tuicrm --db /tmp/zh.db demo --locale zh": "a full demo database (300 customers) in /tmp",
    "tuicrm show C050001": "a customer of the 100 000-customer benchmark database",
}
# The exit code an example is documented to end with, when it is not 0.
EXIT = {
    "tuicrm --db typo.db due": 1,  # docs/safety.md: a missing database is refused, nothing created
    "tuicrm demo": 2,  # the demo database has customers already: refused without --force
}
PLACEHOLDER = re.compile(r"^[A-Z][A-Z_]*(\.\.\.)?$")
SYNOPSIS_MARKS = ("[", "]", "|", "..", "…", "<", ">")


def _commands() -> dict[str, tuple[set[str], bool]]:
    """``"opp move" -> (its options, whether it runs without arguments)``; groups run nothing."""
    names: dict[str, tuple[set[str], bool]] = {}

    def walk(command, path: list[str]) -> None:
        subs = getattr(command, "commands", None) or {}
        options = {
            o for p in command.params if p.param_type_name == "option" for o in p.opts + p.secondary_opts
        }
        needs = any(p.required for p in command.params if p.param_type_name == "argument")
        names[" ".join(path)] = (options | {"--help"}, not needs and (not subs or not path))
        for name, sub in subs.items():
            walk(sub, [*path, name])

    walk(typer.main.get_command(build_app()), [])
    return names


COMMANDS = _commands()
# Spans that name something other than a command line.
NOT_COMMANDS = {"tuicrm id": "a column of the export and the import (the row's id)"}


def collect() -> list[tuple[str, str, list[str] | None, str]]:
    """(where, the command line, its expected output lines or None, its console block or "" for
    prose) for every tuicrm line of the docs."""
    found: list[tuple[str, str, list[str] | None, str]] = []
    for doc in DOCS:
        fence: str | None = None
        block = ""
        output: list[str] | None = None
        for number, line in enumerate(doc.read_text(encoding="utf-8").splitlines(), 1):
            where = f"{doc.relative_to(ROOT)}:{number}"
            if line.lstrip().startswith("```"):
                fence = None if fence is not None else line.strip()[3:].strip()
                block, output = where, None
                continue
            if fence is not None:
                if fence != "console":
                    continue
                stripped = line.strip()
                if stripped.startswith("$ "):
                    command = stripped[2:]
                    output = [] if command.startswith("tuicrm") else None
                    if output is not None:
                        found.append((where, command, output, block))
                elif output is not None:
                    output.append(line.rstrip())
                continue
            for span in re.findall(r"`(tuicrm(?: [^`]*)?)`", line):
                found.append((where, span, None, ""))
    # A console block's command without output lines shows none: compare nothing.
    return [(w, c, o or None, block) for w, c, o, block in found]


def split(line: str) -> tuple[str, list[str]]:
    """(the command path, the words after it)."""
    words = shlex.split(line)[1:]
    path: list[str] = []
    while words and " ".join([*path, words[0]]) in COMMANDS:
        path.append(words.pop(0))
    return " ".join(path), words


def kind(line: str, console: str = "") -> str:
    """synopsis, name (NOT_COMMANDS), reference (a command and its flags: runs when it can),
    example (runs), or unknown (a command that does not exist)."""
    words = line.split()[1:]
    if any(mark in line for mark in SYNOPSIS_MARKS) or any(
        PLACEHOLDER.match(w) or ("/" in w and not w.startswith("-") and "." not in w) for w in words
    ):
        return "synopsis"
    if line in NOT_COMMANDS:
        return "name"
    command, rest = split(line)
    if rest and not rest[0].startswith("-") and not command:
        return "unknown"
    if not console and all(w.startswith("--") for w in rest):
        return "reference"
    return "example"


def runs(line: str, console: str) -> bool:
    what = kind(line, console)
    if what == "example":
        return True
    command, rest = split(line)
    return what == "reference" and COMMANDS[command][1] and (bool(command) or bool(rest))


EXAMPLES = collect()
# What runs: each console block as one session (its commands in order, on one copy), and each
# other example once (the first place it is written).
SESSIONS: dict[str, list[tuple[str, str, list[str] | None]]] = {}
for _where, _line, _output, _block in EXAMPLES:
    if runs(_line, _block) and _line not in EXCLUDED and (_block or _line not in SESSIONS):
        SESSIONS.setdefault(_block or _line, []).append((_where, _line, _output))
RUN = [x for session in SESSIONS.values() for x in session]


def test_the_docs_have_examples_and_every_exclusion_is_still_in_them():
    assert len(EXCLUDED) == 11
    written = {c for _, c, _, _ in EXAMPLES}
    assert set(EXCLUDED) <= written, set(EXCLUDED) - written
    assert set(NOT_COMMANDS) <= written
    assert not set(EXCLUDED) & set(EXIT)
    assert len(RUN) > 40
    assert sum(o is not None for _, _, o in RUN) >= 3  # some examples show their output


def test_every_reference_names_a_command_and_its_options():
    wrong = []
    for where, line, _, console in EXAMPLES:
        what = kind(line, console)
        if what == "unknown":
            wrong.append((where, line))
        elif what == "reference":
            command, rest = split(line)
            if not set(rest) <= COMMANDS[command][0]:
                wrong.append((where, line))
    assert wrong == []


def matches(expected: list[str], actual: list[str]) -> bool:
    """Line by line; a ``...`` line is any number of lines, ``...`` in a line any text."""
    pattern = "".join(
        r"(?:[^\n]*\n)*?" if line.strip() == "..." else ".*".join(map(re.escape, line.split("..."))) + "\n"
        for line in expected
    )
    return re.fullmatch(pattern, "".join(x.rstrip() + "\n" for x in actual)) is not None


@pytest.fixture(scope="module")
def demo(demo_db, tmp_path_factory):
    """The demo database, and a folder with its customers exported as ``workbook.xlsx`` and
    ``all.xlsx`` for the import examples."""
    db = demo_db(60, 1)
    files = tmp_path_factory.mktemp("doc-files")
    env = {"TUICRM_NOW": NOW, "COLUMNS": "100"}
    # One sheet (the customers): a workbook's every sheet would cost a second to read twice.
    made = run_main(["--db", str(db), "export", str(files / "all.xlsx"), "--kind", "customers"], env=env)
    assert made.returncode == 0, made.stderr
    shutil.copy(files / "all.xlsx", files / "workbook.xlsx")
    return db, files


@pytest.mark.parametrize(
    "session", list(SESSIONS.values()), ids=[s[0][0] + " " + s[0][1] for s in SESSIONS.values()]
)
def test_example(session, demo, tmp_path, monkeypatch, isolated_env):
    db, files = demo
    copy = tmp_path / "crm.db"
    shutil.copy(db, copy)
    demo_copy = isolated_env / "data" / "tuicrm" / "demo.db"
    demo_copy.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(db, demo_copy)
    work = tmp_path / "work"
    shutil.copytree(files, work) if any(
        split(line)[0] == "import" for _, line, _ in session
    ) else work.mkdir()
    monkeypatch.chdir(work)
    for where, example, output in session:
        args = shlex.split(example)[1:]
        if "--db" not in args and "--demo" not in args:
            args = ["--db", str(copy), *args]
        result = run_main(args, env={"TUICRM_NOW": NOW, "COLUMNS": "100"})
        said = f"{where}: {example}\n{result.stdout}{result.stderr}"
        assert result.returncode == EXIT.get(example, 0), said
        if output is not None:
            assert matches(output, result.stdout.splitlines()), said


@pytest.mark.parametrize(
    ("expected", "actual", "ok"),
    [
        (["a", "..."], ["a", "b"], True),
        (["a", "..."], ["a"], True),
        (["a", "...", "d"], ["a", "b", "c", "d"], True),
        (["a", "...", "d"], ["a", "d"], True),
        (["a ... c"], ["a b b c"], True),
        (["a", "d"], ["a", "b", "d"], False),
        (["a b"], ["a c"], False),
    ],
)
def test_the_markers(expected, actual, ok):
    assert matches(expected, actual) is ok


# Names the docs give for what no longer exists: performance.md's log names files as they were.
HISTORY = {
    "src/tuicrm/fastread.py": "performance.md: the read path before it moved to tuicrm/query/",
    "tests/perf/test_fastread.py": "performance.md: its test then (now tests/query/test_queries.py)",
    "src/tuicrm/io/importer.py": "performance.md: the importer before it was split (io/importing/)",
    "tuicrm.mo": "user-guide.md: the compiled catalogue's file name, not a module",
}


def _exists(name: str) -> bool:
    import importlib

    if name.startswith(("src/", "tests/")):
        return (ROOT / name.split("::")[0]).exists()
    module, attrs = name, []
    while module:
        try:
            obj = importlib.import_module(module)
        except ImportError:
            module, _, attr = module.rpartition(".")
            attrs.insert(0, attr)
            continue
        for attr in attrs:
            if not hasattr(obj, attr):
                return False
            obj = getattr(obj, attr)
        return True
    return False


def test_every_file_and_module_the_docs_name_exists():
    named = set()
    for doc in DOCS:
        text = doc.read_text(encoding="utf-8")
        named |= set(re.findall(r"`((?:src|tests)/[\w./-]+\.py(?:::\w+)?)`", text))
        named |= set(re.findall(r"`(tuicrm(?:\.\w+)+)`", text))
    assert len(named) > 50
    assert set(HISTORY) <= named and len(HISTORY) == 4
    assert sorted(n for n in named - set(HISTORY) if not _exists(n)) == []
