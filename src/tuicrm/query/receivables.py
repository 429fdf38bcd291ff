"""Receivables and payments (issue #18): the list, a customer's ledger and rating, the balances
by customer with ageing, the morning queue's items, the customer list's rating filter.

Outstanding is ``amount − received`` (the store keeps ``received`` = the sum of the payments);
the rules (ageing buckets, rating thresholds) are ``tuicrm.domain.ledger``'s.
"""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta
from decimal import Decimal

from tuicrm.query.values import as_date, as_money
from tuicrm.records import field, record

TYPE_CHECKING = False  # typing costs the CLI's start 3 ms (tuicrm.records)
if TYPE_CHECKING:
    from typing import Any

    from tuicrm.config import CollectionConfig, Config

_COLUMNS = (
    "r.id, r.code, r.customer_id, c.code, c.name, r.opportunity_id, o.name, r.amount, r.received, "
    "r.currency, r.settled_on, r.due_on, r.paid_off_on, r.invoice_no, r.settled_by, r.notes, r.version"
)
_FROM = (
    "FROM receivable r JOIN customer c ON c.id = r.customer_id "
    "LEFT JOIN opportunity o ON o.id = r.opportunity_id"
)
ZERO = Decimal("0.00")


@record(frozen=True)
class ReceivableRow:
    id: int
    code: str
    customer_id: int
    customer_code: str
    customer_name: str
    opportunity_id: int | None
    opportunity_name: str | None
    amount: Decimal
    received: Decimal
    currency: str | None
    settled_on: date | None
    due_on: date | None
    paid_off_on: date | None
    invoice_no: str | None
    settled_by: str | None
    notes: str | None
    version: int
    outstanding: Decimal
    days_overdue: int

    @property
    def open(self) -> bool:
        return self.outstanding > 0

    @property
    def overdue(self) -> bool:
        return self.open and self.days_overdue > 0


def _row(r: tuple[Any, ...], today: date) -> ReceivableRow:
    from tuicrm.domain.ledger import days_overdue, outstanding

    amount, received = as_money(r[7]) or ZERO, as_money(r[8]) or ZERO
    due_on, paid_off = as_date(r[11]), as_date(r[12])
    left = outstanding(amount, received)
    return ReceivableRow(
        id=int(r[0]),
        code=str(r[1]),
        customer_id=int(r[2]),
        customer_code=str(r[3]),
        customer_name=str(r[4]),
        opportunity_id=r[5],
        opportunity_name=r[6],
        amount=amount,
        received=received,
        currency=r[9],
        settled_on=as_date(r[10]),
        due_on=due_on,
        paid_off_on=paid_off,
        invoice_no=r[13],
        settled_by=r[14],
        notes=r[15],
        version=int(r[16]),
        outstanding=left,
        days_overdue=days_overdue(due_on, today, paid_off if left == 0 else None),
    )


def receivable_list(
    conn: sqlite3.Connection,
    today: date,
    *,
    overdue: bool = False,
    open_only: bool = False,
    customer_id: int | None = None,
) -> list[ReceivableRow]:
    """Live receivables of live customers, the earliest due first (``overdue``: open and past
    their due date; ``open_only``: not paid off)."""
    conds = ["r.archived_at IS NULL", "c.archived_at IS NULL"]
    params: list[Any] = []
    if overdue or open_only:
        conds.append("r.received < r.amount")
    if overdue:
        conds.append("r.due_on < ?")
        params.append(today.isoformat())
    if customer_id is not None:
        conds.append("r.customer_id = ?")
        params.append(customer_id)
    sql = (
        f"SELECT {_COLUMNS} {_FROM} WHERE {' AND '.join(conds)} "  # noqa: S608 - fixed fragments
        "ORDER BY r.due_on IS NULL, r.due_on, r.id"
    )
    return [_row(r, today) for r in conn.execute(sql, params)]


