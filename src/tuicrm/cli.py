"""The ``tuicrm`` command line (SPEC §8).

Fast to start (issue #5). Importing this module imports neither Typer nor the store: the
Typer app is built on first use (``tuicrm.cli.app`` or ``main()``), the store, SQLModel and
Rich load inside the commands that need them, and Textual only inside the command that
opens the TUI. The read commands a rep types all day (``due``, ``find``, ``show``) answer
through ``tuicrm.query`` on a standard-library sqlite3 connection when the database is a current SQLite
file, and ``main()`` recognises their plain forms before building the Typer app at all.
Anything else, or a database the fast path cannot read (old schema, a URL), goes through
Typer and the migrating ``Store`` exactly as before.

Errors print one plain sentence to stderr, never a traceback.
"""

from __future__ import annotations

import os
import sqlite3
import sys

TYPE_CHECKING = False  # not importing typing: a few milliseconds on every `tuicrm due`
if TYPE_CHECKING:  # imported for real in _build_app(); the annotations below are strings until then
    from typing import Annotated, Optional

    import typer

# Exit codes: 1 not found / failed, 2 bad input or ambiguous reference.
EXIT_NOT_FOUND = 1
EXIT_BAD_INPUT = 2
# `tuicrm due` without --all/--json lists this many, then says how many more there are.
DUE_SHOWN = 30


class State:
    db: Optional[str] = None


state = State()


def fail(message: str, code: int = EXIT_BAD_INPUT) -> None:
    import typer

    _err(f"tuicrm: {message}")
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


def _text(value) -> object:
    """User text as a Rich Text: never parsed as markup, escapes stripped."""
    from rich.text import Text

    from tuicrm.domain.privacy import sanitize_line

    return Text(sanitize_line("" if value is None else str(value)))


def _print_json(data) -> None:
    import json

    from tuicrm.domain.privacy import json_escape_controls

    # ensure_ascii=False keeps 精密 readable; C1/bidi characters still go out as \uXXXX escapes.
    _out(json_escape_controls(json.dumps(data, ensure_ascii=False, indent=2, default=str)))


def _today():
    from tuicrm.query.connect import today

    try:
        return today()
    except ValueError as exc:
        fail(str(exc))


def _parse_date(text: str, *, allow_auto: bool = True):
    from tuicrm.domain.dates import DateInputError, parse_date_input

    try:
        return parse_date_input(text, _today(), allow_auto=allow_auto)
    except DateInputError as exc:
        fail(str(exc))


def _resolve(session, ref: str):
    import typer

    from tuicrm.store.customers import resolve_customer
    from tuicrm.store.errors import Ambiguous, NotFound

    try:
        return resolve_customer(session, ref)
    except Ambiguous as exc:
        _ambiguous(str(exc), exc.candidates)
        raise typer.Exit(EXIT_BAD_INPUT) from None
    except NotFound as exc:
        fail(str(exc), EXIT_NOT_FOUND)


def _ambiguous(message: str, candidates) -> None:
    lines = [f"tuicrm: {message} Say which one:"]
    lines += [f"  {code}  {_plain(name)}" for code, name in candidates]
    _err("\n".join(lines))


def _plain(value) -> str:
    from tuicrm.domain.privacy import sanitize_line

    return sanitize_line(value)


def _run_write(store, label: str, fn):
    """Run ``fn(session)`` in one write transaction, turning rule violations into one sentence."""
    from tuicrm.store import DatabaseBusy
    from tuicrm.store.errors import StoreError

    try:
        with store.write(label) as session:
            return fn(session)
    except DatabaseBusy as exc:  # not the rep's input: another writer held the lock too long
        fail(str(exc), EXIT_NOT_FOUND)
    except StoreError as exc:
        fail(str(exc))


def _read_text_arg(value: Optional[str]) -> Optional[str]:
    """``-`` reads the text from stdin, so private notes need not sit in argv."""
    if value == "-":
        return sys.stdin.read().strip()
    return value


# -- plain-text output (no Rich on the read path) ----------------------------------------------


def _out(text: str) -> None:
    sys.stdout.write(text + "\n")


def _err(text: str) -> None:
    """Errors may echo what the rep typed (a phone number where a name was expected): mask it."""
    from tuicrm.domain.privacy import redact

    sys.stdout.flush()
    sys.stderr.write(redact(text) + "\n")
    sys.stderr.flush()


def _cell_width(text: str) -> int:
    """Terminal cells: East Asian wide/full-width characters take two, combining marks none."""
    if text.isascii():
        return len(text)
    from unicodedata import combining, east_asian_width

    return sum(0 if combining(ch) else (2 if east_asian_width(ch) in "WF" else 1) for ch in text)


