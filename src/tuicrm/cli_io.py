"""``tuicrm import`` and ``tuicrm export`` (SPEC §9; docs/import.md).

Registered by ``tuicrm.cli`` at import time. Light at import: only Typer here;
the importer, openpyxl, Rich and the store load inside the commands.
"""

from __future__ import annotations

import sys
from typing import Optional

import typer

_cli = None  # the tuicrm.cli module, set by register()

# Exit codes of `import`: 0 every row went in (or was already there), 1 some rows were
# rejected (the others imported), 2 a file-level problem (nothing written).
EXIT_ROWS_REJECTED = 1
EXIT_FILE = 2
PROGRESS_MIN_ROWS = 2000


def register(app: typer.Typer, cli_module) -> None:
    global _cli
    _cli = cli_module
    app.command("import")(import_cmd)
    app.command("export")(export_cmd)


def _text(value):
    return _cli._text(value)


def _progress_factory(console):
    """A rich progress bar on stderr for large files, only when stderr is a terminal."""
    if not sys.stderr.isatty():
        return None, None
    from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeRemainingColumn

    holder = {}

    def start(total: int):
        if total < PROGRESS_MIN_ROWS * 2:
            return None
        progress = Progress(
            TextColumn(f"importing {total // 2:,} rows"),
            BarColumn(),
            TaskProgressColumn(),
            TimeRemainingColumn(),
            console=console,
            transient=True,
        )
        progress.start()
        task = progress.add_task("import", total=total)
        holder["p"] = progress
        state = {"n": 0}

        def advance(n: int) -> None:
            state["n"] += n
            if state["n"] >= 500:
                progress.advance(task, state["n"])
                state["n"] = 0

        return advance

    def stop():
        if "p" in holder:
            holder["p"].stop()

    return start, stop


def import_cmd(
    files: list[str] = typer.Argument(
        ..., metavar="FILE...", help=".csv, .xlsx or .vcf; several files import as one."
    ),
    dry_run: bool = typer.Option(
        False, "--dry-run", help="Show what would be created, merged, skipped or rejected; write nothing."
    ),
    kind: Optional[str] = typer.Option(
        None,
        "--kind",
        help="Treat every sheet as: customers, contacts, followups, "
        "tiers or opportunities (default: decided by the headers).",
    ),
    as_json: bool = typer.Option(False, "--json", help="The full report as JSON (see docs/import.md)."),
    show: int = typer.Option(20, "--show", min=0, help="How many rejected rows and warnings to list."),
):
    """Import a workbook, CSV or vCard file: duplicates merged or skipped, bad rows reported."""
    from tuicrm.io.importing import FileError, import_files

    store = _cli.open_store()
    err_console = _cli._console(stderr=True)
    start, stop = (None, None) if as_json else _progress_factory(err_console)
    try:
        report = import_files(store, files, kind=kind, dry_run=dry_run, progress_start=start)
    except FileError as exc:
        _cli.fail(f"{_cli._plain(str(exc))} Nothing was imported.", EXIT_FILE)
    finally:
        if stop:
            stop()
    if as_json:
        _cli._print_json(report.to_dict())
    else:
        _print_report(report, show)
    if report.rejected:
        raise typer.Exit(EXIT_ROWS_REJECTED)


