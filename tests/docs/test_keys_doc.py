"""Every binding of every screen, modal and widget is in ``?`` and in docs/keys.md (issue #21).

The classes are found by walking every module of ``tuicrm.ui`` (not from a hand list): each class
that declares BINDINGS of its own must be listed in a section of the help screen
(``tuicrm.ui.screens.help.SECTIONS``), every one of its bindings shows there with a description,
and docs/keys.md's generated block is exactly ``keys_markdown()``. A new screen or key fails here
until it is added to SECTIONS and the page regenerated (``python -m tuicrm.ui.screens.help``).
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from pathlib import Path

from textual.binding import Binding

import tuicrm.ui
from tuicrm.ui.screens import help as help_screen

DOC = Path(__file__).resolve().parents[2] / "docs" / "keys.md"


def bound_classes() -> list[type]:
    """Every class of tuicrm.ui that declares BINDINGS itself."""
    found = []
    for info in pkgutil.walk_packages(tuicrm.ui.__path__, "tuicrm.ui."):
        module = importlib.import_module(info.name)
        for cls in vars(module).values():
            if inspect.isclass(cls) and cls.__module__ == module.__name__ and "BINDINGS" in cls.__dict__:
                found.append(cls)
    return found


def test_every_binding_of_every_class_is_in_the_help_screen_and_the_doc():
    classes = bound_classes()
    assert len(classes) > 25  # the walk found the screens, modals and widgets
    listed: dict[type, list[str]] = {}
    for title, paths, _extra in help_screen.SECTIONS:
        for path in paths:
            cls = help_screen.load_class(path)
            assert cls is not None, f"{path} (section {title!r}) does not exist"
            listed.setdefault(cls, []).append(title)
    sections = dict(help_screen.key_sections())
    missing = []
    for cls in classes:
        name = f"{cls.__module__}:{cls.__qualname__}"
        bindings = [b for b in Binding.make_bindings(cls.__dict__["BINDINGS"]) if not b.system]
        for b in bindings:
            assert b.description or b.tooltip, f"{name}: {b.key} has no description for ?"
        if cls not in listed:
            missing.append(name)
            continue
        shown = {(r.keys, r.description) for title in listed[cls] for r in sections[title]}
        for row in help_screen.section_rows([cls]):
            assert (row.keys, row.description) in shown, (name, row)
    assert missing == [], "classes with bindings that ? does not list (add them to help.SECTIONS)"

    text = DOC.read_text(encoding="utf-8")
    block = help_screen.generated_block(text)
    assert block.strip() == help_screen.keys_markdown().strip(), (
        "docs/keys.md is stale: regenerate it (python -m tuicrm.ui.screens.help)"
    )