def _fit(text: str, width: int) -> str:
    """Cut ``text`` to ``width`` cells, marking the cut with an ellipsis."""
    if _cell_width(text) <= width:
        return text
    out, used = [], 0
    for ch in text:
        w = _cell_width(ch)
        if used + w > width - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + "…"


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _cell_width(text))


def _bold(text: str) -> str:
    if sys.stdout.isatty() and not os.environ.get("NO_COLOR"):
        return f"\x1b[1m{text}\x1b[0m"
    return text


def _terminal_width() -> int | None:
    """The width to fit tables to on a terminal; None when writing to a pipe or file (full text)."""
    if not sys.stdout.isatty():
        return None
    try:
        return int(os.environ.get("COLUMNS") or os.get_terminal_size(sys.stdout.fileno()).columns)
    except (OSError, ValueError):
        return 80


def _table(headers: list[str], rows: list[list[str]], flexible: tuple[int, ...] = ()) -> list[str]:
    """Left-aligned columns two spaces apart (user text already sanitised); the ``flexible``
    columns shrink, widest first, when a terminal is too narrow."""
    widths = [max([_cell_width(h)] + [_cell_width(r[i]) for r in rows]) for i, h in enumerate(headers)]
    limit = _terminal_width()
    if limit and flexible:
        while sum(widths) + 2 * (len(widths) - 1) > limit:
            col = max(flexible, key=lambda i: widths[i])
            if widths[col] <= 8:
                break
            widths[col] -= 1
        rows = [[_fit(v, widths[i]) if i in flexible else v for i, v in enumerate(r)] for r in rows]
    lines = []
    for r in [headers] + rows:
        cells = [_pad(v, widths[i]) for i, v in enumerate(r[:-1])] + [r[-1]]
        lines.append("  ".join(cells).rstrip())
    lines[0] = _bold(lines[0])
    return lines


def _grouped(n: int) -> str:
    return f"{n:,}".replace(",", " ")


# -- the read commands: fast path first, the Store when it cannot be used -----------------------


def _fast_conn():
    from tuicrm.query.connect import connect, resolve_target

    return connect(resolve_target(state.db))


def _via_fastread(fn):
    """``fn(conn)`` on a fast read-only connection, or None when the Store must answer."""
    conn = _fast_conn()
    if conn is None:
        return None
    try:
        conn.execute("BEGIN")  # one snapshot: the counts and the list agree even while the TUI writes
        return fn(conn)
    except sqlite3.Error:
        return None
    finally:
        conn.close()  # ends the read transaction


def _load_config():
    from tuicrm.config import load_config

    try:
        return load_config()
    except (ValueError, OSError) as exc:
        fail(f"cannot read the config file: {exc}")


class DueList:
    """What ``due`` prints: the (first) items in call-next order and the true counts."""

    def __init__(self, today, items, overdue: int, due_today: int, ahead: int):
        self.today, self.items = today, items
        self.overdue, self.due_today, self.ahead = overdue, due_today, ahead

    @property
    def total(self) -> int:
        return self.overdue + self.due_today + self.ahead


def _due_data(today, days: int, shown: int | None) -> DueList:
    """Items (all when ``shown`` is None) and counts, from fastread or the store."""

    def fast(conn):
        from tuicrm.query.followups import due, due_counts, due_top

        config = _load_config()
        overdue, due_today, ahead = due_counts(conn, today, days)
        if shown is None:
            items = due(conn, config, today, days)
        else:
            items = due_top(conn, config, today, days, shown)
        return DueList(today, items, overdue, due_today, ahead)

    data = _via_fastread(fast)
    if data is not None:
        return data
    with open_store().reading() as conn:
        return fast(conn)


def _due_output(days: int, as_json: bool, show_all: bool, shown: int) -> int:
    today = _today()
    data = _due_data(today, days, None if (as_json or show_all) else shown)
    if as_json:
        _print_json(
            {
                "today": today.isoformat(),
                "items": [
                    {
                        "customer_id": i.customer_id,
                        "code": i.code,
                        "name": i.name,
                        "tier": i.tier,
                        "status": i.status,
                        "next_on": i.next_on.isoformat(),
                        "next_action": i.next_action,
                        "days_overdue": i.days_overdue,
                        "overdue": i.overdue,
                        "due_today": i.next_on == today,
                        "open_pipeline": str(i.open_pipeline),
                        "score": i.priority.score,
                        "why": i.priority.explain(),
                    }
                    for i in data.items
                ],
            }
        )
        return 0
    if not data.items:
        _out("Nothing due. " + ("" if days else "Try --days 7 to look ahead."))
        return 0
    from tuicrm.domain.dates import relative_label

    title = f"{_grouped(data.overdue)} overdue, {_grouped(data.due_today)} due today"
    if days:
        title += f", {_grouped(data.ahead)} ahead"
    rows = []
    for i in data.items:
        marker = "!" if i.overdue else ("*" if i.next_on == today else " ")
        rows.append(
            [marker, relative_label(i.next_on, today), i.code, _plain(i.name), i.tier, _plain(i.next_action)]
        )
    lines = [title] + _table(["", "when", "code", "customer", "tier", "next action"], rows, flexible=(3, 5))
    more = data.total - len(data.items)
    if more > 0:
        lines.append(f"… and {_grouped(more)} more — use --all or --json")
    _out("\n".join(lines))
    return 0


