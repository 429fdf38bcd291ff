"""Every read the command line makes, in one place: the query layer, on the lean or the store's connection.

The read commands (``due``, ``find``, ``show``) and the TUI's first paint run ``tuicrm.query`` on a
standard-library sqlite3 connection (``query.connect``) when the database is a current SQLite file;
otherwise, or when that read fails, the same query functions run on the migrating Store's connection
(``Store.reading()``). The other commands' reads (references, undo's description, reports) go
through the functions named here.

Light at import: the query modules, the store and SQLModel load inside the functions.
"""

from __future__ import annotations

import sqlite3

# One error family with the query layer and the store: a reference resolved by either is caught alike.
from tuicrm.query.errors import Ambiguous as Ambiguous
from tuicrm.query.errors import NotFound as NotFound

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import date, datetime
    from typing import Any, TypeVar

    from tuicrm.config import Config

    T = TypeVar("T")


def today() -> date:
    """Today for the rep (``TUICRM_NOW`` pins it); ValueError for a bad pin."""
    from tuicrm.query.connect import today as lean_today

    return lean_today()


def fast_target(db: str | None) -> str | None:
    """The ``--db`` target when it is a current SQLite file the fast path can read, else None."""
    from tuicrm.query.connect import connect, resolve_target

    target = resolve_target(db)
    conn = connect(target)
    if conn is None:
        return None
    conn.close()
    return target


def _via_lean(db: str | None, fn: Callable[[sqlite3.Connection], T]) -> T | None:
    """``fn(conn)`` on a fast read-only connection, or None when the Store must answer."""
    from tuicrm.query.connect import connect, resolve_target

    conn = connect(resolve_target(db))
    if conn is None:
        return None
    try:
        conn.execute("BEGIN")  # one snapshot: the counts and the list agree even while the TUI writes
        return fn(conn)
    except sqlite3.Error:
        return None
    finally:
        conn.close()  # ends the read transaction


def _read(db: str | None, open_store: Callable[[], Any], fn: Callable[[sqlite3.Connection], T]) -> T:
    """``fn(conn)`` on the lean connection, else on the migrating store's (one snapshot either way)."""
    data = _via_lean(db, fn)
    if data is not None:
        return data
    store = open_store()
    try:
        with store.reading() as conn:
            return fn(conn)
    finally:
        store.dispose()


read_lean_or_store = _read


def due_list(
    db: str | None,
    open_store: Callable[[], Any],
    load_config: Callable[[], Config],
    today: date,
    days: int,
    shown: int | None,
    kind: str | None = None,
) -> Any:
    """The morning queue (``tuicrm.query.queue.Queue``): items (all when ``shown`` is None) and
    true counts of every kind (or of ``kind``), on the lean connection or the store's."""

    def read(conn: sqlite3.Connection) -> Any:
        from tuicrm.query.queue import default_now, queue

        now, day_end = default_now(today)
        return queue(conn, load_config(), today, now, day_end, days, shown, kind)

    return _read(db, open_store, read)


def due_counts(
    db: str | None,
    open_store: Callable[[], Any],
    load_config: Callable[[], Config],
    today: date,
    days: int,
    kind: str | None = None,
) -> tuple[int, int]:
    """(overdue, due today) of the morning queue (``tuicrm.query.queue.queue_counts``): ``due --count``."""

    def read(conn: sqlite3.Connection) -> tuple[int, int]:
        from tuicrm.query.queue import default_now, queue_counts

        now, day_end = default_now(today)
        return queue_counts(conn, load_config(), today, now, day_end, days, kind)

    return _read(db, open_store, read)


def customer_completions(db: str | None, prefix: str) -> list[tuple[str, str]]:
    """(code, name) of the customers a shell completion offers for ``prefix``
    (``tuicrm.query.completion``), on the lean connection only: none when it cannot be had."""

    def read(conn: sqlite3.Connection) -> list[tuple[str, str]]:
        from tuicrm.query.completion import customer_completions as starting_with

        return starting_with(conn, prefix)

    return _via_lean(db, read) or []


