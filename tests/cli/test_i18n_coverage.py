"""Every user-visible string in ``tuicrm/cli`` goes through ``_()`` (or ``ngettext``).

An AST scan: string literals reaching what the rep reads (printed, echoed, raised as an
error, a help text, a table header or title) must sit inside a ``_()``/``ngettext()`` call.
Strings without a letter (separators, markers, ``"\\n"``) are not words and pass.
"""

from __future__ import annotations

import ast
from pathlib import Path

CLI = Path(__file__).resolve().parents[2] / "src" / "tuicrm" / "cli"

TRANSLATE = {"_", "ngettext"}
ALL = None
# Calls whose arguments the rep reads: the positions read (ALL: every positional argument).
SINKS: dict[str, tuple[int, ...] | None] = {
    "out": ALL,
    "err": ALL,
    "fail": (0,),
    "error_line": (0,),
    "ambiguous": (0,),
    "echo": (0,),
    "secho": (0,),
    "print": ALL,
    "confirm": (0,),
    "prompt": (0,),
    "Text": (0,),
    "TextColumn": (0,),
    "Rows": ALL,
    "table": (0,),
    "md_table": (0,),
    "add_column": (0,),
    "add_row": ALL,
    "append": ALL,
    "BadParameter": (0,),
}
# Calls that pass their text through to the rep (their positional arguments are scanned too).
PASSTHROUGH = {"redact", "plain", "text", "md", "sanitize_line", "Text", "str"}
# Keywords whose value the rep reads, in any call.
TEXT_KEYWORDS = {"help", "title", "message", "epilog", "short_help"}


def _name(func: ast.expr) -> str:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def _has_letters(node: ast.AST) -> bool:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return any(ch.isalpha() for ch in node.value)
    if isinstance(node, ast.JoinedStr):
        return any(_has_letters(v) for v in node.values if isinstance(v, ast.Constant))
    return False


def _bare(node: ast.AST):
    """String literals with words in ``node`` that no ``_()``/``ngettext()`` wraps."""
    if isinstance(node, ast.Call):
        if _name(node.func) in TRANSLATE:
            return
        if isinstance(node.func, ast.Attribute):
            yield from _bare(node.func.value)  # "text {x}".format(...): the literal is the receiver
        if _name(node.func) in PASSTHROUGH:
            for arg in node.args:
                yield from _bare(arg)
        return
    if isinstance(node, (ast.Constant, ast.JoinedStr)):
        if _has_letters(node):
            yield node
        return
    if isinstance(node, ast.BinOp):
        yield from _bare(node.left)
        yield from _bare(node.right)
    elif isinstance(node, ast.IfExp):
        yield from _bare(node.body)
        yield from _bare(node.orelse)
    elif isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        for elt in node.elts:
            yield from _bare(elt)
    elif isinstance(node, ast.Starred):
        yield from _bare(node.value)


def untranslated(source: str, filename: str = "<string>") -> list[str]:
    """``file:line: text`` for each user-visible literal that bypasses ``_()``."""
    found = []
    for node in ast.walk(ast.parse(source, filename)):
        if not isinstance(node, ast.Call):
            continue
        values = []
        name = _name(node.func)
        if name in SINKS:
            positions = SINKS[name]
            values += [a for i, a in enumerate(node.args) if positions is ALL or i in positions]
        values += [k.value for k in node.keywords if k.arg in TEXT_KEYWORDS]
        for value in values:
            for literal in _bare(value):
                found.append(f"{filename}:{literal.lineno}: {ast.unparse(literal)[:70]}")
    return found


def test_every_user_visible_string_in_the_cli_goes_through_gettext():
    files = sorted(CLI.rglob("*.py"))
    assert len(files) >= 10
    problems = []
    for path in files:
        problems += untranslated(path.read_text(encoding="utf-8"), str(path.relative_to(CLI)))
    assert problems == [], "\n".join(problems)


def test_the_scan_finds_what_bypasses_gettext():
    bad = """
import typer
def f(x):
    out("Nothing due.")
    fail(f"cannot read {x}")
    err("tuicrm: " + x)
    out(redact("No customer matches '{q}'.".format(q=x)))
    lines.append("more" if x else _("fine"))
    opt = typer.Option("--days", help="Also list the next N days.")
    table(["code", _("name")], [])
"""
    found = untranslated(bad)
    assert len(found) == 7, found
    good = """
def f(x, n):
    out(_("Nothing due."))
    fail(_("cannot read {x}").format(x=x))
    err(error_line(_("{m} Say which one:").format(m=x)))
    out(ngettext("{n} deal", "{n} deals", n).format(n=n))
    out("\\n".join(x) + " · " + f"{x} {n}")
    opt = typer.Option("--days", help=_("Also list the next N days."))
"""
    assert untranslated(good) == []