def _find_output(query: str, as_json: bool, limit: int) -> int:
    from tuicrm.domain.privacy import mask_phone

    def fast(conn):
        from tuicrm.query.customers import find

        return find(conn, query, limit)

    rows = _via_fastread(fast)
    if rows is None:
        with open_store().reading() as conn:
            rows = fast(conn)
    if as_json:
        _print_json(
            [
                {
                    "id": r.id,
                    "code": r.code,
                    "name": r.name,
                    "alias": r.alias,
                    "industry": r.industry,
                    "status": r.status,
                    "tier": r.tier,
                    "phone": mask_phone(r.phone),
                    "email": r.email,
                    "next_follow_up_on": r.next_follow_up_on.isoformat() if r.next_follow_up_on else None,
                }
                for r in rows
            ]
        )
        return 0
    if not rows:
        from tuicrm.domain.privacy import redact

        _out(redact(f"No customer matches '{_plain(query)}'."))
        return EXIT_NOT_FOUND
    table = [
        [
            r.code,
            _plain(r.name),
            r.tier,
            r.status,
            mask_phone(r.phone),
            r.next_follow_up_on.isoformat() if r.next_follow_up_on else "",
        ]
        for r in rows
    ]
    _out("\n".join(_table(["code", "name", "tier", "status", "phone", "next"], table, flexible=(1,))))
    return 0


def _show_output(customer: str, as_json: bool, reveal: bool) -> int:
    today = _today()

    def fast(conn):
        from tuicrm.query.cards import card, card_to_dict
        from tuicrm.query.customers import resolve
        from tuicrm.query.errors import Ambiguous, NotFound

        try:
            return card_to_dict(card(conn, resolve(conn, customer), today, as_json=True), reveal=reveal)
        except Ambiguous as exc:
            _ambiguous(str(exc), exc.candidates)
            return EXIT_BAD_INPUT
        except NotFound as exc:
            _err(f"tuicrm: {exc}")
            return EXIT_NOT_FOUND

    data = _via_fastread(fast)
    if data is None:
        with open_store().reading() as conn:
            data = fast(conn)
    if isinstance(data, int):
        return data
    if as_json:
        _print_json(data)
    else:
        _print_card(data)
    return 0


def _print_card(data: dict) -> None:
    c = data["customer"]
    lines = [f"{c['code']}  {_bold(_plain(c['name']))}   tier {c['tier']} · {c['status']}"]
    keys = [
        k
        for k in (
            "alias",
            "industry",
            "size",
            "kind",
            "source",
            "phone",
            "email",
            "address",
            "tags",
            "owner",
            "first_contact_on",
            "revenue_total",
            "needs",
            "notes",
        )
        if c.get(k)
    ]
    width = max((len(k) for k in keys), default=0)
    for key in keys:
        label = key.replace("_", " ")
        lines.append(_bold(label) + " " * (width - len(label) + 2) + _plain(str(c[key])))
    if c["next_follow_up_on"]:
        nxt = f"{c['next_follow_up_on']} ({c['next_label']}) {_plain(c.get('next_action') or '')}".rstrip()
    else:
        nxt = "none set"
    lines.append(_bold("next follow-up") + "  " + nxt)
    if data["contacts"]:
        lines += ["", _bold("Contacts")]
        for x in data["contacts"]:
            parts = [_plain(x["name"])] + [
                _plain(str(x[k])) for k in ("title", "role", "phone", "mobile", "email") if x.get(k)
            ]
            lines.append("  " + ("* " if x["is_primary"] else "  ") + "  ".join(parts))
    if data["opportunities"]:
        lines += ["", _bold("Opportunities")]
        for o in data["opportunities"]:
            line = (
                f"  #{o['id']} {o['stage']:<12} {o['amount']:>14}  {o['probability']}%  {_plain(o['name'])}"
            )
            if o.get("expected_close_on"):
                line += f"  close {o['expected_close_on']}"
            lines.append(line)
    if data["assessments"]:
        lines += ["", _bold("Tier history")]
        for a in data["assessments"]:
            lines.append(
                f"  {a['assessed_on']}  {a['potential']}+{a['willingness']}={a['total']} → {a['tier']}  "
                f"{_plain(a.get('basis') or '')}".rstrip()
            )
    if data["follow_ups"]:
        lines += ["", _bold("Follow-ups (newest first)")]
        for f in data["follow_ups"][:10]:
            line = f"  {f['at'][:10]}  {f['channel']:<8} {_plain(f['summary'])}"
            if f.get("next_on"):
                line += f"  → next {f['next_on']}"
            lines.append(line)
    _out("\n".join(lines))