def local_minute_now(today: date) -> datetime:
    """Now as a naive local datetime to the minute, as the agenda's rules compare it."""
    from tuicrm.query.values import local_naive

    return local_naive(queue_now(today)).replace(second=0, microsecond=0)


def queue_now(today: date) -> Any:
    """Now (aware UTC) as the queue reads it (``TUICRM_NOW`` pins it)."""
    from tuicrm.query.queue import default_now

    return default_now(today)[0]


def lead_rows(
    db: str | None, open_store: Callable[[], Any], score_class: str | None, status: str | None
) -> list[Any]:
    """``lead list``: leads by class, the nearest deadline first (``tuicrm.query.leads.lead_list``)."""

    def read(conn: sqlite3.Connection) -> list[Any]:
        from tuicrm.query.leads import lead_list

        return lead_list(conn, score_class=score_class, status=status)

    return _read(db, open_store, read)


def find_rows(db: str | None, open_store: Callable[[], Any], query: str, limit: int) -> list[Any]:
    """Customers matching ``query``."""

    def read(conn: sqlite3.Connection) -> list[Any]:
        from tuicrm.query.customers import find

        return list(find(conn, query, limit))

    return _read(db, open_store, read)


def find_everywhere(db: str | None, open_store: Callable[[], Any], query: str, limit: int) -> list[Any]:
    """``find --all``: customers matching ``query`` by name first, then in their notes,
    follow-ups and opportunities (``tuicrm.query.search_all``)."""

    def read(conn: sqlite3.Connection) -> list[Any]:
        from tuicrm.query.search_all import find_everywhere as everywhere

        return everywhere(conn, query, limit)

    return _read(db, open_store, read)


def saved_filter_rows(
    db: str | None, open_store: Callable[[], Any], name: str, limit: int, today: date
) -> tuple[Any, list[Any]]:
    """(the saved filter called ``name``, the customers it keeps) in one snapshot; NotFound for
    a name no saved filter has (``tuicrm.query.saved_filters``)."""

    def read(conn: sqlite3.Connection) -> tuple[Any, list[Any]]:
        from tuicrm.query.customers import page
        from tuicrm.query.saved_filters import saved_filter

        saved = saved_filter(conn, name)
        return saved, page(conn, saved.customer_filter(today), limit=limit, sort="name")

    return _read(db, open_store, read)


def saved_filter_list(db: str | None, open_store: Callable[[], Any], today: date) -> list[tuple[Any, str]]:
    """(saved filter, what it keeps in words) for each saved filter of the customer list
    (``tuicrm.query.saved_filters``)."""

    def read(conn: sqlite3.Connection) -> list[tuple[Any, str]]:
        from tuicrm.query.saved_filters import describe, saved_filters

        return [(r, describe(r.customer_filter(today), today)) for r in saved_filters(conn)]

    return _read(db, open_store, read)


def card(
    db: str | None, open_store: Callable[[], Any], ref: str, today: date, reveal: bool
) -> dict[str, Any]:
    """The ``show`` card as a dict (the ``--json`` shape); NotFound / Ambiguous for a bad ``ref``."""

    def read(conn: sqlite3.Connection) -> dict[str, Any]:
        from tuicrm.query.cards import card, card_to_dict
        from tuicrm.query.customers import resolve

        customer_id = resolve(conn, ref)
        data = dict(card_to_dict(card(conn, customer_id, today, as_json=True), reveal=reveal))
        data["open_complaints"] = open_complaints(conn, customer_id)
        data.update(_ledger(conn, customer_id, today))
        return data

    return _read(db, open_store, read)


def open_complaints(conn: sqlite3.Connection, customer_id: int) -> list[dict[str, Any]]:
    """A customer's open complaints on its card (issue #18), the nearest deadline first."""
    from tuicrm.query.complaints import open_for_customer

    return [
        {
            "id": r.id,
            "code": r.code,
            "severity": r.severity,
            "status": r.status,
            "deadline_at": None if r.deadline_at is None else r.deadline_at.isoformat(timespec="minutes"),
            "content": r.content,
        }
        for r in open_for_customer(conn, customer_id)
    ]


