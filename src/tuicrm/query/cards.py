"""The customer card: everything ``show`` and the detail screen display, as plain read-only records."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator, Mapping
from datetime import date, datetime

from tuicrm.query.errors import NotFound
from tuicrm.query.values import Frozen, as_bool, as_date, as_money, as_utc, money_text

TYPE_CHECKING = False  # not ``typing``'s: this module is on the CLI's start-up path
if TYPE_CHECKING:
    from typing import Any

# Each table's fields in model order (``tests/query`` holds them to models.py), with how the
# stored value becomes a Python value: d date, t UTC timestamp, m money, b bool.
CARD_FIELDS: dict[str, tuple[tuple[str, str], ...]] = {
    "customer": (
        ("id", ""),
        ("version", ""),
        ("code", ""),
        ("name", ""),
        ("alias", ""),
        ("industry", ""),
        ("size", ""),
        ("kind", ""),
        ("source", ""),
        ("first_contact_on", "d"),
        ("status", ""),
        ("tier", ""),
        ("needs", ""),
        ("budget_min", "m"),
        ("budget_max", "m"),
        ("purchase_by", "d"),
        ("revenue_total", "m"),
        ("last_deal_on", "d"),
        ("address", ""),
        ("registered_address", ""),
        ("region", ""),
        ("company_revenue", "m"),
        ("product_preference", ""),
        ("payment_method", ""),
        ("renewal_risk", ""),
        ("renewal_on", "d"),
        ("payment_terms", ""),
        ("phone", ""),
        ("email", ""),
        ("tags", ""),
        ("notes", ""),
        ("owner", ""),
        ("next_follow_up_on", "d"),
        ("next_action", ""),
        ("search_text", ""),
        ("archived_at", "t"),
        ("created_at", "t"),
        ("updated_at", "t"),
    ),
    "contact": (
        ("id", ""),
        ("version", ""),
        ("customer_id", ""),
        ("name", ""),
        ("title", ""),
        ("department", ""),
        ("role", ""),
        ("phone", ""),
        ("mobile", ""),
        ("email", ""),
        ("im", ""),
        ("birthday", "d"),
        ("anniversary", "d"),
        ("relationship", ""),
        ("prefers", ""),
        ("interests", ""),
        ("gender", ""),
        ("education", ""),
        ("work_history", ""),
        ("notes", ""),
        ("is_primary", "b"),
        ("is_key_decision_maker", "b"),
        ("archived_at", "t"),
        ("created_at", "t"),
        ("updated_at", "t"),
    ),
    "followup": (
        ("id", ""),
        ("version", ""),
        ("customer_id", ""),
        ("contact_id", ""),
        ("opportunity_id", ""),
        ("at", "t"),
        ("channel", ""),
        ("summary", ""),
        ("feedback", ""),
        ("attitude", ""),
        ("next_action", ""),
        ("next_on", "d"),
        ("goal", ""),
        ("objection", ""),
        ("place", ""),
        ("attendees", ""),
        ("outcome", ""),
        ("owner", ""),
        ("created_at", "t"),
        ("updated_at", "t"),
    ),
    "opportunity": (
        ("id", ""),
        ("version", ""),
        ("name", ""),
        ("customer_id", ""),
        ("amount", "m"),
        ("currency", ""),
        ("expected_close_on", "d"),
        ("stage", ""),
        ("probability", ""),
        ("probability_set", "b"),
        ("decision_maker_id", ""),
        ("product", ""),
        ("competitors", ""),
        ("strengths", ""),
        ("weaknesses", ""),
        ("key_success_factors", ""),
        ("risks", ""),
        ("plan", ""),
        ("next_step", ""),
        ("next_step_owner", ""),
        ("next_step_due_on", "d"),
        ("next_step_done_on", "d"),
        ("owner", ""),
        ("lost_reason", ""),
        ("lost_detail", ""),
        ("closed_on", "d"),
        ("renewal_on", "d"),
        ("archived_at", "t"),
        ("created_at", "t"),
        ("updated_at", "t"),
    ),
    "tierassessment": (
        ("id", ""),
        ("version", ""),
        ("customer_id", ""),
        ("potential", ""),
        ("willingness", ""),
        ("total", ""),
        ("tier", ""),
        ("basis", ""),
        ("strategy", ""),
        ("assessed_on", "d"),
        ("assessor", ""),
        ("created_at", "t"),
        ("updated_at", "t"),
    ),
    "statuschange": (
        ("id", ""),
        ("version", ""),
        ("customer_id", ""),
        ("from_status", ""),
        ("to_status", ""),
        ("at", "t"),
        ("by_user", ""),
        ("note", ""),
        ("created_at", "t"),
        ("updated_at", "t"),
    ),
}
_CONVERT: dict[str, Callable[[Any], Any]] = {
    "": lambda v: v,
    "d": as_date,
    "t": as_utc,
    "m": as_money,
    "b": as_bool,
}


def _date_text(value: object) -> str | None:
    d = as_date(value)
    return d.isoformat() if d is not None else None


def _utc_text(value: object) -> str | None:
    t = as_utc(value)
    return t.isoformat() if t is not None else None


# The same values as JSON text (what ``record_to_dict`` makes of the above), without importing
# decimal: ``tuicrm show --json`` stays lean.
_CONVERT_JSON: dict[str, Callable[[Any], Any]] = {
    "": lambda v: v,
    "d": _date_text,
    "t": _utc_text,
    "m": money_text,
    "b": as_bool,
}


class Record(Mapping[str, object]):
    """One row as read-only plain data: ``row.name`` and ``row["name"]``, fields in model order."""

    __slots__ = ("_data",)

    def __init__(self, data: dict[str, Any]):
        object.__setattr__(self, "_data", data)

    def __getattr__(self, name: str) -> Any:
        try:
            return self._data[name]
        except KeyError:
            raise AttributeError(name) from None

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{type(self).__name__} is read-only")

    def __getitem__(self, key: str) -> Any:
        return self._data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __repr__(self) -> str:
        return f"Record({self._data!r})"


def select_records(
    conn: sqlite3.Connection,
    table: str,
    where: str,
    order: str,
    params: tuple[Any, ...],
    limit: int | None = None,
    *,
    as_json: bool = False,
) -> list[Record]:
    """Rows of one of ``CARD_FIELDS``' tables, every field converted as the model converts it
    (``as_json``: straight to JSON values, dates and money as text)."""
    convert = _CONVERT_JSON if as_json else _CONVERT
    fields = CARD_FIELDS[table]
    cols = ", ".join(f'"{name}"' for name, _ in fields)
    tail = f" LIMIT {int(limit)}" if limit else ""
    rows = conn.execute(f"SELECT {cols} FROM {table} WHERE {where} ORDER BY {order}{tail}", params)
    return [
        Record({name: convert[kind](value) for (name, kind), value in zip(fields, row, strict=True)})
        for row in rows
    ]


class CustomerCard(Frozen):
    __slots__ = (
        "customer",
        "contacts",
        "follow_ups",
        "opportunities",
        "assessments",
        "today",
        "status_changes",
    )
    _defaults = {"status_changes": ()}
    customer: Record
    contacts: list[Record]
    follow_ups: list[Record]
    opportunities: list[Record]
    assessments: list[Record]
    today: date
    status_changes: list[Record]  # newest first (``status_history``)

    @property
    def next_label(self) -> str:
        from tuicrm.domain.dates import relative_label

        return relative_label(as_date(self.customer.next_follow_up_on), self.today)

    @property
    def overdue(self) -> bool:
        next_on = as_date(self.customer.next_follow_up_on)
        return next_on is not None and next_on < self.today


def contacts_of(conn: sqlite3.Connection, customer_id: int, *, as_json: bool = False) -> list[Record]:
    """A customer's live contacts, the primary one first, then by name."""
    return select_records(
        conn,
        "contact",
        "customer_id = ? AND archived_at IS NULL",
        "is_primary DESC, name",
        (customer_id,),
        as_json=as_json,
    )