# -- the fast path: plain `due`, `find`, `show` without building the Typer app ----------------------

_FAST_COMMANDS = {
    # command: (flags, integer options with their minimum, positional arguments)
    "due": ({"--json": "as_json", "--all": "show_all"}, {"--days": ("days", 0), "--limit": ("shown", 1)}, ()),
    "find": ({"--json": "as_json"}, {"--limit": ("limit", 1)}, ("query",)),
    "show": ({"--json": "as_json", "--reveal": "reveal"}, {}, ("customer",)),
}
_FAST_DEFAULTS = {
    "due": {"days": 0, "as_json": False, "show_all": False, "shown": DUE_SHOWN},
    "find": {"as_json": False, "limit": 50},
    "show": {"as_json": False, "reveal": False},
}


def _parse_fast(argv: list[str]) -> tuple[str | None, str, dict] | None:
    """``[--db PATH] [due|find|show ...]`` in the plain forms; None for anything else (Typer decides)."""
    db = None
    i = 0
    while i < len(argv) and argv[i].startswith("--db"):
        if argv[i] == "--db" and i + 1 < len(argv):
            db, i = argv[i + 1], i + 2
        elif argv[i].startswith("--db="):
            db, i = argv[i][len("--db=") :], i + 1
        else:
            return None
    if i == len(argv):
        return db, "tui", {}  # plain `tuicrm [--db PATH]`: the TUI, without building the Typer app
    if argv[i] not in _FAST_COMMANDS:
        return None
    command = argv[i]
    flags, options, positional = _FAST_COMMANDS[command]
    values = dict(_FAST_DEFAULTS[command])
    args: list[str] = []
    rest = argv[i + 1 :]
    j = 0
    while j < len(rest):
        token = rest[j]
        name, eq, inline = token.partition("=")
        if token in flags:
            values[flags[token]] = True
        elif name in options:
            if eq:
                raw = inline
            elif j + 1 < len(rest):
                j += 1
                raw = rest[j]
            else:
                return None
            key, minimum = options[name]
            if not raw.isascii() or not raw.lstrip("-").isdigit() or int(raw) < minimum:
                return None
            values[key] = int(raw)
        elif token.startswith("-") or len(args) >= len(positional):
            return None  # help, an unknown option, a dash-argument or one argument too many
        else:
            args.append(token)
        j += 1
    if len(args) != len(positional) or any(not a.strip() for a in args):
        return None
    values.update(zip(positional, args, strict=True))
    return db, command, values


def _fast(argv: list[str]) -> int | None:
    """Run a plain read command without Typer; None when Typer (and maybe the Store) must."""
    parsed = _parse_fast(argv)
    if parsed is None:
        return None
    db, command, values = parsed
    state.db = db
    # The same functions the Typer commands call; when the fast connection cannot be had they
    # take the Store path themselves (and a failure there raises typer.Exit, see main()).
    if command == "tui":
        open_tui(None)
        return 0
    if command == "due":
        return _due_output(**values)
    if command == "find":
        return _find_output(**values)
    return _show_output(**values)


# -- the Typer commands -------------------------------------------------------------------------


