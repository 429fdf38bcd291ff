"""The shape of io/ (issue #13): the importer in one module per step, no module of logic over
400 lines, no import circle."""

from __future__ import annotations

from pathlib import Path

import tuicrm.io

IO = Path(tuicrm.io.__file__).parent
# Data tables (header aliases, value words, column lists) are exempt from the size rule.
DATA = {
    "headers/aliases.py",
    "headers/alias_tables/customers.py",
    "headers/labels.py",
    "values/word_tables.py",
    "importing/columns.py",
}


def test_no_module_of_logic_in_io_is_over_400_lines():
    long = {}
    for path in IO.rglob("*.py"):
        rel = path.relative_to(IO).as_posix()
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if rel not in DATA and rel != "export.py" and lines > 400:
            long[rel] = lines
    assert not long, long


def test_the_importer_is_a_package_of_its_five_steps():
    import tuicrm.io.importing as importing

    assert not (IO / "importer.py").exists()
    for step in ("sheets", "headers", "rows", "planner", "write", "report"):
        assert (IO / "importing" / f"{step}.py").exists() or (IO / "importing" / step).is_dir(), step
    for name in (
        "import_files",
        "ImportReport",
        "SheetResult",
        "Issue",
        "FileError",
        "NO_ACCOUNT",
        "KIND_LABELS",
    ):
        assert hasattr(importing, name), name


def test_io_has_no_import_circle():
    import grimp

    graph = grimp.build_graph("tuicrm")
    modules = sorted(m for m in graph.modules if m.startswith("tuicrm.io"))
    circles = {
        tuple(sorted((a, b)))
        for a in modules
        for b in graph.find_modules_directly_imported_by(a)
        if b.startswith("tuicrm.io") and graph.chain_exists(importer=b, imported=a)
    }
    assert not circles, circles
