"""``tuicrm activity``: add, list, edit, start, done, cancel, move; and ``tuicrm agenda``."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any, NoReturn, TypeVar

import typer

from tuicrm.cli import reads
from tuicrm.cli.agendaview import activity_dict as _to_dict
from tuicrm.cli.agendaview import activity_lines as _lines
from tuicrm.cli.context import open_store, parse_date, resolve, run_write
from tuicrm.cli.output import EXIT_BAD_INPUT, EXIT_NOT_FOUND, ambiguous, fail, out, plain, print_json
from tuicrm.i18n import _

T = TypeVar("T")

Json = Annotated[bool, typer.Option("--json", help=_("Print JSON."))]
Code = Annotated[str, typer.Argument(help=_("The activity's code (A000001)."))]
At = Annotated[
    str | None,
    typer.Option(
        "--at", help=_("Planned start: tomorrow 10:00, fri 14:30, 2026-12-09 09:00, 14:30 (today).")
    ),
]
Until = Annotated[str | None, typer.Option("--until", help=_("Planned end (a time, or a date and time)."))]
Kind = Annotated[str | None, typer.Option("--kind", help=_("visit, call, email, demo, technical, other."))]
Place = Annotated[str | None, typer.Option("--place", help=_("Where (活动地点)."))]
Goal = Annotated[str | None, typer.Option("--goal", help=_("What it should achieve (活动目标)."))]
Content = Annotated[str | None, typer.Option("--content", help=_("What it covers (活动内容)."))]
ContactRef = Annotated[str | None, typer.Option("--contact", help=_("The customer's contact: id or name."))]
OppRef = Annotated[str | None, typer.Option("--opp", help=_("The opportunity: id or part of its name."))]
Attendees = Annotated[str | None, typer.Option("--attendees", help=_("Who takes part (参与人员)."))]
Resources = Annotated[str | None, typer.Option("--resources", help=_("What it needs (所需资源)."))]
Budget = Annotated[str | None, typer.Option("--budget", help=_("Budget (预算)."))]
Owner = Annotated[str | None, typer.Option("--owner", help=_("Who is responsible (负责人)."))]

TEXTS = ("place", "goal", "content", "attendees", "resources", "owner")


def _now() -> datetime:
    from tuicrm.clock import now

    n = now()
    return datetime(n.year, n.month, n.day, n.hour, n.minute)


def _when(text: str, option: str, config: Any, base: datetime | None = None) -> datetime:
    """``--at``/``--until`` as a local datetime; a bare ``HH:MM`` for ``--until`` is on the start's day."""
    from tuicrm.domain.agenda import parse_when
    from tuicrm.domain.dates import DateInputError

    now = _now()
    try:
        if base is not None and ":" in text and " " not in text.strip() and "-" not in text:
            clock = parse_when(text, now, config.agenda).time()
            return datetime.combine(base.date(), clock)
        return parse_when(text, now, config.agenda)
    except DateInputError as exc:
        fail(f"{option}: {exc}")


def _read(fn: Callable[[sqlite3.Connection], T]) -> T:
    store = open_store()
    try:
        with store.reading() as conn:
            return fn(conn)
    finally:
        store.dispose()


def _refuse(exc: reads.Ambiguous) -> NoReturn:
    ambiguous(str(exc), [(f"#{i}", name) for i, name in exc.candidates])
    raise typer.Exit(EXIT_BAD_INPUT)


def _conn(session: Any) -> sqlite3.Connection:
    from tuicrm.store import dbapi

    return dbapi(session)


def _links(
    conn: sqlite3.Connection, customer_id: int, contact: str | None, opp: str | None
) -> dict[str, Any]:
    links: dict[str, Any] = {}
    try:
        if contact is not None:
            links["contact_id"] = (
                reads.decision_maker_ref(conn, customer_id, contact) if contact.strip() else None
            )
        if opp is not None:
            links["opportunity_id"] = reads.opportunity_ref(conn, opp) if opp.strip() else None
    except reads.Ambiguous as exc:
        _refuse(exc)
    except reads.NotFound as exc:
        fail(str(exc), EXIT_NOT_FOUND)
    return links


def _activity_id(conn: sqlite3.Connection, ref: str) -> int:
    try:
        return reads.activity_id(conn, ref)
    except reads.NotFound as exc:
        fail(str(exc), EXIT_NOT_FOUND)


def _texts(**given: str | None) -> dict[str, Any]:
    return {k: v for k, v in given.items() if v is not None}


