"""The root command (the TUI, ``--db``, ``--demo``, ``--version``) and the housekeeping
commands: ``demo``, ``undo``, ``backup``, ``check``."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from tuicrm.cli import reads
from tuicrm.cli.context import open_store, state, today
from tuicrm.cli.output import EXIT_NOT_FOUND, fail, out, plain
from tuicrm.cli.tui import ensure_demo, open_tui
from tuicrm.i18n import _


def root(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option("--db", help=_("Database path or SQLAlchemy URL (else $TUICRM_DB, else XDG).")),
    ] = None,
    demo: Annotated[
        bool, typer.Option("--demo", help=_("Open the TUI on the demo database (created on first use)."))
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
) -> None:
    from tuicrm.demo import generate

    store = open_store()
    with store.read() as session:
        existing = reads.customer_count(session)
    if existing and not force:
        fail(
            _("the database already has {count} customers; add --force to add demo data anyway.").format(
                count=existing
            )
        )
    counts = generate(store, customers=customers, seed=seed)
    written = ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in counts.items())
    out(_("{counts} written to {path}.").format(counts=written, path=store.path))


def undo(
    yes: Annotated[bool, typer.Option("--yes", "-y", help=_("Do not ask; undo at once."))] = False,
) -> None:
    from tuicrm.store import oplog

    store = open_store()
    with store.read() as session:
        op = reads.last_operation(session)
        if op is None:
            out(_("Nothing to undo."))
            return
        lines = reads.describe_operation(session, op)
    out(
        _("Last change: {label} ({at} UTC). Undo will {what}.").format(
            label=plain(op.label), at=f"{op.at:%Y-%m-%d %H:%M}", what="; ".join(lines)
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


def backup(
    dest: Annotated[
        str | None, typer.Argument(help=_("Backup file (default: next to the database, dated)."))
    ] = None,
) -> None:
    from pathlib import Path

    from tuicrm.db import backup_to

    store = open_store()
    if not store.path:
        fail(_("backup works on a database file."))
    src = Path(store.path)
    if dest is None:
        target = src.with_name(f"{src.stem}-backup-{today().isoformat()}{src.suffix}")
    else:
        target = Path(dest).expanduser()
        if target.is_dir():
            target = target / f"{src.stem}-backup-{today().isoformat()}{src.suffix}"
    try:
        backup_to(src, target)
    except Exception as exc:  # sqlite3 and OS errors alike
        fail(_("backup to {path} failed: {error}.").format(path=target, error=exc), EXIT_NOT_FOUND)
    out(_("Backed up to {path}.").format(path=target))


def check() -> None:
    from pathlib import Path

    from tuicrm.db import integrity_problems

    store = open_store()
    if store.path is None:
        fail(_("check reads a database file; this target is not one."))
    path = Path(store.path)
    problems = integrity_problems(path)
    mode = path.stat().st_mode & 0o777
    if mode & 0o077:
        problems.append(
            _("{path} is readable by other users (mode {mode}); run: chmod 600 {path}").format(
                path=path, mode=f"{mode:o}"
            )
        )
    if problems:
        for p in problems:
            out(_("problem: {problem}").format(problem=p))
        raise typer.Exit(EXIT_NOT_FOUND)
    out(_("{path}: integrity ok.").format(path=path))