def _ledger(conn: sqlite3.Connection, customer_id: int, today: date) -> dict[str, Any]:
    """``{"receivables": {...}}`` for a customer with receivables or payments (the card's
    received / outstanding / credit / collection rating), else nothing (nothing imported)."""
    has = conn.execute(
        "SELECT 1 FROM receivable WHERE customer_id = ? AND archived_at IS NULL "
        "UNION ALL SELECT 1 FROM payment WHERE customer_id = ? AND archived_at IS NULL LIMIT 1",
        (customer_id, customer_id),
    ).fetchone()
    if not has:
        return {}
    from tuicrm.cli.context import load_config
    from tuicrm.query.receivables import customer_ledger

    lg = customer_ledger(conn, customer_id, today, load_config())
    return {
        "receivables": {
            "amount": f"{lg.amount:.2f}",
            "received": f"{lg.received:.2f}",
            "outstanding": f"{lg.outstanding:.2f}",
            "overdue": f"{lg.overdue:.2f}",
            "credit": f"{lg.credit:.2f}",
            "rating": lg.rating,
        }
    }


def receivable_rows(
    conn: sqlite3.Connection, today: date, *, overdue: bool = False, customer_id: int | None = None
) -> list[Any]:
    from tuicrm.query.receivables import receivable_list

    return receivable_list(conn, today, overdue=overdue, customer_id=customer_id)


def receivable_by_code(conn: sqlite3.Connection, code: str, today: date) -> Any:
    from tuicrm.query.receivables import receivable_by_code as by_code

    return by_code(conn, code, today)


def receivables_report(
    conn: sqlite3.Connection, today: date, config: Config, *, owing_only: bool = False
) -> Any:
    """``report receivables``: every customer's figures, grouped in SQL (``query.reports_money``)."""
    from tuicrm.query.reports_money import receivables_report as read

    return read(conn, today, config, owing_only=owing_only)


def receivables_json_source(conn: sqlite3.Connection, today: date, config: Config) -> Any:
    """``report receivables --json``'s rows (``query.reports_money.receivables_json_source``), or
    the report itself when they are not for that way."""
    from tuicrm.query.reports_money import receivables_json_source, receivables_report

    return receivables_json_source(conn, today, config) or receivables_report(conn, today, config)


def won_deal_billing(
    db: str | None, open_store: Callable[[], Any], opportunity_id: int
) -> tuple[str, int] | None:
    """(customer code, amount in cents) of a won deal that has no receivable yet, else None."""

    def read(conn: sqlite3.Connection) -> tuple[str, int] | None:
        row = conn.execute(
            "SELECT c.code, o.amount FROM opportunity o JOIN customer c ON c.id = o.customer_id "
            "WHERE o.id = ? AND o.stage = 'won' AND o.amount > 0 AND NOT EXISTS (SELECT 1 FROM receivable r "
            "WHERE r.opportunity_id = o.id AND r.archived_at IS NULL)",
            (opportunity_id,),
        ).fetchone()
        return None if row is None else (str(row[0]), int(row[1]))

    found = _read(db, open_store, lambda conn: read(conn) or ("", 0))
    return found if found[0] else None


def contact_list(
    db: str | None, open_store: Callable[[], Any], ref: str, reveal: bool
) -> tuple[str, str, list[dict[str, Any]]]:
    """(code, name, contacts as ``contact list --json`` shows them) of the customer ``ref`` names."""

    def read(conn: sqlite3.Connection) -> tuple[str, str, list[dict[str, Any]]]:
        from tuicrm.query.cards import contacts_of, record_to_dict
        from tuicrm.query.customers import resolve

        customer_id = resolve(conn, ref)
        code, name = conn.execute("SELECT code, name FROM customer WHERE id = ?", (customer_id,)).fetchone()
        rows = contacts_of(conn, customer_id, as_json=True)
        return str(code), str(name), [record_to_dict(r, reveal=reveal) for r in rows]

    return _read(db, open_store, read)


