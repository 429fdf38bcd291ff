"""The command line's hot writes — ``log``, ``snooze``, ``assess``, ``add customer``, ``opp move`` —
each one call from its command.

Each runs one of ``tuicrm.store.lean.writes`` on a plain ``sqlite3`` connection in one
``BEGIN IMMEDIATE`` transaction (``tuicrm.store.lean.connect``): no SQLModel, no SQLAlchemy. Where
that connection cannot be had (a URL, a schema that needs migrating, a missing file) the same
function runs in the migrating ``Store.write()`` session instead. Rule violations leave with one
sentence (``fail``); a reference that matches several rows lists them.
"""

from __future__ import annotations

from dataclasses import dataclass

from tuicrm.cli.context import load_config, open_store, state
from tuicrm.cli.output import (
    EXIT_BAD_INPUT,
    EXIT_NOT_FOUND,
    ambiguous,
    error_line,
    fail,
    out,
    plain,
    print_json,
)
from tuicrm.i18n import _

TYPE_CHECKING = False
if TYPE_CHECKING:
    import sqlite3
    from collections.abc import Callable
    from datetime import date, datetime
    from typing import Any, TypeVar

    from tuicrm.config import Config
    from tuicrm.store.lean.undolog import UndoLog
    from tuicrm.store.lean.writes import Added, Assessed, Logged, Moved, Snoozed

    T = TypeVar("T")


@dataclass(frozen=True)
class Named:
    """The customer or opportunity a write touched, for the command's reply."""

    id: int
    code: str
    name: str


def run(label: str, write: Callable[[sqlite3.Connection, UndoLog, Config], T]) -> T:
    """``write(conn, undo_log, config)`` in one write transaction: lean when it can be, else the Store's."""
    from tuicrm.store.errors import CannotWrite, DatabaseBusy, StoreError
    from tuicrm.store.lean.connect import transaction, write_connection

    conn = write_connection(state.db)
    try:
        if conn is None:
            store = open_store()
            from tuicrm.store import oplog

            try:
                with store.write(label) as session:
                    return oplog.lean(session, lambda c, log: write(c, log, store.config))
            finally:
                store.dispose()  # no pooled connection left open behind the command
        config = load_config()
        with transaction(conn, label) as log:
            return write(conn, log, config)
    except (DatabaseBusy, CannotWrite) as exc:  # not the rep's input: busy, read-only, disk full
        fail(str(exc), EXIT_NOT_FOUND)
    except StoreError as exc:
        fail(str(exc))
    finally:
        if conn is not None:
            conn.close()


def customer(conn: sqlite3.Connection, ref: str) -> Named:
    """The live customer ``ref`` names; ambiguous exits 2 listing the candidates, not found exits 1."""
    from tuicrm.store.errors import Ambiguous, NotFound
    from tuicrm.store.lean.writes import customer_ref

    try:
        return Named(*customer_ref(conn, ref))
    except Ambiguous as exc:
        import typer

        ambiguous(str(exc), exc.candidates)
        raise typer.Exit(EXIT_BAD_INPUT) from None
    except NotFound as exc:
        fail(str(exc), EXIT_NOT_FOUND)


def parse_at(value: str) -> datetime:
    """``--at``: a local date and time the rep typed (``yesterday 15:00``), as stored (UTC)."""
    from datetime import UTC, datetime

    import pendulum

    from tuicrm import clock
    from tuicrm.domain.dates import DateInputError
    from tuicrm.domain.moments import parse_moment

    now = clock.now()
    try:
        moment = parse_moment(value, now.naive())
    except DateInputError as exc:
        fail(str(exc))
    local = pendulum.datetime(
        moment.year, moment.month, moment.day, moment.hour, moment.minute, tz=now.timezone
    ).in_timezone("UTC")
    return datetime(local.year, local.month, local.day, local.hour, local.minute, tzinfo=UTC)


def link_refs(
    conn: sqlite3.Connection, customer_id: int, contact: str | None, opp: str | None
) -> dict[str, int]:
    """``--contact`` / ``--opp`` as ids of this customer's contact and deal (ambiguous: exit 2
    listing them; none: exit 1)."""
    from tuicrm.store.errors import Ambiguous, NotFound
    from tuicrm.store.lean.followups import contact_of, opportunity_of

    links: dict[str, int] = {}
    for key, ref, find in (
        ("contact_id", contact, contact_of),
        ("opportunity_id", opp, opportunity_of),
    ):
        if ref is None:
            continue
        try:
            links[key] = find(conn, customer_id, ref)
        except Ambiguous as exc:
            ids = ", ".join(f"#{rid} {plain(name)}" for rid, name in exc.candidates)
            fail(_("{message} Use its id: {ids}").format(message=exc, ids=ids))
        except NotFound as exc:
            fail(str(exc), EXIT_NOT_FOUND)
    return links


