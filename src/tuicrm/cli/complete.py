"""Shell completion without Typer: answered before anything else runs (issue #21).

The scripts ``tuicrm --install-completion`` installs (Typer's) run ``tuicrm`` with
``_TUICRM_COMPLETE=complete_<shell>`` and the command line in ``COMP_WORDS``/``COMP_CWORD``
(bash) or ``_TYPER_COMPLETE_ARGS`` (zsh, fish, PowerShell). ``main()`` asks ``answer()`` first,
so such a run never opens the TUI, and answers from the generated command tree
(``tuicrm.cli.completion_table``) plus, where a customer is wanted, the customers' codes and
names read on the lean connection (``tuicrm.query.completion``): no Typer, no SQLModel.
The output is in Typer's format for each shell. ``source_<shell>`` requests go to Typer.
"""

from __future__ import annotations

import os
import sys

VARIABLE = "_TUICRM_COMPLETE"
SHELLS = ("bash", "zsh", "fish", "powershell", "pwsh")
# (value, help, what it is): TEXT (a command or option: its help is translated), CODE (a
# customer's code, the name as help) or NAME (a customer's name, quoted for bash).
Item = tuple[str, str, str]
TEXT, CODE, NAME = "text", "code", "name"


def requested() -> str | None:
    """The shell whose completion is asked for, or None (not a completion request we answer)."""
    instruction = os.environ.get(VARIABLE, "")
    shell = instruction.removeprefix("complete_")
    return shell if instruction.startswith("complete_") and shell in SHELLS else None


def split_words(line: str) -> list[str]:
    """Click's ``split_arg_string``: shell words, an unclosed quote ending the last one."""
    import shlex

    lexer = shlex.shlex(line, posix=True)
    lexer.whitespace_split = True
    lexer.commenters = ""
    words: list[str] = []
    try:
        for word in lexer:
            words.append(word)
    except ValueError:
        words.append(lexer.token)
    return words


def command_line(shell: str) -> tuple[list[str], str]:
    """(the words before the cursor without the program's name, the word being completed)."""
    if shell == "bash":
        words = split_words(os.environ.get("COMP_WORDS", ""))
        try:
            cword = int(os.environ.get("COMP_CWORD", ""))
        except ValueError:
            cword = len(words)
        return words[1:cword], words[cword] if 0 <= cword < len(words) else ""
    line = os.environ.get("_TYPER_COMPLETE_ARGS", "")
    words = split_words(line)[1:]
    if shell in ("powershell", "pwsh"):
        incomplete = os.environ.get("_TYPER_COMPLETE_WORD_TO_COMPLETE", "")
        return (words[:-1] if incomplete else words), incomplete
    if words and not line.endswith(" "):
        return words[:-1], words[-1]
    return words, ""


def locate(args: list[str]) -> tuple[tuple[str, ...], int, str | None, str | None, set[str]]:
    """Where ``args`` leave the rep: (command path, arguments given, option awaiting its value,
    the ``--db`` given, options given)."""
    from tuicrm.cli.completion_table import TREE

    path: tuple[str, ...] = ()
    given = 0
    awaiting: str | None = None
    db: str | None = None
    used: set[str] = set()
    for token in args:
        node = TREE[path]
        if awaiting is not None:
            if awaiting == "--db" and not path:
                db = token
            awaiting = None
        elif token.startswith("-") and len(token) > 1:
            name, eq, value = token.partition("=")
            option = node["options"].get(name)
            used.add(name)
            if option is not None and option[1] and not eq:
                awaiting = name
            elif name == "--db" and not path:
                db = value
        elif not given and token in node["commands"]:
            path = (*path, token)
            used = set()
        else:
            given += 1
    return path, given, awaiting, db, used


def values(kind: str, incomplete: str, db: str | None) -> list[Item]:
    """The values of one kind (``customer``, ``choice:a|b``) that start with ``incomplete``."""
    if kind.startswith("choice:"):
        return [(w, "", TEXT) for w in kind[len("choice:") :].split("|") if w.startswith(incomplete)]
    if kind != "customer":
        return []
    from tuicrm.cli.reads import customer_completions

    try:
        rows = customer_completions(db, incomplete)
    except Exception:  # a completion never fails loudly: the shell just offers nothing
        return []
    typed = incomplete.strip().upper()
    items: list[Item] = []
    for code, name in rows:
        if code.upper().startswith(typed):
            items.append((code, name, CODE))
        else:
            items.append((name, code, NAME))
    return items


