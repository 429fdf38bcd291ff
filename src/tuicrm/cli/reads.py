"""Every read the command line makes, in one place: ``tuicrm.fastread`` and the store's readers.

The read commands (``due``, ``find``, ``show``) and the TUI's first paint answer through
``tuicrm.fastread`` (standard-library sqlite3) when the database is a current SQLite file;
otherwise, or when that read fails, the migrating Store answers. The other commands' reads
(references, undo's description, reports) go through the store functions named here.
Re-point this module, and only this one, when the read layer moves.

Light at import: fastread, the store and SQLModel load inside the functions.
"""

from __future__ import annotations

import sqlite3

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import date
    from typing import Any, TypeVar

    from tuicrm.config import Config

    T = TypeVar("T")


class NotFound(Exception):
    """Nothing matches the reference (the message says so)."""


class Ambiguous(Exception):
    """Several match; ``candidates`` are (code or id, name)."""

    def __init__(self, message: str, candidates: list[tuple[str, str]]):
        super().__init__(message)
        self.candidates = candidates


class DueList:
    """What ``due`` prints: the (first) items in call-next order and the true counts."""

    def __init__(self, today: date, items: list[Any], overdue: int, due_today: int, ahead: int):
        self.today, self.items = today, items
        self.overdue, self.due_today, self.ahead = overdue, due_today, ahead

    @property
    def total(self) -> int:
        return self.overdue + self.due_today + self.ahead


def today() -> date:
    """Today for the rep (``TUICRM_NOW`` pins it); ValueError for a bad pin."""
    from tuicrm.fastread import today as fast_today

    return fast_today()


def fast_target(db: str | None) -> str | None:
    """The ``--db`` target when it is a current SQLite file the fast path can read, else None."""
    from tuicrm.fastread import connect, resolve_target

    target = resolve_target(db)
    conn = connect(target)
    if conn is None:
        return None
    conn.close()
    return target


def _via_fastread(db: str | None, fn: Callable[[sqlite3.Connection], T]) -> T | None:
    """``fn(conn)`` on a fast read-only connection, or None when the Store must answer."""
    from tuicrm.fastread import connect, resolve_target

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


def due_list(
    db: str | None,
    open_store: Callable[[], Any],
    load_config: Callable[[], Config],
    today: date,
    days: int,
    shown: int | None,
) -> DueList:
    """Items (all when ``shown`` is None) and counts, from fastread or the store."""

    def fast(conn: sqlite3.Connection) -> DueList:
        from tuicrm import fastread

        config = load_config()
        overdue, due_today, ahead = fastread.due_counts(conn, today, days)
        if shown is None:
            items = fastread.due(conn, config, today, days)
        else:
            items = fastread.due_top(conn, config, today, days, shown)
        return DueList(today, items, overdue, due_today, ahead)

    data = _via_fastread(db, fast)
    if data is not None:
        return data
    from tuicrm.store.followups import due as due_items

    store = open_store()
    with store.read() as session:
        items = due_items(session, store.config, today, days)
    overdue = sum(1 for i in items if i.overdue)
    due_today = sum(1 for i in items if i.next_on == today)
    ahead = len(items) - overdue - due_today
    return DueList(today, items if shown is None else items[:shown], overdue, due_today, ahead)


def find_rows(db: str | None, open_store: Callable[[], Any], query: str, limit: int) -> list[Any]:
    """Customers matching ``query`` (fastread rows or the store's; the same attributes)."""

    def fast(conn: sqlite3.Connection) -> list[Any]:
        from tuicrm.fastread import find

        return list(find(conn, query, limit))

    rows = _via_fastread(db, fast)
    if rows is not None:
        return rows
    from tuicrm.store.search import find as find_store

    store = open_store()
    with store.read() as session:
        return list(find_store(session, query, limit))


def card(
    db: str | None, open_store: Callable[[], Any], ref: str, today: date, reveal: bool
) -> dict[str, Any]:
    """The ``show`` card as a dict (the ``--json`` shape); NotFound / Ambiguous for a bad ``ref``."""

    def fast(conn: sqlite3.Connection) -> dict[str, Any]:
        from tuicrm import fastread

        try:
            customer_id = fastread.resolve(conn, ref)
        except fastread.Ambiguous as exc:
            raise Ambiguous(str(exc), list(exc.candidates)) from None
        except fastread.NotFound as exc:
            raise NotFound(str(exc)) from None
        return dict(fastread.card(conn, customer_id, today, reveal=reveal))

    data = _via_fastread(db, fast)
    if data is not None:
        return data
    from tuicrm.store.cards import card_to_dict, customer_card

    store = open_store()
    with store.read() as session:
        found = customer_card(session, store.config, resolve_customer(session, ref), today)
    return dict(card_to_dict(found, reveal=reveal))


def resolve_customer(session: Any, ref: str) -> Any:
    """The Customer ``ref`` names (code, id, name fragment) in ``session``."""
    from tuicrm.store.customers import resolve_customer as resolve
    from tuicrm.store.errors import Ambiguous as StoreAmbiguous
    from tuicrm.store.errors import NotFound as StoreNotFound

    try:
        return resolve(session, ref)
    except StoreAmbiguous as exc:
        raise Ambiguous(str(exc), [(c.code, c.name) for c in exc.candidates]) from None
    except StoreNotFound as exc:
        raise NotFound(str(exc)) from None


def resolve_opportunity(session: Any, ref: str) -> Any:
    """The Opportunity ``ref`` names (id or name fragment); candidates are (id, name)."""
    from tuicrm.store.errors import Ambiguous as StoreAmbiguous
    from tuicrm.store.errors import NotFound as StoreNotFound
    from tuicrm.store.pipeline import resolve_opportunity as resolve

    try:
        return resolve(session, ref)
    except StoreAmbiguous as exc:
        raise Ambiguous(str(exc), [(str(o.id), o.name) for o in exc.candidates]) from None
    except StoreNotFound as exc:
        raise NotFound(str(exc)) from None


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


def report(name: str, session: Any, config: Config, **kwargs: Any) -> Any:
    """One of the store's report queries: weekly, funnel, forecast, value, lost."""
    from tuicrm.store import reports as queries

    queries_by_name: dict[str, Callable[..., Any]] = {
        "weekly": queries.weekly,
        "funnel": queries.funnel,
        "forecast": queries.forecast,
        "value": queries.value,
        "lost": queries.lost,
    }
    fn = queries_by_name[name]
    return fn(session, config, **kwargs)