def log(
    ref: str,
    summary: str,
    next_on: date | str | None,
    contact: str | None = None,
    opp: str | None = None,
    **fields: Any,
) -> tuple[Named, Logged]:
    from tuicrm.store.lean import writes

    def write(conn: sqlite3.Connection, undo: UndoLog, config: Config) -> tuple[Named, Logged]:
        target = customer(conn, ref)
        links = link_refs(conn, target.id, contact, opp)
        return target, writes.log_follow_up(
            conn,
            undo,
            config,
            target.id,
            summary,
            next_on=next_on,
            contact_id=links.get("contact_id"),
            opportunity_id=links.get("opportunity_id"),
            **fields,
        )

    return run(f"log follow-up for {ref}", write)


def log_command(
    customer: str,
    summary: str,
    channel: str = "phone",
    feedback: str | None = None,
    attitude: str | None = None,
    next_: str = "auto",
    action: str | None = None,
    at: str | None = None,
    contact: str | None = None,
    opp: str | None = None,
    goal: str | None = None,
    place: str | None = None,
    attendees: str | None = None,
    objection: str | None = None,
    outcome: str | None = None,
    as_json: bool = False,
    force: bool = False,
) -> None:
    """``tuicrm log``: the Typer command and the fast path (``tuicrm.cli.fastwrites``) both call this."""
    from tuicrm.cli.context import check_lengths, parse_date, read_text

    next_on = parse_date(next_)
    note = None
    if not isinstance(next_on, str):  # a date, not "auto" (the cadence's own working day)
        refuse_past(next_on, "--next", force)
        next_on, note = working_day(next_, next_on)
    when = parse_at(at) if at is not None else None
    text = read_text(summary)
    extra = {"goal": goal, "place": place, "attendees": attendees, "objection": objection}
    check_lengths(
        "followup",
        {"summary": text, "feedback": feedback, "next_action": action, **extra},
        {"summary": "SUMMARY", "next_action": "--action"},
    )
    target, fu = log(
        customer,
        text,
        next_on,
        contact,
        opp,
        channel=channel,
        feedback=feedback,
        attitude=attitude,
        next_action=action,
        at=when,
        outcome=outcome,
        **extra,
    )
    if as_json:
        print_json(
            {"id": fu.id, "customer": target.code, "next_on": fu.next_on.isoformat() if fu.next_on else None}
        )
        return
    if fu.next_on:
        when_text = _("next follow-up {date}").format(date=fu.next_on.isoformat())
    else:
        when_text = _("no next follow-up (lost customer)")
    out(
        _("Logged for {code} {name}; {when}.").format(
            code=target.code, name=plain(target.name), when=when_text
        )
    )
    if note:
        out(note)


def refuse_past(day: date, what: str, force: bool) -> None:
    """A follow-up date before today is refused (exit 2) unless ``--force``: a typo (``-1d`` for
    ``+1d``, last year's date) would otherwise file the customer as overdue without a word."""
    from tuicrm.cli.context import today

    if not force and day < today():
        fail(
            _(
                "{what} {day} is in the past; give a date from today on, or add --force to set it anyway."
            ).format(what=what, day=day.isoformat())
        )


def snooze_command(customer: str, date_: str, reason: str | None = None, force: bool = False) -> None:
    """``tuicrm snooze``: the Typer command and the fast path both call this."""
    from tuicrm.cli.context import check_lengths, parse_day

    day = parse_day(date_)
    refuse_past(day, "DATE", force)
    to_on, note = working_day(date_, day)
    check_lengths("snooze", {"reason": reason})
    target, record = snooze(customer, to_on, reason)
    was = record.from_on.isoformat() if record.from_on else _("none")
    out(
        _("Moved {code} {name} from {was} to {to}.").format(
            code=target.code, name=plain(target.name), was=was, to=record.to_on.isoformat()
        )
    )
    if note:
        out(note)


def working_day(text: str, day: date) -> tuple[date, str | None]:
    """``+1w`` moved to a working day; a date typed outright kept, with a note on a holiday."""
    from tuicrm.domain.workdays import settle

    return settle(text, day, load_config().workdays)


