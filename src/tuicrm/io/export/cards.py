"""The .vcf (contacts) and .ics (pending follow-ups and planned activities) exports, card by
card and item by item from the cursor."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any, BinaryIO

import sqlalchemy as sa

from tuicrm.domain.privacy import mask_phone
from tuicrm.io.export.common import Progress, counted
from tuicrm.io.export.rows import Source


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
    from tuicrm.io.vcard import write_vcards

    n = 0
    for item in counted(vcard_items(source, unmasked=unmasked), progress):
        fh.write(write_vcards([item], version).encode("utf-8"))
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
    activities: list[Any],
    reminder_hours: int,
    now: datetime,
    progress: Progress | None,
) -> int:
    """The calendar, written item by item: the same bytes ``tuicrm.io.ics.write_ics`` gives for
    the whole list (its parts are the calendar's lines in order). Returns the follow-ups written."""
    from tuicrm.domain.dates import in_range
    from tuicrm.io.ics import PendingFollowUp, activity_component, followup_component, write_ics

    empty = write_ics([], now=now, events=events)
    end = b"END:VCALENDAR\r\n"
    fh.write(empty[: -len(end)])

    def pending() -> Iterator[PendingFollowUp]:
        for c in source.conn.execute(_pending_query(source)):
            phone = c.phone if unmasked else mask_phone(c.phone)
            yield PendingFollowUp(
                c.code, c.name, c.tier, c.status, c.next_follow_up_on, c.next_action, phone or None, c.email
            )

    n = 0
    for item in counted(pending(), progress):
        if in_range(item.next_on):  # the accepted years only (tuicrm.io.ics.exportable)
            fh.write(followup_component(item, now, events).to_ical())
            n += 1
    for activity in activities:
        fh.write(activity_component(activity, now, reminder_hours).to_ical())
    fh.write(end)
    return n