def activity_add(
    customer: Annotated[str, typer.Argument(help=_("Code, id, or part of the customer's name."))],
    name: Annotated[str, typer.Argument(help=_("What the activity is called (活动名称)."))],
    kind: Kind = "visit",
    at: At = None,
    until: Until = None,
    place: Place = None,
    goal: Goal = None,
    content: Content = None,
    contact: ContactRef = None,
    opp: OppRef = None,
    attendees: Attendees = None,
    resources: Resources = None,
    budget: Budget = None,
    owner: Owner = None,
    as_json: Json = False,
) -> None:
    """Plan an activity (code A000001…); --at is required."""
    from tuicrm.store.activities import add_activity

    if at is None:
        fail(_("Say when: --at (for example --at 'tomorrow 10:00')."))
    store = open_store()
    start = _when(at, "--at", store.config)
    fields = _texts(
        place=place, goal=goal, content=content, attendees=attendees, resources=resources, owner=owner
    )
    if until is not None:
        fields["planned_end"] = _when(until, "--until", store.config, base=start)
    if budget is not None:
        fields["budget"] = budget

    def write(session: Any) -> dict[str, Any]:
        target = resolve(session, customer)
        fields.update(_links(_conn(session), int(target.id), contact, opp))
        row = add_activity(session, target, name, kind=kind or "visit", planned_start=start, **fields)
        return {"id": row.id, "code": row.code, "customer": str(target.code), "name": row.name}

    added = run_write(store, f"add activity {name}", write)
    if as_json:
        print_json(_read(lambda conn: _to_dict(_one(conn, int(added["id"])))))
        return
    out(
        _("Planned {code} {name} for {customer} at {at}.").format(
            code=added["code"],
            name=plain(added["name"]),
            customer=added["customer"],
            at=f"{start:%Y-%m-%d %H:%M}",
        )
    )


def _one(conn: sqlite3.Connection, activity_id: int) -> Any:
    row = reads.activity(conn, activity_id)
    assert row is not None
    return row


def activity_list(
    status: Annotated[
        str | None, typer.Option("--status", help=_("planned, in-progress, done or cancelled."))
    ] = None,
    customer: Annotated[
        str | None, typer.Option("--customer", help=_("Code, id, or part of the customer's name."))
    ] = None,
    as_json: Json = False,
) -> None:
    """Activities by planned start."""
    from tuicrm.domain.agenda import ActivityError, check_status

    if status is not None:
        try:
            status = check_status(status)
        except ActivityError as exc:
            fail(str(exc))

    def read(conn: sqlite3.Connection) -> list[Any]:
        customer_id = None
        if customer is not None:
            try:
                customer_id = reads.customer_id_of(conn, customer)
            except reads.Ambiguous as exc:
                ambiguous(str(exc), exc.candidates)
                raise typer.Exit(EXIT_BAD_INPUT) from None
            except reads.NotFound as exc:
                fail(str(exc), EXIT_NOT_FOUND)
        return reads.activity_list(conn, status=status, customer_id=customer_id)

    found = _read(read)
    now = _now()
    if as_json:
        print_json([_to_dict(r, now=now) for r in found])
        return
    if not found:
        out(_("No activities."))
        return
    for line in _lines(found, now, {}):
        out(line)


def activity_edit(
    code: Code,
    name: Annotated[str | None, typer.Option("--name", help=_("New name."))] = None,
    kind: Kind = None,
    at: At = None,
    until: Until = None,
    place: Place = None,
    goal: Goal = None,
    content: Content = None,
    contact: ContactRef = None,
    opp: OppRef = None,
    attendees: Attendees = None,
    resources: Resources = None,
    budget: Budget = None,
    owner: Owner = None,
    next_action: Annotated[
        str | None, typer.Option("--next-action", help=_("Next action (后续行动)."))
    ] = None,
) -> None:
    """Change only the fields given ('' clears a text), in one undoable write."""
    from tuicrm.store.activities import edit_activity

    store = open_store()
    changes: dict[str, Any] = _texts(
        name=name,
        kind=kind,
        place=place,
        goal=goal,
        content=content,
        attendees=attendees,
        resources=resources,
        owner=owner,
        next_action=next_action,
    )
    if budget is not None:
        changes["budget"] = budget
    if at is not None:
        changes["planned_start"] = _when(at, "--at", store.config)
    if until is not None:
        base = changes.get("planned_start")
        changes["planned_end"] = _when(until, "--until", store.config, base=base) if until.strip() else None
    if not changes and contact is None and opp is None:
        fail(_("Say what to change: give at least one option (see --help)."))

    def write(session: Any) -> tuple[str, list[str]]:
        from tuicrm.models import Activity

        row_id = _activity_id(_conn(session), code)
        row = session.get(Activity, row_id)
        if "planned_end" in changes and changes["planned_end"] is not None and "planned_start" not in changes:
            if until is not None and ":" in until and " " not in until.strip():
                start = reads.activity_start(_conn(session), row_id)
                assert start is not None
                changes["planned_end"] = datetime.combine(start.date(), changes["planned_end"].time())
        changes.update(_links(_conn(session), int(row.customer_id), contact, opp))
        written = edit_activity(session, row_id, changes)
        return str(row.code), sorted(written)

    row_code, written = run_write(store, f"edit activity {code}", write)
    if written:
        out(_("Saved {code}: {fields}.").format(code=row_code, fields=", ".join(written)))
    else:
        out(_("Nothing changed in {code}.").format(code=row_code))


