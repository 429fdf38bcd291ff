"""The UI package has no import cycles (issue #13): its module-level imports form no circle, and
neither do its imports inside functions (the lazy ones), read with ``ast``."""

from __future__ import annotations

import ast
from pathlib import Path

import tuicrm.ui

UI = Path(tuicrm.ui.__file__).resolve().parent
ROOT = UI.parent.parent  # src/


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imports(tree: ast.Module, package: str, modules: set[str], lazy: bool) -> set[str]:
    """The ``tuicrm.ui`` modules a module imports: at module level (not under ``TYPE_CHECKING``),
    and with ``lazy`` also inside functions."""
    found: set[str] = set()

    def visit(nodes: list[ast.stmt]) -> None:
        for node in nodes:
            if isinstance(node, ast.If) and _is_type_checking(node):
                continue
            if isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + [base])
                found.add(base)
                found.update(f"{base}.{alias.name}" for alias in node.names)
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                if lazy:
                    visit(node.body)
                continue
            for field in ("body", "orelse", "finalbody", "handlers"):
                children = getattr(node, field, None)
                if isinstance(children, list):
                    visit([c for c in children if isinstance(c, ast.stmt)])
            if isinstance(node, ast.Try):
                for handler in node.handlers:
                    visit(handler.body)

    visit(tree.body)
    return {name for name in found if name in modules}


def graph(lazy: bool) -> dict[str, set[str]]:
    paths = {module_name(p): p for p in UI.rglob("*.py")}
    modules = set(paths)
    edges = {}
    for name, path in paths.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        edges[name] = imports(ast.parse(path.read_text(encoding="utf-8")), package, modules, lazy) - {name}
    return edges


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected group of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def strong(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                strong(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for v in sorted(edges):
        if v not in index:
            strong(v)
    return found


def test_module_level_imports_have_no_cycle():
    assert cycles(graph(lazy=False)) == []


def test_imports_inside_functions_close_no_cycle_either():
    assert cycles(graph(lazy=True)) == []


def test_the_check_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    tree = ast.parse(
        "import tuicrm.ui.x\nif TYPE_CHECKING:\n    import tuicrm.ui.y\ndef f():\n    import tuicrm.ui.z\n"
    )
    modules = {"tuicrm.ui.x", "tuicrm.ui.y", "tuicrm.ui.z"}
    assert imports(tree, "tuicrm.ui", modules, lazy=False) == {"tuicrm.ui.x"}
    assert imports(tree, "tuicrm.ui", modules, lazy=True) == {"tuicrm.ui.x", "tuicrm.ui.z"}


def test_the_first_paint_does_not_import_sqlmodel():
    """The list's first paint reads through the lean query layer: the app, the customer list and
    every widget they compose import neither SQLModel/SQLAlchemy nor the store's session (0.5 s of
    imports at startup; issue #18's first-paint target). Run apart: this process has them."""
    import subprocess
    import sys

    code = (
        "import sys, tuicrm.ui.app, tuicrm.ui.screens.customers\n"
        "print(sorted(m for m in ('sqlalchemy', 'sqlmodel', 'tuicrm.store.session') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]", out