def root(
    ctx: typer.Context,
    db: Annotated[
        Optional[str],
        typer.Option("--db", help="Database path or SQLAlchemy URL (else $TUICRM_DB, else XDG)."),
    ] = None,
    demo: Annotated[
        bool, typer.Option("--demo", help="Open the TUI on the demo database (created on first use).")
    ] = False,
    version: Annotated[bool, typer.Option("--version", help="Print the version and exit.")] = False,
):
    """Open the TUI when no command is given."""
    import typer

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
    """Run the TUI on ``store``; with None, on the ``--db`` target, painting before the Store opens.

    A current SQLite file (the fast path's schema check) gets a ``DeferredStore``: the first
    screen reads through ``sqlite3`` and the Store (SQLModel) opens in the background after the
    first paint. Anything else (a URL, a new or older database to create or migrate) opens the
    Store first, exactly as before.
    """
    config = None
    if store is None:
        from tuicrm.query.connect import connect, resolve_target

        target = resolve_target(state.db)
        conn = connect(target)
        if conn is None:
            store = open_store()
        else:
            conn.close()
            config = _load_config()
    try:
        from tuicrm.ui.app import make_app
    except ImportError:
        fail("the TUI is not built yet; use the commands (tuicrm --help).", EXIT_NOT_FOUND)
    if store is None:
        from tuicrm.store.deferred import DeferredStore

        store = DeferredStore(open_store, target)
    make_app(store, config if config is not None else store.config).run()


def demo(
    customers: Annotated[int, typer.Option("--customers", min=1, help="How many customers.")] = 300,
    seed: Annotated[int, typer.Option("--seed", help="Random seed: the same seed gives the same data.")] = 1,
    force: Annotated[
        bool, typer.Option("--force", help="Add to a database that already has customers.")
    ] = False,
):
    """Fill a database with realistic demo data."""
    import typer
    from sqlmodel import func, select

    from tuicrm.demo import generate
    from tuicrm.models import Customer

    store = open_store()
    with store.read() as session:
        existing = session.exec(select(func.count()).select_from(Customer)).one()
    if existing and not force:
        fail(f"the database already has {existing} customers; add --force to add demo data anyway.")
    counts = generate(store, customers=customers, seed=seed)
    typer.echo(
        ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in counts.items()) + f" written to {store.path}."
    )


def due(
    days: Annotated[int, typer.Option("--days", min=0, help="Also list the next N days.")] = 0,
    as_json: Annotated[
        bool, typer.Option("--json", help="Machine-readable output, every item (see docs/cli.md).")
    ] = False,
    show_all: Annotated[
        bool, typer.Option("--all", help="List every item, not only the first --limit.")
    ] = False,
    shown: Annotated[
        int, typer.Option("--limit", min=1, help="How many to list (the rest are counted).")
    ] = DUE_SHOWN,
):
    """Overdue and due-today follow-ups in call-next order (+ the next N days)."""
    _exit(_due_output(days, as_json, show_all, shown))


def find(
    query: Annotated[str, typer.Argument(help="Part of a name, alias, code, contact, phone or email.")],
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
    limit: Annotated[int, typer.Option("--limit", min=1)] = 50,
):
    """Find customers by name, alias, code, contact name, phone or email."""
    _exit(_find_output(query, as_json, limit))


def show(
    customer: Annotated[str, typer.Argument(help="Code (C000042), id, or part of the name.")],
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
    reveal: Annotated[bool, typer.Option("--reveal", help="Show phone numbers unmasked.")] = False,
):
    """The customer card: fields, contacts, follow-ups, opportunities, tier history."""
    _exit(_show_output(customer, as_json, reveal))


def _exit(code: int) -> None:
    if code:
        import typer

        raise typer.Exit(code)