def _transition(code: str, label: str, fn: Callable[[Any, Any, Any], Any]) -> Any:
    from tuicrm.models import Activity

    store = open_store()

    def write(session: Any) -> Any:
        row = session.get(Activity, _activity_id(_conn(session), code))
        fn(session, store.config, row)
        return row.code, row.name

    return run_write(store, f"{label} {code}", write)


def activity_start(code: Code) -> None:
    """In progress from now."""
    from tuicrm.store.activities import start_activity

    row_code, name = _transition(code, "start activity", lambda s, _c, row: start_activity(s, row))
    out(_("Started {code} {name}.").format(code=row_code, name=plain(name)))


def activity_done(
    code: Code,
    result: Annotated[str, typer.Option("--result", help=_("How it went (活动结果); '-' reads stdin."))],
    log: Annotated[
        bool,
        typer.Option("--log", help=_("Also log it as a follow-up with the customer (one undo).")),
    ] = False,
    next_on: Annotated[
        str | None,
        typer.Option(
            "--next", help=_("The customer's next follow-up date (implies --log; default: cadence).")
        ),
    ] = None,
    next_action: Annotated[
        str | None,
        typer.Option("--next-action", help=_("What to do next (后续行动).")),
    ] = None,
    summary: Annotated[
        str | None,
        typer.Option("--summary", help=_("The follow-up's summary (default: the result).")),
    ] = None,
) -> None:
    """Done, with its result; --log also logs a follow-up and sets the next step, in one write."""
    from tuicrm.cli.context import read_text
    from tuicrm.domain.dates import AUTO
    from tuicrm.store.activities import finish_activity

    text = read_text(result)
    next_day: Any = AUTO
    if next_on is not None:
        next_day = parse_date(next_on)
    logs = log or next_on is not None or summary is not None

    def finish(session: Any, config: Any, row: Any) -> Any:
        return finish_activity(
            session, config, row, text, log=logs, summary=summary, next_on=next_day, next_action=next_action
        )

    row_code, name = _transition(code, "done activity", finish)
    message = _("Done: {code} {name}.").format(code=row_code, name=plain(name))
    if logs:
        message += " " + _("Logged as a follow-up.")
    out(message)


def activity_cancel(code: Code) -> None:
    """Cancelled (undo brings it back)."""
    from tuicrm.store.activities import cancel_activity

    row_code, name = _transition(code, "cancel activity", lambda s, _c, row: cancel_activity(s, row))
    out(_("Cancelled {code} {name}.").format(code=row_code, name=plain(name)))


def activity_move(code: Code, at: At = None, until: Until = None) -> None:
    """To another time; its length is kept unless --until says otherwise."""
    from tuicrm.store.activities import move_activity

    if at is None:
        fail(_("Say when: --at (for example --at 'fri 14:00')."))
    store = open_store()
    start = _when(at, "--at", store.config)
    end = _when(until, "--until", store.config, base=start) if until else None
    row_code, name = _transition(code, "move activity", lambda s, _c, row: move_activity(s, row, start, end))
    out(
        _("Moved {code} {name} to {at}.").format(
            code=row_code, name=plain(name), at=f"{start:%Y-%m-%d %H:%M}"
        )
    )


def agenda(
    week: Annotated[bool, typer.Option("--week", help=_("Today and the rest of this week."))] = False,
    later: Annotated[bool, typer.Option("--all", help=_("Everything planned from today on."))] = False,
    as_json: Json = False,
) -> None:
    """Today's activities (and planned ones overdue); --week to Sunday; --all from today on."""
    from tuicrm.cli.agendaview import agenda_output

    agenda_output(week=week, later=later, as_json=as_json)


__all__ = [
    "activity_add",
    "activity_cancel",
    "activity_done",
    "activity_edit",
    "activity_list",
    "activity_move",
    "activity_start",
    "agenda",
]