def receivable_by_code(conn: sqlite3.Connection, code: str, today: date) -> ReceivableRow | None:
    sql = f"SELECT {_COLUMNS} {_FROM} WHERE r.code = ?"  # noqa: S608
    r = conn.execute(sql, (code,)).fetchone()
    return None if r is None else _row(r, today)


@record(frozen=True)
class PaymentRow:
    id: int
    code: str
    receivable_code: str | None
    amount: Decimal
    currency: str | None
    paid_on: date
    method: str | None
    reference: str | None


def payments_of(conn: sqlite3.Connection, customer_id: int) -> list[PaymentRow]:
    """A customer's live payments, newest first (credits have no receivable code)."""
    rows = conn.execute(
        "SELECT p.id, p.code, r.code, p.amount, p.currency, p.paid_on, p.method, p.reference "
        "FROM payment p LEFT JOIN receivable r ON r.id = p.receivable_id "
        "WHERE p.customer_id = ? AND p.archived_at IS NULL ORDER BY p.paid_on DESC, p.id DESC",
        (customer_id,),
    )
    return [
        PaymentRow(
            int(r[0]), str(r[1]), r[2], as_money(r[3]) or ZERO, r[4], as_date(r[5]) or date.min, r[6], r[7]
        )
        for r in rows
    ]


@record(frozen=True)
class CustomerLedger:
    """A customer's figures: 应收 total, 实收 received, 未收 outstanding, credit, the rating."""

    amount: Decimal = ZERO
    received: Decimal = ZERO
    outstanding: Decimal = ZERO
    credit: Decimal = ZERO
    overdue: Decimal = ZERO
    rating: str | None = None
    receivables: int = 0


def _credit(conn: sqlite3.Connection, customer_id: int | None = None) -> dict[int, Decimal]:
    sql = "SELECT customer_id, sum(amount) FROM payment WHERE receivable_id IS NULL AND archived_at IS NULL"
    params: tuple[Any, ...] = ()
    if customer_id is not None:
        sql += " AND customer_id = ?"
        params = (customer_id,)
    return {int(r[0]): as_money(r[1]) or ZERO for r in conn.execute(sql + " GROUP BY customer_id", params)}


def _figures(
    rows: list[ReceivableRow], credit: Decimal, today: date, config: CollectionConfig
) -> CustomerLedger:
    from tuicrm.domain.ledger import RatedItem, collection_rating

    return CustomerLedger(
        amount=sum((r.amount for r in rows), ZERO),
        received=sum((r.received for r in rows), ZERO),
        outstanding=sum((r.outstanding for r in rows), ZERO),
        credit=credit,
        overdue=sum((r.outstanding for r in rows if r.overdue), ZERO),
        rating=collection_rating(
            (
                RatedItem(r.amount, r.received, r.due_on, r.paid_off_on if r.outstanding == 0 else None)
                for r in rows
            ),
            today,
            config,
        ),
        receivables=len(rows),
    )


def customer_ledger(
    conn: sqlite3.Connection, customer_id: int, today: date, config: Config
) -> CustomerLedger:
    """The customer card's received / outstanding / credit and collection rating."""
    rows = [
        _row(r, today)
        for r in conn.execute(
            f"SELECT {_COLUMNS} {_FROM} WHERE r.archived_at IS NULL AND r.customer_id = ?",  # noqa: S608
            (customer_id,),
        )
    ]
    credit = _credit(conn, customer_id).get(customer_id, ZERO)
    return _figures(rows, credit, today, config.collection)


@record(frozen=True)
class CustomerBalance:
    """One customer's line on the receivables screen and report."""

    customer_id: int
    customer_code: str
    customer_name: str
    ledger: CustomerLedger
    buckets: dict[str, Decimal]
    max_days_overdue: int
    open_codes: tuple[str, ...] = field(default=())