def add_customer(
    name: Annotated[str, typer.Argument(help="Full legal name.")],
    alias: Annotated[Optional[str], typer.Option("--alias")] = None,
    industry: Annotated[Optional[str], typer.Option("--industry")] = None,
    tier: Annotated[Optional[str], typer.Option("--tier", help="A, B, C or D.")] = None,
    status: Annotated[Optional[str], typer.Option("--status", help="potential, intent, won or lost.")] = None,
    phone: Annotated[Optional[str], typer.Option("--phone")] = None,
    email: Annotated[Optional[str], typer.Option("--email")] = None,
    source: Annotated[Optional[str], typer.Option("--source")] = None,
    kind: Annotated[Optional[str], typer.Option("--kind", help="B2B or B2C.")] = None,
    tags: Annotated[Optional[str], typer.Option("--tags", help="Comma-separated.")] = None,
    notes: Annotated[Optional[str], typer.Option("--notes", help="Text, or - to read it from stdin.")] = None,
    next_: Annotated[
        Optional[str], typer.Option("--next", help="First follow-up date (+3d, fri, 2026-12-01).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
):
    """Add a customer."""
    import typer

    from tuicrm.store.customers import create_customer

    next_on = _parse_date(next_, allow_auto=False) if next_ else None
    fields = {
        k: v
        for k, v in dict(
            alias=alias,
            industry=industry,
            tier=tier,
            status=status,
            phone=phone,
            email=email,
            source=source,
            kind=kind,
            tags=tags,
            notes=_read_text_arg(notes),
        ).items()
        if v is not None
    }
    if next_on:
        fields["next_follow_up_on"] = next_on
    store = open_store()
    customer = _run_write(store, f"add customer {name}", lambda s: create_customer(s, name, **fields))
    if as_json:
        _print_json({"id": customer.id, "code": customer.code, "name": customer.name})
    else:
        typer.echo(f"Added {customer.code} {_plain(customer.name)}.")


def edit(
    customers: Annotated[
        list[str], typer.Argument(help="One or more customers: code, id, or part of the name.")
    ],
    name: Annotated[Optional[str], typer.Option("--name", help="New name (one customer only).")] = None,
    alias: Annotated[Optional[str], typer.Option("--alias")] = None,
    industry: Annotated[Optional[str], typer.Option("--industry")] = None,
    tier: Annotated[
        Optional[str], typer.Option("--tier", help="A, B, C or D (use assess to grade with scores).")
    ] = None,
    status: Annotated[Optional[str], typer.Option("--status", help="potential, intent, won or lost.")] = None,
    phone: Annotated[Optional[str], typer.Option("--phone")] = None,
    email: Annotated[Optional[str], typer.Option("--email")] = None,
    source: Annotated[Optional[str], typer.Option("--source")] = None,
    owner: Annotated[Optional[str], typer.Option("--owner")] = None,
    tags: Annotated[Optional[str], typer.Option("--tags", help="Replace the tags (comma-separated).")] = None,
    add_tag: Annotated[Optional[str], typer.Option("--add-tag", help="Add one tag, keep the others.")] = None,
    notes: Annotated[Optional[str], typer.Option("--notes", help="Text, or - to read it from stdin.")] = None,
):
    """Change fields of one customer, or of several at once (one change: one undo reverses it all)."""
    fields = {
        k: v
        for k, v in dict(
            name=name,
            alias=alias,
            industry=industry,
            tier=tier,
            status=status,
            phone=phone,
            email=email,
            source=source,
            owner=owner,
            tags=tags,
            notes=_read_text_arg(notes),
        ).items()
        if v is not None
    }
    if not fields and not add_tag:
        fail("say what to change, e.g. --tier A or --add-tag vip (see tuicrm edit --help).")
    if name is not None and len(customers) > 1:
        fail("--name changes one customer at a time.")
    store = open_store()
    from tuicrm.store.customers import update_customer

    def write(session):
        targets = []
        for ref in customers:
            target = _resolve(session, ref)
            if target.id not in {t.id for t in targets}:
                targets.append(target)
        for target in targets:
            changes = dict(fields)
            if add_tag:
                tags_now = [
                    t.strip() for t in (changes.get("tags", target.tags) or "").split(",") if t.strip()
                ]
                if add_tag.strip() and add_tag.strip() not in tags_now:
                    tags_now.append(add_tag.strip())
                changes["tags"] = ",".join(tags_now)
            update_customer(session, target, **changes)
        return targets

    label = f"edit {len(customers)} customers" if len(customers) > 1 else f"edit {customers[0]}"
    targets = _run_write(store, label, write)
    changed = ", ".join(sorted(set(fields) | ({"tags"} if add_tag else set())))
    if len(targets) == 1:
        _out(f"Changed {changed} of {targets[0].code} {_plain(targets[0].name)}.")
    else:
        _out(
            f"Changed {changed} of {len(targets)} customers: "
            + ", ".join(t.code for t in targets)
            + ". tuicrm undo reverses all of them."
        )


def add_contact(
    customer: Annotated[str, typer.Argument(help="Code, id, or part of the customer's name.")],
    name: Annotated[str, typer.Argument(help="The contact's name.")],
    title: Annotated[Optional[str], typer.Option("--title")] = None,
    role: Annotated[
        Optional[str],
        typer.Option("--role", help="decision-maker, influencer, user, technical-evaluator, other."),
    ] = None,
    phone: Annotated[Optional[str], typer.Option("--phone")] = None,
    mobile: Annotated[Optional[str], typer.Option("--mobile")] = None,
    email: Annotated[Optional[str], typer.Option("--email")] = None,
    primary: Annotated[bool, typer.Option("--primary", help="Make this the primary contact.")] = False,
):
    """Add a contact to a customer."""
    import typer

    from tuicrm.store.customers import create_contact

    fields = {
        k: v for k, v in dict(title=title, role=role, phone=phone, mobile=mobile, email=email).items() if v
    }
    if primary:
        fields["is_primary"] = True
    store = open_store()

    def write(session):
        target = _resolve(session, customer)
        return target, create_contact(session, target, name, **fields)

    target, contact = _run_write(store, f"add contact {name}", write)
    typer.echo(f"Added {_plain(contact.name)} to {target.code} {_plain(target.name)}.")


def log(
    customer: Annotated[str, typer.Argument(help="Code, id, or part of the customer's name.")],
    summary: Annotated[str, typer.Argument(help="What was discussed, or - to read it from stdin.")],
    channel: Annotated[
        str, typer.Option("--channel", help="phone, email, meeting, visit, video, im, demo, other.")
    ] = "phone",
    feedback: Annotated[Optional[str], typer.Option("--feedback", help="What the customer said.")] = None,
    attitude: Annotated[
        Optional[str], typer.Option("--attitude", help="positive, neutral, negative.")
    ] = None,
    next_: Annotated[
        str, typer.Option("--next", help="Next follow-up: +3d, fri, 2026-12-01, or auto (cadence).")
    ] = "auto",
    action: Annotated[Optional[str], typer.Option("--action", help="The next step.")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
):
    """Log a follow-up and set the next one."""
    import typer

    from tuicrm.store.followups import log_follow_up

    next_on = _parse_date(next_)
    summary = _read_text_arg(summary)
    store = open_store()

    def write(session):
        target = _resolve(session, customer)
        return target, log_follow_up(
            session,
            store.config,
            target,
            summary,
            channel=channel,
            feedback=feedback,
            attitude=attitude,
            next_on=next_on,
            next_action=action,
        )

    target, fu = _run_write(store, f"log follow-up for {customer}", write)
    if as_json:
        _print_json(
            {"id": fu.id, "customer": target.code, "next_on": fu.next_on.isoformat() if fu.next_on else None}
        )
        return
    when = f"next follow-up {fu.next_on.isoformat()}" if fu.next_on else "no next follow-up (lost customer)"
    typer.echo(f"Logged for {target.code} {_plain(target.name)}; {when}.")


def snooze(
    customer: Annotated[str, typer.Argument(help="Code, id, or part of the customer's name.")],
    date_: Annotated[str, typer.Argument(metavar="DATE", help="+1d, +3d, +1w, fri, 2026-12-01.")],
    reason: Annotated[Optional[str], typer.Option("--reason")] = None,
):
    """Move the pending follow-up to another date (the move is recorded)."""
    import typer

    from tuicrm.store.followups import snooze as snooze_fn

    to_on = _parse_date(date_, allow_auto=False)
    store = open_store()

    def write(session):
        target = _resolve(session, customer)
        return target, snooze_fn(session, target, to_on, reason)

    target, record = _run_write(store, f"snooze {customer}", write)
    was = record.from_on.isoformat() if record.from_on else "none"
    typer.echo(f"Moved {target.code} {_plain(target.name)} from {was} to {record.to_on.isoformat()}.")


def assess(
    customer: Annotated[str, typer.Argument(help="Code, id, or part of the customer's name.")],
    potential: Annotated[int, typer.Option("--potential", help="Purchase potential, 1-10.")],
    willingness: Annotated[int, typer.Option("--willingness", help="Willingness to cooperate, 1-10.")],
    basis: Annotated[Optional[str], typer.Option("--basis", help="Why.")] = None,
    strategy: Annotated[Optional[str], typer.Option("--strategy")] = None,
):
    """Grade a customer: potential + willingness gives the tier (A >= 15, B 10-14, C <= 9)."""
    import typer

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
        return target, assess_customer(
            session, store.config, target, potential, willingness, basis=basis, strategy=strategy
        )

    target, record = _run_write(store, f"assess {customer}", write)
    typer.echo(
        f"{target.code} {_plain(target.name)}: {record.potential}+{record.willingness}={record.total} → tier {record.tier}."
    )


def opp_add(
    customer: Annotated[str, typer.Argument(help="Code, id, or part of the customer's name.")],
    name: Annotated[str, typer.Argument(help="Opportunity name.")],
    amount: Annotated[str, typer.Option("--amount", help="Expected deal amount (>= 0).")],
    stage: Annotated[
        str, typer.Option("--stage", help="lead, need, proposal, negotiation, won, lost.")
    ] = "lead",
    close: Annotated[Optional[str], typer.Option("--close", help="Expected close date.")] = None,
    probability: Annotated[
        Optional[int], typer.Option("--probability", help="0-100; defaults from the stage.")
    ] = None,
):
    """Add an opportunity."""
    import typer

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
        return target, add_opportunity(
            session,
            store.config,
            target,
            name,
            value,
            stage=stage,
            expected_close_on=close_on,
            probability=probability,
        )

    target, opp = _run_write(store, f"add opportunity {name}", write)
    typer.echo(
        f"Added opportunity #{opp.id} {_plain(opp.name)} ({opp.stage}, {opp.amount} {store.config.currency}) for {target.code}."
    )


def opp_move(
    opportunity: Annotated[str, typer.Argument(help="Opportunity id or part of its name.")],
    stage: Annotated[str, typer.Argument(help="lead, need, proposal, negotiation, won, lost.")],
    reason: Annotated[Optional[str], typer.Option("--reason", help="Required when moving to lost.")] = None,
    note: Annotated[Optional[str], typer.Option("--note")] = None,
):
    """Move an opportunity to another stage (recorded; lost needs --reason)."""
    import typer

    from tuicrm.store.errors import Ambiguous, NotFound
    from tuicrm.store.pipeline import move_opportunity, resolve_opportunity

    store = open_store()

    def write(session):
        try:
            opp = resolve_opportunity(session, opportunity)
        except Ambiguous as exc:
            fail(f"{exc} Use its id: " + ", ".join(f"#{oid} {_plain(name)}" for oid, name in exc.candidates))
        except NotFound as exc:
            fail(str(exc), EXIT_NOT_FOUND)
        change = move_opportunity(session, store.config, opp, stage, reason=reason, note=note)
        return opp, change

    opp, change = _run_write(store, f"move opportunity {opportunity}", write)
    typer.echo(f"Moved #{opp.id} {_plain(opp.name)} from {change.from_stage} to {change.to_stage}.")


def undo(yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask; undo at once.")] = False):
    """Reverse the last change (shows it first)."""
    import typer

    from tuicrm.store import oplog

    store = open_store()
    with store.read() as session:
        op = oplog.last_operation(session)
        if op is None:
            typer.echo("Nothing to undo.")
            return
        lines = oplog.describe(session, op)
    typer.echo(
        f"Last change: {_plain(op.label)} ({op.at:%Y-%m-%d %H:%M} UTC). Undo will " + "; ".join(lines) + "."
    )
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


def backup(
    dest: Annotated[
        Optional[str], typer.Argument(help="Backup file (default: next to the database, dated).")
    ] = None,
):
    """Copy the database safely, even while the TUI is writing (SQLite online backup)."""
    from pathlib import Path

    import typer

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


def check():
    """Check the database's integrity and report problems in plain words."""
    from pathlib import Path

    import typer

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


# -- building the app (on first use) ------------------------------------------------------------

_APP_NAMES = ("app", "add_app", "opp_app")


def _build_app() -> None:
    """Make the Typer app, register the commands and the optional modules' commands."""
    from typing import Annotated, Optional

    import typer as typer_module

    # The commands' annotations are strings naming these; Typer evaluates them now.
    globals().update(typer=typer_module, Annotated=Annotated, Optional=Optional)
    typer = typer_module
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
    app.callback(invoke_without_command=True)(root)
    for command in (demo, due, find, show, edit, log, snooze, assess, undo, backup, check):
        app.command()(command)
    add_app.command("customer")(add_customer)
    add_app.command("contact")(add_contact)
    opp_app.command("add")(opp_add)
    opp_app.command("move")(opp_move)
    globals().update(app=app, add_app=add_app, opp_app=opp_app)
    _register_optional_commands()


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
        module.register(globals()["app"], sys.modules[__name__])


def __getattr__(name: str):
    """``tuicrm.cli.app`` (and ``add_app``, ``opp_app``) are built when first asked for."""
    if name in _APP_NAMES:
        _build_app()
        return globals()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def main() -> None:
    # Files we create (database, backups, exports) are private to the rep.
    os.umask(0o077)
    try:
        code = _fast(sys.argv[1:])
        if code is not None:
            sys.stdout.flush()
            sys.exit(code)
        __getattr__("app")()
    except KeyboardInterrupt:
        _err("tuicrm: interrupted; nothing half-written was kept.")
        sys.exit(130)
    except BrokenPipeError:
        # `tuicrm due | head`: the reader left; say nothing more.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(1)
    except Exception as exc:  # the last line of defence: one plain sentence, no traceback
        if type(exc).__name__ == "Exit" and isinstance(getattr(exc, "exit_code", None), int):
            sys.exit(exc.exit_code)  # fail() on the fast path, outside Typer: the message is out
        from tuicrm.db import DatabaseError

        if isinstance(exc, DatabaseError):
            _err(f"tuicrm: {exc}")
            sys.exit(EXIT_NOT_FOUND)
        _err(f"tuicrm: unexpected error ({type(exc).__name__}); nothing was saved by the failed step.")
        sys.exit(1)


if __name__ == "__main__":
    main()
