"""Issue #21: one toast vocabulary — "Pick … first." when a key needs a row, "… — u undoes" after a
change undo reverses — and no toast left over a form that opens."""

from __future__ import annotations

import ast
from pathlib import Path

from support import settle

from tuicrm.ui import toasts

UI = Path(__file__).resolve().parents[2] / "src" / "tuicrm" / "ui"
# The other wordings the same two events had before (issue #21: "toasts word the same thing two ways").
STRAY = ("press u to undo", " selected.", "Nothing chosen", "card first.", "(u undoes).", "— u undoes it")


def ui_strings() -> list[tuple[str, str]]:
    found = []
    for path in UI.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            # the translated texts: the first argument of every _() call
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "_":
                first = node.args[0] if node.args else None
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    found.append((path.name, first.value))
    return found


def test_the_ui_says_each_event_one_way():
    stray = [
        (name, text) for name, text in ui_strings() if name != "toasts.py" and any(s in text for s in STRAY)
    ]
    assert not stray
    assert toasts.pick_first("a lead") == "Pick a lead first."
    assert toasts.pick_first("an activity", "a plans one") == "Pick an activity first (a plans one)."
    assert toasts.undoable("Archived Acme") == "Archived Acme — u undoes"


async def test_a_form_opens_without_the_toast_of_the_screen_below(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.notify("a long explanation", timeout=10)
        await pilot.pause()
        assert len(app._notifications) == 1
        await pilot.press("l")  # the log form on the highlighted customer
        await settle(pilot)
        assert type(app.screen).__name__ == "FollowUpForm"
        assert len(app._notifications) == 0