@record(frozen=True)
class Balances:
    customers: list[CustomerBalance]
    buckets: dict[str, Decimal]  # every customer's outstanding by ageing bucket
    outstanding: Decimal
    received: Decimal
    amount: Decimal
    credit: Decimal
    customer_count: int = 0  # every customer with a receivable (``customers`` may be the first few)
    overdue_receivables: int = 0  # open receivables past their due date


def balances(conn: sqlite3.Connection, today: date, config: Config) -> Balances:
    """Every customer with a receivable: figures, ageing buckets, rating; those owing most first.
    Per receivable in Python; ``query.receivables_grouped.balances_top`` groups in SQL (the screen's)."""
    from tuicrm.domain.ledger import ageing

    rows = receivable_list(conn, today)
    credits = _credit(conn)
    by_customer: dict[int, list[ReceivableRow]] = {}
    for r in rows:
        by_customer.setdefault(r.customer_id, []).append(r)
    out: list[CustomerBalance] = []
    for customer_id, mine in by_customer.items():
        out.append(
            CustomerBalance(
                customer_id=customer_id,
                customer_code=mine[0].customer_code,
                customer_name=mine[0].customer_name,
                ledger=_figures(mine, credits.get(customer_id, ZERO), today, config.collection),
                buckets=ageing(((r.outstanding, r.days_overdue) for r in mine), config.collection),
                max_days_overdue=max((r.days_overdue for r in mine if r.open), default=0),
                open_codes=tuple(r.code for r in mine if r.open),
            )
        )
    out.sort(key=lambda b: (-b.ledger.outstanding, b.customer_name, b.customer_id))
    return Balances(
        customers=out,
        buckets=ageing(((r.outstanding, r.days_overdue) for r in rows), config.collection),
        outstanding=sum((r.outstanding for r in rows), ZERO),
        received=sum((r.received for r in rows), ZERO),
        amount=sum((r.amount for r in rows), ZERO),
        credit=sum(credits.values(), ZERO),
        customer_count=len(out),
        overdue_receivables=sum(1 for r in rows if r.overdue),
    )


_ARCHIVED_CUSTOMERS = "(SELECT id FROM customer WHERE archived_at IS NOT NULL)"


def queue_counts(conn: sqlite3.Connection, today: date, horizon: date) -> tuple[int, int, int]:
    """(overdue, due today, ahead up to ``horizon``) among open receivables of live customers,
    counted on the partial index ``ix_receivable_queue`` (its WHERE terms repeated so SQLite
    takes it; the few archived customers as one set, not a lookup per receivable)."""
    t = today.isoformat()
    row = conn.execute(
        "SELECT sum(due_on < ?), sum(due_on = ?), sum(due_on > ?) FROM receivable INDEXED BY ix_receivable_queue "
        "WHERE archived_at IS NULL AND received < amount AND due_on IS NOT NULL AND due_on <= ? "
        f"AND customer_id NOT IN {_ARCHIVED_CUSTOMERS}",
        (t, t, t, horizon.isoformat()),
    ).fetchone()
    return int(row[0] or 0), int(row[1] or 0), int(row[2] or 0)


