"""The ``tuicrm`` command line (SPEC §8).

Kept light at import time: the store, SQLModel and Rich tables load inside the
commands that need them, and Textual only inside the command that opens the TUI.
Errors print one plain sentence to stderr, never a traceback.
"""

from __future__ import annotations

import json
import os
import sys
from typing import Optional

import typer

app = typer.Typer(
    help="tuicrm: a keyboard-driven terminal CRM for the individual sales rep.",
    no_args_is_help=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)
add_app = typer.Typer(help="Add a customer or a contact.", no_args_is_help=True)
opp_app = typer.Typer(help="Opportunities: add one, move it to another stage.", no_args_is_help=True)
app.add_typer(add_app, name="add")
app.add_typer(opp_app, name="opp")

# Exit codes: 1 not found / failed, 2 bad input or ambiguous reference.
EXIT_NOT_FOUND = 1
EXIT_BAD_INPUT = 2


class State:
    db: Optional[str] = None


state = State()


def fail(message: str, code: int = EXIT_BAD_INPUT) -> None:
    typer.echo(f"tuicrm: {message}", err=True)
    raise typer.Exit(code)


def open_store():
    from tuicrm.config import load_config
    from tuicrm.db import DatabaseError
    from tuicrm.paths import resolve_db
    from tuicrm.store import Store

    try:
        config = load_config()
    except (ValueError, OSError) as exc:
        fail(f"cannot read the config file: {exc}")
    try:
        return Store.open(resolve_db(state.db), config)
    except DatabaseError as exc:
        fail(str(exc), EXIT_NOT_FOUND)


def _console(stderr: bool = False):
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, markup=False, emoji=False, soft_wrap=False)


def _text(value) -> "object":
    """User text as a Rich Text: never parsed as markup, escapes stripped."""
    from rich.text import Text

    from tuicrm.domain.privacy import sanitize_line

    return Text(sanitize_line("" if value is None else str(value)))


def _print_json(data) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def _today():
    from tuicrm import clock

    try:
        return clock.today()
    except ValueError as exc:
        fail(str(exc))


def _parse_date(text: str, *, allow_auto: bool = True):
    from tuicrm.domain.dates import DateInputError, parse_date_input

    try:
        return parse_date_input(text, _today(), allow_auto=allow_auto)
    except DateInputError as exc:
        fail(str(exc))


def _resolve(session, ref: str):
    from tuicrm.store.customers import resolve_customer
    from tuicrm.store.errors import Ambiguous, NotFound

    try:
        return resolve_customer(session, ref)
    except Ambiguous as exc:
        lines = [f"tuicrm: {exc} Say which one:"]
        lines += [f"  {c.code}  {_plain(c.name)}" for c in exc.candidates]
        typer.echo("\n".join(lines), err=True)
        raise typer.Exit(EXIT_BAD_INPUT) from None
    except NotFound as exc:
        fail(str(exc), EXIT_NOT_FOUND)


def _plain(value) -> str:
    from tuicrm.domain.privacy import sanitize_line

    return sanitize_line(value)


def _run_write(store, label: str, fn):
    """Run ``fn(session)`` in one write transaction, turning rule violations into one sentence."""
    from tuicrm.store.errors import StoreError

    try:
        with store.write(label) as session:
            return fn(session)
    except StoreError as exc:
        fail(str(exc))


def _read_text_arg(value: Optional[str]) -> Optional[str]:
    """``-`` reads the text from stdin, so private notes need not sit in argv."""
    if value == "-":
        return sys.stdin.read().strip()
    return value


@app.callback(invoke_without_command=True)
def root(
    ctx: typer.Context,
    db: Optional[str] = typer.Option(None, "--db", help="Database path or SQLAlchemy URL (else $TUICRM_DB, else XDG)."),
    demo: bool = typer.Option(False, "--demo", help="Open the TUI on the demo database (created on first use)."),
    version: bool = typer.Option(False, "--version", help="Print the version and exit."),
):
    """Open the TUI when no command is given."""
    if version:
        from tuicrm import __version__

        typer.echo(f"tuicrm {__version__}")
        raise typer.Exit()
    if demo:
        from tuicrm.paths import demo_db_path

        db = db or str(demo_db_path())
    state.db = db
    if ctx.invoked_subcommand is None:
        store = open_store()
        if demo:
            _ensure_demo(store)
        open_tui(store)