def completions(args: list[str], incomplete: str) -> list[Item]:
    """What may come next, as Click would offer it: an option's values, options, commands, or
    the next argument's values."""
    from tuicrm.cli.completion_table import TREE

    path, given, awaiting, db, used = locate(args)
    node = TREE[path]
    if awaiting is not None:
        return values(node["options"][awaiting][2], incomplete, db)
    if incomplete and not incomplete[0].isalnum():
        return [
            (name, help_, TEXT)
            for name, (help_, _takes, _kind) in node["options"].items()
            if name.startswith(incomplete) and name not in used
        ]
    if node["commands"]:
        return [
            (name, help_, TEXT) for name, help_ in node["commands"].items() if name.startswith(incomplete)
        ]
    arguments = node["arguments"]
    if not arguments:
        return []
    name, kind, variadic = arguments[min(given, len(arguments) - 1)]
    if given >= len(arguments) and not variadic:
        return []
    return values(kind, incomplete, db)


def bash_word(value: str) -> str:
    """``value`` as one shell word (bash inserts completions as typed)."""
    return "".join("\\" + c if not (c.isalnum() or c in "@%+=:,./-_") else c for c in value)


def short(text: str, limit: int = 45) -> str:
    """The first sentence of a help text, cut at a word to ``limit`` characters (as Click does)."""
    text = " ".join(text.split())
    end = text.find(". ")
    if end != -1:
        text = text[: end + 1]
    if len(text) <= limit:
        return text
    cut = text[: limit - 3].rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:") + "..."


def render(shell: str, items: list[Item]) -> tuple[str, int]:
    """(output, exit code) in the format Typer's completion scripts read."""
    from tuicrm.i18n import _

    def help_of(item: Item) -> str:
        # Commands' and options' help is the English source text; names and codes are data.
        return short(_(item[1])) if item[2] == TEXT and item[1] else item[1]

    if shell == "bash":
        words = (bash_word(v) if what == NAME else v for v, _h, what in items)
        return "\n".join(dict.fromkeys(words)), 0  # same-name customers: one word
    if shell == "zsh":
        if not items:
            return "_files", 0

        def escape(s: str) -> str:
            return (
                s.replace('"', '""')
                .replace("'", "''")
                .replace("$", "\\$")
                .replace("`", "\\`")
                .replace(":", r"\\:")
            )

        lines = [
            f'"{escape(item[0])}":"{escape(" ".join(help_of(item).split()))}"'
            if item[1]
            else f'"{escape(item[0])}"'
            for item in items
        ]
        joined = "\n".join(lines)
        return f"_arguments '*: :(({joined}))'", 0
    if shell == "fish":
        action = os.environ.get("_TYPER_COMPLETE_FISH_ACTION", "")
        if action == "is-args":
            return "", 0 if items else 1
        if action != "get-args":
            return "", 0
        return "\n".join(
            f"{item[0]}\t{' '.join(help_of(item).split())}" if item[1] else item[0] for item in items
        ), 0
    return "\n".join(f"{item[0]}:::{' '.join(help_of(item).split()) or ' '}" for item in items), 0


def answer() -> int | None:
    """Answer a completion request (print, return the exit code), or None when there is none."""
    shell = requested()
    if shell is None:
        return None
    try:
        args, incomplete = command_line(shell)
        items = completions(args, incomplete)
    except Exception:  # the rep's shell must never show a traceback under the prompt
        items = []
    text, code = render(shell, items)
    if text:
        sys.stdout.write(text + "\n")
    sys.stdout.flush()
    return code


ROOT_HELP_WIDTH = 80


def root_help() -> str | None:
    """``tuicrm --help`` from the generated table when it is what Click would print: English, a
    terminal at least 80 columns wide (Click wraps at 80 at most); else None (Typer prints it)."""
    from tuicrm.i18n import catalogue, language

    if catalogue(language()) is not None:
        return None
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        width = int(columns)
    else:
        try:
            width = os.get_terminal_size(sys.__stdout__.fileno()).columns if sys.__stdout__ else 80
        except (OSError, ValueError):
            width = 80  # not a terminal: Click's fallback
    if width < ROOT_HELP_WIDTH:
        return None
    from tuicrm.cli.completion_table import ROOT_HELP

    return ROOT_HELP


__all__ = ["answer", "completions", "requested", "root_help"]