def snooze(ref: str, to_on: date, reason: str | None) -> tuple[Named, Snoozed]:
    from tuicrm.store.lean import writes

    def write(conn: sqlite3.Connection, undo: UndoLog, _config: Config) -> tuple[Named, Snoozed]:
        target = customer(conn, ref)
        return target, writes.snooze(conn, undo, target.id, to_on, reason)

    return run(f"snooze {ref}", write)


def assess(ref: str, potential: int, willingness: int, **fields: Any) -> tuple[Named, Assessed]:
    from tuicrm.store.lean import writes

    def write(conn: sqlite3.Connection, undo: UndoLog, config: Config) -> tuple[Named, Assessed]:
        target = customer(conn, ref)
        return target, writes.assess(conn, undo, config, target.id, potential, willingness, **fields)

    return run(f"assess {ref}", write)


def assess_command(
    customer: str, potential: int, willingness: int, basis: str | None = None, strategy: str | None = None
) -> None:
    """``tuicrm assess``: the Typer command and the fast path both call this."""
    from tuicrm.cli.context import check_lengths
    from tuicrm.domain.tiers import ScoreError, check_score

    check_lengths("tierassessment", {"basis": basis, "strategy": strategy})
    config = load_config()
    try:
        check_score("Potential", potential, config)
        check_score("Willingness", willingness, config)
    except ScoreError as exc:
        fail(str(exc))
    target, record = assess(customer, potential, willingness, basis=basis, strategy=strategy)
    out(
        _("{code} {name}: {potential}+{willingness}={total} → tier {tier}.").format(
            code=target.code,
            name=plain(target.name),
            potential=record.potential,
            willingness=record.willingness,
            total=record.total,
            tier=record.tier,
        )
    )


# The customer options of ``add customer`` and ``edit`` beyond the first few (parameter names, as
# in tuicrm.cli.commands.write and tuicrm.cli.fastwrites); dates and amounts are parsed here.
CUSTOMER_DATE_OPTIONS = {
    "renewal_on": "renewal_on",
    "purchase_by": "purchase_by",
    "first_contact": "first_contact_on",
}


def customer_fields(given: dict[str, str | None], labels: dict[str, str] | None = None) -> dict[str, object]:
    """The fields a rep gave (None: not given): ``--notes -`` read from stdin, dates parsed (an
    empty one clears the field), every text held to its limit; amounts are checked by the store."""
    from tuicrm.cli.context import check_lengths, parse_day, read_text

    fields: dict[str, object] = {}
    for option, value in given.items():
        if value is None:
            continue
        if option == "notes":
            value = read_text(value)
        if option in CUSTOMER_DATE_OPTIONS:
            fields[CUSTOMER_DATE_OPTIONS[option]] = parse_day(value) if value.strip() else None
        else:
            fields[option] = value
    names = {"name": "NAME", "first_contact_on": "--first-contact", **(labels or {})}
    check_lengths("customer", {k: v for k, v in fields.items() if isinstance(v, str)}, names)
    return fields


def add_customer_command(
    name: str,
    alias: str | None = None,
    industry: str | None = None,
    tier: str | None = None,
    status: str | None = None,
    phone: str | None = None,
    email: str | None = None,
    source: str | None = None,
    kind: str | None = None,
    tags: str | None = None,
    notes: str | None = None,
    next_: str | None = None,
    as_json: bool = False,
    force: bool = False,
    **more: str | None,
) -> None:
    """``tuicrm add customer``: the Typer command and the fast path both call this (``more``: the
    other customer options, by parameter name). Refused (exit 2) when a live customer has the
    same normalised name, phone or e-mail, unless ``force``. A ``--next`` in the past is taken
    (a follow-up promised before the customer was entered). Without ``--next`` the first
    follow-up comes from the cadence (``--next none`` leaves it empty)."""
    from tuicrm.cli.context import parse_day

    cleared = next_ is not None and next_.strip().lower() in ("", "none")
    next_on = parse_day(next_) if next_ and not cleared else None  # a past one: overdue from today
    given = dict(
        name=name,
        alias=alias,
        industry=industry,
        tier=tier,
        status=status,
        phone=phone,
        email=email,
        source=source,
        kind=kind,
        tags=tags,
        notes=notes,
        **more,
    )
    fields = customer_fields(given)
    del fields["name"]
    if not force:
        refuse_duplicate(name, phone, email)
    if next_on is None and not cleared:
        next_on = first_follow_up(fields)
    if next_on:
        fields["next_follow_up_on"] = next_on
    customer = add_customer(name, **fields)
    if as_json:
        print_json({"id": customer.id, "code": customer.code, "name": customer.name})
    else:
        out(_("Added {code} {name}.").format(code=customer.code, name=plain(customer.name)))
        if next_on:
            out(
                _("First follow-up {date} (the cadence; --next sets another).").format(
                    date=next_on.isoformat()
                )
            )