def _ensure_demo(store) -> None:
    from sqlmodel import func, select

    from tuicrm.demo import generate
    from tuicrm.models import Customer

    with store.read() as session:
        has = session.exec(select(func.count()).select_from(Customer)).one()
    if not has:
        generate(store, customers=300, seed=1)


def open_tui(store) -> None:
    try:
        from tuicrm.ui.app import make_app
    except ImportError:
        fail("the TUI is not built yet; use the commands (tuicrm --help).", EXIT_NOT_FOUND)
    make_app(store, store.config).run()


@app.command()
def demo(
    customers: int = typer.Option(300, "--customers", min=1, help="How many customers."),
    seed: int = typer.Option(1, "--seed", help="Random seed: the same seed gives the same data."),
    force: bool = typer.Option(False, "--force", help="Add to a database that already has customers."),
):
    """Fill a database with realistic demo data."""
    from sqlmodel import func, select

    from tuicrm.demo import generate
    from tuicrm.models import Customer

    store = open_store()
    with store.read() as session:
        existing = session.exec(select(func.count()).select_from(Customer)).one()
    if existing and not force:
        fail(f"the database already has {existing} customers; add --force to add demo data anyway.")
    counts = generate(store, customers=customers, seed=seed)
    typer.echo(", ".join(f"{v} {k.replace('_', ' ')}" for k, v in counts.items()) + f" written to {store.path}.")


@app.command()
def due(
    days: int = typer.Option(0, "--days", min=0, help="Also list the next N days."),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output (see docs/cli.md)."),
):
    """Overdue and due-today follow-ups in call-next order (+ the next N days)."""
    from tuicrm.domain.dates import relative_label
    from tuicrm.store.followups import due as due_items

    store = open_store()
    today = _today()
    with store.read() as session:
        items = due_items(session, store.config, today, days)
    if as_json:
        _print_json({
            "today": today.isoformat(),
            "items": [
                {"customer_id": i.customer_id, "code": i.code, "name": i.name, "tier": i.tier, "status": i.status,
                 "next_on": i.next_on.isoformat(), "next_action": i.next_action, "days_overdue": i.days_overdue,
                 "overdue": i.overdue, "due_today": i.next_on == today, "open_pipeline": str(i.open_pipeline),
                 "score": i.priority.score, "why": i.priority.explain()}
                for i in items
            ],
        })
        return
    if not items:
        typer.echo("Nothing due. " + ("" if days else "Try --days 7 to look ahead."))
        return
    from rich.table import Table

    overdue = sum(1 for i in items if i.overdue)
    today_n = sum(1 for i in items if i.next_on == today)
    table = Table(title=f"{overdue} overdue, {today_n} due today" + (f", {len(items) - overdue - today_n} ahead" if days else ""),
                  title_justify="left", box=None, pad_edge=False)
    for col in ("", "when", "code", "customer", "tier", "next action"):
        table.add_column(col)
    for i in items:
        marker = "!" if i.overdue else ("*" if i.next_on == today else " ")
        table.add_row(marker, relative_label(i.next_on, today), i.code, _text(i.name), i.tier, _text(i.next_action))
    _console().print(table)


@app.command()
def find(
    query: str = typer.Argument(..., help="Part of a name, alias, code, contact, phone or email."),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output."),
    limit: int = typer.Option(50, "--limit", min=1),
):
    """Find customers by name, alias, code, contact name, phone or email."""
    from tuicrm.domain.privacy import mask_phone
    from tuicrm.store.search import find as find_rows

    store = open_store()
    with store.read() as session:
        rows = find_rows(session, query, limit)
    if as_json:
        _print_json([
            {"id": r.id, "code": r.code, "name": r.name, "alias": r.alias, "industry": r.industry, "status": r.status,
             "tier": r.tier, "phone": mask_phone(r.phone), "email": r.email,
             "next_follow_up_on": r.next_follow_up_on.isoformat() if r.next_follow_up_on else None}
            for r in rows
        ])
        return
    if not rows:
        typer.echo(f"No customer matches '{_plain(query)}'.")
        raise typer.Exit(EXIT_NOT_FOUND)
    from rich.table import Table

    table = Table(box=None, pad_edge=False)
    for col in ("code", "name", "tier", "status", "phone", "next"):
        table.add_column(col)
    for r in rows:
        table.add_row(r.code, _text(r.name), r.tier, r.status, mask_phone(r.phone),
                      r.next_follow_up_on.isoformat() if r.next_follow_up_on else "")
    _console().print(table)


