"""A catalogue keys a plural message by its singular: two ngettext calls with one singular and two
plurals share one translation ("300 个客户匹配" shown with no filter on). Each singular has one plural."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "tuicrm"


def test_each_singular_has_one_plural():
    plurals: dict[str, set[str]] = {}
    for path in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", getattr(node.func, "attr", "")) == "ngettext"
            ):
                one, many = (a.value if isinstance(a, ast.Constant) else None for a in node.args[:2])
                if isinstance(one, str) and isinstance(many, str):
                    plurals.setdefault(one, set()).add(many)
    assert plurals, "no ngettext call found"
    assert {one: many for one, many in plurals.items() if len(many) > 1} == {}