def _print_report(report, show: int) -> None:
    from rich.table import Table
    from rich.text import Text

    from tuicrm.io.importing import KIND_LABELS

    console = _cli._console()
    table = Table(
        box=None,
        pad_edge=False,
        title_justify="left",
        title="Dry run: nothing written" if report.dry_run else None,
    )
    for col, justify in (
        ("sheet", "left"),
        ("holds", "left"),
        ("rows", "right"),
        ("created", "right"),
        ("merged", "right"),
        ("skipped", "right"),
        ("rejected", "right"),
    ):
        table.add_column(col, justify=justify)
    for s in report.sheets:
        holds = KIND_LABELS.get(s.kind, "—") if not s.not_imported else "not imported"
        table.add_row(
            _text(s.sheet),
            holds,
            f"{s.rows:,}",
            f"{s.created:,}",
            f"{s.merged:,}",
            f"{s.skipped:,}",
            f"{s.rejected:,}",
        )
    console.print(table)
    for s in report.sheets:
        lines = []
        if s.not_imported:
            lines.append(f"not imported: {s.not_imported}")
        else:
            if s.encoding and s.encoding not in ("utf-8", "utf-8-sig"):
                lines.append(f"read as {s.encoding}")
            if s.header_row and s.header_row > 1:
                lines.append(f"headers on row {s.header_row}")
            if s.kept_in_notes:
                lines.append("columns kept in notes: " + ", ".join(s.kept_in_notes))
            if s.ignored:
                lines.append("columns ignored: " + ", ".join(s.ignored))
        for line in lines:
            t = Text("  ")
            t.append(_text(s.sheet))
            t.append(": ")
            t.append(_text(line))
            console.print(t)

    def listing(title: str, items, grouped: bool) -> None:
        if not items:
            return
        if show == 0:
            console.print(Text(f"{title}: {len(items):,} (use --show N or --json to list them)"))
            return
        console.print(Text(f"\n{title} ({len(items):,}):", style="bold"))
        if grouped:  # the same message on many rows: one line with the row numbers
            groups: dict[tuple[str, str], list] = {}
            for issue in items:
                groups.setdefault((issue.sheet, issue.message), []).append(issue.row)
            entries = []
            for (sheet, message), rows in groups.items():
                shown = ", ".join(str(r) for r in rows[:8]) + (", …" if len(rows) > 8 else "")
                where = (
                    f"{sheet}, row {shown}" if len(rows) == 1 else f"{sheet}, {len(rows):,} rows ({shown})"
                )
                entries.append((where, message))
        else:
            entries = [(issue.where, issue.message) for issue in items]
        for where, message in entries[:show]:
            t = Text("  ")
            t.append(_text(where))
            t.append(": ")
            t.append(_text(message))
            console.print(t)
        if len(entries) > show:
            console.print(
                Text(f"  … and {len(entries) - show:,} more (--show {len(entries)} or --json lists all)")
            )

    listing("Rejected rows", report.rejected, grouped=False)
    listing("Warnings", report.warnings, grouped=True)
    listing("Notes", report.notes, grouped=True)
    console.print(Text("\n" + report.summary()))
    if report.changed and not report.dry_run:
        console.print(Text("Undo the whole import with: tuicrm undo"))


def export_cmd(
    file: str = typer.Argument(
        ...,
        metavar="FILE",
        help=".json (everything), .csv (one kind), .xlsx (a sheet per "
        "kind), .vcf (contacts), .ics (pending follow-ups).",
    ),
    kind: Optional[str] = typer.Option(
        None,
        "--kind",
        help="For .csv/.xlsx: customers (default for .csv), contacts, followups, tiers or opportunities.",
    ),
    unmasked: bool = typer.Option(
        False, "--unmasked", help="Full phone numbers (default: masked, 138****5678)."
    ),
    lang: str = typer.Option("en", "--lang", help="Column headers: en or zh (Chinese template headers)."),
    events: bool = typer.Option(False, "--events", help=".ics: all-day events instead of to-dos."),
    vcard_version: str = typer.Option("3.0", "--vcard-version", help=".vcf: 3.0 or 4.0."),
    no_archived: bool = typer.Option(False, "--no-archived", help="Leave archived customers out."),
    as_json: bool = typer.Option(False, "--json", help="Report what was written as JSON."),
):
    """Export the database: the file's suffix picks the format; files are private (0600)."""
    from tuicrm.io.export import ExportError, export_file

    store = _cli.open_store()
    try:
        report = export_file(
            store,
            file,
            kind=kind,
            unmasked=unmasked,
            lang=lang,
            events=events,
            vcard_version=vcard_version,
            include_archived=not no_archived,
        )
    except ExportError as exc:
        _cli.fail(_cli._plain(str(exc)), 1)
    if as_json:
        _cli._print_json(report.to_dict())
    else:
        typer.echo(_cli._plain(report.summary()))