@app.command()
def show(
    customer: str = typer.Argument(..., help="Code (C000042), id, or part of the name."),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output."),
    reveal: bool = typer.Option(False, "--reveal", help="Show phone numbers unmasked."),
):
    """The customer card: fields, contacts, follow-ups, opportunities, tier history."""
    from tuicrm.store.cards import card_to_dict, customer_card

    store = open_store()
    today = _today()
    with store.read() as session:
        card = customer_card(session, store.config, _resolve(session, customer), today)
    data = card_to_dict(card, reveal=reveal)
    if as_json:
        _print_json(data)
        return
    _print_card(data)


def _print_card(data: dict) -> None:
    from rich.table import Table
    from rich.text import Text

    console = _console()
    c = data["customer"]
    head = Text(f"{c['code']}  ")
    head.append(_text(c["name"]))
    head.append(f"   tier {c['tier']} · {c['status']}")
    console.print(head)
    fields = Table(box=None, show_header=False, pad_edge=False)
    fields.add_column(style="bold")
    fields.add_column()
    for key in ("alias", "industry", "size", "kind", "source", "phone", "email", "address", "tags", "owner",
                "first_contact_on", "revenue_total", "needs", "notes"):
        if c.get(key):
            fields.add_row(key.replace("_", " "), _text(c[key]))
    next_text = Text("next follow-up  ", style="bold")
    if c["next_follow_up_on"]:
        next_text.append(f"{c['next_follow_up_on']} ({c['next_label']}) ")
        next_text.append(_text(c.get("next_action") or ""))
    else:
        next_text.append("none set")
    console.print(fields)
    console.print(next_text)
    if data["contacts"]:
        console.print(Text("\nContacts", style="bold"))
        for x in data["contacts"]:
            line = Text("  " + ("* " if x["is_primary"] else "  "))
            line.append(_text(x["name"]))
            for key in ("title", "role", "phone", "mobile", "email"):
                if x.get(key):
                    line.append("  ")
                    line.append(_text(x[key]))
            console.print(line)
    if data["opportunities"]:
        console.print(Text("\nOpportunities", style="bold"))
        for o in data["opportunities"]:
            line = Text(f"  #{o['id']} {o['stage']:<12} {o['amount']:>14}  {o['probability']}%  ")
            line.append(_text(o["name"]))
            if o.get("expected_close_on"):
                line.append(f"  close {o['expected_close_on']}")
            console.print(line)
    if data["assessments"]:
        console.print(Text("\nTier history", style="bold"))
        for a in data["assessments"]:
            line = Text(f"  {a['assessed_on']}  {a['potential']}+{a['willingness']}={a['total']} → {a['tier']}  ")
            line.append(_text(a.get("basis") or ""))
            console.print(line)
    if data["follow_ups"]:
        console.print(Text("\nFollow-ups (newest first)", style="bold"))
        for f in data["follow_ups"][:10]:
            line = Text(f"  {f['at'][:10]}  {f['channel']:<8} ")
            line.append(_text(f["summary"]))
            if f.get("next_on"):
                line.append(f"  → next {f['next_on']}")
            console.print(line)


