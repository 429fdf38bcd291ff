"""The .vcf (contacts) and .ics (pending follow-ups, planned activities, receivables due and
complaint deadlines) exports, card by card and item by item from the cursor."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import TYPE_CHECKING, Any, BinaryIO

import sqlalchemy as sa

from tuicrm.domain.privacy import mask_phone
from tuicrm.io.export.common import Progress, counted
from tuicrm.io.export.rows import Source

if TYPE_CHECKING:
    from tuicrm.io.ics_text import Writer


def vcard_items(source: Source, *, unmasked: bool) -> Iterator[dict[str, Any]]:
    """The live contacts of the exported customers as ``write_vcards`` items."""
    X, C = source.t["contact"], source.t["customer"]
    query = source._query("contact", C.c.code.label("customer_code"), C.c.name.label("customer_name"))
    query = query.where(X.c.archived_at.is_(None))
    for x in source.conn.execute(query).mappings():
        yield {
            "name": x["name"],
            "customer_name": x["customer_name"],
            "department": x["department"],
            "title": x["title"],
            "phone": x["phone"] if unmasked else mask_phone(x["phone"]) or None,
            "mobile": x["mobile"] if unmasked else mask_phone(x["mobile"]) or None,
            "email": x["email"],
            "im": x["im"],
            "birthday": x["birthday"],
            "notes": x["notes"],
            "role": x["role"],
            "uid": f"contact-{x['id']}-{x['customer_code']}@tuicrm",
        }


def count_vcards(source: Source) -> int:
    X = source.t["contact"]
    query = source._query("contact").where(X.c.archived_at.is_(None))
    query = query.with_only_columns(sa.func.count(), maintain_column_froms=True).order_by(None)
    return int(source.conn.execute(query).scalar_one())


def write_vcf(
    fh: BinaryIO, source: Source, *, unmasked: bool, version: str, progress: Progress | None
) -> int:
    from tuicrm.io.vcard_text import card

    n = 0
    for item in counted(vcard_items(source, unmasked=unmasked), progress):
        fh.write(card(item, version))  # the bytes of tuicrm.io.vcard.write_vcards([item], version)
        n += 1
    return n


def _pending_query(source: Source) -> Any:
    C = source.t["customer"]
    return (
        sa.select(
            C.c.code,
            C.c.name,
            C.c.tier,
            C.c.status,
            C.c.next_follow_up_on,
            C.c.next_action,
            C.c.phone,
            C.c.email,
        )
        .where(C.c.archived_at.is_(None), C.c.next_follow_up_on.is_not(None))
        .order_by(C.c.next_follow_up_on, C.c.name, C.c.id)
    )


def count_pending(source: Source) -> int:
    query = (
        _pending_query(source).with_only_columns(sa.func.count(), maintain_column_froms=True).order_by(None)
    )
    return int(source.conn.execute(query).scalar_one())


def write_ics_file(
    fh: BinaryIO,
    source: Source,
    *,
    unmasked: bool,
    events: bool,
    activities: Iterable[Any],
    reminder_hours: int,
    now: datetime,
    progress: Progress | None,
    currency: str = "",
    counts: dict[str, int] | None = None,
) -> int:
    """The calendar, written item by item: the same bytes ``tuicrm.io.ics.write_ics`` gives for
    the whole list (its parts are the calendar's lines in order), each item's text made by
    ``tuicrm.io.ics_text``. Returns the follow-ups written."""
    from tuicrm.domain.dates import in_range
    from tuicrm.io.ics import PendingFollowUp, activity_component, write_ics
    from tuicrm.io.ics_text import Writer

    empty = write_ics([], now=now, events=events)
    end = b"END:VCALENDAR\r\n"
    fh.write(empty[: -len(end)])
    text = Writer(now, reminder_hours)

    def pending() -> Iterator[PendingFollowUp]:
        for c in source.conn.execute(_pending_query(source)):
            phone = c.phone if unmasked else mask_phone(c.phone)
            yield PendingFollowUp(
                c.code, c.name, c.tier, c.status, c.next_follow_up_on, c.next_action, phone or None, c.email
            )

    n = 0
    for item in counted(pending(), progress):
        if in_range(item.next_on):  # the accepted years only (tuicrm.io.ics.exportable)
            fh.write(text.followup(item, events))
            n += 1
    planned = 0
    for activity in activities:
        made = text.activity(activity)
        fh.write(made if made is not None else activity_component(activity, now, reminder_hours).to_ical())
        planned += 1
    care = write_care_todos(fh, source, now=now, currency=currency, text=text)
    if counts is not None:
        if planned:
            counts["activities"] = planned
        counts.update({k: v for k, v in care.items() if v})
    fh.write(end)
    return n


def write_care_todos(
    fh: BinaryIO, source: Source, *, now: datetime, currency: str, text: Writer
) -> dict[str, int]:
    """Open receivables with a due date and open complaints with a deadline, as VTODOs, from
    the cursor, each item's text by ``text``. Returns how many of each."""
    from tuicrm.domain.dates import in_range
    from tuicrm.io.ics import ComplaintDeadline, ReceivableDue, complaint_component

    R, K, C = source.t["receivable"], source.t["complaint"], source.t["customer"]
    live = [C.c.archived_at.is_(None)]
    receivables = (
        sa.select(
            R.c.code, C.c.code, C.c.name, R.c.due_on, R.c.amount, R.c.received, R.c.currency, R.c.invoice_no
        )
        .select_from(R.join(C, C.c.id == R.c.customer_id))
        .where(*live, R.c.archived_at.is_(None), R.c.paid_off_on.is_(None), R.c.due_on.is_not(None))
        .order_by(R.c.due_on, R.c.id)
    )
    counts = {"receivables due": 0, "complaint deadlines": 0}
    for code, c_code, c_name, due_on, amount, received, cur, invoice in source.conn.execute(receivables):
        if not in_range(due_on) or amount - received <= 0:
            continue
        item = ReceivableDue(
            code, c_code, c_name, due_on, format(amount - received, "f"), cur or currency, invoice
        )
        fh.write(text.receivable(item))
        counts["receivables due"] += 1
    complaints = (
        sa.select(K.c.code, C.c.code, C.c.name, K.c.deadline_at, K.c.severity, K.c.status, K.c.content)
        .select_from(K.join(C, C.c.id == K.c.customer_id))
        .where(
            *live,
            K.c.archived_at.is_(None),
            K.c.status.in_(("open", "in-progress")),
            K.c.deadline_at.is_not(None),
        )
        .order_by(K.c.deadline_at, K.c.id)
    )
    for code, c_code, c_name, deadline, severity, status, content in source.conn.execute(complaints):
        deadline_item = ComplaintDeadline(code, c_code, c_name, deadline, severity, status, content)
        made = text.complaint(deadline_item)
        fh.write(made if made is not None else complaint_component(deadline_item, now).to_ical())
        counts["complaint deadlines"] += 1
    return counts