def status_history(conn: sqlite3.Connection, customer_id: int, *, as_json: bool = False) -> list[Record]:
    """A customer's status changes (from → to, when, by whom), newest first. The schema's trigger
    records every change of ``customer.status``, whoever made it (``by_user`` is empty for
    another program's change)."""
    return select_records(
        conn, "statuschange", "customer_id = ?", "at DESC, id DESC", (customer_id,), as_json=as_json
    )


def card(
    conn: sqlite3.Connection, customer_id: int, today: date, history_limit: int = 50, *, as_json: bool = False
) -> CustomerCard:
    """The customer (archived ones too), live contacts (primary first), the latest follow-ups,
    live opportunities by expected close, and the tier history (newest first).

    ``as_json``: the records hold JSON values (dates, timestamps and money as text), for
    ``card_to_dict`` on the lean path (no ``decimal`` import); the same rows either way.
    """
    key = (customer_id,)

    def rows(table: str, where: str, order: str, limit: int | None = None) -> list[Record]:
        return select_records(conn, table, where, order, key, limit, as_json=as_json)

    found = rows("customer", "id = ?", "id")
    if not found:
        raise NotFound(f"No customer with id {customer_id}.")
    return CustomerCard(
        customer=found[0],
        contacts=contacts_of(conn, customer_id, as_json=as_json),
        follow_ups=rows("followup", "customer_id = ?", "at DESC, id DESC", history_limit),
        opportunities=rows("opportunity", "customer_id = ? AND archived_at IS NULL", "expected_close_on, id"),
        assessments=rows("tierassessment", "customer_id = ?", "assessed_on DESC, id DESC"),
        today=today,
        status_changes=status_history(conn, customer_id, as_json=as_json),
    )


def _jsonable(value: object) -> object:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if value is None or isinstance(value, str | int | float):
        return value
    return str(value)  # Decimal (not imported here: the lean path may not have loaded it)


def record_to_dict(row: Mapping[str, Any], *, reveal: bool = False) -> dict[str, Any]:
    """A record as JSON-ready data: no search_text, phones masked unless revealed."""
    from tuicrm.domain.privacy import mask_phone

    out = {k: _jsonable(v) for k, v in row.items() if k != "search_text"}
    if not reveal:
        for key in ("phone", "mobile"):
            if out.get(key):
                out[key] = mask_phone(str(out[key]))
    return out


def card_to_dict(c: CustomerCard, reveal: bool = False) -> dict[str, Any]:
    """The stable JSON shape of ``tuicrm show --json`` (documented in docs/cli.md)."""
    customer = record_to_dict(c.customer, reveal=reveal)
    customer["next_label"] = c.next_label
    customer["overdue"] = c.overdue
    return {
        "customer": customer,
        "contacts": [record_to_dict(x, reveal=reveal) for x in c.contacts],
        "follow_ups": [record_to_dict(x, reveal=reveal) for x in c.follow_ups],
        "opportunities": [record_to_dict(x, reveal=reveal) for x in c.opportunities],
        "assessments": [record_to_dict(x, reveal=reveal) for x in c.assessments],
        "status_history": [record_to_dict(x, reveal=reveal) for x in c.status_changes],
    }
