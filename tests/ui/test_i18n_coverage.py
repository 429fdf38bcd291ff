"""Every user-visible string literal in ``src/tuicrm/ui`` goes through ``_()`` (issue #13).

An ``ast`` scan, by heuristic: string literals (and f-strings, and literals joined with ``+`` or
formatted with ``.format``/``%``) in the places a rep reads them — ``notify(...)``, a ``Binding``'s
description and tooltip, the text of ``Static``/``Label``/``Button``/``Text``/``Content``/…,
``update(...)`` and ``append(...)`` of a widget or a ``Text``, ``title``/``sub_title``/
``border_title`` assignments, and keyword arguments such as ``placeholder=``, ``tooltip=``,
``label=``. A literal with no letter in it (punctuation, marks, spacing) is not text to translate;
CSS ids, key names and action names are never in these places. ``tuicrm`` (the name) is exempt.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import tuicrm.ui

UI = Path(tuicrm.ui.__file__).resolve().parent

WRAPPERS = {"_", "ngettext"}
# Calls whose first argument is shown as it is.
SHOWN_FIRST = {
    "notify",
    "Static",
    "Label",
    "Button",
    "Text",
    "Content",
    "Checkbox",
    "Option",
    "RadioButton",
    "Markdown",
    "Tab",
    "TabPane",
    "ScreenTitle",
    "ConfirmModal",
    "LoadFailed",
    "BoardLoadFailed",
    "Saved",
    "StoreError",
    "update",
    "append",
    "styled",
    "line",
}
SHOWN_KEYWORDS = {
    "title",
    "sub_title",
    "subtitle",
    "border_title",
    "border_subtitle",
    "placeholder",
    "tooltip",
    "label",
    "prompt",
    "description",
    "help",
    "hint",
    "yes",
    "no",
    "message",
    "empty",
}
SHOWN_ATTRIBUTES = {
    "title",
    "sub_title",
    "border_title",
    "border_subtitle",
    "tooltip",
    "placeholder",
    "TITLE",
    "SUB_TITLE",
    "BORDER_TITLE",
}
EXEMPT = {"tuicrm"}
# Anywhere else, a literal that reads as prose (a letter and a space, or a sentence's end) is text
# shown to the rep, except in these places: CSS, styles, ids and names, module paths, logs.
# ``reason=`` and ``write(label)``: kept in the database (the operation log), not shown as typed now.
NOT_SHOWN_KEYWORDS = {
    "style",
    "id",
    "classes",
    "group",
    "name",
    "thread_name_prefix",
    "variant",
    "key",
    "action",
    "reason",
}
NOT_SHOWN_CALLS = {
    "Style",
    "query_one",
    "query",
    "import_module",
    "get_component_rich_style",
    "set_class",
    "add_class",
    "remove_class",
    "has_class",
    "work",
    "getattr",
    "setattr",
    "partition",
    "split",
    "startswith",
    "endswith",
    "replace",
    "strip",
    "rstrip",
    "lstrip",
    "log",
    "debug",
    "info",
    "warning",
    "TypeVar",
    "Binding",
    "Column",
    "field",
    "on",
    "compile",
    "join",
    "write",
    "AttributeError",
    "ImportError",
}
NOT_SHOWN_TARGETS = ("CSS", "__all__", "CHECKED_WITH", "MARK", "AUTO_FOCUS")
SHOWN_TARGETS = ("label", "title", "TITLE", "hint", "message", "placeholder")
# Rich style strings ("bold $text-error") are not text.
STYLE = re.compile(r"^(bold|italic|dim|reverse|underline|not|on|\$|#)[\w\s$#-]*$")
CLASS_NAME = re.compile(r"^([A-Z][a-z]+){2,}$")  # "TimelineScreen": a name, not text
# A line ending in this comment holds text that is not for the rep (generated docs, markers).
PRAGMA = "# i18n: not shown"


def _name(func: ast.expr) -> str:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def _texts(node: ast.expr | None) -> list[ast.expr]:
    """The bare literals in ``node`` (not inside a call to ``_()``)."""
    if node is None:
        return []
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node]
    if isinstance(node, ast.JoinedStr):
        return [node]
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Mod)):
        return _texts(node.left) + _texts(node.right)
    if isinstance(node, ast.IfExp):
        return _texts(node.body) + _texts(node.orelse)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format":
        return _texts(node.func.value)  # "...".format(...) is a literal; _("...").format(...) is not
    return []


def _words(node: ast.expr) -> str:
    if isinstance(node, ast.Constant):
        return str(node.value)
    return "".join(
        v.value
        for v in getattr(node, "values", [])
        if isinstance(v, ast.Constant) and isinstance(v.value, str)
    )


def _is_text(node: ast.expr) -> bool:
    words = _words(node).strip()
    return any(ch.isalpha() for ch in words) and words not in EXEMPT


def _reads_as_prose(node: ast.expr) -> bool:
    words = _words(node).strip()
    if STYLE.match(words):
        return False
    return any(ch.isalpha() for ch in words) and (" " in words or words.endswith((".", "…", "?", "!")))


def _prose(tree: ast.Module) -> list[ast.expr]:
    """Literals that read as prose, outside ``_()``, docstrings and the places in ``NOT_SHOWN_*``."""
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                skip.add(id(body[0].value))  # a docstring
        elif isinstance(node, ast.Call):
            name = _name(node.func)
            if name in WRAPPERS or name in NOT_SHOWN_CALLS:
                skip.update(id(n) for arg in node.args for n in ast.walk(arg))
            if name == "format" and isinstance(node.func, ast.Attribute):
                skip.update(id(n) for arg in node.args for n in ast.walk(arg))  # placeholders' values
                skip.update(id(n) for kw in node.keywords for n in ast.walk(kw.value))
            for kw in node.keywords:
                if kw.arg in NOT_SHOWN_KEYWORDS:
                    skip.update(id(n) for n in ast.walk(kw.value))
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(
                _name(t).endswith(NOT_SHOWN_TARGETS) or getattr(t, "id", "").endswith(NOT_SHOWN_TARGETS)
                for t in targets
            ):
                skip.update(id(n) for n in ast.walk(node.value) if node.value is not None)
        elif isinstance(node, (ast.JoinedStr, ast.Subscript, ast.Compare)):
            # an f-string's own parts are judged with it; keys and comparisons are not shown
            inner = (
                node.values
                if isinstance(node, ast.JoinedStr)
                else [node.slice]
                if isinstance(node, ast.Subscript)
                else node.comparators + [node.left]
            )
            skip.update(id(n) for part in inner for n in ast.walk(part))
    return [
        n
        for n in ast.walk(tree)
        if isinstance(n, (ast.Constant, ast.JoinedStr))
        and (isinstance(n, ast.JoinedStr) or isinstance(n.value, str))
        and id(n) not in skip
        and _reads_as_prose(n)
    ]


def untranslated(source: str, filename: str = "<string>") -> list[tuple[int, str]]:
    """(line, text) of every user-visible literal in ``source`` not wrapped in ``_()``."""
    return sorted({(n.lineno, _words(n)) for n in untranslated_nodes(source, filename)})


def untranslated_nodes(source: str, filename: str = "<string>") -> list[ast.expr]:
    """The user-visible literals in ``source`` not wrapped in ``_()``."""
    tree = ast.parse(source, filename)
    found: list[ast.expr] = _prose(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = _name(node.func)
            if name in WRAPPERS:
                continue
            if name in SHOWN_FIRST and node.args:
                found += _texts(node.args[0])
            if name == "Binding":
                found += [t for arg in node.args[2:3] for t in _texts(arg)]
            if name in ("notify", "FormField"):  # FormField(key, label): the key is a field name
                found += [t for arg in node.args[1:2] for t in _texts(arg)]
            for kw in node.keywords:
                if kw.arg in SHOWN_KEYWORDS:
                    found += _texts(kw.value)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                name = _name(target)
                if name in SHOWN_ATTRIBUTES or name.endswith(SHOWN_TARGETS):
                    found += _texts(node.value)
    # Beside a translated text in a tuple or list, a capitalised word is text too ("Quit").
    for node in ast.walk(tree):
        if isinstance(node, (ast.Tuple, ast.List)) and any(
            isinstance(e, ast.Call) and _name(e.func) in WRAPPERS for e in node.elts
        ):
            found += [
                e
                for e in node.elts
                if isinstance(e, ast.Constant)
                and isinstance(e.value, str)
                and e.value[:1].isupper()
                and not CLASS_NAME.match(e.value)
            ]
    lines = source.splitlines()
    unique = {id(n): n for n in found if _is_text(n) and PRAGMA not in lines[n.lineno - 1]}
    return list(unique.values())


def test_every_user_visible_string_in_the_ui_is_translated():
    missing = []
    for path in sorted(UI.rglob("*.py")):
        for line, text in untranslated(path.read_text(encoding="utf-8"), str(path)):
            missing.append(f"{path.relative_to(UI)}:{line}: {text!r}")
    assert missing == [], "\n".join(missing)


def test_form_field_keys_are_never_translated():
    """``FormField(key, label, ...)``: the key is the model's field name, which the form saves
    under; a translated key would save nothing once a catalogue is installed."""
    wrapped = []
    for path in sorted(UI.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and _name(node.func) == "FormField" and node.args:
                key = node.args[0]
                if isinstance(key, ast.Call) and _name(key.func) in WRAPPERS:
                    wrapped.append(f"{path.relative_to(UI)}:{node.lineno}")
    assert wrapped == []


def test_the_scan_finds_bare_strings():
    source = """
from tuicrm.i18n import _
self.notify("Saved.")
self.notify(_("Saved."))
self.notify(f"Could not load {what}")
self.notify(_("Could not load {what}").format(what=what))
self.notify("Undone: " + label)
BINDINGS = [Binding("q", "quit", "Quit"), Binding("n", "new", _("New"), tooltip="Add one")]
yield Static("Nothing here", id="empty")
yield Static(" · ", id="sep")
yield Label("—")
self.title = "Customers"
self.border_title = _("Contacts")
TITLE = "tuicrm"
yield Input(placeholder="Search")
yield Button(label)
body.append("Last change: ")
COMMANDS = (("Quit", _("Leave (q)"), "quit"), ("TimelineScreen", _("x"), "timeline"))
"""
    assert sorted(text for _line, text in untranslated(source)) == sorted(
        [
            "Saved.",
            "Could not load ",
            "Undone: ",
            "Quit",
            "Add one",
            "Nothing here",
            "Customers",
            "Search",
            "Last change: ",
            "Quit",
        ]
    )
