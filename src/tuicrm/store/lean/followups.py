"""Correcting a logged follow-up, in plain SQL with its undo record (as ``tuicrm.store.lean.writes``):
change some of its fields, delete it, and keep the customer's pending follow-up the newest
follow-up's next step; the checks shared with ``writes.log_follow_up`` (links, done status)."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime
from typing import Any

from tuicrm.config import ATTITUDES, CHANNELS, FOLLOWUP_OUTCOME_LABELS_ZH, FOLLOWUP_OUTCOMES
from tuicrm.query.customers import is_row_id
from tuicrm.store.errors import Ambiguous, NotFound, StoreError
from tuicrm.store.lean import rows
from tuicrm.store.lean.checks import check_choice, clean
from tuicrm.store.lean.clock import utcnow
from tuicrm.store.lean.undolog import UndoLog

FOLLOW_UP_TEXT = ("summary", "feedback", "next_action", "goal", "objection", "place", "attendees")
FOLLOW_UP_FIELDS = (
    *FOLLOW_UP_TEXT,
    "channel",
    "attitude",
    "outcome",
    "next_on",
    "at",
    "contact_id",
    "opportunity_id",
)


def outcome_of(value: str | None) -> str | None:
    """A done status as stored (``done``/``partly``/``not-done``); the templates' words (已完成,
    部分完成, 未完成) are accepted too."""
    if not value or not value.strip():
        return None
    by_label = {label: key for key, label in FOLLOWUP_OUTCOME_LABELS_ZH.items()}
    return check_choice(by_label.get(value.strip(), value), FOLLOWUP_OUTCOMES, "done status")


def check_links(
    conn: sqlite3.Connection, customer_id: int, contact_id: int | None, opportunity_id: int | None
) -> None:
    """The contact spoken to and the deal discussed must be this customer's."""
    if contact_id is not None:
        row = conn.execute("SELECT customer_id FROM contact WHERE id = ?", (contact_id,)).fetchone()
        if row is None or int(row[0]) != customer_id:
            raise StoreError(f"Contact #{contact_id} is not one of this customer's contacts.")
    if opportunity_id is not None:
        row = conn.execute("SELECT customer_id FROM opportunity WHERE id = ?", (opportunity_id,)).fetchone()
        if row is None or int(row[0]) != customer_id:
            raise StoreError(f"Opportunity #{opportunity_id} is not one of this customer's deals.")


def newest_follow_up(
    conn: sqlite3.Connection, customer_id: int
) -> tuple[int, date | None, str | None] | None:
    """(id, next_on, next_action) of the customer's latest follow-up: the one whose next step is
    the customer's pending follow-up."""
    row = conn.execute(
        "SELECT id FROM followup WHERE customer_id = ? ORDER BY at DESC, id DESC LIMIT 1", (customer_id,)
    ).fetchone()
    if row is None:
        return None
    fu = rows.read(conn, "followup", int(row[0]))
    assert fu is not None
    return int(fu["id"]), fu["next_on"], fu["next_action"]


def _sync_pending(
    conn: sqlite3.Connection,
    log: UndoLog,
    customer_id: int,
    before: tuple[int, date | None, str | None] | None,
) -> None:
    """After a follow-up changed or went: when the newest follow-up's next step is no longer the
    one ``before`` recorded, and the customer still holds ``before``'s (nobody snoozed or set it
    since), the customer takes the newest's. With no follow-up left the pending one stays."""
    after = newest_follow_up(conn, customer_id)
    if after is None or after == before:
        return
    customer = rows.read(conn, "customer", customer_id)
    if customer is None:
        return
    holds = (customer["next_follow_up_on"], customer["next_action"])
    if before is not None and holds != before[1:]:
        return
    rows.update(conn, log, "customer", customer, {"next_follow_up_on": after[1], "next_action": after[2]})


def follow_up(conn: sqlite3.Connection, follow_up_id: int) -> dict[str, Any]:
    row = rows.read(conn, "followup", follow_up_id)
    if row is None:
        raise NotFound(f"No follow-up with id {follow_up_id}.")
    return row