def first_follow_up(fields: dict[str, object]) -> date | None:
    """A new customer's first follow-up by the cadence (SPEC §4) from today, for its tier and
    status (the defaults when not given): so that it reaches the morning queue at all."""
    from tuicrm.cli.context import today
    from tuicrm.config import STATUSES, TIERS
    from tuicrm.domain.cadence import next_follow_up
    from tuicrm.store.lean.checks import check_choice

    config = load_config()
    try:
        status = check_choice(str(fields.get("status") or "potential"), STATUSES, "status")
        tier = check_choice(str(fields.get("tier") or "D"), TIERS, "tier").upper()
    except Exception:  # the write refuses a bad tier or status with its own sentence
        return None
    return next_follow_up(status, tier, today(), config)


def refuse_duplicate(name: str, phone: str | None, email: str | None) -> None:
    """Exit 2 listing the live customers with the same normalised name, phone or e-mail."""
    from tuicrm.cli import reads
    from tuicrm.cli.output import err

    found = reads.customers_like(state.db, open_store, name, phone, email)
    if not found:
        return
    err(
        error_line(
            _("'{name}' looks like a customer you have; add --force to add it anyway:").format(name=name)
        )
    )
    for ref, same in found:
        err(f"  {ref.code}  {plain(ref.name)}  ({reads.what_is_same(same)})")
    import typer

    raise typer.Exit(EXIT_BAD_INPUT)


def move_command(
    opportunity: str,
    stage: str,
    reason: str | None = None,
    note: str | None = None,
    default_probability: bool = False,
    detail: str | None = None,
) -> None:
    """``tuicrm opp move``: the Typer command and the fast path both call this."""
    from tuicrm.cli.context import check_lengths, impossible_id

    check_lengths("stagechange", {"note": note})
    check_lengths(
        "opportunity",
        {"lost_reason": reason, "lost_detail": detail},
        {"lost_reason": "--reason", "lost_detail": "--detail"},
    )
    if impossible_id(opportunity):
        fail(_("No opportunity matches '{ref}'.").format(ref=plain(opportunity.strip())), EXIT_NOT_FOUND)
    opp, change = move(opportunity, stage, reason, note, stage_default=default_probability, detail=detail)
    out(
        _("Moved #{id} {name} from {was} to {to}.").format(
            id=opp.id, name=plain(opp.name), was=change.from_stage, to=change.to_stage
        )
    )
    if change.to_stage == "won" and change.from_stage != "won":
        won_hint(int(opp.id))


def won_hint(opportunity_id: int) -> None:
    """After ``opp move X won``: the command that records what the customer now owes (issue #18;
    nothing is created here)."""
    from tuicrm.cli import reads
    from tuicrm.cli.context import open_store, state

    found = reads.won_deal_billing(state.db, open_store, opportunity_id)
    if found is not None:
        code, cents = found
        amount = f"{cents // 100}.{cents % 100:02d}"
        out(
            _(
                "Won: to record what {code} owes, run: tuicrm receivable add {code} {amount} --opp {id}"
            ).format(code=code, amount=amount, id=opportunity_id)
        )


def add_customer(name: str, **fields: Any) -> Added:
    from tuicrm.store.lean import writes

    return run(
        f"add customer {name}", lambda conn, undo, _config: writes.create_customer(conn, undo, name, **fields)
    )


def move(
    ref: str,
    stage: str,
    reason: str | None,
    note: str | None,
    *,
    stage_default: bool = False,
    detail: str | None = None,
) -> tuple[Named, Moved]:
    from tuicrm.store.errors import Ambiguous, NotFound
    from tuicrm.store.lean import writes

    def write(conn: sqlite3.Connection, undo: UndoLog, config: Config) -> tuple[Named, Moved]:
        try:
            opp_id = writes.opportunity_id(conn, ref)
        except Ambiguous as exc:
            import typer

            ambiguous(str(exc), [(f"#{oid}", name) for oid, name in exc.candidates])
            raise typer.Exit(EXIT_BAD_INPUT) from None
        except NotFound as exc:
            fail(str(exc), EXIT_NOT_FOUND)
        change = writes.move_opportunity(
            conn,
            undo,
            config,
            opp_id,
            stage,
            reason=reason,
            note=note,
            stage_default=stage_default,
            detail=detail,
        )
        return Named(opp_id, str(opp_id), change.name), change

    return run(f"move opportunity {ref}", write)
