"""The shape of ``tuicrm.cli``: where the reads are, what the fast path imports, module sizes."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

CLI = Path(__file__).resolve().parents[2] / "src" / "tuicrm" / "cli"
MODULES = sorted(CLI.rglob("*.py"))


def imported(path: Path) -> set[str]:
    """Every module ``path`` imports, and ``module.name`` for each name it imports from one."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names |= {f"{node.module}.{a.name}" for a in node.names}
    return names


def importers(*prefixes: str) -> set[str]:
    return {
        str(p.relative_to(CLI))
        for p in MODULES
        if any(n == pre or n.startswith(pre + ".") for n in imported(p) for pre in prefixes)
    }


def test_every_read_goes_through_cli_reads():
    """fastread / the query layer and the store's readers: one module to re-point."""
    assert importers("tuicrm.fastread", "tuicrm.query") == {"reads.py"}
    readers = (
        "tuicrm.store.search",
        "tuicrm.store.cards",
        "tuicrm.store.reports",
        "tuicrm.store.oplog.last_operation",
        "tuicrm.store.oplog.describe",
        "tuicrm.store.followups.due",
        "tuicrm.store.customers.resolve_customer",
        "tuicrm.store.pipeline.resolve_opportunity",
    )
    assert importers(*readers) == {"reads.py"}


def test_the_importer_is_called_from_one_module():
    assert importers("tuicrm.io.importer", "tuicrm.io.importing") == {"commands/io.py"}


def test_no_module_object_passing_and_no_module_magic():
    for path in MODULES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                assert node.func.id not in ("globals", "__import__"), path
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id == "sys"
            ):
                assert node.attr != "modules", path
        top = {n.name for n in tree.body if isinstance(n, ast.FunctionDef)}
        assert "__getattr__" not in top, path


def test_no_module_over_600_lines():
    sizes = {str(p.relative_to(CLI)): len(p.read_text(encoding="utf-8").splitlines()) for p in MODULES}
    assert max(sizes.values()) <= 600, sizes


def _modules_loaded(db_path, runs: list[list[str]], names: tuple[str, ...]) -> list[str]:
    """In a new process: ``tuicrm --db DB ARGS`` for each of ``runs``, then which of ``names``
    (top-level packages or modules) were imported."""
    code = (
        "import sys\n"
        "from tuicrm.cli import main\n"
        f"for args in {runs!r}:\n"
        "    try:\n"
        f"        main(['--db', {str(db_path)!r}] + args)\n"
        "    except SystemExit as e:\n"
        "        assert not e.code, (args, e.code)\n"
        f"names = {names!r}\n"
        "print(sorted({m for m in sys.modules if m in names or m.split('.')[0] in names}))\n"
    )
    r = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
        env=dict(os.environ, TUICRM_NOW="2026-11-22T09:00"),
    )
    assert r.returncode == 0, r.stderr
    return eval(r.stdout.strip().splitlines()[-1])  # noqa: S307 - our own child's sorted list


def test_the_fast_path_starts_lean(cli, db_path):
    """A real process: plain due/find/show import no Typer, Click, SQLModel, SQLAlchemy, Rich or Textual."""
    cli(db_path, "add", "customer", "Acme", "--next", "today")
    runs = [["due"], ["due", "--json", "--days", "3"], ["find", "acme"], ["show", "acme", "--json"]]
    heavy = ("typer", "click", "sqlmodel", "sqlalchemy", "rich", "textual", "alembic")
    assert _modules_loaded(db_path, runs, heavy) == []


def test_the_morning_reads_import_no_dataclasses_typing_or_calendar(cli, db_path):
    """A real process: ``due``, ``due --count``, ``find`` and ``show`` start without ``dataclasses``
    (which brings ``inspect``, ``ast``, ``dis``), ``typing`` or ``calendar`` (``locale``): ~15 ms of
    a command that takes ~100 (issue #20)."""
    cli(db_path, "add", "customer", "Acme", "--next", "today")
    runs = [["due"], ["due", "--count"], ["due", "--json", "--days", "3"], ["find", "acme"], ["show", "acme"]]
    assert _modules_loaded(db_path, runs, ("dataclasses", "inspect", "typing", "calendar")) == []