def queue_items(
    conn: sqlite3.Connection, today: date, horizon: date, limit: int | None = None
) -> list[dict[str, Any]]:
    """The morning queue's receivable items: open receivables due on or before ``horizon``
    (overdue ones are a collection call), in the queue's dict shape (``domain.queue.from_mapping``).
    With ``limit``, the ``limit`` due first: the most days late, which the queue ranks first."""
    from tuicrm.i18n import _

    tail = "" if limit is None else f" LIMIT {int(limit)}"
    rows = conn.execute(
        f"SELECT {_COLUMNS} FROM receivable r INDEXED BY ix_receivable_queue "  # noqa: S608
        "JOIN customer c ON c.id = r.customer_id LEFT JOIN opportunity o ON o.id = r.opportunity_id "
        "WHERE r.archived_at IS NULL AND r.received < r.amount AND r.due_on IS NOT NULL "
        f"AND r.due_on <= ? AND c.archived_at IS NULL ORDER BY r.due_on, r.id{tail}",
        (horizon.isoformat(),),
    )
    items = []
    for raw in rows:
        r = _row(raw, today)
        late = r.days_overdue
        why = (
            _("{amount} outstanding, {days} days overdue: a collection call").format(
                amount=f"{r.outstanding:,.2f}", days=late
            )
            if late > 0
            else _("{amount} due {on}").format(amount=f"{r.outstanding:,.2f}", on=r.due_on)
        )
        items.append(
            {
                "kind": "receivable",
                "on": r.due_on.isoformat() if r.due_on else today.isoformat(),
                "customer": {"id": r.customer_id, "code": r.customer_code, "name": r.customer_name},
                "title": _("collect {code}: {amount}").format(code=r.code, amount=f"{r.outstanding:,.2f}"),
                "overdue_by": f"P{late}D" if late > 0 else None,
                "why": why,
                "id": r.id,
                "code": r.code,
                "score": float(late),
            }
        )
    return items


def collection_condition(rating: str, today: date, config: CollectionConfig) -> tuple[str, list[Any]]:
    """A WHERE term on ``customer c`` keeping the customers whose collection rating is ``rating``
    (the rule of ``domain.ledger.collection_rating``, in SQL: the worst days late in the window)."""
    window_start = (today - timedelta(days=config.window_days)).isoformat()
    t = today.isoformat()
    late = (
        "max(0, CAST(julianday(CASE WHEN r.received >= r.amount THEN r.paid_off_on ELSE ? END) "
        "- julianday(r.due_on) AS INTEGER))"
    )
    worst = (
        f"SELECT max(CASE WHEN r.due_on IS NULL THEN 0 ELSE {late} END) FROM receivable r "
        "WHERE r.customer_id = c.id AND r.archived_at IS NULL "
        "AND (r.received < r.amount OR r.paid_off_on >= ?)"
    )
    bounds = {
        "good": (None, config.good_days),
        "fair": (config.good_days, config.fair_days),
        "poor": (config.fair_days, config.poor_days),
        "very-poor": (config.poor_days, None),
    }
    low, high = bounds[rating]
    sql = f"({worst}) IS NOT NULL"
    params: list[Any] = [t, window_start]
    if low is not None:
        sql += f" AND ({worst}) > ?"
        params += [t, window_start, low]
    if high is not None:
        sql += f" AND ({worst}) <= ?"
        params += [t, window_start, high]
    return f"({sql})", params


@record(frozen=True)
class WonDealOffer:
    """What winning a deal offers to bill: its amount, due by the customer's payment terms."""

    opportunity_id: int
    opportunity_name: str
    customer_code: str
    customer_name: str
    amount: Decimal
    currency: str | None
    due_on: date
    terms: str | None


def won_deal_offer(
    conn: sqlite3.Connection, opportunity_id: int, today: date, config: Config
) -> WonDealOffer | None:
    """The receivable a won deal would raise, or None when it has one already or no amount."""
    from tuicrm.domain.ledger import due_from_terms

    row = conn.execute(
        "SELECT o.name, c.code, c.name, o.amount, o.currency, c.payment_terms, o.closed_on "
        "FROM opportunity o JOIN customer c ON c.id = o.customer_id WHERE o.id = ? AND o.stage = 'won' "
        "AND NOT EXISTS (SELECT 1 FROM receivable r WHERE r.opportunity_id = o.id AND r.archived_at IS NULL)",
        (opportunity_id,),
    ).fetchone()
    if row is None:
        return None
    amount = as_money(row[3]) or ZERO
    if amount <= 0:
        return None
    start = as_date(row[6]) or today
    return WonDealOffer(
        opportunity_id,
        str(row[0]),
        str(row[1]),
        str(row[2]),
        amount,
        row[4],
        due_from_terms(start, row[5], config.collection),
        row[5],
    )