def check_follow_up_changes(
    conn: sqlite3.Connection, row: dict[str, Any], changes: dict[str, Any]
) -> dict[str, Any]:
    """``changes`` to follow-up ``row`` checked and cleaned (``StoreError`` names what is wrong)."""
    unknown = set(changes) - set(FOLLOW_UP_FIELDS)
    if unknown:
        raise StoreError(f"A follow-up has no field {', '.join(sorted(unknown))}.")
    out = dict(changes)
    for key in FOLLOW_UP_TEXT:
        if key in out:
            out[key] = clean(out[key])
    if "summary" in out and not out["summary"]:
        raise StoreError("Say what was discussed: the summary cannot be empty.")
    if "channel" in out:
        out["channel"] = check_choice(out["channel"] or "phone", CHANNELS, "channel")
    if "attitude" in out:
        out["attitude"] = check_choice(out["attitude"], ATTITUDES, "attitude") if out["attitude"] else None
    if "outcome" in out:
        out["outcome"] = outcome_of(out["outcome"])
    if "at" in out:
        if not isinstance(out["at"], datetime):
            raise StoreError("When it happened must be a date and time.")
        if out["at"] > utcnow():
            raise StoreError("A follow-up cannot be logged in the future.")
    if "next_on" in out and out["next_on"] is not None and not isinstance(out["next_on"], date):
        raise StoreError("The next follow-up must be a date.")
    customer_id = int(row["customer_id"])
    check_links(conn, customer_id, out.get("contact_id"), out.get("opportunity_id"))
    return out


def update_follow_up(
    conn: sqlite3.Connection, log: UndoLog, follow_up_id: int, changes: dict[str, Any]
) -> dict[str, Any]:
    """Write ``changes`` (only those) to a logged follow-up; the customer's pending follow-up
    follows when this is (or stops being) the newest. The follow-up as it is now."""
    row = follow_up(conn, follow_up_id)
    changes = check_follow_up_changes(conn, row, changes)
    customer_id = int(row["customer_id"])
    before = newest_follow_up(conn, customer_id)
    now = rows.update(conn, log, "followup", row, changes)
    _sync_pending(conn, log, customer_id, before)
    return now


def delete_follow_up(conn: sqlite3.Connection, log: UndoLog, follow_up_id: int) -> dict[str, Any]:
    """Remove a logged follow-up (undo brings it back); when it was the newest, the customer's
    pending follow-up becomes the next newest's. The follow-up as it was."""
    row = follow_up(conn, follow_up_id)
    customer_id = int(row["customer_id"])
    before = newest_follow_up(conn, customer_id)
    log.record([("followup", follow_up_id, "delete", dict(row))])
    conn.execute("DELETE FROM followup WHERE id = ?", (follow_up_id,))
    _sync_pending(conn, log, customer_id, before)
    return row


def contact_of(conn: sqlite3.Connection, customer_id: int, ref: str) -> int:
    """The contact of this customer a rep means: its id, or a fragment of exactly one's name."""
    ref = (ref or "").strip()
    found = conn.execute(
        "SELECT id, name FROM contact WHERE customer_id = ? AND archived_at IS NULL ORDER BY id",
        (customer_id,),
    ).fetchall()
    return _one_of(found, ref, "contact")


def opportunity_of(conn: sqlite3.Connection, customer_id: int, ref: str) -> int:
    """The deal of this customer a rep means: its id, or a fragment of exactly one's name."""
    ref = (ref or "").strip()
    found = conn.execute(
        "SELECT id, name FROM opportunity WHERE customer_id = ? AND archived_at IS NULL ORDER BY id",
        (customer_id,),
    ).fetchall()
    return _one_of(found, ref, "opportunity")


def _one_of(found: list[tuple[Any, Any]], ref: str, what: str) -> int:
    if is_row_id(ref):
        for row_id, _name in found:
            if int(row_id) == int(ref):
                return int(row_id)
    exact = [(i, n) for i, n in found if str(n).casefold() == ref.casefold()]
    matches = exact or [(i, n) for i, n in found if ref.casefold() in str(n).casefold()]
    if not matches:
        raise NotFound(f"No {what} of this customer matches '{ref}'.")
    if len(matches) > 1:
        raise Ambiguous(
            f"'{ref}' matches {len(matches)} of this customer's {what} records.",
            [(str(i), str(n)) for i, n in matches[:20]],
        )
    return int(matches[0][0])