@add_app.command("customer")
def add_customer(
    name: str = typer.Argument(..., help="Full legal name."),
    alias: Optional[str] = typer.Option(None, "--alias"),
    industry: Optional[str] = typer.Option(None, "--industry"),
    tier: Optional[str] = typer.Option(None, "--tier", help="A, B, C or D."),
    status: Optional[str] = typer.Option(None, "--status", help="potential, intent, won or lost."),
    phone: Optional[str] = typer.Option(None, "--phone"),
    email: Optional[str] = typer.Option(None, "--email"),
    source: Optional[str] = typer.Option(None, "--source"),
    kind: Optional[str] = typer.Option(None, "--kind", help="B2B or B2C."),
    tags: Optional[str] = typer.Option(None, "--tags", help="Comma-separated."),
    notes: Optional[str] = typer.Option(None, "--notes", help="Text, or - to read it from stdin."),
    next_: Optional[str] = typer.Option(None, "--next", help="First follow-up date (+3d, fri, 2026-12-01)."),
    as_json: bool = typer.Option(False, "--json"),
):
    """Add a customer."""
    from tuicrm.store.customers import create_customer

    next_on = _parse_date(next_, allow_auto=False) if next_ else None
    fields = {k: v for k, v in dict(alias=alias, industry=industry, tier=tier, status=status, phone=phone,
                                     email=email, source=source, kind=kind, tags=tags,
                                     notes=_read_text_arg(notes)).items() if v is not None}
    if next_on:
        fields["next_follow_up_on"] = next_on
    store = open_store()
    customer = _run_write(store, f"add customer {name}", lambda s: create_customer(s, name, **fields))
    if as_json:
        _print_json({"id": customer.id, "code": customer.code, "name": customer.name})
    else:
        typer.echo(f"Added {customer.code} {_plain(customer.name)}.")


@add_app.command("contact")
def add_contact(
    customer: str = typer.Argument(..., help="Code, id, or part of the customer's name."),
    name: str = typer.Argument(..., help="The contact's name."),
    title: Optional[str] = typer.Option(None, "--title"),
    role: Optional[str] = typer.Option(None, "--role", help="decision-maker, influencer, user, technical-evaluator, other."),
    phone: Optional[str] = typer.Option(None, "--phone"),
    mobile: Optional[str] = typer.Option(None, "--mobile"),
    email: Optional[str] = typer.Option(None, "--email"),
    primary: bool = typer.Option(False, "--primary", help="Make this the primary contact."),
):
    """Add a contact to a customer."""
    from tuicrm.store.customers import create_contact

    fields = {k: v for k, v in dict(title=title, role=role, phone=phone, mobile=mobile, email=email).items() if v}
    if primary:
        fields["is_primary"] = True
    store = open_store()

    def write(session):
        target = _resolve(session, customer)
        return target, create_contact(session, target, name, **fields)

    target, contact = _run_write(store, f"add contact {name}", write)
    typer.echo(f"Added {_plain(contact.name)} to {target.code} {_plain(target.name)}.")


@app.command()
def log(
    customer: str = typer.Argument(..., help="Code, id, or part of the customer's name."),
    summary: str = typer.Argument(..., help="What was discussed, or - to read it from stdin."),
    channel: str = typer.Option("phone", "--channel", help="phone, email, meeting, visit, video, im, demo, other."),
    feedback: Optional[str] = typer.Option(None, "--feedback", help="What the customer said."),
    attitude: Optional[str] = typer.Option(None, "--attitude", help="positive, neutral, negative."),
    next_: str = typer.Option("auto", "--next", help="Next follow-up: +3d, fri, 2026-12-01, or auto (cadence)."),
    action: Optional[str] = typer.Option(None, "--action", help="The next step."),
    as_json: bool = typer.Option(False, "--json"),
):
    """Log a follow-up and set the next one."""
    from tuicrm.store.followups import log_follow_up

    next_on = _parse_date(next_)
    summary = _read_text_arg(summary)
    store = open_store()

    def write(session):
        target = _resolve(session, customer)
        return target, log_follow_up(session, store.config, target, summary, channel=channel, feedback=feedback,
                                     attitude=attitude, next_on=next_on, next_action=action)

    target, fu = _run_write(store, f"log follow-up for {customer}", write)
    if as_json:
        _print_json({"id": fu.id, "customer": target.code, "next_on": fu.next_on.isoformat() if fu.next_on else None})
        return
    when = f"next follow-up {fu.next_on.isoformat()}" if fu.next_on else "no next follow-up (lost customer)"
    typer.echo(f"Logged for {target.code} {_plain(target.name)}; {when}.")


