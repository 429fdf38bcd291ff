"""Reminders ahead of a date in the morning queue (issue #18): contacts' birthdays and
anniversaries and a customer's signing anniversary (kind ``birthday``), renewals of customers
and won deals (kind ``renewal``). The windows are ``config.care``'s; the rules
``tuicrm.domain.reminders``'."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta

from tuicrm.query.values import as_date

TYPE_CHECKING = False
if TYPE_CHECKING:
    from tuicrm.config import Config
    from tuicrm.domain.queue import QueueItem


def _month_days(today: date, days_ahead: int) -> str:
    """The 'MM-DD' of each day in the window, as a quoted SQL list (29 February added when the
    28th is in a year without it: its birthday falls on the 28th)."""
    days = {(today + timedelta(days=n)).strftime("%m-%d") for n in range(max(0, days_ahead) + 1)}
    if "02-28" in days:
        days.add("02-29")
    return ", ".join(f"'{d}'" for d in sorted(days))


def _item(
    kind: str,
    what: str,
    row_id: int,
    customer_id: int,
    code: str,
    name: str,
    title: str,
    why: str,
    on: date,
    today: date,
) -> QueueItem:
    from tuicrm.domain.queue import QueueItem

    return QueueItem(
        kind=kind,
        customer=name,
        title=title,
        why=why,
        id=row_id,
        code=code,
        customer_id=customer_id,
        on=on,
        due_today=on == today,
        source={"what": what, "on": on.isoformat()},
    )


def birthday_items(conn: sqlite3.Connection, config: Config, today: date) -> list[QueueItem]:
    """Birthdays and anniversaries of live contacts, and signing anniversaries of customers (the
    first won deal's close), ``config.care.birthday_days_ahead`` days ahead (today counts)."""
    from tuicrm.domain.reminders import (
        ANNIVERSARY,
        BIRTHDAY,
        SIGNING,
        reminder_title,
        reminder_why,
        yearly_within,
    )

    ahead = config.care.birthday_days_ahead
    month_days = _month_days(today, ahead)
    items: list[QueueItem] = []
    for column, what in (("birthday", BIRTHDAY), ("anniversary", ANNIVERSARY)):
        rows = conn.execute(
            f"SELECT ct.id, ct.name, ct.{column}, c.id, c.code, c.name FROM contact ct "
            "JOIN customer c ON c.id = ct.customer_id "
            f"WHERE ct.{column} IS NOT NULL AND ct.archived_at IS NULL AND c.archived_at IS NULL "
            f"AND strftime('%m-%d', ct.{column}) IN ({month_days}) ORDER BY ct.id"
        ).fetchall()
        for contact_id, contact_name, day, customer_id, code, name in rows:
            yearly = as_date(day)
            assert yearly is not None
            on = yearly_within(yearly, today, ahead)
            if on is None:
                continue
            items.append(
                _item(
                    "birthday",
                    what,
                    int(contact_id),
                    int(customer_id),
                    str(code),
                    str(name),
                    reminder_title(what, str(contact_name), yearly, on),
                    reminder_why(what, on, today),
                    on,
                    today,
                )
            )
    # Won deals closed on one of the window's month-days (the expression index
    # ix_opportunity_won_md) that are their customer's first win.
    rows = conn.execute(
        "SELECT c.id, c.code, c.name, min(o.closed_on) AS first FROM opportunity o "
        "JOIN customer c ON c.id = o.customer_id WHERE o.stage = 'won' AND o.closed_on IS NOT NULL "
        f"AND strftime('%m-%d', o.closed_on) IN ({month_days}) "
        "AND o.archived_at IS NULL AND c.archived_at IS NULL AND NOT EXISTS (SELECT 1 FROM opportunity p "
        "WHERE p.customer_id = o.customer_id AND p.stage = 'won' AND p.closed_on < o.closed_on "
        "AND p.archived_at IS NULL) GROUP BY c.id ORDER BY c.id"
    ).fetchall()
    for customer_id, code, name, first in rows:
        signed = as_date(first)
        assert signed is not None
        on = yearly_within(signed, today, ahead)
        if on is None:
            continue
        items.append(
            _item(
                "birthday",
                SIGNING,
                int(customer_id),
                int(customer_id),
                str(code),
                str(name),
                reminder_title(SIGNING, str(name), signed, on),
                reminder_why(SIGNING, on, today),
                on,
                today,
            )
        )
    return items


def renewal_items(conn: sqlite3.Connection, config: Config, today: date) -> list[QueueItem]:
    """Renewal dates (续约) of live customers and won deals from today to
    ``config.care.renewal_days_ahead`` days ahead."""
    from tuicrm.domain.reminders import RENEWAL, reminder_title, reminder_why

    last = today + timedelta(days=config.care.renewal_days_ahead)
    window = (today.isoformat(), last.isoformat())
    items: list[QueueItem] = []
    rows = conn.execute(
        # ``+archived_at``: keep SQLite on the renewal index (ix_customer_renewal), not the
        # archived one that holds every customer.
        "SELECT id, code, name, renewal_on FROM customer WHERE renewal_on IS NOT NULL AND +archived_at IS NULL "
        "AND renewal_on >= ? AND renewal_on <= ? ORDER BY renewal_on, id",
        window,
    ).fetchall()
    for customer_id, code, name, renewal_on in rows:
        on = as_date(renewal_on)
        assert on is not None
        items.append(
            _item(
                "renewal",
                "customer",
                int(customer_id),
                int(customer_id),
                str(code),
                str(name),
                reminder_title(RENEWAL, str(name), on, on),
                reminder_why(RENEWAL, on, today),
                on,
                today,
            )
        )
    rows = conn.execute(
        "SELECT o.id, o.name, o.renewal_on, c.id, c.code, c.name FROM opportunity o "
        "JOIN customer c ON c.id = o.customer_id WHERE o.renewal_on IS NOT NULL AND +o.stage = 'won' "
        "AND +o.archived_at IS NULL AND +c.archived_at IS NULL AND o.renewal_on >= ? AND o.renewal_on <= ? "
        "ORDER BY o.renewal_on, o.id",
        window,
    ).fetchall()
    for opp_id, opp_name, renewal_on, customer_id, code, name in rows:
        on = as_date(renewal_on)
        assert on is not None
        items.append(
            _item(
                "renewal",
                "opportunity",
                int(opp_id),
                int(customer_id),
                str(code),
                str(name),
                reminder_title(RENEWAL, str(opp_name), on, on),
                reminder_why(RENEWAL, on, today),
                on,
                today,
            )
        )
    return items
