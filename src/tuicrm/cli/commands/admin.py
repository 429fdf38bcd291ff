"""The root command (the TUI, ``--db``, ``--demo``, ``--version``) and the housekeeping
commands: ``demo``, ``undo``, ``backup``, ``restore``, ``check``."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from tuicrm.cli import reads
from tuicrm.cli.context import load_config, open_store, state
from tuicrm.cli.output import EXIT_NOT_FOUND, fail, out, plain, print_json
from tuicrm.cli.tui import ensure_demo, open_tui
from tuicrm.i18n import _


def root(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            help=_("Database path or SQLAlchemy URL (else $TUICRM_DB, else $XDG_DATA_HOME/tuicrm/crm.db)."),
        ),
    ] = None,
    demo: Annotated[
        bool,
        typer.Option(
            "--demo",
            help=_(
                "Use the demo database ($XDG_DATA_HOME/tuicrm/demo.db, created on first use) for the TUI"
                " or any command (tuicrm --demo due)."
            ),
        ),
    ] = False,
    version: Annotated[bool, typer.Option("--version", help=_("Print the version and exit."))] = False,
) -> None:
    """Open the TUI when no command is given."""
    if version:
        from tuicrm import __version__

        out(_("tuicrm {version}").format(version=__version__))
        raise typer.Exit()
    if demo:
        from tuicrm.paths import demo_db_path

        db = db or str(demo_db_path())
    state.db = db
    # Only these start a database when it is missing; every other command says it does not exist.
    command = ctx.invoked_subcommand
    state.creates = command in ("demo", "add", "import") or (command is None and (demo or db is None))
    if demo and db and command not in (None, "demo") and not Path(db).exists():
        # `tuicrm --demo due` on a new machine: the demo database is built first, as `tuicrm --demo` would.
        creates, state.creates = state.creates, True
        store = open_store()
        try:
            ensure_demo(store)
        finally:
            store.dispose()
        state.creates = creates
    if ctx.invoked_subcommand is None:
        store = open_store()
        if demo:
            ensure_demo(store)
        open_tui(store)


def demo(
    customers: Annotated[int, typer.Option("--customers", min=1, help=_("How many customers."))] = 300,
    seed: Annotated[
        int, typer.Option("--seed", help=_("Random seed: the same seed gives the same data."))
    ] = 1,
    force: Annotated[
        bool, typer.Option("--force", help=_("Add to a database that already has customers."))
    ] = False,
    locale: Annotated[
        str,
        typer.Option(
            "--locale",
            help=_("The data's language: mixed (Chinese and English customers), zh or en."),
        ),
    ] = "mixed",
) -> None:
    from tuicrm.demo import generate
    from tuicrm.demo_words import LOCALES

    if locale not in LOCALES:
        fail(
            _("--locale takes {choices}, not {value}.").format(
                choices=", ".join(LOCALES), value=plain(locale)
            )
        )

    store = open_store()
    with store.read() as session:
        existing = reads.customer_count(session)
    if existing and not force:
        fail(
            _("the database already has {count} customers; add --force to add demo data anyway.").format(
                count=existing
            )
        )
    counts = generate(store, customers=customers, seed=seed, locale=locale)
    written = ", ".join(f"{v} {_demo_count_label(k)}" for k, v in counts.items())
    out(_("{counts} written to {path}.").format(counts=written, path=store.path))


def _demo_count_label(key: str) -> str:
    """What the demo wrote, in the rep's words (the keys of ``demo.generate``'s counts)."""
    labels = {
        "customers": _("customers"),
        "contacts": _("contacts"),
        "follow_ups": _("follow-ups"),
        "opportunities": _("opportunities"),
        "assessments": _("tier assessments"),
        "stage_changes": _("stage changes"),
        "activities": _("activities"),
        "leads": _("leads"),
        "complaints": _("complaints"),
        "birthdays": _("birthdays and anniversaries"),
    }
    return labels.get(key, key.replace("_", " "))


def undo(
    yes: Annotated[bool, typer.Option("--yes", "-y", help=_("Do not ask; undo at once."))] = False,
) -> None:
    from tuicrm.i18n.names import operation_label
    from tuicrm.store import oplog

    store = open_store()
    with store.read() as session:
        op = reads.last_operation(session)
        if op is None:
            out(_("Nothing to undo."))
            return
        lines = reads.describe_operation(session, op)
    from tuicrm.store.lean.clock import local_time

    out(
        _("Last change: {label} ({at}). Undo will {what}.").format(
            label=plain(operation_label(op.label)),
            at=f"{local_time(op.at):%Y-%m-%d %H:%M}",  # the rep's local time, as every time shown
            what="; ".join(lines),
        )
    )
    if not yes:
        if not sys.stdin.isatty():
            fail(_("add --yes to undo without a question."))
        if not typer.confirm(_("Undo it?")):
            out(_("Nothing changed."))
            return
    with store.write("undo", log=False) as session:
        current = reads.last_operation(session)
        if current is None or current.id != op.id:
            fail(_("another change landed meanwhile; run undo again to see it."))
        oplog.undo(session, current)
    out(_("Undone."))


def _database_path() -> Path:
    """The database file the command works on, without opening (or creating) it."""
    from tuicrm.db import DatabaseError, parse_target
    from tuicrm.paths import resolve_db

    try:
        target = parse_target(resolve_db(state.db))
    except DatabaseError as exc:
        fail(str(exc), EXIT_NOT_FOUND)
    if target.path is None:
        fail(_("this command works on a database file, not {url}.").format(url=plain(target.url)))
    return target.path


def backup(
    dest: Annotated[
        str | None,
        typer.Argument(help=_("Backup file or folder (default: next to the database, with date and time).")),
    ] = None,
    keep: Annotated[
        int | None,
        typer.Option("--keep", min=1, help=_("Keep only the newest N timestamped backups in that folder.")),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help=_("Replace DEST when it already exists."))] = False,
) -> None:
    """Copy the database safely (see tuicrm.backups): checked first, written privately, renamed."""
    from tuicrm import safefiles
    from tuicrm.backups import backup as run_backup
    from tuicrm.backups import rotate
    from tuicrm.db import DatabaseError

    src = _database_path()
    target = Path(dest).expanduser() if dest is not None else None
    try:
        written = run_backup(src, target, when=_now(), force=force)
    except (DatabaseError, safefiles.FileRefused) as exc:
        fail(str(exc), EXIT_NOT_FOUND)
    out(_("Backed up to {path}.").format(path=plain(written)))
    if keep is not None:
        for old in rotate(written.parent, src, keep):
            out(_("Removed the old backup {path}.").format(path=plain(old)))


def restore(
    backup_file: Annotated[str, typer.Argument(help=_("The backup to restore."))],
) -> None:
    """Restore a backup: checked first; the current database is kept aside (timestamped)."""
    from tuicrm import safefiles
    from tuicrm.backups import restore as run_restore
    from tuicrm.db import DatabaseError

    database = _database_path()
    try:
        aside = run_restore(Path(backup_file).expanduser(), database, when=_now())
    except (DatabaseError, safefiles.FileRefused) as exc:
        fail(str(exc), EXIT_NOT_FOUND)
    if aside == database:
        out(_("Restored {backup} as {path}.").format(backup=plain(backup_file), path=plain(database)))
    else:
        out(
            _("Restored {backup} into {path}; the previous database is kept as {aside}.").format(
                backup=plain(backup_file), path=plain(database), aside=plain(aside)
            )
        )


def _now() -> datetime:
    from tuicrm import clock

    try:
        return clock.now()
    except ValueError as exc:
        fail(str(exc))


def check(
    as_json: Annotated[bool, typer.Option("--json", help=_("Print the findings as JSON."))] = False,
) -> None:
    """Integrity and file modes: what was found is reported before anything is fixed."""
    from tuicrm import safefiles
    from tuicrm.db import integrity_problems

    path = _database_path()
    # Look before opening: the open tightens the modes, and check must say what it found.
    loose = safefiles.loose_modes(path) if path.exists() else []
    open_store().dispose()  # refuses what is not a tuicrm database; tightens what is ours
    still = {p for p, _mode in safefiles.loose_modes(path)}
    problems = integrity_problems(path)
    found = []
    for p, mode in loose:
        if p in still:
            problems.append(
                _(
                    "{path} is readable by other users ({mode}) and is not yours to change; "
                    "ask its owner to run: chmod 600 {path}"
                ).format(path=p, mode=f"{mode:04o}")
            )
        else:
            found.append(
                _("{path} was readable by other users ({mode}); now {new}.").format(
                    path=p, mode=f"{mode:04o}", new=f"{mode & 0o700:04o}"
                )
            )
    calendar, notes = _calendar_notes()
    if as_json:
        print_json(
            {
                "path": str(path),
                "ok": not problems,
                "problems": problems,
                "fixed": found,
                "calendar": calendar,
                "notes": notes,
            }
        )
    else:
        for line in found:
            out(_("fixed: {what}").format(what=line))
        for problem in problems:
            out(_("problem: {problem}").format(problem=problem))
        for note in notes:
            out(_("note: {note}").format(note=note))
        if not problems:
            out(_("{path}: integrity ok.").format(path=path))
    if problems:
        raise typer.Exit(EXIT_NOT_FOUND)


def _calendar_notes() -> tuple[dict[str, object], list[str]]:
    """The working-day calendar (issue #19): where its holidays come from, and the years (this
    one and the next) its data does not cover, where automatic dates skip weekends only."""
    from tuicrm.clock import today
    from tuicrm.domain.workdays import work_calendar

    settings = load_config().workdays
    calendar = work_calendar(settings)
    year = today().year
    uncovered = calendar.uncovered_years(range(year, year + 2))
    notes: list[str] = []
    if settings.enabled and settings.country != "none" and calendar.source == "weekends only":
        notes.append(
            _(
                "no holiday data for country {country} (install the `holidays` package); working days skip weekends only."
            ).format(country=settings.country)
        )
    elif uncovered:
        notes.append(
            _(
                "the holiday data ({source}) does not cover {years}: automatic dates there skip weekends only "
                "(a newer release of the package adds each year's holidays)."
            ).format(source=calendar.source, years=", ".join(str(y) for y in uncovered))
        )
    info = {
        "enabled": settings.enabled,
        "country": settings.country,
        "source": calendar.source,
        "uncovered_years": uncovered,
    }
    return info, notes