@app.command()
def snooze(
    customer: str = typer.Argument(..., help="Code, id, or part of the customer's name."),
    date_: str = typer.Argument(..., metavar="DATE", help="+1d, +3d, +1w, fri, 2026-12-01."),
    reason: Optional[str] = typer.Option(None, "--reason"),
):
    """Move the pending follow-up to another date (the move is recorded)."""
    from tuicrm.store.followups import snooze as snooze_fn

    to_on = _parse_date(date_, allow_auto=False)
    store = open_store()

    def write(session):
        target = _resolve(session, customer)
        return target, snooze_fn(session, target, to_on, reason)

    target, record = _run_write(store, f"snooze {customer}", write)
    was = record.from_on.isoformat() if record.from_on else "none"
    typer.echo(f"Moved {target.code} {_plain(target.name)} from {was} to {record.to_on.isoformat()}.")


@app.command()
def assess(
    customer: str = typer.Argument(..., help="Code, id, or part of the customer's name."),
    potential: int = typer.Option(..., "--potential", help="Purchase potential, 1-10."),
    willingness: int = typer.Option(..., "--willingness", help="Willingness to cooperate, 1-10."),
    basis: Optional[str] = typer.Option(None, "--basis", help="Why."),
    strategy: Optional[str] = typer.Option(None, "--strategy"),
):
    """Grade a customer: potential + willingness gives the tier (A >= 15, B 10-14, C <= 9)."""
    from tuicrm.domain.tiers import ScoreError, check_score
    from tuicrm.store.tiers import assess_customer

    store = open_store()
    try:
        check_score("Potential", potential, store.config)
        check_score("Willingness", willingness, store.config)
    except ScoreError as exc:
        fail(str(exc))

    def write(session):
        target = _resolve(session, customer)
        return target, assess_customer(session, store.config, target, potential, willingness, basis=basis,
                                       strategy=strategy)

    target, record = _run_write(store, f"assess {customer}", write)
    typer.echo(f"{target.code} {_plain(target.name)}: {record.potential}+{record.willingness}={record.total} → tier {record.tier}.")


@opp_app.command("add")
def opp_add(
    customer: str = typer.Argument(..., help="Code, id, or part of the customer's name."),
    name: str = typer.Argument(..., help="Opportunity name."),
    amount: str = typer.Option(..., "--amount", help="Expected deal amount (>= 0)."),
    stage: str = typer.Option("lead", "--stage", help="lead, need, proposal, negotiation, won, lost."),
    close: Optional[str] = typer.Option(None, "--close", help="Expected close date."),
    probability: Optional[int] = typer.Option(None, "--probability", help="0-100; defaults from the stage."),
):
    """Add an opportunity."""
    from tuicrm.store.customers import check_amount
    from tuicrm.store.errors import StoreError
    from tuicrm.store.pipeline import add_opportunity

    try:
        value = check_amount(amount)
    except StoreError as exc:
        fail(str(exc))
    close_on = _parse_date(close, allow_auto=False) if close else None
    store = open_store()

    def write(session):
        target = _resolve(session, customer)
        return target, add_opportunity(session, store.config, target, name, value, stage=stage,
                                       expected_close_on=close_on, probability=probability)

    target, opp = _run_write(store, f"add opportunity {name}", write)
    typer.echo(f"Added opportunity #{opp.id} {_plain(opp.name)} ({opp.stage}, {opp.amount} {store.config.currency}) for {target.code}.")