def follow_up_list(
    db: str | None, open_store: Callable[[], Any], ref: str
) -> tuple[tuple[int, str, str], list[dict[str, Any]], list[Any]]:
    """``followup list``: ((id, code, name) of the customer, the ``--json`` items, the entries),
    newest first; NotFound / Ambiguous for a bad ``ref``."""

    def read(conn: sqlite3.Connection) -> tuple[tuple[int, str, str], list[dict[str, Any]], list[Any]]:
        from tuicrm.query.customers import resolve
        from tuicrm.query.followups import entry_to_dict, follow_ups_of

        customer_id = resolve(conn, ref)
        code, name = conn.execute("SELECT code, name FROM customer WHERE id = ?", (customer_id,)).fetchone()
        entries = follow_ups_of(conn, customer_id)
        return (customer_id, str(code), str(name)), [entry_to_dict(e) for e in entries], entries

    return _read(db, open_store, read)


def duplicate_pairs(db: str | None, open_store: Callable[[], Any]) -> list[Any]:
    """``tuicrm dupes``: the possible duplicates (``tuicrm.query.dupes``)."""
    from tuicrm.query.dupes import possible_duplicates

    return _read(db, open_store, possible_duplicates)


def resolve_customer(session: Any, ref: str) -> Any:
    """The Customer ``ref`` names (code, id, name fragment) in ``session``; NotFound / Ambiguous."""
    from tuicrm.store.customers import resolve_customer as resolve

    return resolve(session, ref)


def resolve_opportunity(session: Any, ref: str) -> Any:
    """The Opportunity ``ref`` names (id or name fragment); candidates are (id, name)."""
    from tuicrm.store.pipeline import resolve_opportunity as resolve

    return resolve(session, ref)


def customer_count(session: Any) -> int:
    from sqlmodel import func, select

    from tuicrm.models import Customer

    return int(session.exec(select(func.count()).select_from(Customer)).one())


def last_operation(session: Any) -> Any:
    """The newest change not undone yet, or None."""
    from tuicrm.store import oplog

    return oplog.last_operation(session)


def describe_operation(session: Any, op: Any) -> list[str]:
    from tuicrm.store import oplog

    return list(oplog.describe(session, op))


def local_days() -> Any:
    """The local date of a stored UTC time in the reports' zone (``domain.reports.LocalDays``)."""
    from tuicrm.domain.reports import LocalDays
    from tuicrm.query.reports_sql import local_tz

    return LocalDays(local_tz())


def report(name: str, conn: sqlite3.Connection, config: Config, **kwargs: Any) -> Any:
    """One of the report queries (``tuicrm.query.reports``): weekly, funnel, forecast, value (and
    value_summary, what its table shows), lost."""
    if name in ("value_summary", "value_json_source"):  # imported for the value report only
        from tuicrm.query import reports_value

        fn: Callable[..., Any] = getattr(reports_value, name)
    else:
        from tuicrm.query import reports as queries

        by_name: dict[str, Callable[..., Any]] = {
            "weekly": queries.weekly,
            "funnel": queries.funnel,
            "forecast": queries.forecast,
            "value": queries.value,
            "lost": queries.lost,
        }
        fn = by_name[name]
    return fn(conn, config, **kwargs)


def opportunity_ref(conn: sqlite3.Connection, ref: str, *, archived: bool = False) -> int:
    """The opportunity ``ref`` names (``tuicrm.query.pipeline.opportunity_ref``)."""
    from tuicrm.query.pipeline import opportunity_ref as find

    return find(conn, ref, archived=archived)


def decision_maker_ref(conn: sqlite3.Connection, customer_id: int, ref: str) -> int:
    from tuicrm.query.pipeline import decision_maker_ref as find

    return find(conn, customer_id, ref)


def customer_id_of(conn: sqlite3.Connection, ref: str) -> int:
    from tuicrm.query.customers import resolve

    return resolve(conn, ref)


def opportunity_list(
    conn: sqlite3.Connection, today: date, *, stage: str | None, customer_id: int | None
) -> list[Any]:
    from tuicrm.query.pipeline import opportunity_list as rows

    return rows(conn, today, stage=stage, customer_id=customer_id)


