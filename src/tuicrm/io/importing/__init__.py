"""Import a rep's workbook / CSV / vCard into the database (SPEC §9).

The flow, for one or more files in one command, one module a step:

1. **Read** every file into sheets (:mod:`.sheets`, through :mod:`tuicrm.io.readers`). A
   file-level problem (empty, binary, no name column …) stops the import before anything is
   written.
2. **Map headers** of each sheet (:mod:`.headers`): find the header row, decide what the sheet
   holds (customers / contacts / follow-ups / tiers / opportunities) from its headers — with
   the sheet or file name as a tie-breaker — and map columns to fields.
3. **Parse** each row's cells (:mod:`.rows`, through :mod:`tuicrm.io.values`). A row with a bad
   cell (a date 2024-13-45, an amount "abc") is rejected with its sheet, row number and
   reason; the other rows go on.
4. **Plan** against the database in memory (:mod:`.planner`): duplicates are found through
   dicts built once (customer code, e-mail, phone digits, normalised name), so a row that
   matches an existing record fills its empty fields (never overwrites) or is skipped. Sheets
   are taken in the order customers → contacts → opportunities → follow-ups → tiers, linked
   by customer name/code.
5. **Write** the plan in one transaction (``Store.write``, :mod:`.write`) with the store's bulk
   insert, recording every insert and the before-state of every changed row in the undo log,
   so ``tuicrm undo`` reverses an import. :mod:`.report` says what happened.

Importing the same file twice changes nothing the second time. ``dry_run`` runs steps 1–4 only.

No Textual here; the CLI (``tuicrm.cli_io``) prints the report.
"""

from __future__ import annotations

import gc
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tuicrm.io.headers import KINDS
from tuicrm.io.headers.tables import SIDE_KINDS
from tuicrm.io.importing import side_write, write
from tuicrm.io.importing.headers import SheetPlan, prepare
from tuicrm.io.importing.planner import Planner
from tuicrm.io.importing.report import (
    KIND_LABELS,
    KIND_ORDER,
    NO_ACCOUNT,
    ImportReport,
    Issue,
    ProgressFn,
    SheetResult,
)
from tuicrm.io.importing.rows import Row, parse_row
from tuicrm.io.importing.sheets import FileError, read_sheets

__all__ = [
    "KIND_LABELS",
    "KIND_ORDER",
    "NO_ACCOUNT",
    "FileError",
    "ImportReport",
    "Issue",
    "Planner",
    "SheetResult",
    "import_files",
    "read_sheets",
]


@contextmanager
def _gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while a file is read, planned and written. An import builds
    hundreds of thousands of dicts and lists that all live to the end; the collector would walk
    them again and again (a third of a 100 000-row import's time) and find nothing, since an
    import makes no reference cycles worth collecting: reference counting frees it all after."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


_PARSED: list[Any] = []  # what a raw row becomes once parsed (one shared empty list)


def _parse_sheets(plans: list[SheetPlan], config: Any, progress: ProgressFn | None) -> dict[int, list[Row]]:
    """Step 3 for every sheet; each sheet's raw cells are let go once parsed (large files)."""
    rows: dict[int, list[Row]] = {}
    for i, plan in enumerate(plans):
        if not plan.kind or plan.result.not_imported:
            rows[i] = []
            continue
        out = []
        raw = plan.sheet.rows
        for index, number, cells in plan.data_rows:
            out.append(parse_row(plan, index, number, cells, config))
            raw[index] = _PARSED  # its cells are parsed: the memory goes to the rows still to parse
            if progress:
                progress(1)
        rows[i] = out
        plan.result.rows = len(out)
        plan.sheet.rows = []
        plan.memo.clear()
    return rows


@_gc_paused()
def import_files(
    store: Any,
    paths: list[str | Path],
    *,
    kind: str | None = None,
    dry_run: bool = False,
    progress_start: Callable[[int], ProgressFn | None] | None = None,
    label: str | None = None,
) -> ImportReport:
    """Import one or more files as one operation (one transaction, one undo step).

    Raises :class:`FileError` for a file-level problem; nothing is written then.
    ``progress_start(total)`` may return a callback advanced once per row and phase.
    """
    if kind is not None and kind not in KINDS + SIDE_KINDS:
        raise FileError(f"'{kind}' is not a kind; use one of: {', '.join(KINDS + SIDE_KINDS)}.")
    started = time.perf_counter()
    names = [str(p) for p in paths]
    report = ImportReport(sources=names, dry_run=dry_run)
    sheets = read_sheets(paths)
    per_file = Counter(s.source for s in sheets)
    plans = [prepare(s, kind, alone=per_file[s.source] == 1) for s in sheets]
    report.sheets = [p.result for p in plans]
    for p in plans:
        report.issues.extend(p.issues)
    if not any(p.kind and not p.result.not_imported for p in plans):
        what = "; ".join(f"{p.result.sheet}: {p.result.not_imported}" for p in plans)
        raise FileError(f"nothing to import — no sheet has recognisable columns ({what}).")
    total = sum(
        max(0, len(p.sheet.rows) - (0 if p.header_index is None else p.header_index + 1))
        for p in plans
        if p.kind and not p.result.not_imported
    )
    progress = progress_start(total * 2) if progress_start else None
    rows = _parse_sheets(plans, store.config, progress)
    label = label or ("import " + ", ".join(Path(n).name for n in names))
    if dry_run:
        with store.read() as session:
            planner = Planner(session, store.config, report, progress)
            planner.run(plans, rows)
            planner.count()
    else:
        with store.write(label) as session:
            conn = session.connection()
            cache = conn.exec_driver_sql("PRAGMA cache_size").scalar()
            conn.exec_driver_sql(
                "PRAGMA cache_size = -8192"
            )  # 8 MiB: indexes are built by sorting, not grown
            try:
                planner = Planner(session, store.config, report, progress)
                planner.run(plans, rows)
                planner.count()
                write.apply(planner)
                side_write.apply(planner)
            finally:
                conn.exec_driver_sql(f"PRAGMA cache_size = {int(cache)}")
    report.seconds = time.perf_counter() - started
    return report
