"""``tuicrm import`` and ``tuicrm export`` (SPEC §9; docs/import.md).

Every call into the importer and the exporter is in this module. Rich, openpyxl, the
importer and the store load inside the commands.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from tuicrm.cli.context import open_store
from tuicrm.cli.output import console, err, fail, out, plain, print_json, text
from tuicrm.cli.readviews import MAX_LIMIT
from tuicrm.i18n import _

# Exit codes of `import`: 0 every row went in (or was already there), 1 some rows were
# rejected (the others imported), 2 a file-level problem (nothing written).
EXIT_ROWS_REJECTED = 1
EXIT_FILE = 2
PROGRESS_MIN_ROWS = 2000


def _progress_factory(err_console: Any) -> tuple[Any, Any]:
    """A rich progress bar on stderr for large files, only when stderr is a terminal."""
    if not sys.stderr.isatty():
        return None, None
    from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeRemainingColumn

    holder: dict[str, Any] = {}

    def start(total: int) -> Any:
        if total < PROGRESS_MIN_ROWS * 2:
            return None
        progress = Progress(
            TextColumn(_("importing {count} rows").format(count=f"{total // 2:,}")),
            BarColumn(),
            TaskProgressColumn(),
            TimeRemainingColumn(),
            console=err_console,
            transient=True,
        )
        progress.start()
        task = progress.add_task("import", total=total)
        holder["p"] = progress
        pending = {"n": 0}

        def advance(n: int) -> None:
            pending["n"] += n
            if pending["n"] >= 500:
                progress.advance(task, pending["n"])
                pending["n"] = 0

        return advance

    def stop() -> None:
        if "p" in holder:
            holder["p"].stop()

    return start, stop


class _ExportBar:
    """The export's progress on a terminal's stderr (``tuicrm.io.export.Progress``): shown only
    for exports of at least ``PROGRESS_MIN_ROWS`` rows, gone when the export ends."""

    def __init__(self, err_console: Any):
        self.console = err_console
        self.bar: Any = None
        self.task: Any = None

    def start(self, total: int) -> None:
        if total < PROGRESS_MIN_ROWS:
            return
        from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeRemainingColumn

        self.bar = Progress(
            TextColumn(_("exporting {count} rows").format(count=f"{total:,}")),
            BarColumn(),
            TaskProgressColumn(),
            TimeRemainingColumn(),
            console=self.console,
            transient=True,
        )
        self.bar.start()
        self.task = self.bar.add_task("export", total=total)

    def advance(self, rows: int) -> None:
        if self.bar is not None:
            self.bar.advance(self.task, rows)

    def stop(self) -> None:
        if self.bar is not None:
            self.bar.stop()
            self.bar = None


def import_cmd(
    files: Annotated[
        list[str],
        typer.Argument(metavar="FILE...", help=_(".csv, .xlsx or .vcf; several files import as one.")),
    ],
    dry_run: Annotated[
        bool,
        typer.Option(
            "--dry-run", help=_("Show what would be created, merged, skipped or rejected; write nothing.")
        ),
    ] = False,
    kind: Annotated[
        str | None,
        typer.Option(
            "--kind",
            help=_(
                "Treat every sheet as: customers, contacts, followups, "
                "tiers or opportunities (default: decided by the headers)."
            ),
        ),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help=_("The full report as JSON (see docs/import.md)."))
    ] = False,
    show: Annotated[
        int,
        typer.Option("--show", min=0, max=MAX_LIMIT, help=_("How many rejected rows and warnings to list.")),
    ] = 20,
) -> None:
    from tuicrm.io.importing import FileError, import_files

    store = open_store()
    start, stop = (None, None) if as_json else _progress_factory(console(stderr=True))
    try:
        paths: list[str | Path] = list(files)
        report = import_files(store, paths, kind=kind, dry_run=dry_run, progress_start=start)
    except FileError as exc:
        fail(_("{problem} Nothing was imported.").format(problem=plain(str(exc))), EXIT_FILE)
    finally:
        if stop:
            stop()
    if as_json:
        print_json(report.to_dict())
    else:
        _print_report(report, show)
    if report.rejected:
        raise typer.Exit(EXIT_ROWS_REJECTED)


def _sheet_notes(s: Any) -> list[str]:
    if s.not_imported:
        return [_("not imported: {why}").format(why=s.not_imported)]
    lines = []
    if s.encoding and s.encoding not in ("utf-8", "utf-8-sig"):
        lines.append(_("read as {encoding}").format(encoding=s.encoding))
    if s.header_row and s.header_row > 1:
        lines.append(_("headers on row {row}").format(row=s.header_row))
    if s.kept_in_notes:
        lines.append(_("columns kept in notes: {columns}").format(columns=", ".join(s.kept_in_notes)))
    if s.not_stored:
        lines.append(
            _("columns not stored (ID-card and bank numbers are never kept): {columns}").format(
                columns=", ".join(s.not_stored)
            )
        )
    if s.ignored:
        lines.append(_("columns ignored: {columns}").format(columns=", ".join(s.ignored)))
    return lines


def _print_report(report: Any, show: int) -> None:
    from rich.table import Table
    from rich.text import Text

    from tuicrm.io.importing import KIND_LABELS

    con = console()
    table = Table(
        box=None,
        pad_edge=False,
        title_justify="left",
        title=_("Dry run: nothing written") if report.dry_run else None,
    )
    for col, justify in (
        (_("sheet"), "left"),
        (_("holds"), "left"),
        (_("rows"), "right"),
        (_("created"), "right"),
        (_("merged"), "right"),
        (_("skipped"), "right"),
        (_("rejected"), "right"),
    ):
        table.add_column(col, justify=justify)  # type: ignore[arg-type]
    for s in report.sheets:
        holds = KIND_LABELS.get(s.kind, "—") if not s.not_imported else _("not imported")
        table.add_row(
            text(s.sheet),
            holds,
            f"{s.rows:,}",
            f"{s.created:,}",
            f"{s.merged:,}",
            f"{s.skipped:,}",
            f"{s.rejected:,}",
        )
    con.print(table)
    for s in report.sheets:
        for line in _sheet_notes(s):
            t = Text("  ")
            t.append(text(s.sheet))
            t.append(": ")
            t.append(text(line))
            con.print(t)

    def listing(title: str, items: list[Any], grouped: bool) -> None:
        if not items:
            return
        count = f"{len(items):,}"
        if show == 0:
            con.print(
                Text(
                    _("{title}: {count} (use --show N or --json to list them)").format(
                        title=title, count=count
                    )
                )
            )
            return
        con.print(Text(_("\n{title} ({count}):").format(title=title, count=count), style="bold"))
        if grouped:  # the same message on many rows: one line with the row numbers
            groups: dict[tuple[str, str], list[int]] = {}
            for issue in items:
                groups.setdefault((issue.sheet, issue.message), []).append(issue.row)
            entries = []
            for (sheet, message), rows in groups.items():
                shown = ", ".join(str(r) for r in rows[:8]) + (", …" if len(rows) > 8 else "")
                if rows == [None]:  # about the whole sheet
                    where = sheet
                elif len(rows) == 1:
                    where = _("{sheet}, row {row}").format(sheet=sheet, row=shown)
                else:
                    where = _("{sheet}, {count} rows ({rows})").format(
                        sheet=sheet, count=f"{len(rows):,}", rows=shown
                    )
                entries.append((where, message))
        else:
            entries = [(issue.where, issue.message) for issue in items]
        for where, message in entries[:show]:
            t = Text("  ")
            t.append(text(where))
            t.append(": ")
            t.append(text(message))
            con.print(t)
        if len(entries) > show:
            more = _("  … and {count} more (--show {all} or --json lists all)").format(
                count=f"{len(entries) - show:,}", all=len(entries)
            )
            con.print(Text(more))

    listing(_("Rejected rows"), report.rejected, grouped=False)
    listing(_("Warnings"), report.warnings, grouped=True)
    listing(_("Notes"), report.notes, grouped=True)
    con.print(Text("\n" + report.summary()))
    if report.changed and not report.dry_run:
        con.print(Text(_("Undo the whole import with: tuicrm undo")))


def export_cmd(
    file: Annotated[
        str,
        typer.Argument(
            metavar="FILE",
            help=_(
                ".json (everything), .csv (one kind), .xlsx (a sheet per "
                "kind), .vcf (contacts), .ics (pending follow-ups and planned activities)."
            ),
        ),
    ],
    kind: Annotated[
        str | None,
        typer.Option(
            "--kind",
            help=_(
                "For .csv/.xlsx: customers (default for .csv), contacts, followups, tiers, "
                "opportunities, activities or leads."
            ),
        ),
    ] = None,
    unmasked: Annotated[
        bool, typer.Option("--unmasked", help=_("Full phone numbers (default: masked, 138****5678)."))
    ] = False,
    lang: Annotated[
        str, typer.Option("--lang", help=_("Column headers: en or zh (Chinese template headers)."))
    ] = "en",
    events: Annotated[
        bool, typer.Option("--events", help=_(".ics: all-day events instead of to-dos."))
    ] = False,
    vcard_version: Annotated[str, typer.Option("--vcard-version", help=_(".vcf: 3.0 or 4.0."))] = "3.0",
    no_archived: Annotated[
        bool, typer.Option("--no-archived", help=_("Leave archived customers out."))
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help=_("Report what was written as JSON."))] = False,
    force: Annotated[bool, typer.Option("--force", help=_("Replace FILE when it already exists."))] = False,
) -> None:
    from tuicrm.io.export import ExportError, export_file

    store = open_store()
    progress = _ExportBar(console(stderr=True)) if sys.stderr.isatty() else None
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
            force=force,
            progress=progress,
        )
    except ExportError as exc:
        fail(plain(str(exc)), 1)
    finally:
        if progress:
            progress.stop()
    if as_json:
        print_json(report.to_dict())
    else:
        out(plain(report.summary()))
    notice = report.masked_notice()
    if notice:
        err(plain(notice))


__all__ = ["import_cmd", "export_cmd"]