def opportunity_detail(conn: sqlite3.Connection, opportunity_id: int, today: date) -> Any:
    from tuicrm.query.pipeline import opportunity_detail as detail

    return detail(conn, opportunity_id, today)


def activity_id(conn: sqlite3.Connection, ref: str) -> int:
    """The activity a code names (``tuicrm.query.activities.activity_id``)."""
    from tuicrm.query.activities import activity_id as find

    return find(conn, ref)


def activity(conn: sqlite3.Connection, activity_id: int) -> Any:
    from tuicrm.query.activities import activity as one

    return one(conn, activity_id)


def activity_list(conn: sqlite3.Connection, *, status: str | None, customer_id: int | None) -> list[Any]:
    from tuicrm.query.activities import activity_list as rows

    return rows(conn, status=status, customer_id=customer_id)


def agenda(conn: sqlite3.Connection, now: datetime, until: date | None) -> list[Any]:
    from tuicrm.query.activities import agenda as window

    return window(conn, now, until)


def activity_start(conn: sqlite3.Connection, activity_id: int) -> datetime | None:
    """The local planned start of an activity (``--until HH:MM`` is on its day)."""
    from tuicrm.query.activities import activity as one

    row = one(conn, activity_id)
    return None if row is None else row.start


# Complaints (issue #18): the complaint commands read through here like every other command.
def complaint_id(conn: sqlite3.Connection, ref: str) -> int | None:
    from tuicrm.query.complaints import complaint_id as find

    return find(conn, ref)


def complaint_with_steps(conn: sqlite3.Connection, complaint_id: int) -> tuple[Any, list[Any]]:
    from tuicrm.query.complaints import complaint, steps

    return complaint(conn, complaint_id), list(steps(conn, complaint_id))


def complaint_rows(conn: sqlite3.Connection, *, open_only: bool, overdue_at: Any) -> list[Any]:
    from tuicrm.query.complaints import complaint_list

    return list(complaint_list(conn, open_only=open_only, overdue_at=overdue_at))


def complaint_report_rows(conn: sqlite3.Connection, start: date, end: date) -> list[Any]:
    from tuicrm.query.complaints import report_rows

    return list(report_rows(conn, start, end))


def lead_sources(conn: sqlite3.Connection, *, start: date | None, end: date | None) -> Any:
    """``report leads``: conversion and won deals by lead source (``query.report_leads``)."""
    from tuicrm.query.report_leads import lead_sources as read

    return read(conn, start=start, end=end)


def customers_like(
    db: str | None, open_store: Callable[[], Any], name: str, phone: str | None, email: str | None
) -> list[Any]:
    """The live customers a new one would duplicate (``tuicrm.query.dupes.same_as``), for ``add
    customer``: none when there is no database yet (the add creates it)."""
    import os

    from tuicrm.query.connect import resolve_target, sqlite_file

    def read(conn: sqlite3.Connection) -> list[Any]:
        from tuicrm.query.dupes import same_as

        return same_as(conn, name, phone, email)

    found = _via_lean(db, read)
    if found is not None:
        return found
    path = sqlite_file(resolve_target(db))
    if path is not None and not os.path.exists(path):
        return []
    return _read(db, open_store, read)


def agenda_window(
    db: str | None, open_store: Callable[[], Any], now: datetime, until: date | None
) -> tuple[list[Any], int]:
    """``tuicrm agenda``: the agenda's rows (``tuicrm.query.activities.agenda``) and how many
    plans are overdue from before today, in one snapshot."""

    def read(conn: sqlite3.Connection) -> tuple[list[Any], int]:
        from tuicrm.query.activities import agenda as window
        from tuicrm.query.activities import overdue_before_today

        return window(conn, now, until), overdue_before_today(conn, now)

    return _read(db, open_store, read)


def what_is_same(same: list[str]) -> str:
    """``customers_like``'s reasons in the rep's words (``tuicrm.query.dupes.what_is_same``)."""
    from tuicrm.query.dupes import what_is_same as words

    return words(same)