@opp_app.command("move")
def opp_move(
    opportunity: str = typer.Argument(..., help="Opportunity id or part of its name."),
    stage: str = typer.Argument(..., help="lead, need, proposal, negotiation, won, lost."),
    reason: Optional[str] = typer.Option(None, "--reason", help="Required when moving to lost."),
    note: Optional[str] = typer.Option(None, "--note"),
):
    """Move an opportunity to another stage (recorded; lost needs --reason)."""
    from tuicrm.store.errors import Ambiguous, NotFound
    from tuicrm.store.pipeline import move_opportunity, resolve_opportunity

    store = open_store()

    def write(session):
        try:
            opp = resolve_opportunity(session, opportunity)
        except Ambiguous as exc:
            fail(f"{exc} Use its id: " + ", ".join(f"#{o.id} {_plain(o.name)}" for o in exc.candidates))
        except NotFound as exc:
            fail(str(exc), EXIT_NOT_FOUND)
        change = move_opportunity(session, store.config, opp, stage, reason=reason, note=note)
        return opp, change

    opp, change = _run_write(store, f"move opportunity {opportunity}", write)
    typer.echo(f"Moved #{opp.id} {_plain(opp.name)} from {change.from_stage} to {change.to_stage}.")


@app.command()
def undo(yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask; undo at once.")):
    """Reverse the last change (shows it first)."""
    from tuicrm.store import oplog

    store = open_store()
    with store.read() as session:
        op = oplog.last_operation(session)
        if op is None:
            typer.echo("Nothing to undo.")
            return
        lines = oplog.describe(session, op)
    typer.echo(f"Last change: {_plain(op.label)} ({op.at:%Y-%m-%d %H:%M} UTC). Undo will " + "; ".join(lines) + ".")
    if not yes:
        if not sys.stdin.isatty():
            fail("add --yes to undo without a question.")
        if not typer.confirm("Undo it?"):
            typer.echo("Nothing changed.")
            return
    with store.write("undo", log=False) as session:
        current = oplog.last_operation(session)
        if current is None or current.id != op.id:
            fail("another change landed meanwhile; run undo again to see it.")
        oplog.undo(session, current)
    typer.echo("Undone.")


@app.command()
def backup(dest: Optional[str] = typer.Argument(None, help="Backup file (default: next to the database, dated).")):
    """Copy the database safely, even while the TUI is writing (SQLite online backup)."""
    from pathlib import Path

    from tuicrm.db import backup_to

    store = open_store()
    if not store.path:
        fail("backup works on a database file.")
    src = Path(store.path)
    if dest is None:
        stamp = _today().isoformat()
        target = src.with_name(f"{src.stem}-backup-{stamp}{src.suffix}")
    else:
        target = Path(dest).expanduser()
        if target.is_dir():
            target = target / f"{src.stem}-backup-{_today().isoformat()}{src.suffix}"
    try:
        backup_to(src, target)
    except Exception as exc:  # sqlite3 and OS errors alike
        fail(f"backup to {target} failed: {exc}.", EXIT_NOT_FOUND)
    typer.echo(f"Backed up to {target}.")


@app.command()
def check():
    """Check the database's integrity and report problems in plain words."""
    from pathlib import Path

    from tuicrm.db import integrity_problems

    store = open_store()
    path = Path(store.path)
    problems = integrity_problems(path)
    mode = path.stat().st_mode & 0o777
    if mode & 0o077:
        problems.append(f"{path} is readable by other users (mode {mode:o}); run: chmod 600 {path}")
    if problems:
        for p in problems:
            typer.echo(f"problem: {p}")
        raise typer.Exit(EXIT_NOT_FOUND)
    typer.echo(f"{path}: integrity ok.")


def _register_optional_commands() -> None:
    """Import/export and reports live in their own modules; they register themselves here."""
    import importlib

    for name in ("tuicrm.cli_io", "tuicrm.cli_report"):
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        module.register(app, sys.modules[__name__])


_register_optional_commands()


def main() -> None:
    # Files we create (database, backups, exports) are private to the rep.
    os.umask(0o077)
    try:
        app()
    except KeyboardInterrupt:
        typer.echo("tuicrm: interrupted; nothing half-written was kept.", err=True)
        sys.exit(130)
    except Exception as exc:  # the last line of defence: one plain sentence, no traceback
        from tuicrm.db import DatabaseError

        if isinstance(exc, DatabaseError):
            typer.echo(f"tuicrm: {exc}", err=True)
            sys.exit(EXIT_NOT_FOUND)
        typer.echo(f"tuicrm: unexpected error ({type(exc).__name__}); nothing was saved by the failed step.", err=True)
        sys.exit(1)


if __name__ == "__main__":
    main()
