"""docs/cli.md against ``--help``: every command and every option the command tree shows is in a
synopsis of docs/cli.md, and every synopsis names a command and options that exist (issue #21).

A *synopsis* is a line of a code block of docs/cli.md (a fenced block without a language, or an
indented one) that starts with ``tuicrm``, with its indented continuation lines. Its command is
the longest run of words that names a command of the tree (none: the root, ``tuicrm [--db PATH]``).
Its options are the ``--words`` it names; ``--flag/...`` stands for the flag and its negative
(``--no-flag``), and ``[customer fields ...]``, ``[contact fields]``, ``[deal fields]`` for the
options of the paragraph that lists those fields. The command tree is Typer's (what ``--help``
prints, hidden options left out); the fast parser (tuicrm.cli.fast) takes a subset of each
command's options, which is asserted too.
"""

from __future__ import annotations

import re
from pathlib import Path

import typer

from cli_runner import run_main
from tuicrm.cli import fast, fastwrites
from tuicrm.cli.app import build_app

DOC = Path(__file__).resolve().parents[2] / "docs" / "cli.md"
OPTION = re.compile(r"--[a-z][a-z0-9-]*(?:/(?:--[a-z][a-z0-9-]*|\.\.\.))?")
# Options every command has, or that only the shell integration uses.
EVERYWHERE = {"--help"}
# "[customer fields ...]" in a synopsis: the options of the paragraph starting with this text.
FIELD_GROUPS = {
    "customer fields": "**Customer fields**",
    "contact fields": "**Contact fields**",
    "deal fields": "**Deal fields**",
}


def command_tree() -> dict[str, tuple[set[str], dict[str, str]]]:
    """``"opp edit" -> (options, {flag: its negative})`` for the root ("") and every command; a
    group (``report``) has the options of its subcommands, for a synopsis like ``report KIND``."""
    tree: dict[str, tuple[set[str], dict[str, str]]] = {}

    def walk(command, path: list[str]) -> None:
        opts: set[str] = set()
        negatives: dict[str, str] = {}
        for param in command.params:
            if param.param_type_name != "option" or getattr(param, "hidden", False):
                continue
            opts |= {o for o in param.opts if o.startswith("--")}
            for neg in param.secondary_opts:
                opts.add(neg)
                negatives[param.opts[0]] = neg
        subs = getattr(command, "commands", None)
        tree[" ".join(path)] = (opts - EVERYWHERE, negatives)
        for name, sub in (subs or {}).items():
            walk(sub, [*path, name])
            if path or name not in GROUPS:
                continue
            for leaf, (leaf_opts, leaf_negatives) in list(tree.items()):
                if leaf.startswith(name + " "):
                    tree[name][0].update(leaf_opts)
                    tree[name][1].update(leaf_negatives)

    walk(typer.main.get_command(build_app()), [])
    return tree


def _groups() -> set[str]:
    root = typer.main.get_command(build_app())
    return {name for name, sub in root.commands.items() if getattr(sub, "commands", None)}


def _field_list(text: str, start: str) -> str:
    """The paragraph's first sentence, and the table that follows it when it ends with a colon."""
    at = text.index(start)
    end = re.compile(r"\.\s|:\n\n").search(text, at)
    assert end is not None
    if end.group() == ":\n\n":  # a table follows its sentence
        return text[at : text.find("\n\n", end.end())]
    return text[at : end.start()]


def synopses(text: str, tree) -> list[tuple[str, str]]:
    """(command, the synopsis text) for every synopsis in the doc."""
    out: list[tuple[str, str]] = []
    fenced = None
    current: list[str] | None = None
    for line in text.splitlines():
        if line.startswith("```"):
            fenced = None if fenced is not None else line[3:].strip()
            current = None
            continue
        in_code = fenced == "" or (fenced is None and line.startswith("    "))
        stripped = line.strip()
        if not in_code:
            current = None
            continue
        if stripped == "tuicrm" or stripped.startswith("tuicrm "):
            words = stripped.split()[1:]
            command = ""
            for n in range(len(words), 0, -1):
                if " ".join(words[:n]) in tree:
                    command = " ".join(words[:n])
                    break
            current = [stripped]
            out.append((command, ""))
        elif current is not None and line[:1].isspace() and stripped:
            current.append(stripped)
        else:
            current = None
            continue
        out[-1] = (out[-1][0], "\n".join(current))
    return out


def documented(text: str, tree) -> dict[str, set[str]]:
    groups = {name: set(OPTION.findall(_field_list(text, start))) for name, start in FIELD_GROUPS.items()}
    out: dict[str, set[str]] = {}
    for command, synopsis in synopses(text, tree):
        named = out.setdefault(command, set())
        negatives = tree[command][1]
        for token in OPTION.findall(synopsis):
            flag, _, other = token.partition("/")
            named.add(flag)
            if other == "...":
                named.add(negatives.get(flag, flag + "/..."))
            elif other:
                named.add(other)
        for name, options in groups.items():
            if "[" + name in synopsis:
                named |= options
    return out


GROUPS = _groups()
TREE = command_tree()
LEAVES = {c for c in TREE if c not in GROUPS}
TEXT = DOC.read_text(encoding="utf-8")
DOCUMENTED = documented(TEXT, TREE)


def test_every_command_has_a_synopsis_and_every_synopsis_a_command():
    assert LEAVES - set(DOCUMENTED) == set(), "commands missing from docs/cli.md"
    assert set(DOCUMENTED) <= set(TREE)
    assert len(TREE) > 60  # the walk found the tree


def test_every_option_of_help_is_in_the_doc():
    missing = {c: sorted(TREE[c][0] - DOCUMENTED.get(c, set())) for c in LEAVES}
    assert {c: m for c, m in missing.items() if m} == {}


def test_every_documented_option_exists():
    extra = {c: sorted(DOCUMENTED[c] - TREE[c][0] - EVERYWHERE) for c in DOCUMENTED}
    assert {c: e for c, e in extra.items() if e} == {}


def test_the_fast_parsers_take_only_options_the_command_has():
    """The fast read path (tuicrm.cli.fast) and the quick writes (tuicrm.cli.fastwrites) parse
    their own options: each is one of the command's, so docs/cli.md covers them too."""
    for command, (flags, integers, _) in fast.COMMANDS.items():
        taken = set(flags) | set(integers) | set(fast.TEXT_OPTIONS.get(command, {}))
        taken |= set(fast.CHOICE_OPTIONS.get(command, {}))
        assert taken <= TREE[command][0], command
    for words, tables in fastwrites.COMMANDS.items():
        taken = {o for table in tables[:3] for o in table}
        assert taken <= TREE[" ".join(words)][0], words


def test_the_config_path_is_named_with_its_variable_in_the_docs_and_help():
    """The config file is ``$XDG_CONFIG_HOME/tuicrm/config.toml``; ``--demo`` works for any command."""
    assert "$XDG_CONFIG_HOME/tuicrm/config.toml" in TEXT
    shown = run_main(["--help"], env={"COLUMNS": "200"})
    assert shown.returncode == 0
    assert "$XDG_CONFIG_HOME/tuicrm/config.toml" in shown.stdout
    assert "tuicrm --demo due" in shown.stdout and "tuicrm --demo due" in TEXT
